// Input detection by content: a kubeconfig (YAML or JSON), a PEM bundle, base64 of DER, or DER.
import { assertStrictDer } from "../encoding/der.ts";
import { splitDerChain } from "../encoding/der-chain.ts";
import { looksLikePkcs12 } from "../encoding/pkcs12-shape.ts";
import { pkcs12AsPem } from "./pkcs12.ts";
import { decodeBase64, looksLikePem, toPem } from "../encoding/pem.ts";
import { looksLikePkcs7 } from "../encoding/pkcs7.ts";
import { InputProblem } from "../errors.ts";
import type { Findings } from "../findings/index.ts";
import { looksLikeKubeconfig } from "./kubeconfig.ts";
import { kubectlTypeErrors, type KubectlTypeError } from "./kubeconfig-types.ts";
import { parseYamlTyped } from "./yaml.ts";

/** How bytes became text, when not as UTF-8. */
export type TextEncoding = "utf-16le" | "utf-16be" | "latin-1";

export type Detected =
  /** `typeErrors`: values kubectl refuses because of their type (see kubeconfig-types.ts). */
  | {
      kind: "kubeconfig";
      doc: Record<string, unknown>;
      format: "yaml" | "json";
      textEncoding?: TextEncoding;
      typeErrors: KubectlTypeError[];
    }
  /** `pkcs7` is set when DER PKCS#7 was turned into a PKCS7 block for the PEM reader. */
  | {
      kind: "pem";
      text: string;
      textEncoding?: TextEncoding;
      pkcs7?: "binary" | "base64" /** DER certificates back to back (der-chain.ts): how many. */;
      derChain?: number /** A PKCS#12 file with certificates only (input/pkcs12.ts). */;
      pkcs12?: true;
    }
  | { kind: "der"; der: Uint8Array; encoding: "binary" | "base64"; unpadded?: { chars: number } };

/** A line that starts a kubeconfig's top-level key (shared with the CLI's upload, src/cli/client.ts). */
export const KUBECONFIG_KEY = /^(apiVersion|kind|clusters|users|contexts|current-context|preferences)\s*:/m;

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

/** `-----BEGIN ` as bytes: PEM markers are ASCII whatever the text around them is. */
const BEGIN_BYTES = [45, 45, 45, 45, 45, 66, 69, 71, 73, 78, 32];

