// Texts on which scanPem's one-pass body reading (src/core/encoding/pem-body.ts) and its
// line-by-line reading must agree: edited copies of a trust store's blocks, with edits near the
// body's edges where the two could part. Shared by test/core/pem-body.test.ts (Node) and
// test/http/pem-body.test.ts (workerd, where Uint8Array.fromBase64 exists).
import { expect } from "vitest";
import { scanPem } from "../../src/core/encoding/pem.ts";
import { readCleanBody } from "../../src/core/encoding/pem-body.ts";

/** Both of scanPem's readings of `text` are equal; returns the scan. */
export function bothReadings(text: string) {
  const fast = scanPem(text);
  expect(fast).toEqual(scanPem(text, { lineByLine: true }));
  return fast;
}

/** After every line start of `text`, the native and the loop readings are equal (both null or the same body). */
export function sameCleanBodies(text: string, label: string): number {
  let read = 0;
  for (let pos = 0; pos <= text.length; pos = text.indexOf("\n", pos) + 1 || text.length + 1) {
    const native = readCleanBody(text, pos, label, true);
    expect(native).toEqual(readCleanBody(text, pos, label, false));
    if (native) read++;
  }
  return read;
}

/** A small deterministic generator (mulberry32), so a failure names its case. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [
  "\r",
  "\r\r",
  "\n",
  "\n\n",
  " ",
  "\t",
  "\f",
  "=",
  "==",
  "=",
  "-",
  "-----",
  ":",
  "é",
  "Ā",
  "\ufeff",
  "A",
  "AAAA",
  "A".repeat(200),
  "\r\n",
  "x: y\n",
];

/** One edit near a block boundary or inside the body. */
function edit(text: string, r: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const at = Math.floor(r() * (text.length + 1));
  switch (Math.floor(r() * 10)) {
    case 0:
      return text.slice(0, at) + pick(INSERTS) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 4));
    case 2: {
      // Join two lines (a body line past 64 characters; past 256 after several joins).
      const nl = text.indexOf("\n", at);
      return nl < 0 ? text : text.slice(0, nl) + text.slice(nl + 1);
    }
    case 3:
      return text.replace(
        /-----END ([A-Z0-9 ]*)-----/,
        pick(["-----END $1-----x", "-----END $1----- ", " -----END $1-----", "-----END X-----", "-----END $1------", "-----END $1-----\r"]),
      );
    case 4:
      return text.slice(0, at);
    case 5:
      return text.replace(
        /=*\n-----END/,
        pick(["\n-----END", "===\n-----END", "=\n-----END", "A=\n-----END", "==\n-----END", "\n=\n-----END"]),
      );
    case 6:
      return text.replace(/\n/g, "\r\n");
    case 7:
      return text.replace(/\n/, pick(["\n\n", "\nProc-Type: 4,ENCRYPTED\n", "\n\r\n", "\n   \n"]));
    case 8: {
      // A character of the body replaced by "=" (padding inside the body).
      const nl = text.indexOf("\n", at);
      return nl < 1 ? text : `${text.slice(0, nl - 1)}=${text.slice(nl)}`;
    }
    default:
      return text.replace(
        /-----BEGIN ([A-Z0-9 ]*)-----/,
        pick(["-----BEGIN $1----- ", "-----BEGIN $1-----MIIB", " -----BEGIN $1-----", "x-----BEGIN $1-----"]),
      );
  }
}

/** `count` texts of three blocks (two from `blocks`, `small` between them), each with 1–3 edits. */
export function* editedTexts(blocks: string[], small: string, count: number, seed: number): Generator<string> {
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    let text = [blocks[Math.floor(r() * blocks.length)]!, small, blocks[Math.floor(r() * blocks.length)]!].join(r() < 0.2 ? "" : "\n");
    for (let n = 1 + Math.floor(r() * 3); n > 0; n--) text = edit(text, r);
    yield text;
  }
}

/** Shapes of body the one-pass reading refuses (the line-by-line path reads them) or reads. */
export function checkShapes(native: boolean) {
  const ascii = (s: string) => new TextEncoder().encode(s);
  expect(readCleanBody("QUJD\nREVG\n-----END X-----\n", 0, "X", native)?.der).toEqual(ascii("ABCDEF"));
  expect(readCleanBody("QUI=\n-----END X-----", 0, "X", native)?.der).toEqual(ascii("AB"));
  expect(readCleanBody("QQ==\r\r\n-----END X-----\r", 0, "X", native)?.der).toEqual(ascii("A"));
  // Unused bits of the last group set (Go's StdEncoding ignores them): QR== is "A" too.
  expect(readCleanBody("QR==\n-----END X-----\n", 0, "X", native)?.der).toEqual(ascii("A"));
  // The END line may end the text: the next position is past its end.
  expect(readCleanBody("QUJD\n-----END X-----", 0, "X", native)?.next).toBe(21);
  for (const bad of [
    "QUJD\n-----END Y-----\n", // another label
    "QUJ\n-----END X-----\n", // not a multiple of four (Go requires padding)
    "QU\n-----END X-----\n",
    "QQ=\n-----END X-----\n", // half the padding
    "QQ==QUJD\n-----END X-----\n", // "=" inside
    "QQ==\nQUJD\n-----END X-----\n",
    "Q===\n-----END X-----\n",
    "QUJD\n\nREVG\n-----END X-----\n", // a blank line
    "QUJD \n-----END X-----\n", // a space
    "QU\tJD\n-----END X-----\n", // a tab
    "QU\rJD\n-----END X-----\n", // a CR inside a line
    "QU\fJD\n-----END X-----\n", // a form feed (fromBase64 skips it, Go does not)
    `${"QUJD".repeat(65)}\n-----END X-----\n`, // a line of 260 characters
    "QUJD\n-----END X----- \n", // text after the END marker
    "QUJD\n -----END X-----\n", // an indented END line
    "QUJD\n", // no END line
    "QU*D\n-----END X-----\n",
  ])
    expect(readCleanBody(bad, 0, "X", native)).toBeNull();
}
