// What Go's crypto/tls X509KeyPair (crypto/tls/tls.go) refuses before it compares a certificate's
// key with a private key, in its order: x509.ParseCertificate of the first certificate
// (crypto/x509/parser.go parsePublicKey), then parsePrivateKey on the first `PRIVATE KEY` block
// (PKCS#1, then PKCS#8, then SEC1), then the certificate key's type (RSA, ECDSA or Ed25519).
// Structural: the reads that decide acceptance, not the arithmetic (a damaged RSA key that passes
// here still fails WebCrypto's import, and the pair is then undecided).
import { children, contentOf, DerError, decodeOid, readTlv, toHex, type Tlv } from "../encoding/der.ts";
import { scanPem } from "../encoding/pem.ts";
import type { Cert } from "../x509/cert.ts";
import { OID } from "../x509/oids.ts";
import { onCurve } from "./ec-point.ts";

/** Go's namedCurveFromOID (crypto/x509/x509.go) and each curve's field size in bytes. */
const GO_CURVES: Record<string, number> = { [OID.p224]: 28, [OID.p256]: 32, [OID.p384]: 48, [OID.p521]: 66 };
const NULL_PARAMS = "0500";
const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const OBJECT_ID = 0x06;
const SEQUENCE = 0x30;

/** AlgorithmIdentifier { rsaEncryption, NULL }, DER, as nearly every RSA SPKI starts after its SEQUENCE header. */
const RSA_NULL_ALGORITHM = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];

/** True when the SPKI's AlgorithmIdentifier is exactly RSA_NULL_ALGORITHM: what Go reads, without framing the SPKI. */
function standardRsaAlgorithm(spki: Uint8Array): boolean {
  const at = spki[1]! & 0x80 ? 2 + (spki[1]! & 0x7f) : 2;
  for (let i = 0; i < RSA_NULL_ALGORITHM.length; i++) if (spki[at + i] !== RSA_NULL_ALGORITHM[i]) return false;
  return true;
}

/** Where X509KeyPair stops on the certificate: while parsing it, or at the key-type switch after the private key is parsed. */
export interface GoCertRefusal {
  stage: "parse" | "type";
  error: string;
}

/** Go's refusal of the certificate's (or a CSR's) public key (parser.go parsePublicKey, tls.go's type switch), or null. */
export function goCertificateRefusal(cert: {
  frame: Pick<Cert["frame"], "spki">;
  spkiAlgorithm: Cert["spkiAlgorithm"];
}): GoCertRefusal | null {
  try {
    const spki = cert.frame.spki;
    if (cert.spkiAlgorithm.oid === OID.rsaEncryption && standardRsaAlgorithm(spki)) return null;
    const [algT, bitsT] = children(spki, readTlv(spki, 0));
    if (!algT || !bitsT) return null;
    const [, paramsT] = children(spki, algT);
    const params = paramsT ? toHex(spki.subarray(paramsT.start, paramsT.end)) : "";
    const key = contentOf(spki, bitsT).subarray(1);
    const parse = (error: string): GoCertRefusal => ({ stage: "parse", error });
    switch (cert.spkiAlgorithm.oid) {
      case OID.rsaEncryption:
        return params === NULL_PARAMS ? null : parse("x509: RSA key missing NULL parameters");
      case OID.ecPublicKey: {
        if (paramsT?.tag !== OBJECT_ID) return parse("x509: invalid ECDSA parameters");
        const curveOid = decodeOid(contentOf(spki, paramsT));
        const size = GO_CURVES[curveOid];
        if (size === undefined) return parse("x509: unsupported elliptic curve");
        // elliptic.Unmarshal reads only the uncompressed form, and only a point on the curve.
        const form = key[0] === 0x04 && key.length === 1 + 2 * size;
        return form && onCurve(curveOid, key) !== false ? null : parse("x509: failed to unmarshal elliptic curve point");
      }
      case OID.ed25519:
        if (params !== "") return parse("x509: Ed25519 key encoded with illegal parameters");
        return key.length === 32 ? null : parse("x509: wrong Ed25519 public key size");
      default:
        // RSASSA-PSS, Ed448, DSA and the rest parse (as an unknown or a DSA key) but are no key X509KeyPair can use.
        return { stage: "type", error: "tls: unknown public key algorithm" };
    }
  } catch (e) {
    if (e instanceof DerError) return null;
    throw e;
  }
}

function integerValue(der: Uint8Array, t: Tlv | undefined): number | null {
  if (t?.tag !== INTEGER) return null;
  const c = contentOf(der, t);
  return c.length === 1 ? c[0]! : null;
}

