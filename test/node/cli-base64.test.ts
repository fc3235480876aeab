// src/cli/base64.ts: with Node's decoder installed (setCleanBase64Decoder), core's
// decodeCleanBase64 must read exactly the texts its own loop reads, to the same bytes. The
// oracle for the loop is test/core/base64-decode.test.ts (Go's StdEncoding and atob); here the
// two paths are compared on random texts over the base64 alphabet, "=", and characters outside
// it, and on the kubeconfig fixtures' *-data fields and PEM bodies.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { nodeCleanBase64 } from "../../src/cli/base64.ts";
import { decodeCleanBase64, setCleanBase64Decoder } from "../../src/core/encoding/pem.ts";
import { FIX } from "../cli/helpers.ts";

const both = (s: string) => {
  setCleanBase64Decoder(null);
  const loop = decodeCleanBase64(s);
  setCleanBase64Decoder(nodeCleanBase64);
  const node = decodeCleanBase64(s);
  setCleanBase64Decoder(null);
  return { loop, node };
};

afterEach(() => setCleanBase64Decoder(null));

describe("decodeCleanBase64 with Node's decoder (the CLI) reads what core's loop reads", () => {
  it("on random texts: the same null or the same bytes", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char = fc.oneof(
      { weight: 30, arbitrary: fc.constantFrom(...alphabet) },
      { weight: 2, arbitrary: fc.constantFrom("=", "-", "_", " ", "\n", "\u00e9", "\u0100", "\uff21", "\0") },
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), fc.nat(3), (cs, padTo) => {
        let s = cs.join("");
        // Most texts a multiple of four long, some ending in one or two "=".
        if (padTo) s = s.slice(0, s.length - (s.length % 4)) + "A=".repeat(padTo === 3 ? 1 : 0) + (padTo === 2 ? "==" : "");
        const { loop, node } = both(s);
        expect(node).toEqual(loop);
      }),
      { numRuns: 20_000 },
    );
  });

  it("on the bytes of every length, encoded (non-zero unused bits of the last character included)", () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 151 + n) & 255);
      const s = btoa(String.fromCharCode(...bytes));
      const { loop, node } = both(s);
      expect(node).toEqual(n === 0 ? null : bytes);
      expect(loop).toEqual(node);
    }
    for (const s of ["QR==", "QUJ=", "QUJD", "Q===", "====", "QQ=A", "QQ==QQ==", "QUJDRA", "QU JD"]) {
      const { loop, node } = both(s);
      expect(node, s).toEqual(loop);
    }
  });

  it("on every *-data field and PEM body of the fixtures", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
    let decoded = 0;
    for (const f of files(FIX)) {
      const text = readFileSync(f, "latin1");
      const values = [...text.matchAll(/-data: ?(\S+)/g)].map((m) => m[1]!);
      for (const m of text.matchAll(/-----BEGIN [A-Z ]+-----\r?\n([\s\S]*?)-----END/g)) values.push(m[1]!.replace(/\s+/g, ""));
      for (const v of values) {
        const { loop, node } = both(v);
        expect(node, f).toEqual(loop);
        if (loop) decoded++;
      }
    }
    expect(decoded).toBeGreaterThan(200);
  });

  it("a returned array is its own (not a view of Node's shared Buffer pool)", () => {
    setCleanBase64Decoder(nodeCleanBase64);
    const out = decodeCleanBase64("QUJD")!;
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(3);
  });
});
