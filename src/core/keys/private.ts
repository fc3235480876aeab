// Private keys: recognised in PKCS#1, SEC1 and PKCS#8 form (RSA, EC, Ed25519), matched
// against a certificate's public key with WebCrypto, and never returned: the only thing that
// leaves this module is the fingerprint of the public half.
import { children, concatBytes, contentOf, decodeOid, encodeTlv, readTlv } from "../encoding/der.ts";
import type { PemBlock } from "../encoding/pem.ts";
import type { Cert } from "../x509/cert.ts";
import { OID } from "../x509/oids.ts";
import { keyFingerprint, oidBytes } from "./canonical.ts";
import { certPublicKey, jwkPublicKey, samePublicKey } from "./public.ts";
import { spkiFromJwk } from "./spki.ts";

export type KeyFormat = "pkcs1" | "sec1" | "pkcs8" | "encrypted-pkcs8" | "encrypted-legacy";

export interface PrivateKeyInfo {
  format: KeyFormat;
  algorithm: "RSA" | "EC" | "Ed25519" | "Ed448" | "unknown";
  curve?: string;
  encrypted: boolean;
  /** sha256 of the public key's canonical SubjectPublicKeyInfo (keys/canonical.ts), hex; null when it could not be derived. */
  publicKeyFingerprint: string | null;
  /** Why the key could not be used, in words (never including key bytes). */
  problem?: string;
}

/** The key's material, kept inside the core only while an audit runs. */
export interface PrivateKey {
  info: PrivateKeyInfo;
  /** Public JWK members that identify the key (n/e, crv/x/y, crv/x). */
  publicJwk: Record<string, string> | null;
}

const CURVE_BY_OID: Record<string, string> = { [OID.p256]: "P-256", [OID.p384]: "P-384", [OID.p521]: "P-521" };
const RSA_ALG = encodeTlv(0x30, new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]));
const EC_OID_DER = new Uint8Array([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]);
const VERSION0 = new Uint8Array([0x02, 0x01, 0x00]);

function pkcs8(algId: Uint8Array, inner: Uint8Array): Uint8Array {
  return encodeTlv(0x30, concatBytes(VERSION0, algId, encodeTlv(0x04, inner)));
}

/** Reads the algorithm of a PKCS#8 PrivateKeyInfo. */
function pkcs8Algorithm(der: Uint8Array): { oid: string; curveOid?: string } {
  const seq = readTlv(der, 0);
  const [, algT] = children(der, seq);
  if (algT?.tag !== 0x30) throw new Error("bad PKCS#8");
  const [oidT, paramT] = children(der, algT);
  if (oidT?.tag !== 0x06) throw new Error("bad PKCS#8 algorithm");
  const oid = decodeOid(contentOf(der, oidT));
  return paramT?.tag === 0x06 ? { oid, curveOid: decodeOid(contentOf(der, paramT)) } : { oid };
}

function sec1Curve(der: Uint8Array): string | undefined {
  const seq = readTlv(der, 0);
  for (const f of children(der, seq)) {
    if (f.tag === 0xa0) {
      const oidT = readTlv(der, f.contentStart, f.end);
      if (oidT.tag === 0x06) return decodeOid(contentOf(der, oidT));
    }
  }
  return undefined;
}

export const PRIVATE_KEY_LABELS = new Set([
  "PRIVATE KEY",
  "RSA PRIVATE KEY",
  "EC PRIVATE KEY",
  "ENCRYPTED PRIVATE KEY",
  "DSA PRIVATE KEY",
  "OPENSSH PRIVATE KEY",
]);