/** x509.ParsePKCS1PrivateKey: version 0 or 1 and at least n, e, d, p, q, dp, dq, qinv. */
function pkcs1(der: Uint8Array): boolean {
  const kids = children(der, readTlv(der, 0));
  const v = integerValue(der, kids[0]);
  return (v === 0 || v === 1) && kids.length >= 9 && kids.slice(0, 9).every((k) => k.tag === INTEGER);
}

/** x509.ParseECPrivateKey / parseECPrivateKey: version 1, a private key, and a curve Go knows (from PKCS#8's parameters or the key's own [0]). */
function sec1(der: Uint8Array, outerCurve: string | null): boolean {
  const top = readTlv(der, 0);
  if (top.tag !== SEQUENCE) return false;
  const kids = children(der, top);
  if (integerValue(der, kids[0]) !== 1 || kids[1]?.tag !== OCTET_STRING) return false;
  const params = kids.find((k) => k.tag === 0xa0);
  let own: string | null = null;
  if (params) {
    const inner = readTlv(der, params.contentStart, params.end);
    // explicit parameters (a SEQUENCE) do not unmarshal into the ObjectIdentifier field.
    if (inner.tag !== OBJECT_ID) return false;
    own = decodeOid(contentOf(der, inner));
  }
  const curve = outerCurve ?? own;
  return curve !== null && curve in GO_CURVES;
}

/** x509.ParsePKCS8PrivateKey: RSA (rsaEncryption only), ECDSA on a named curve, Ed25519. */
function pkcs8(der: Uint8Array): boolean {
  const top = readTlv(der, 0);
  if (top.tag !== SEQUENCE) return false;
  const [version, alg, key] = children(der, top);
  if (version?.tag !== INTEGER || alg?.tag !== SEQUENCE || key?.tag !== OCTET_STRING) return false;
  const [oidT, paramsT] = children(der, alg);
  if (oidT?.tag !== OBJECT_ID) return false;
  const inner = contentOf(der, key);
  switch (decodeOid(contentOf(der, oidT))) {
    case OID.rsaEncryption:
      return pkcs1(inner);
    case OID.ecPublicKey:
      return sec1(inner, paramsT?.tag === OBJECT_ID ? decodeOid(contentOf(der, paramsT)) : null);
    case OID.ed25519: {
      if (paramsT) return false;
      const seed = readTlv(inner, 0);
      return seed.tag === OCTET_STRING && seed.end - seed.contentStart === 32;
    }
    default:
      return false;
  }
}

function parses(der: Uint8Array, read: (d: Uint8Array) => boolean): boolean {
  try {
    return read(der);
  } catch (e) {
    if (e instanceof DerError) return false;
    throw e;
  }
}

const NO_KEY_PEM = "tls: failed to find any PEM data in key input";
const CERT_AS_KEY = "tls: found a certificate rather than a key in the PEM for the private key";
const KEY_UNPARSED = "tls: failed to parse private key";
/** Every refusal goPrivateKeyRefusal returns (what a service takes from an upload, and nothing else). */
export const GO_KEY_REFUSALS: ReadonlySet<string> = new Set([NO_KEY_PEM, CERT_AS_KEY, KEY_UNPARSED]);

/**
 * Go's refusal of a key file's text, or null when X509KeyPair would parse the key: the first PEM
 * block whose type is `PRIVATE KEY` or ends in ` PRIVATE KEY`, read as PKCS#1, PKCS#8 or SEC1
 * (tls.go parsePrivateKey; an encrypted key fails all three).
 */
export function goPrivateKeyRefusal(text: string): string | null {
  const blocks = scanPem(text).blocks;
  const block = blocks.find((b) => b.label === "PRIVATE KEY" || b.label.endsWith(" PRIVATE KEY"));
  if (!block) return blocks.some((b) => b.label === "CERTIFICATE") ? CERT_AS_KEY : NO_KEY_PEM;
  const der = block.der;
  if (der && (parses(der, pkcs1) || parses(der, pkcs8) || parses(der, (d) => sec1(d, null)))) return null;
  return KEY_UNPARSED;
}

const goParse = new WeakMap<Cert, string | null>();
/** goCertificateRefusal's parse-stage error, once per certificate (an EC point costs a few µs of BigInt arithmetic). */
export function goParseRefusal(c: Cert): string | null {
  let r = goParse.get(c);
  if (r === undefined) {
    const refusal = goCertificateRefusal(c);
    r = refusal?.stage === "parse" ? refusal.error : null;
    goParse.set(c, r);
  }
  return r;
}