function hasBeginBytes(b: Uint8Array): boolean {
  outer: for (let i = b.indexOf(45); i >= 0 && i + BEGIN_BYTES.length <= b.length; i = b.indexOf(45, i + 1)) {
    for (let j = 0; j < BEGIN_BYTES.length; j++) if (b[i + j] !== BEGIN_BYTES[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Bytes as text the way the consuming tools read them: UTF-8; UTF-16 with a BOM (what Windows
 * PowerShell's `>` writes; kubectl's YAML reader decodes it); and, for PEM whose text around the
 * blocks is not UTF-8 (Latin-1 comments), one character per byte, as openssl and Go's pem.Decode
 * work on bytes. Null for binary data. `utf16: false` for what Go reads as bytes (a kubeconfig
 * *-data field holds PEM for pem.Decode, which finds nothing in UTF-16).
 */
export function decodeText(b: Uint8Array, opts: { utf16: boolean } = { utf16: true }): { text: string; encoding?: TextEncoding } | null {
  if (opts.utf16 && b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) && b.length % 2 === 0) {
    const encoding = b[0] === 0xff ? "utf-16le" : "utf-16be";
    try {
      return { text: new TextDecoder(encoding, { fatal: true }).decode(b), encoding };
    } catch {
      return null;
    }
  }
  const utf8 = bytesToText(b);
  if (utf8 !== null) return { text: utf8 };
  if (!hasBeginBytes(b)) return null;
  let text = "";
  for (let i = 0; i < b.length; i += 0x8000) text += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return { text, encoding: "latin-1" };
}

/** Findings about how the input was read (called once per detected input part). */
export function reportDetected(d: Detected, field: string, findings: Findings): void {
  if (d.kind === "kubeconfig")
    for (const t of d.typeErrors)
      findings.add(
        "kubeconfig.wrong-type",
        `${t.path} has a value of the wrong type: kubectl will refuse to load this file, printing \`error: error loading config file "…": ${t.said}\``,
        { path: t.path },
      );
  if (d.kind === "der" && d.unpadded)
    findings.add(
      "input.base64-unpadded",
      `${field} is base64 of one DER certificate without its \`=\` padding (${d.unpadded.chars} characters, not a multiple of 4).`,
      { path: field },
    );
  if (d.kind === "pem" && (d.textEncoding === "utf-16le" || d.textEncoding === "utf-16be"))
    findings.add("input.utf16-pem", `${field} is ${d.textEncoding === "utf-16le" ? "UTF-16LE" : "UTF-16BE"} text with a byte-order mark.`, {
      path: field,
    });
}

/**
 * Works out what `data` is. `field` names the input part for messages (`kubeconfig`, `pem`,
 * `clientCA`). Throws InputProblem for what cannot be audited at all.
 */
export function detect(data: string | Uint8Array, field: string): Detected {
  let text: string;
  let textEncoding: TextEncoding | undefined;
  if (typeof data === "string") text = data;
  else {
    if (looksLikePkcs12(data)) return { kind: "pem", text: pkcs12AsPem(data, field), pkcs12: true };
    const chain = splitDerChain(data);
    if (chain) return { kind: "pem", text: chain.map((d) => toPem("CERTIFICATE", d)).join(""), derChain: chain.length };
    if (isStrictDer(data))
      return looksLikePkcs7(data)
        ? { kind: "pem", text: toPem("PKCS7", data), pkcs7: "binary" }
        : { kind: "der", der: data, encoding: "binary" };
    const t = decodeText(data);
    if (t === null) {
      // A BER-encoded certificate (OpenSSL reads it, Go does not) is that certificate's finding, not a bad request.
      if (looksLikeBerSequence(data)) return { kind: "der", der: data, encoding: "binary" };
      if (data[0] === 0x30)
        throw new InputProblem(
          "input.unrecognized",
          400,
          `${field} looks like DER but is not valid DER (indefinite or non-minimal lengths, or trailing bytes)`,
          { pointer: `/${field}` },
        );
      throw new InputProblem("input.unrecognized", 400, `${field} is binary data that is neither DER nor text`, { pointer: `/${field}` });
    }
    text = t.text;
    textEncoding = t.encoding;
  }
  const enc = textEncoding ? { textEncoding } : {};
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trim();
  if (trimmed === "") throw new InputProblem("input.empty", 422, `${field} is empty`, { pointer: `/${field}` });

  if (trimmed.startsWith("{")) {
    let doc: unknown;
    let go: unknown;
    try {
      doc = go = JSON.parse(trimmed);
    } catch {
      // JSON is YAML: let the YAML reader find the position of the error.
      ({ value: doc, go } = parseYamlTyped(trimmed));
    }
    if (looksLikeKubeconfig(doc)) return { kind: "kubeconfig", doc, format: "json", ...enc, typeErrors: kubectlTypeErrors(go) };
    throw new InputProblem(
      "input.not-kubeconfig",
      422,
      `${field} is JSON but not a kubeconfig (no kind: Config, clusters, users or contexts)`,
      { pointer: `/${field}` },
    );
  }
  // PEM first: a bundle is found by one includes(), not by the regular expression over all of it.
  if (!looksLikePem(text) && KUBECONFIG_KEY.test(text)) {
    const { value: doc, go } = parseYamlTyped(text);
    if (looksLikeKubeconfig(doc)) return { kind: "kubeconfig", doc, format: "yaml", ...enc, typeErrors: kubectlTypeErrors(go) };
    throw new InputProblem(
      "input.not-kubeconfig",
      422,
      `${field} is YAML but not a kubeconfig (no kind: Config, clusters, users or contexts)`,
      { pointer: `/${field}` },
    );
  }
  if (looksLikePem(text)) return { kind: "pem", text, ...enc };
  if (textEncoding === "latin-1")
    throw new InputProblem("input.unrecognized", 400, `${field} is binary data that is neither DER nor text`, { pointer: `/${field}` });
  const der = /^[A-Za-z0-9+/=\s]+$/.test(trimmed) ? decodeBase64(trimmed) : null;
  if (der && isStrictDer(der)) {
    if (looksLikePkcs7(der)) return { kind: "pem", text: toPem("PKCS7", der), pkcs7: "base64" };
    // RFC 4648 3.2: padding is required unless the specification says otherwise; Go's StdEncoding requires it.
    const chars = trimmed.replace(/\s/g, "").length;
    return { kind: "der", der, encoding: "base64", ...(chars % 4 !== 0 ? { unpadded: { chars } } : {}) };
  }
  // Last chance: a kubeconfig whose keys we did not see at line start (flow style, comments).
  let doc: unknown = null;
  let go: unknown = null;
  try {
    ({ value: doc, go } = parseYamlTyped(text));
  } catch (e) {
    // Text shaped like YAML (key: value lines) gets the YAML error with its position.
    if (e instanceof InputProblem && (e.code === "input.yaml-unsafe" || /^\s*-?\s*[\w.-]+\s*:/m.test(text))) throw e;
  }
  if (looksLikeKubeconfig(doc)) return { kind: "kubeconfig", doc, format: "yaml", ...enc, typeErrors: kubectlTypeErrors(go) };
  throw new InputProblem("input.unrecognized", 422, `${field} is not a kubeconfig, a PEM bundle or a DER certificate`, {
    pointer: `/${field}`,
  });
}
