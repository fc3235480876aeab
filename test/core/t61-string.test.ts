// A T61String holding bytes 0x80-0x9F (and one above): read as one character per byte wherever the
// core runs. TextDecoder("latin1") is windows-1252 by the Encoding Standard (0x80 -> U+20AC in
// browsers, workerd and Node 24), which agreed with neither tool:
// - Go keeps the bytes (crypto/x509 parser.go parseASN1String, case T61String: string(value)),
//   and kube-apiserver reads the groups from Subject.Organization: test/oracles/x509name gives
//   their bytes in hex.
// - OpenSSL reads each byte as the character of that number (a_strex.c tag2nbyte: 1):
//   `-nameopt RFC2253` escapes each character above 0x7F as its UTF-8 bytes (\C2\80 for U+0080),
//   and `RFC2253,-esc_msb` prints the characters.
// Under CI=true a missing go or openssl fails the test.
import { describe, expect, it } from "vitest";
import { concatBytes, encodeTlv } from "../../src/core/encoding/der.ts";
import { latin1 } from "../../src/core/encoding/latin1.ts";
import { parseCertificate } from "../../src/core/x509/cert.ts";
import { attributeValues, parseNameDer } from "../../src/core/x509/names.ts";
import { runGoOracle } from "./helpers/go-oracle.ts";
import { HAVE_OPENSSL, MUST_HAVE_TOOLS, openssl } from "./helpers/oracles.ts";

if (!HAVE_OPENSSL && MUST_HAVE_TOOLS) throw new Error("openssl is required under CI=true (t61-string.test.ts)");

const BYTES = [0x63, 0x80, 0x81, 0x8d, 0x9f, 0xa0, 0xe9]; // "c", 0x80 (windows-1252: €), 0x81 and 0x8D (unassigned there), 0x9F (Ÿ), NBSP, é
const te = new TextEncoder();
const oid = (dotted: string) => {
  const p = dotted.split(".").map(Number);
  return encodeTlv(0x06, new Uint8Array([40 * p[0]! + p[1]!, ...p.slice(2)]));
};
const atv = (o: string, value: Uint8Array) => encodeTlv(0x31, encodeTlv(0x30, concatBytes(oid(o), value)));
const str = (tag: number, s: string) => encodeTlv(tag, te.encode(s));
const subject = encodeTlv(0x30, concatBytes(atv("2.5.4.10", encodeTlv(0x14, new Uint8Array(BYTES))), atv("2.5.4.3", str(0x0c, "t61"))));

async function certificate(): Promise<Uint8Array> {
  const kp = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", kp.publicKey));
  const alg = encodeTlv(0x30, encodeTlv(0x06, new Uint8Array([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02])));
  const validity = encodeTlv(0x30, concatBytes(str(0x17, "260101000000Z"), str(0x17, "270101000000Z")));
  const version = encodeTlv(0xa0, encodeTlv(0x02, new Uint8Array([2])));
  const tbs = encodeTlv(0x30, concatBytes(version, encodeTlv(0x02, new Uint8Array([1])), alg, subject, validity, subject, spki));
  const sig = encodeTlv(0x30, concatBytes(encodeTlv(0x02, new Uint8Array([1])), encodeTlv(0x02, new Uint8Array([1]))));
  return encodeTlv(0x30, concatBytes(tbs, alg, encodeTlv(0x03, concatBytes(new Uint8Array([0]), sig))));
}
const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));
const hex = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const codes = (s: string) => Array.from(s, (ch) => ch.codePointAt(0)!);

describe("T61String bytes 0x80-0x9F", () => {
  it("latin1() gives one character per byte, U+0000-U+00FF, short, long and past one chunk", () => {
    const all = Uint8Array.from({ length: 10_000 }, (_, i) => i & 0xff);
    expect(codes(latin1(all))).toEqual(Array.from(all));
    for (let n = 0; n <= 40; n++) expect(codes(latin1(all.subarray(120, 120 + n)))).toEqual(Array.from(all.subarray(120, 120 + n)));
  });

  it("the O value carries Go's bytes (x509name oracle) as its characters", async (ctx) => {
    const der = await certificate();
    const go = runGoOracle<{ organizationHex: string[]; error?: string }[]>("x509name", [Buffer.from(der).toString("base64")]);
    if (!go) return ctx.skip();
    expect(go[0]!.error).toBeUndefined();
    const o = attributeValues(parseNameDer(subject), "2.5.4.10");
    expect(o.map((v) => hex(codes(v)))).toEqual(go[0]!.organizationHex);
  });

  it.skipIf(!HAVE_OPENSSL)("the subject is what openssl prints, escaped (RFC2253) and as characters (RFC2253,-esc_msb)", async () => {
    const der = await certificate();
    const c = await parseCertificate(der, digest);
    const printed = (opt: string) => openssl(der, ["x509", "-noout", "-subject", "-nameopt", opt]).out.trim();
    expect(`subject=${c.subject}`).toBe(printed("RFC2253,-esc_msb"));
    const escaped = c.subject.replace(/[\u0080-\uffff]/g, (ch) =>
      Array.from(te.encode(ch), (b) => `\\${b.toString(16).toUpperCase()}`).join(""),
    );
    expect(`subject=${escaped}`).toBe(printed("RFC2253"));
    const o = attributeValues(parseNameDer(subject), "2.5.4.10")[0]!;
    expect(codes(o)).toEqual(BYTES);
  });
});
