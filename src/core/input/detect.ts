// Input detection by content: a kubeconfig (YAML or JSON), a PEM bundle, base64 of DER, or DER.
import { assertStrictDer } from "../encoding/der.ts";
import { decodeBase64, looksLikePem } from "../encoding/pem.ts";
import { InputProblem } from "../errors.ts";
import { looksLikeKubeconfig } from "./kubeconfig.ts";
import { parseYaml } from "./yaml.ts";

export type Detected =
  | { kind: "kubeconfig"; doc: Record<string, unknown>; format: "yaml" | "json" }
  | { kind: "pem"; text: string }
  | { kind: "der"; der: Uint8Array; encoding: "binary" | "base64" };

const KUBECONFIG_KEY = /^(apiVersion|kind|clusters|users|contexts|current-context|preferences)\s*:/m;

function isStrictDer(b: Uint8Array): boolean {
  if (b.length < 2 || b[0] !== 0x30) return false;
  try {
    assertStrictDer(b);
    return true;
  } catch {
    return false;
  }
}

/** A SEQUENCE whose outer BER length (non-minimal or indefinite allowed) fits the data. */
function looksLikeBerSequence(b: Uint8Array): boolean {
  if (b.length < 4 || b[0] !== 0x30) return false;
  const first = b[1]!;
  if (first === 0x80) return b[b.length - 2] === 0 && b[b.length - 1] === 0;
  if (first < 0x80) return 2 + first <= b.length;
  const n = first & 0x7f;
  if (n > 4 || 2 + n > b.length) return false;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]!;
  return 2 + n + len <= b.length;
}

/** Decodes bytes as UTF-8 text, or returns null for binary data. */
export function bytesToText(b: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    return null;
  }
}

/**
 * Works out what `data` is. `field` names the input part for messages (`kubeconfig`, `pem`,
 * `clientCA`). Throws InputProblem for what cannot be audited at all.
 */
export function detect(data: string | Uint8Array, field: string): Detected {
  let text: string;
  if (typeof data === "string") text = data;
  else {
    if (isStrictDer(data)) return { kind: "der", der: data, encoding: "binary" };
    const t = bytesToText(data);
    if (t === null) {
      // A BER-encoded certificate (OpenSSL reads it, Go does not) is that certificate's finding, not a bad request.
      if (looksLikeBerSequence(data)) return { kind: "der", der: data, encoding: "binary" };
      if (data[0] === 0x30) throw new InputProblem("input.unrecognized", 400, `${field} looks like DER but is not valid DER (indefinite or non-minimal lengths, or trailing bytes)`, { pointer: `/${field}` });
      throw new InputProblem("input.unrecognized", 400, `${field} is binary data that is neither DER nor text`, { pointer: `/${field}` });
    }
    text = t;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trim();
  if (trimmed === "") throw new InputProblem("input.empty", 422, `${field} is empty`, { pointer: `/${field}` });

  if (trimmed.startsWith("{")) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      // JSON is YAML: let the YAML reader find the position of the error.
      doc = parseYaml(trimmed);
    }
    if (looksLikeKubeconfig(doc)) return { kind: "kubeconfig", doc, format: "json" };
    throw new InputProblem("input.not-kubeconfig", 422, `${field} is JSON but not a kubeconfig (no kind: Config, clusters, users or contexts)`, { pointer: `/${field}` });
  }
  if (KUBECONFIG_KEY.test(text) && !looksLikePem(text)) {
    const doc = parseYaml(text);
    if (looksLikeKubeconfig(doc)) return { kind: "kubeconfig", doc, format: "yaml" };
    throw new InputProblem("input.not-kubeconfig", 422, `${field} is YAML but not a kubeconfig (no kind: Config, clusters, users or contexts)`, { pointer: `/${field}` });
  }
  if (looksLikePem(text)) return { kind: "pem", text };
  const der = /^[A-Za-z0-9+/=\s]+$/.test(trimmed) ? decodeBase64(trimmed) : null;
  if (der && isStrictDer(der)) return { kind: "der", der, encoding: "base64" };
  // Last chance: a kubeconfig whose keys we did not see at line start (flow style, comments).
  let doc: unknown = null;
  try {
    doc = parseYaml(text);
  } catch (e) {
    // Text shaped like YAML (key: value lines) gets the YAML error with its position.
    if (e instanceof InputProblem && (e.code === "input.yaml-unsafe" || /^\s*-?\s*[\w.-]+\s*:/m.test(text))) throw e;
  }
  if (looksLikeKubeconfig(doc)) return { kind: "kubeconfig", doc, format: "yaml" };
  throw new InputProblem("input.unrecognized", 422, `${field} is not a kubeconfig, a PEM bundle or a DER certificate`, { pointer: `/${field}` });
}