/** Reads one private key PEM block. Never throws; problems are described in `info.problem`. */
export async function readPrivateKey(block: PemBlock, subtle: SubtleCrypto): Promise<PrivateKey> {
  const legacyEncrypted = (block.headers["Proc-Type"] ?? "").includes("ENCRYPTED");
  const base = (format: KeyFormat, algorithm: PrivateKeyInfo["algorithm"], extra: Partial<PrivateKeyInfo> = {}): PrivateKey => ({
    info: { format, algorithm, encrypted: format.startsWith("encrypted"), publicKeyFingerprint: null, ...extra },
    publicJwk: null,
  });
  if (block.label === "ENCRYPTED PRIVATE KEY")
    return base("encrypted-pkcs8", "unknown", { problem: "the key is encrypted with a passphrase" });
  if (legacyEncrypted) {
    const alg = block.label.startsWith("RSA") ? "RSA" : block.label.startsWith("EC") ? "EC" : "unknown";
    return base("encrypted-legacy", alg, { problem: "the key is encrypted with a passphrase (Proc-Type: 4,ENCRYPTED)" });
  }
  if (block.label === "DSA PRIVATE KEY" || block.label === "OPENSSH PRIVATE KEY")
    return base("pkcs8", "unknown", { problem: `${block.label} keys cannot be used by Kubernetes clients` });
  const der = block.der;
  if (!der) return base("pkcs8", "unknown", { problem: "the key block is not valid base64" });
  let p8: Uint8Array;
  let format: KeyFormat;
  let algorithm: PrivateKeyInfo["algorithm"];
  let curve: string | undefined;
  try {
    if (block.label === "RSA PRIVATE KEY") {
      format = "pkcs1";
      algorithm = "RSA";
      p8 = pkcs8(RSA_ALG, der);
    } else if (block.label === "EC PRIVATE KEY") {
      format = "sec1";
      algorithm = "EC";
      const curveOid = sec1Curve(der);
      curve = curveOid ? (CURVE_BY_OID[curveOid] ?? curveOid) : undefined;
      if (!curveOid) return base(format, algorithm, { problem: "the EC key does not name its curve" });
      p8 = pkcs8(encodeTlv(0x30, concatBytes(EC_OID_DER, encodeTlv(0x06, oidBytes(curveOid)))), der);
    } else {
      format = "pkcs8";
      p8 = der;
      const a = pkcs8Algorithm(der);
      if (a.oid === OID.rsaEncryption || a.oid === OID.rsassaPss) algorithm = "RSA";
      else if (a.oid === OID.ecPublicKey) {
        algorithm = "EC";
        curve = a.curveOid ? (CURVE_BY_OID[a.curveOid] ?? a.curveOid) : undefined;
      } else if (a.oid === OID.ed25519) algorithm = "Ed25519";
      else if (a.oid === OID.ed448) algorithm = "Ed448";
      else return base("pkcs8", "unknown", { problem: `unsupported key algorithm ${a.oid}` });
    }
  } catch {
    return base("pkcs8", "unknown", { problem: "the key is not a readable DER structure" });
  }
  const importAlg: RsaHashedImportParams | EcKeyImportParams | Algorithm | null =
    algorithm === "RSA"
      ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
      : algorithm === "EC"
        ? curve?.startsWith("P-")
          ? { name: "ECDSA", namedCurve: curve }
          : null
        : algorithm === "Ed25519"
          ? { name: "Ed25519" }
          : null;
  const extra = curve ? { curve } : {};
  if (!importAlg)
    return base(format, algorithm, {
      ...extra,
      problem: `keys of type ${algorithm}${curve ? ` (${curve})` : ""} cannot be checked with WebCrypto`,
    });
  const pub: Record<string, string> = {};
  try {
    const key = await subtle.importKey("pkcs8", p8 as BufferSource, importAlg, true, ["sign"]);
    const jwk = (await subtle.exportKey("jwk", key)) as JsonWebKey;
    for (const m of ["kty", "n", "e", "crv", "x", "y"] as const) if (typeof jwk[m] === "string") pub[m] = jwk[m] as string;
  } catch {
    return base(format, algorithm, {
      ...extra,
      problem: "WebCrypto could not read the key (damaged, or a form this runtime does not support)",
    });
  }
  // The SPKI is built from the exported members (keys/spki.ts), not by a second import and export.
  const spki = spkiFromJwk(pub);
  if (!spki) throw new Error(`WebCrypto exported a ${pub.kty ?? "?"} ${pub.crv ?? ""} key that spkiFromJwk does not encode`);
  const fp = await keyFingerprint(spki, subtle); // canonical.ts: the key's own SPKI, re-encoded
  return { info: { format, algorithm, ...extra, encrypted: false, publicKeyFingerprint: fp }, publicJwk: pub };
}

/**
 * Does this private key belong to the certificate? Compares the keys themselves, as Go's
 * crypto/tls X509KeyPair does (tls.go: "private key does not match public key"), not SPKI bytes:
 * RSA modulus and exponent, EC curve and point, Ed25519 bytes. null when the key could not be
 * read or the certificate's key is of the same kind but unreadable; false for different kinds
 * (Go: "private key type does not match public key type").
 */
export function keyMatchesCert(key: PrivateKey, cert: Cert): boolean | null {
  const mine = key.publicJwk ? jwkPublicKey(key.publicJwk) : null;
  if (!mine) return null;
  const theirs = certPublicKey(cert);
  if (theirs) return samePublicKey(mine, theirs);
  const certKind = cert.publicKey.algorithm === "RSA-PSS" ? "RSA" : cert.publicKey.algorithm;
  const sameKind = certKind === mine.kind && (mine.kind !== "EC" || cert.publicKey.curve === mine.curve);
  return sameKind ? null : false;
}
