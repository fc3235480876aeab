// The fingerprint of a public key that does not depend on how a certificate happens to encode it
// (issue 12: keys that stay home are sent as this fingerprint). It is the SHA-256 of the key's
// canonical DER SubjectPublicKeyInfo, rebuilt from the key's values alone:
//   RSA (rsaEncryption or id-RSASSA-PSS):  SEQUENCE { SEQUENCE { rsaEncryption, NULL },
//                                           BIT STRING { SEQUENCE { INTEGER n, INTEGER e } } }   (RFC 8017 A.1.1, RFC 3279 2.3.1)
//   EC on P-256/P-384/P-521 (named, or explicit parameters equal to one of them):
//                                           SEQUENCE { SEQUENCE { id-ecPublicKey, namedCurve OID },
//                                           BIT STRING { 04 || X || Y } }, X and Y padded to the field size
//                                           (RFC 5480 2.1.1 and 2.2; SEC 1 2.3.3; a compressed point decompressed)
//   Ed25519:                               SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING { the 32 bytes } }  (RFC 8410 4)
// with minimal DER integers. For a key encoded the usual way this is byte for byte the SPKI, so
// the fingerprint is what `openssl pkey -pubout -outform DER | sha256sum` prints, and what every
// earlier client sent (they hashed WebCrypto's SPKI export, which is this form).
import { bytesEqual, children, concatBytes, contentOf, decodeOid, DerError, encodeTlv, readTlv, toHex } from "../encoding/der.ts";
import { OID } from "../x509/oids.ts";
import { bigOf, NIST_CURVES } from "./ec-point.ts";

const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
const bytesOf = (n: bigint, size: number) => fromHex(n.toString(16).padStart(size * 2, "0"));

/** The curves a canonical EC key is on (a = p - 3; the square root below needs p = 3 mod 4, so not P-224). */
const CURVES = [OID.p256, OID.p384, OID.p521].map((oid) => {
  const c = NIST_CURVES[oid]!;
  return { oid, size: c.size, P: c.p, B: c.b, N: c.n };
});
type Curve = (typeof CURVES)[number];

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n;
  let b = base % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
  }
  return r;
}

/** The named curve whose parameters an explicit ECParameters (RFC 3279 2.3.5) spells out; undefined for another curve. */
function explicitCurve(der: Uint8Array, params: ReturnType<typeof readTlv>): Curve | undefined {
  const [version, fieldId, curve, , order] = children(der, params);
  if (version?.tag !== 0x02 || fieldId?.tag !== 0x30 || curve?.tag !== 0x30 || order?.tag !== 0x02) return undefined;
  const [fieldType, prime] = children(der, fieldId);
  if (fieldType?.tag !== 0x06 || decodeOid(contentOf(der, fieldType)) !== "1.2.840.10045.1.1" || prime?.tag !== 0x02) return undefined;
  const [a, b] = children(der, curve);
  if (a?.tag !== 0x04 || b?.tag !== 0x04) return undefined;
  const P = bigOf(contentOf(der, prime));
  return CURVES.find(
    (c) => c.P === P && bigOf(contentOf(der, a)) === P - 3n && bigOf(contentOf(der, b)) === c.B && bigOf(contentOf(der, order)) === c.N,
  );
}

/** An EC point as 04 || X || Y: uncompressed as is, compressed decompressed (p = 3 mod 4 for these curves); null when not on the curve's form. */
function uncompressed(point: Uint8Array, c: Curve): Uint8Array | null {
  if (point[0] === 0x04 && point.length === 1 + 2 * c.size) return point;
  if ((point[0] !== 0x02 && point[0] !== 0x03) || point.length !== 1 + c.size) return null;
  const x = bigOf(point.subarray(1));
  if (x >= c.P) return null;
  const rhs = (((x * x * x - 3n * x + c.B) % c.P) + c.P) % c.P;
  let y = modPow(rhs, (c.P + 1n) / 4n, c.P);
  if ((y * y) % c.P !== rhs) return null; // not on the curve
  if ((y & 1n) !== BigInt(point[0] & 1)) y = c.P - y;
  return concatBytes(new Uint8Array([0x04]), bytesOf(x, c.size), bytesOf(y, c.size));
}

