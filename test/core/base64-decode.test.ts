// decodeBase64 (src/core/encoding/pem.ts) decodes in one pass; what it accepts must stay what the
// platform's atob (WHATWG forgiving-base64) accepts once ASCII whitespace is removed, byte for byte.
import { describe, expect, it } from "vitest";
import { goBase64Error } from "../../src/core/encoding/base64-go.ts";
import { base64UrlBytes } from "../../src/core/encoding/base64url.ts";
import { decodeBase64, decodeCleanBase64 } from "../../src/core/encoding/pem.ts";

/** The reference: whitespace out, any other non-base64 character refused, then atob. */
function viaAtob(text: string): Uint8Array | null {
  const clean = text.replace(/[ \t\r\n]/g, "");
  if (/[^A-Za-z0-9+/=]/.test(clean) || clean.length === 0) return null;
  try {
    return Uint8Array.from(atob(clean), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

describe("decodeBase64", () => {
  it("agrees with atob on crafted and random inputs", () => {
    const crafted = [
      "",
      "=",
      "==",
      "A",
      "AA",
      "AAA",
      "AAAA",
      "AA==",
      "AA=",
      "A===",
      "AAA=",
      "AB=A",
      "AAAA====",
      "QUJD\nREVG",
      " Q U J D ",
      "QQ==\r\n",
      "QQ==QQ==",
      "AAAA=",
      "Zm9v\tYmFy",
      "é",
      "AA\u00a0AA",
      "-_",
      "QUJDRA==",
    ];
    let seed = 1;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) / 2 ** 24;
    };
    const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/==== \n\r\t-_.é";
    const random = Array.from({ length: 8000 }, () =>
      Array.from({ length: Math.floor(rnd() * 14) }, () => chars[Math.floor(rnd() * chars.length)]).join(""),
    );
    const valid = Array.from({ length: 2000 }, (_, i) =>
      btoa(String.fromCharCode(...Array.from({ length: i % 50 }, () => Math.floor(rnd() * 256)))),
    );
    for (const s of [...crafted, ...random, ...valid]) expect(decodeBase64(s), JSON.stringify(s)).toEqual(viaAtob(s));
    // The PEM fast path: where it answers, atob reads the same bytes and Go's StdEncoding
    // (goBase64Error, checked against test/oracles/base64-std.go) accepts the text; it answers
    // for every padded base64 text btoa wrote.
    let answered = 0;
    for (const s of [...crafted, ...random, ...valid]) {
      const fast = decodeCleanBase64(s);
      if (fast === null) continue;
      answered++;
      expect(fast, JSON.stringify(s)).toEqual(viaAtob(s));
      expect(goBase64Error(s), JSON.stringify(s)).toBeNull();
    }
    for (const s of valid.filter((v) => v !== "")) expect(decodeCleanBase64(s), s).not.toBeNull();
    expect(answered).toBeGreaterThan(valid.length - 2);
  });
});

describe("base64UrlBytes", () => {
  it("reads unpadded base64url (JWK members) as Node's base64url decoder does", () => {
    let seed = 3;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) / 2 ** 24;
    };
    for (let n = 0; n < 600; n++) {
      const bytes = Uint8Array.from({ length: n % 300 }, () => Math.floor(rnd() * 256));
      const text = Buffer.from(bytes).toString("base64url");
      expect(base64UrlBytes(text), text).toEqual(new Uint8Array(Buffer.from(text, "base64url")));
    }
    for (const bad of ["a b", "a", "a=b", "é"]) expect(() => base64UrlBytes(bad), bad).toThrow();
  });
});
