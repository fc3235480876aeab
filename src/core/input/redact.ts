// Stripping secrets before an upload, by allow-list: the text is read exactly as the audit
// reads it (detect()), and only what is known to be public is written back out: for a
// kubeconfig, the fields listed in redact-kubeconfig.ts (secrets the audit must know about
// become the marker `certaudit:stripped`); for PEM, the public blocks (redact-pem.ts); for
// base64 DER, a certificate. Anything the audit could not read is not uploaded at all
// (`complete: false`), since nobody can say what it holds.
import { stringify } from "yaml";
import { DerError, frameCertificate } from "../encoding/der.ts";
import { InputProblem } from "../errors.ts";
import { detect } from "./detect.ts";
import { redactKubeconfig } from "./redact-kubeconfig.ts";
import { stripPemText } from "./redact-pem.ts";

export interface StripResult {
  text: string;
  /** What was removed, as paths (never values): `users[admin].client-key-data`, `private key block 1`. */
  removed: string[];
  /** False when the text could not be read, so secrets may remain: callers must not upload it. */
  complete: boolean;
  /** Why it is not complete: the audit's own reason for refusing the text (code and message; never quotes the input). */
  problem?: { code: string; message: string };
}

const refused = (text: string, code: string, message: string): StripResult => ({
  text,
  removed: [],
  complete: false,
  problem: { code, message },
});

/**
 * Keeps only what is known to be public. `field` names the input in messages.
 * Programming errors are not caught here: they surface as bugs.
 */
export function stripSecrets(text: string, field = "the input"): StripResult {
  let d: ReturnType<typeof detect>;
  try {
    d = detect(text, field);
  } catch (e) {
    if (e instanceof InputProblem) return refused(text, e.code, e.message);
    throw e;
  }
  if (d.kind === "kubeconfig") {
    const { doc, removed } = redactKubeconfig(d.doc);
    const out = d.format === "json" ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
    return { text: out, removed, complete: true };
  }
  if (d.kind === "pem") {
    const p = stripPemText(d.text);
    return { text: p.text, removed: p.removed, complete: true };
  }
  // Base64 (or binary) DER: only a certificate may leave, a DER private key must not.
  try {
    frameCertificate(d.der);
  } catch (e) {
    if (!(e instanceof DerError)) throw e;
    return refused(text, "input.unrecognized", `${field} is DER that is not a certificate (a private key?)`);
  }
  return { text, removed: [], complete: true };
}
