// A linear-time PEM scanner (RFC 7468, lax reading as section 3 allows).
// Written by hand on purpose: a regex PEM reader can be quadratic (@peculiar/x509's took 13.6 s
// of CPU on one crafted 216 KB line when measured), and the parsers here (x509/cert.ts, keys/)
// take DER. Every step below is a single pass over the text.
import { goBase64Error } from "./base64-go.ts";
import { SEXTET } from "./base64-sextet.ts";
import { NATIVE_BASE64, readCleanBody } from "./pem-body.ts";

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
  /**
   * Set when openssl and Go's pem.Decode (so kubectl) would not read this block, though we can:
   * `no-line-breaks`: the body shares a line with BEGIN or END (`tr -d '\n'`, `curl -d`);
   * `marker-not-alone`: BEGIN or END does not stand alone at the start of its line (END and
   * BEGIN joined by files concatenated without a final newline, or an indented marker).
   */
  unreadableByTools?: "no-line-breaks" | "marker-not-alone";
  /**
   * With problem "bad-base64": why Go's base64.StdEncoding refuses the body. `unpadded`: only
   * base64 characters, but without the `=` padding; otherwise the 1-based line of the text
   * holding the first character that is not base64, and whether that line starts like a marker.
   */
  badBody?: { unpadded: true } | { line: number; marker: boolean };
}

export interface PemScan {
  blocks: PemBlock[];
  /** Non-blank lines outside any block (explanatory text, as `openssl x509 -text` writes). */
  strayLines: number;
  /**
   * Lines outside any block that start with `-----BEGIN` or `-----END` but are no marker openssl
   * or Go reads (`-----BEGIN -----BEGIN ...`, a label without closing dashes): 1-based line
   * numbers, in order. Not counted in strayLines.
   */
  brokenMarkers: number[];
}

interface Open {
  label: string;
  line: number;
  body: string[];
  /** The text line of each body entry. */
  bodyLines: number[];
  headers: Record<string, string>;
  inHeaders: boolean;
  unreadableByTools?: PemBlock["unreadableByTools"];
}

const BEGIN = "-----BEGIN ";
const END = "-----END ";
const DASHES = "-----";
const MAX_LABEL = 64;

/** The label of a `-----BEGIN X-----` / `-----END X-----` marker, and any text after it on the line. */
function markerLabel(seg: string, prefix: string): { label: string; rest: string } | null {
  if (!seg.startsWith(prefix)) return null;
  const close = seg.indexOf(DASHES, prefix.length);
  if (close < 0 || close - prefix.length > MAX_LABEL) return null;
  const label = seg.slice(prefix.length, close);
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 32 || c === 45;
    if (!ok) return null;
  }
  return { label, rest: seg.slice(close + DASHES.length).trim() };
}

/**
 * Decodes standard base64, ignoring ASCII whitespace. Returns null on any other character. With
 * the whitespace removed, it reads what `atob` (WHATWG forgiving-base64) reads: up to two "="
 * at the end of a multiple of four characters, no other "=", never 4n+1 characters; trailing
 * bits are dropped. One pass into the output array (PEM bodies are most of an upload).
 */
export function decodeBase64(text: string): Uint8Array | null {
  const vals = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    const v = c < 128 ? SEXTET[c]! : 255;
    if (v === 255) return null;
    vals[n++] = v;
  }
  if (n === 0 || n % 4 === 1) return null;
  if (n % 4 === 0 && vals[n - 1] === 64) n -= vals[n - 2] === 64 ? 2 : 1;
  if (n % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = vals[i]!,
      b = vals[i + 1]!,
      c = vals[i + 2]!,
      d = vals[i + 3]!;
    if ((a | b | c | d) & 64) return null;
    const x = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = x >> 16;
    out[o++] = (x >> 8) & 255;
    out[o++] = x & 255;
  }
  const rest = n - i;
  if (rest >= 2) {
    const a = vals[i]!,
      b = vals[i + 1]!,
      c = rest === 3 ? vals[i + 2]! : 0;
    if ((a | b | c) & 64) return null;
    out[o++] = ((a << 2) | (b >> 4)) & 255;
    if (rest === 3) out[o++] = ((b << 4) | (c >> 2)) & 255;
  }
  return out;
}

/** What decodeCleanBase64 reads (non-empty; the same texts as its loop, test/node/cli-base64.test.ts). */
const CLEAN_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
let nativeDecoder: ((clean: string) => Uint8Array) | null = null;

/**
 * A runtime's own decoder for the texts decodeCleanBase64 reads (the CLI: Node's Buffer,
 * src/cli/base64.ts); it must return a new array of exactly the decoded bytes. Then
 * decodeCleanBase64 checks the text with one regular expression and leaves the decoding to it:
 * Node 20 compiles the loop below with TurboFan within a kubeconfig's ~10,000 characters,
 * ~7 ms of CPU on a background thread in a 30 ms CLI run (docs/performance.md).
 */
