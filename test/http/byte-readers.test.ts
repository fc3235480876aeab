// Inside workerd, where TextDecoder("latin1") is windows-1252 (the Encoding Standard): the
// core's byte readers give what the platform's own references give. atob (WHATWG forgiving-base64 decode)
// for PEM bodies, unused bits of a padded last group ignored as atob ignores them; two lowercase
// hex digits per byte (Number.prototype.toString(16)) for ids and fingerprints; one character
// per byte for a T61String, as Go keeps its bytes (crypto/x509 parser.go parseASN1String).
import { describe, expect, it } from "vitest";
import { concatBytes, encodeTlv, toHex, toHexLoop } from "../../src/core/encoding/der.ts";
import { decodeCleanBase64 } from "../../src/core/encoding/pem.ts";
import { attributeValues, parseNameDer } from "../../src/core/x509/names.ts";

let seed = 7;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};
const bytes = (n: number) => Uint8Array.from({ length: n }, () => rnd(256));
const atobBytes = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
const refHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

describe("byte readers inside workerd", () => {
  it("decodeCleanBase64 reads clean padded bodies to atob's bytes, unused bits of the last group too", { timeout: 30_000 }, () => {
    for (let i = 0; i < 600; i++) {
      let s = btoa(String.fromCharCode(...bytes(1 + rnd(1500))));
      // Flip the unused low bits of the last group's final sextet (atob ignores them).
      if (s.endsWith("=") && rnd(2)) {
        const at = s.length - (s.endsWith("==") ? 3 : 2);
        s = s.slice(0, at) + ALPHABET[(ALPHABET.indexOf(s[at]!) | rnd(16)) & 63]! + s.slice(at + 1);
      }
      const got = decodeCleanBase64(s);
      expect(got && refHex(got)).toBe(refHex(atobBytes(s)));
    }
  });

  it("decodeCleanBase64 leaves to the general path what is not clean (whitespace, inner '=', other characters)", () => {
    for (const s of ["AAAA AAA", "AAAA\nAAA", "AA=AAAAA", "AAAAA===", "AAA-AAAA", "AAAAAAA\u00e9", "A===", "===="])
      expect(decodeCleanBase64(s)).toBeNull();
  });

  it("toHex is two lowercase digits per byte, on views too (the native toHex here, and the loop)", () => {
    // workerd has Uint8Array.prototype.toHex, so toHex is the native one, not the JavaScript loop.
    expect(toHex).not.toBe(toHexLoop);
    for (let i = 0; i < 500; i++) {
      const b = bytes(rnd(80));
      const view = b.subarray(rnd(b.length + 1));
      expect(toHex(view)).toBe(refHex(view));
      expect(toHexLoop(view)).toBe(refHex(view));
    }
  });

  it("a T61String's bytes 0x80-0x9F are one character each (not windows-1252)", () => {
    const oid = encodeTlv(0x06, new Uint8Array([0x55, 0x04, 0x0a]));
    const raw = [0x63, 0x80, 0x81, 0x8d, 0x9f, 0xa0, 0xe9];
    const name = encodeTlv(0x30, encodeTlv(0x31, encodeTlv(0x30, concatBytes(oid, encodeTlv(0x14, new Uint8Array(raw))))));
    const [o] = attributeValues(parseNameDer(name), "2.5.4.10");
    expect(Array.from(o!, (ch) => ch.charCodeAt(0))).toEqual(raw);
    expect(new TextDecoder("latin1").decode(new Uint8Array([0x80]))).toBe("\u20ac"); // why latin1.ts exists
  });
});
