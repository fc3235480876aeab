// The common PEM block body read in one pass over the text, without splitting it into lines:
// what scanPem's line-by-line reading (encoding/pem.ts) gives for the same lines, or null when
// the body has any other shape (the caller then reads it line by line, as before). Where the
// platform has Uint8Array.fromBase64 (TC39; workerd, current browsers; not Node 24), it decodes
// the body after one regular expression checked its shape, else a JavaScript loop does both.
// test/core/pem-body.test.ts (Node: the loop) and test/http/pem-body.test.ts (workerd: both)
// compare the readings on the fixtures, the trust store and edited copies of its blocks.
import { SEXTET } from "./base64-sextet.ts";

type FromBase64 = (s: string) => Uint8Array;
const fromBase64 = (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64?.bind(Uint8Array);
/** True where the platform decodes base64 natively (then readCleanBody uses it by default). */
export const NATIVE_BASE64 = typeof fromBase64 === "function";

/**
 * Body lines of the alphabet and "=", each ending in CRs and a newline. Their length is checked
 * before: a counted repetition ({1,256}) made the expression several times slower in workerd.
 */
const BODY_LINES = /(?:[A-Za-z0-9+/=]+\r*\n)+/y;

/** The longest body line read here; scanPem's per-line shortcut takes the same (encoding/pem.ts). */
const MAX_LINE = 256;

/** Decoded bytes are written here first, then copied out at their exact length. */
let scratch = new Uint8Array(4096);

export interface CleanBody {
  der: Uint8Array;
  /** Text lines read: the body's and the END line. */
  lines: number;
  /** Position after the END line's newline (the text's length + 1 when the text ends there). */
  next: number;
}

/**
 * Reads, from `pos` (the start of the line after a BEGIN line that stands alone), one or more
 * lines of 1–256 base64 characters ("=" included), each ending in optional CRs and a newline,
 * then the line `-----END <label>-----` with optional CRs, ending in a newline or the text.
 * The body joined must be what decodeCleanBase64 reads (a multiple of four characters, "=" only
 * as one or two at the end): those are the lines scanPem takes as body one by one, and the END
 * line it closes the block with, without a mark. Anything else returns null.
 */
export function readCleanBody(text: string, pos: number, label: string, native = NATIVE_BASE64): CleanBody | null {
  return native ? readNative(text, pos, label) : readLoop(text, pos, label);
}

/** The END line at `j`, alone (CRs allowed): the position after it, or -1. */
function afterEnd(text: string, j: number, label: string): number {
  const end = `-----END ${label}-----`;
  if (!text.startsWith(end, j)) return -1;
  let m = j + end.length;
  while (m < text.length && text.charCodeAt(m) === 13) m++;
  return m < text.length && text.charCodeAt(m) !== 10 ? -1 : m + 1;
}

function readNative(text: string, pos: number, label: string): CleanBody | null {
  // Lines of 1–256 characters before their CRs, up to one that starts with "-" (the END line):
  // a long line (a crafted 216 KB body on one line) is refused here, after one native search.
  let lines = 1;
  let j = pos;
  for (;;) {
    const nl = text.indexOf("\n", j);
    if (nl < 0) return null;
    let e = nl;
    while (e > j && text.charCodeAt(e - 1) === 13) e--;
    if (e === j || e - j > MAX_LINE) return null;
    lines++;
    j = nl + 1;
    if (text.charCodeAt(j) === 45) break;
  }
  BODY_LINES.lastIndex = pos;
  if (!BODY_LINES.test(text) || BODY_LINES.lastIndex !== j) return null;
  const next = afterEnd(text, j, label);
  if (next < 0) return null;
  // fromBase64 (lastChunkHandling "loose") skips the CRs and newlines, refuses anything after
  // "=" padding and a padded group of fewer than four; it also reads an unpadded last group of
  // two or three characters, which Go refuses: unless the body ends in "=", the bytes must be a
  // multiple of 3 (a multiple of four characters). Unused bits of the last group are ignored, as Go does.
  let der: Uint8Array;
  try {
    der = fromBase64!(text.slice(pos, j));
  } catch {
    return null;
  }
  let last = j - 1;
  while (text.charCodeAt(last - 1) === 13) last--;
  if ((der.length % 3 !== 0 && text.charCodeAt(last - 1) !== 61) || der.length === 0) return null;
  return { der, lines, next };
}

function readLoop(text: string, pos: number, label: string): CleanBody | null {
  const len = text.length;
  let j = pos;
  let lineLen = 0;
  let lines = 0;
  let acc = 0;
  let k = 0;
  let o = 0;
  let eq = 0;
  for (;;) {
    if (j >= len) return null;
    const c = text.charCodeAt(j);
    const v = c < 128 ? SEXTET[c]! : 255;
    if (v < 64) {
      if (eq !== 0) return null;
      acc = (acc << 6) | v;
      if (++k === 4) {
        if (o + 3 > scratch.length) {
          const grown = new Uint8Array(scratch.length * 2);
          grown.set(scratch);
          scratch = grown;
        }
        scratch[o++] = acc >> 16;
        scratch[o++] = (acc >> 8) & 255;
        scratch[o++] = acc & 255;
        acc = 0;
        k = 0;
      }
      if (++lineLen > MAX_LINE) return null;
      j++;
      continue;
    }
    if (v === 64) {
      if (++eq > 2 || ++lineLen > MAX_LINE) return null;
      j++;
      continue;
    }
    let m = j;
    while (m < len && text.charCodeAt(m) === 13) m++;
    if (m >= len || text.charCodeAt(m) !== 10 || lineLen === 0 || lineLen > MAX_LINE) return null;
    lines++;
    lineLen = 0;
    j = m + 1;
    if (j < len && text.charCodeAt(j) === 45) break;
  }
  // The body joined: 4n characters, with one "=" after three or two after two of the last four.
  if (!((k === 0 && eq === 0) || (k === 3 && eq === 1) || (k === 2 && eq === 2))) return null;
  const next = afterEnd(text, j, label);
  if (next < 0) return null;
  const extra = k === 3 ? 2 : k === 2 ? 1 : 0;
  const der = new Uint8Array(o + extra);
  der.set(scratch.subarray(0, o));
  if (k === 3) {
    der[o] = (acc >> 10) & 255;
    der[o + 1] = (acc >> 2) & 255;
  } else if (k === 2) der[o] = (acc >> 4) & 255;
  return { der, lines: lines + 1, next };
}