export function setCleanBase64Decoder(decode: ((clean: string) => Uint8Array) | null): void {
  nativeDecoder = decode;
}

/**
 * The common case of a PEM body, in one pass: only the 64 alphabet characters, padded to a
 * multiple of four with at most two "=" at the end. Such a text is one both Go's StdEncoding
 * and decodeBase64 read, to these bytes; anything else returns null (the caller takes the
 * general path). test/core/base64-decode.test.ts compares the two.
 */
export function decodeCleanBase64(s: string): Uint8Array | null {
  if (nativeDecoder) return s.length > 0 && CLEAN_BASE64.test(s) ? nativeDecoder(s) : null;
  const len = s.length;
  if (len === 0 || len % 4 !== 0) return null;
  const pad = s.charCodeAt(len - 1) === 61 ? (s.charCodeAt(len - 2) === 61 ? 2 : 1) : 0;
  const out = new Uint8Array((len / 4) * 3 - pad);
  const full = pad ? len - 4 : len;
  let o = 0;
  let i = 0;
  for (; i < full; i += 4) {
    const a = s.charCodeAt(i);
    const b = s.charCodeAt(i + 1);
    const c = s.charCodeAt(i + 2);
    const d = s.charCodeAt(i + 3);
    if ((a | b | c | d) >= 128) return null;
    const x = (SEXTET[a]! << 18) | (SEXTET[b]! << 12) | (SEXTET[c]! << 6) | SEXTET[d]!;
    // 255 (not base64) and 64 ("=") both have a bit of 0xc0 set; the 64 sextets do not.
    if ((SEXTET[a]! | SEXTET[b]! | SEXTET[c]! | SEXTET[d]!) & 0xc0) return null;
    out[o++] = x >> 16;
    out[o++] = (x >> 8) & 255;
    out[o++] = x & 255;
  }
  if (pad) {
    const a = SEXTET[s.charCodeAt(i)] ?? 255;
    const b = SEXTET[s.charCodeAt(i + 1)] ?? 255;
    const c = pad === 1 ? (SEXTET[s.charCodeAt(i + 2)] ?? 255) : 0;
    if ((a | b | c) & 0xc0) return null;
    out[o++] = ((a << 2) | (b >> 4)) & 255;
    if (pad === 1) out[o++] = ((b << 4) | (c >> 2)) & 255;
  }
  return out;
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

const BASE64_RUN = /^[A-Za-z0-9+/=\s]+$/;
const BASE64_LINE = /^[A-Za-z0-9+/=]+$/;

const isBareBegin = (seg: string) => markerLabel(seg, BEGIN)?.rest === "";

/** segs[i] is a BEGIN marker with a base64 body on the line, and segs[i+1] its END marker. */
function inlineBlock(segs: string[], i: number): boolean {
  const b = markerLabel(segs[i]!, BEGIN);
  return b !== null && b.rest !== "" && BASE64_RUN.test(b.rest) && markerLabel(segs[i + 1] ?? "", END)?.label === b.label;
}

/**
 * Splits PEM text into blocks, reading more than openssl and Go do but marking what they would
 * not read. Like both (Go's encoding/pem `Decode`, OpenSSL's `PEM_read_bio`), a BEGIN marker
 * counts only at the start of a line: `#-----BEGIN SERIAL-----` in a comment is text. A BEGIN
 * line inside an unterminated block starts a new block, as Go's search for the next BEGIN does.
 */
export function scanPem(input: string, opts: { lineByLine?: boolean } = {}): PemScan {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  // A runtime decoder (setCleanBase64Decoder, the CLI) decodes the lines joined natively where
  // readCleanBody would run its JavaScript loop (no Uint8Array.fromBase64 in Node 24).
  const oneRead = !opts.lineByLine && (NATIVE_BASE64 || nativeDecoder === null);
  const blocks: PemBlock[] = [];
  let strayLines = 0;
  const brokenMarkers: number[] = [];
  let cur: Open | null = null;
  let lineNo = 0;
  let pos = 0;
  const close = (o: Open, endLabel: string | null, read?: Uint8Array) => {
    // The body as Go decodes it (pem.Decode: spaces and tabs removed, then base64.StdEncoding,
    // so padding is required); openssl refuses the same bodies. `read`: readCleanBody's reading.
    const b64 = read ? "" : o.body.join("");
    const der =
      read ??
      (endLabel === null
        ? null
        : (decodeCleanBase64(b64) ?? (goBase64Error(b64.replace(/[ \t]/g, "")) !== null ? null : decodeBase64(b64))));
    const block: PemBlock = { label: o.label, index: blocks.length, line: o.line, der, headers: o.headers };
    if (endLabel === null) block.problem = "unterminated";
    else if (endLabel !== o.label) block.problem = "label-mismatch";
    else if (der === null) {
      block.problem = "bad-base64";
      const at = o.body.findIndex((l) => !/^[A-Za-z0-9+/=\s]*$/.test(l));
      block.badBody = at < 0 ? { unpadded: true } : { line: o.bodyLines[at]!, marker: o.body[at]!.startsWith(DASHES) };
    }
    if (o.unreadableByTools) block.unreadableByTools = o.unreadableByTools;
    blocks.push(block);
  };
  const mark = (o: Open, why: NonNullable<PemBlock["unreadableByTools"]>) => {
    if (o.unreadableByTools !== "no-line-breaks") o.unreadableByTools = why;
  };
  while (pos <= text.length) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl);
    // Trailing CRs removed; the regular expression only for a line that ends with one.
    const raw = line.charCodeAt(line.length - 1) === 13 ? line.replace(/\r+$/, "") : line;
    pos = nl + 1;
    lineNo++;
    // Inside a block, a line of base64 alone (most of a PEM text) is body: what scanLine does
    // with it (no marker, no header since base64 has no ":"), without splitting and trimming.
    // Only lines of ordinary length: scanLine reads a long one with native searches alone.
    if (cur !== null && raw.length <= 256 && BASE64_LINE.test(raw)) {
      cur.inHeaders = false;
      cur.body.push(raw);
      cur.bodyLines.push(lineNo);
      if (nl === text.length) break;
      continue;
    }
    const blocksBefore = blocks.length;
    const strayBefore = strayLines;
    const wasOpen = cur !== null;
    const openBefore: Open | null = cur;
    cur = scanLine(raw, cur);
    // A line that starts like a marker but opened, closed and continued nothing: name it, not as text.
    if (!wasOpen && cur === null && blocks.length === blocksBefore && /^-----(BEGIN|END)/.test(raw.trim())) {
      brokenMarkers.push(lineNo);
      strayLines = strayBefore;
    }
    if (nl === text.length) break;
    // A block just opened with nothing on its BEGIN line: its body and END line in one pass when
    // they have the common shape (the same reading as line by line; else line by line).
    if (cur !== null && cur !== openBefore && cur.body.length === 0 && oneRead) {
      const body = readCleanBody(text, pos, cur.label);
      if (body !== null) {
        close(cur, cur.label, body.der);
        cur = null;
        lineNo += body.lines;
        pos = body.next;
      }
    }
  }
  function scanLine(raw: string, open: Open | null): Open | null {
    const line = raw.trim();
    const indented = line !== "" && raw[0] !== line[0];
    // Markers inside the line: one-line PEM (`tr -d '\n'`) and files joined without a final newline.
    const segs =
      line.indexOf(DASHES, 1) > 0 && (line.includes(BEGIN) || line.includes(END))
        ? line.split(/(?=-----(?:BEGIN|END) )/).map((x) => x.trim())
        : [line];
    let start = 0;
    let stray = false;
    if (open === null && !segs[0]!.startsWith(BEGIN)) {
      // Text before any marker is a comment or an explanation, even when it quotes a BEGIN
      // marker; only a whole block squeezed onto the line after it (one-line PEM) is read.
      stray = line !== "";
      start = segs.findIndex((_, i) => i > 0 && inlineBlock(segs, i));
      if (start < 0) {
        if (stray) strayLines++;
        return null;
      }
    }
    for (let i = start; i < segs.length; i++) {
      const seg = segs[i]!;
      const alone = segs.length === 1 && !indented;
      const end = open ? markerLabel(seg, END) : null;
      if (open && end) {
        if (!alone || end.rest !== "")
          mark(
            open,
            i > 0 && !markerLabel(segs[i - 1]!, END) && segs[i - 1] !== "" && !isBareBegin(segs[i - 1]!)
              ? "no-line-breaks"
              : "marker-not-alone",
          );
        close(open, end.label);
        if (end.rest !== "") stray = true;
        open = null;
        continue;
      }
      const begin = markerLabel(seg, BEGIN);
      if (begin && (begin.rest === "" || BASE64_RUN.test(begin.rest))) {
        if (open) close(open, null);
        open = { label: begin.label, line: lineNo, body: [], bodyLines: [], headers: {}, inHeaders: true };
        if (begin.rest !== "") {
          mark(open, "no-line-breaks");
          open.inHeaders = false;
          open.body.push(begin.rest);
          open.bodyLines.push(lineNo);
        } else if (!alone) mark(open, "marker-not-alone");
        continue;
      }
      if (open === null) {
        if (seg !== "") stray = true;
        continue;
      }
      if (open.inHeaders && seg.includes(":") && !seg.includes("=")) {
        const c = seg.indexOf(":");
        open.headers[seg.slice(0, c).trim()] = seg.slice(c + 1).trim();
      } else {
        if (seg !== "") open.inHeaders = false;
        open.body.push(seg);
        open.bodyLines.push(lineNo);
      }
    }
    if (stray) strayLines++;
    return open;
  }
  if (cur !== null) close(cur, null);
  return { blocks, strayLines, brokenMarkers };
}