const ALG_RSA = encodeTlv(0x30, concatBytes(fromHex("06092a864886f70d010101"), fromHex("0500")));
const ALG_EC = fromHex("06072a8648ce3d0201");
const ALG_ED25519 = encodeTlv(0x30, fromHex("06032b6570"));

/** A minimal DER INTEGER of unsigned big-endian bytes. */
function integer(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return encodeTlv(0x02, v[0]! & 0x80 ? concatBytes(new Uint8Array([0]), v) : v);
}

const spkiOf = (alg: Uint8Array, key: Uint8Array) =>
  encodeTlv(0x30, concatBytes(alg, encodeTlv(0x03, concatBytes(new Uint8Array([0]), key))));

/** The canonical SubjectPublicKeyInfo of a DER SPKI (see the top of this file); null for a key of another kind or unreadable. */
export function canonicalSpki(spki: Uint8Array): Uint8Array | null {
  try {
    const [algT, bitsT] = children(spki, readTlv(spki, 0));
    if (algT?.tag !== 0x30 || bitsT?.tag !== 0x03) return null;
    const bits = contentOf(spki, bitsT);
    if (bits[0] !== 0) return null;
    const key = bits.subarray(1);
    const [oidT, paramsT] = children(spki, algT);
    if (oidT?.tag !== 0x06) return null;
    const oid = decodeOid(contentOf(spki, oidT));
    if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
      const [n, e] = children(key, readTlv(key, 0));
      if (n?.tag !== 0x02 || e?.tag !== 0x02) return null;
      return spkiOf(ALG_RSA, encodeTlv(0x30, concatBytes(integer(contentOf(key, n)), integer(contentOf(key, e)))));
    }
    if (oid === OID.ecPublicKey && paramsT) {
      const curve =
        paramsT.tag === 0x06
          ? CURVES.find((c) => c.oid === decodeOid(contentOf(spki, paramsT)))
          : paramsT.tag === 0x30
            ? explicitCurve(spki, paramsT)
            : undefined;
      const point = curve ? uncompressed(key, curve) : null;
      if (!curve || !point) return null;
      const alg = encodeTlv(0x30, concatBytes(ALG_EC, encodeTlv(0x06, oidBytes(curve.oid))));
      return spkiOf(alg, point);
    }
    if (oid === OID.ed25519 && key.length === 32) return spkiOf(ALG_ED25519, key);
    return null;
  } catch (e) {
    if (e instanceof DerError) return null;
    throw e;
  }
}

/** The DER content bytes of a dotted OID. */
export function oidBytes(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const out: number[] = [a! * 40 + b!];
  for (const n of rest) {
    const part: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) part.unshift((v & 0x7f) | 0x80);
    out.push(...part);
  }
  return new Uint8Array(out);
}

/** SHA-256 (hex) of the canonical SPKI; of the SPKI as given for a key of a kind not canonicalised here (DSA, Ed448, other curves). */
export async function keyFingerprint(spki: Uint8Array, subtle: SubtleCrypto): Promise<string> {
  const bytes = canonicalSpki(spki) ?? spki;
  return toHex(new Uint8Array(await subtle.digest("SHA-256", bytes as BufferSource)));
}

/**
 * keyFingerprint of a certificate's key. `spkiSha256` is the SHA-256 of its SPKI as encoded
 * (Cert.publicKey.fingerprint): it is the answer when the SPKI is canonical already, the usual case.
 */
export async function certKeyFingerprint(spki: Uint8Array, spkiSha256: string, subtle: SubtleCrypto): Promise<string> {
  const canonical = canonicalSpki(spki);
  if (!canonical || bytesEqual(canonical, spki)) return spkiSha256;
  return toHex(new Uint8Array(await subtle.digest("SHA-256", canonical as BufferSource)));
}
