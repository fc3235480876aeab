// The SubjectPublicKeyInfo DER of a public key given as the JWK members WebCrypto exports, built
// here instead of importing the JWK and exporting it as "spki" again (two WebCrypto calls per key
// in a kubeconfig audit). The encodings are those WebCrypto's "spki" export writes (RFC 3279
// rsaEncryption with NULL parameters; RFC 5480 id-ecPublicKey with the named curve and the
// uncompressed point; RFC 8410 id-Ed25519 without parameters): test/node/key-spki.test.ts compares
// them with WebCrypto's export and with `openssl pkey -pubout`.
import { base64UrlBytes as b64url } from "../encoding/base64url.ts";
import { concatBytes, encodeTlv } from "../encoding/der.ts";

const RSA_ALG = Uint8Array.of(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00);
const EC_OID = Uint8Array.of(0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01);
const CURVE_OIDS: Record<string, Uint8Array> = {
  "P-256": Uint8Array.of(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07),
  "P-384": Uint8Array.of(0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22),
  "P-521": Uint8Array.of(0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23),
};
const ED25519_ALG = Uint8Array.of(0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70);

/** A DER INTEGER of an unsigned big-endian value: leading zeros dropped, one added before a high bit. */
function uint(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = bytes.subarray(i);
  return encodeTlv(0x02, v[0]! & 0x80 ? concatBytes(Uint8Array.of(0), v) : v);
}

const bitString = (key: Uint8Array) => encodeTlv(0x03, concatBytes(Uint8Array.of(0), key));

/** The SPKI DER of a public JWK (RSA, EC on P-256/384/521, Ed25519); null for another kind. */
export function spkiFromJwk(jwk: Record<string, string>): Uint8Array | null {
  if (jwk.kty === "RSA" && jwk.n && jwk.e)
    return encodeTlv(0x30, concatBytes(RSA_ALG, bitString(encodeTlv(0x30, concatBytes(uint(b64url(jwk.n)), uint(b64url(jwk.e)))))));
  const curve = jwk.crv ? CURVE_OIDS[jwk.crv] : undefined;
  if (jwk.kty === "EC" && curve && jwk.x && jwk.y)
    return encodeTlv(
      0x30,
      concatBytes(encodeTlv(0x30, concatBytes(EC_OID, curve)), bitString(concatBytes(Uint8Array.of(4), b64url(jwk.x), b64url(jwk.y)))),
    );
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && jwk.x) return encodeTlv(0x30, concatBytes(ED25519_ALG, bitString(b64url(jwk.x))));
  return null;
}
