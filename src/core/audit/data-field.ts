// A kubeconfig *-data field (certificate-authority-data, client-certificate-data,
// client-key-data): base64 of PEM text, read as client-go reads it.
import { goBase64Error } from "../encoding/base64-go.ts";
import { decodeBase64, decodeCleanBase64 } from "../encoding/pem.ts";
import type { Findings } from "../findings/index.ts";
import { decodeText } from "../input/detect.ts";
import { PLACEHOLDERS, STRIPPED } from "../input/kubeconfig.ts";

/** Decodes a kubeconfig *-data field: base64 of PEM text. */
export function decodeDataField(value: string, path: string, findings: Findings): string | null {
  if (value.trim() === STRIPPED) {
    findings.add("input.secret-stripped", `${path} was removed before upload.`, { path });
    return null;
  }
  if (PLACEHOLDERS.has(value.trim())) {
    findings.add("input.placeholder-data", `${path} is "${value.trim()}".`, { path });
    return null;
  }
  // A padded text of the alphabet alone (what kubectl writes) is one Go reads, to these bytes.
  const clean = decodeCleanBase64(value);
  const goError = clean ? null : goBase64Error(value);
  const bytes = clean ?? decodeBase64(value);
  if (goError !== null || !bytes) {
    findings.add(
      "input.bad-base64",
      `${path} is not base64 as Go reads it${goError !== null ? `: kubectl will refuse to load this file, printing \`error: error loading config file "…": illegal base64 data at input byte ${goError}\`` : ""}${bytes ? "; it was decoded leniently and audited here" : ""}.`,
      { path },
    );
    if (!bytes) return null;
  }
  const text = decodeText(bytes, { utf16: false })?.text ?? null;
  if (text === null || !text.includes("-----BEGIN ")) {
    findings.add("input.data-not-pem", `${path} decodes to ${text === null ? "binary data (DER?)" : "text without PEM blocks"}.`, { path });
    return null;
  }
  return text;
}
