// A linear-time PEM scanner (RFC 7468, lax reading as section 3 allows).
// Written by hand on purpose: @peculiar/x509's PEM regex is quadratic on one crafted long
// line (a 216 KB body cost 13.6 s of CPU when measured), so we split PEM ourselves and hand
// the library only DER. Every step below is a single pass over the text.

export interface PemBlock {
  /** The label between BEGIN and the dashes, e.g. "CERTIFICATE", "RSA PRIVATE KEY". */
  label: string;
  /** 0-based position among the blocks of this text. */
  index: number;
  /** 1-based line of the BEGIN line. */
  line: number;
  /** Decoded body, or null when the body is not valid base64. */
  der: Uint8Array | null;
  /** RFC 1421 headers (Proc-Type, DEK-Info) seen before the body: a legacy encrypted key. */
  headers: Record<string, string>;
  /** Set when the block has no END line or its END label differs. */
  problem?: "unterminated" | "bad-base64" | "label-mismatch";
}

export interface PemScan {
  blocks: PemBlock[];
  /** Non-blank lines outside any block (explanatory text, as `openssl x509 -text` writes). */
  strayLines: number;
}

interface Open {
  label: string;
  line: number;
  body: string[];
  headers: Record<string, string>;
  inHeaders: boolean;
}

const BEGIN = "-----BEGIN ";
const END = "-----END ";
const DASHES = "-----";
const MAX_LABEL = 64;

function labelOf(line: string, prefix: string): string | null {
  if (!line.startsWith(prefix)) return null;
  const close = line.indexOf(DASHES, prefix.length);
  if (close < 0 || close - prefix.length > MAX_LABEL) return null;
  if (line.slice(close + DASHES.length).trim() !== "") return null;
  const label = line.slice(prefix.length, close);
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 32 || c === 45;
    if (!ok) return null;
  }
  return label;
}

/** Decodes standard base64, ignoring ASCII whitespace. Returns null on any other character. */
export function decodeBase64(text: string): Uint8Array | null {
  let clean = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
    if (!ok) return null;
    clean += text[i];
  }
  if (clean.length === 0 || clean.length % 4 === 1) return null;
  try {
    const bin = atob(clean);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export function encodeBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = encodeBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** True when the text holds at least one BEGIN line (cheap, linear). */
export function looksLikePem(text: string): boolean {
  return text.includes(BEGIN);
}

export function scanPem(input: string): PemScan {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const blocks: PemBlock[] = [];
  let strayLines = 0;
  let cur: Open | null = null;
  let lineNo = 0;
  let pos = 0;
  const segments: string[] = [];
  while (pos <= text.length) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = text.length;
    let line = text.slice(pos, nl);
    pos = nl + 1;
    lineNo++;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    // Files concatenated without a final newline put END and BEGIN on one line: split there.
    segments.length = 0;
    if (line.indexOf("-----", 1) > 0 && (line.includes(BEGIN) || line.includes(END))) segments.push(...line.split(/(?=-----(?:BEGIN|END) )/));
    else segments.push(line);
    for (const seg of segments) cur = scanLine(seg.trim(), cur);
    if (nl === text.length) break;
  }
  function scanLine(trimmed: string, cur: Open | null): Open | null {
    if (cur === null) {
      const label = labelOf(trimmed, BEGIN);
      if (label !== null) return { label, line: lineNo, body: [], headers: {}, inHeaders: true };
      if (trimmed !== "") strayLines++;
      return null;
    }
    const endLabel = labelOf(trimmed, END);
    if (endLabel !== null) {
      const b64 = cur.body.join("");
      const der = decodeBase64(b64);
      const block: PemBlock = { label: cur.label, index: blocks.length, line: cur.line, der, headers: cur.headers };
      if (endLabel !== cur.label) block.problem = "label-mismatch";
      else if (der === null) block.problem = "bad-base64";
      blocks.push(block);
      return null;
    }
    if (cur.inHeaders && trimmed.includes(":") && !trimmed.includes("=")) {
      const i = trimmed.indexOf(":");
      cur.headers[trimmed.slice(0, i).trim()] = trimmed.slice(i + 1).trim();
    } else {
      if (trimmed !== "") cur.inHeaders = false;
      cur.body.push(trimmed);
    }
    return cur;
  }
  if (cur !== null) blocks.push({ label: cur.label, index: blocks.length, line: cur.line, der: null, headers: cur.headers, problem: "unterminated" });
  return { blocks, strayLines };
}
