// Public keys as values, for matching a private key to a certificate the way Go's
// crypto/tls X509KeyPair does (crypto/tls/tls.go): compare the key, not its encoding. RSA by
// modulus and exponent, EC by curve and point (x, and y or its parity for a compressed point),
// Ed25519 by its 32 bytes. Two SPKIs that encode one key differently (RSA parameters absent or
// NULL, an EC point compressed or not) hold the same key.
import { base64UrlBytes as b64url } from "../encoding/base64url.ts";
import { children, contentOf, DerError, readTlv, toHex } from "../encoding/der.ts";
import type { Cert } from "../x509/cert.ts";
import { OID } from "../x509/oids.ts";
import { goCertificateRefusal } from "./go-keypair.ts";

export type PublicKeyValue =
  | { kind: "RSA"; n: string; e: string }
  | { kind: "EC"; curve: string; x: string; y: string | null; yOdd: boolean }
  | { kind: "Ed25519"; key: string };

const CURVES: Record<string, { name: string; size: number }> = {
  [OID.p256]: { name: "P-256", size: 32 },
  [OID.p384]: { name: "P-384", size: 48 },
  [OID.p521]: { name: "P-521", size: 66 },
};

/** An unsigned big-endian integer as hex without leading zeros ("0" for zero). */
function intHex(b: Uint8Array): string {
  return toHex(b).replace(/^(00)+/, "") || "0";
}

/** The certificate's public key as a value; null when it is of a kind not compared here or unreadable. */
export function certPublicKey(cert: Cert): PublicKeyValue | null {
  try {
    const spki = cert.frame.spki;
    const [algT, bitsT] = children(spki, readTlv(spki, 0));
    if (!algT || !bitsT || bitsT.tag !== 0x03) return null;
    const bits = contentOf(spki, bitsT);
    if (bits[0] !== 0) return null;
    const key = bits.subarray(1);
    const { oid, curveOid } = cert.spkiAlgorithm;
    if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
      const [nT, eT] = children(key, readTlv(key, 0));
      if (!nT || !eT || nT.tag !== 0x02 || eT.tag !== 0x02) return null;
      return { kind: "RSA", n: intHex(contentOf(key, nT)), e: intHex(contentOf(key, eT)) };
    }
    if (oid === OID.ecPublicKey) {
      const curve = curveOid ? CURVES[curveOid] : undefined;
      if (!curve) return null;
      const form = key[0];
      if ((form === 0x02 || form === 0x03) && key.length === 1 + curve.size)
        return { kind: "EC", curve: curve.name, x: intHex(key.subarray(1)), y: null, yOdd: form === 0x03 };
      if ((form === 0x04 || form === 0x06 || form === 0x07) && key.length === 1 + 2 * curve.size) {
        const y = key.subarray(1 + curve.size);
        return {
          kind: "EC",
          curve: curve.name,
          x: intHex(key.subarray(1, 1 + curve.size)),
          y: intHex(y),
          yOdd: (y[y.length - 1]! & 1) === 1,
        };
      }
      return null;
    }
    if (oid === OID.ed25519) return key.length === 32 ? { kind: "Ed25519", key: toHex(key) } : null;
    return null;
  } catch (e) {
    if (e instanceof DerError) return null;
    throw e;
  }
}

/** The public half of a private key, from the public JWK members WebCrypto exported. */
export function jwkPublicKey(jwk: Record<string, string>): PublicKeyValue | null {
  if (jwk.kty === "RSA" && jwk.n && jwk.e) return { kind: "RSA", n: intHex(b64url(jwk.n)), e: intHex(b64url(jwk.e)) };
  if (jwk.kty === "EC" && jwk.crv && jwk.x && jwk.y) {
    const y = b64url(jwk.y);
    return { kind: "EC", curve: jwk.crv, x: intHex(b64url(jwk.x)), y: intHex(y), yOdd: (y[y.length - 1]! & 1) === 1 };
  }
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && jwk.x) return { kind: "Ed25519", key: toHex(b64url(jwk.x)) };
  return null;
}

/** Same key? (For EC, a compressed point matches by x and the parity of y.) */
export function samePublicKey(a: PublicKeyValue, b: PublicKeyValue): boolean {
  if (a.kind === "RSA" && b.kind === "RSA") return a.n === b.n && a.e === b.e;
  if (a.kind === "EC" && b.kind === "EC") {
    if (a.curve !== b.curve || a.x !== b.x) return false;
    return a.y !== null && b.y !== null ? a.y === b.y : a.yOdd === b.yOdd;
  }
  if (a.kind === "Ed25519" && b.kind === "Ed25519") return a.key === b.key;
  return false;
}

/**
 * Why Go cannot load this certificate as a client certificate even with its own key: crypto/tls
 * X509KeyPair parses it with x509.ParseCertificate, whose parsePublicKey (crypto/x509/parser.go)
 * refuses RSA parameters other than NULL, EC parameters that are not a named curve it knows, EC
 * points that elliptic.Unmarshal does not read (only the uncompressed form), and Ed25519
 * parameters; any other key (RSA-PSS, Ed448, DSA) is an unknown algorithm to it (X509KeyPair:
 * "tls: unknown public key algorithm"). Go's error text, or null (keys/go-keypair.ts).
 */
export function goKeyPairRefusal(cert: Cert): string | null {
  return goCertificateRefusal(cert)?.error ?? null;
}
