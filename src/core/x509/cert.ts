// The certificate model: each certificate is parsed once, from DER that passed the strict
// check, into the facts the checks and the report need. Parse problems that do not stop the
// audit (duplicate extensions, odd time encodings, ...) are collected in `anomalies` for the
// checks to turn into findings; structure that cannot be read at all throws CertParseError.
import { assertStrictDer, children, contentOf, decodeOid, DerError, frameCertificate, readTlv, toHex, type CertificateFrame, type Tlv } from "../encoding/der.ts";
import { attributeValues, formatName, parseGeneralName, parseGeneralNames, parseName, type GeneralName, type RdnSequence } from "./names.ts";
import { CURVE_NAMES, EKU_NAMES, HASH_NAMES, OID, SIGNATURE_ALGORITHMS } from "./oids.ts";

export class CertParseError extends Error {
  override name = "CertParseError";
}

export interface Extension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

export interface PublicKeyInfo {
  /** "RSA", "RSA-PSS", "EC", "Ed25519", "Ed448", "DSA" or the dotted OID. */
  algorithm: string;
  bits?: number;
  curve?: string;
  /** sha256 of the SubjectPublicKeyInfo DER, hex (what `openssl pkey -pubout | sha256sum` hashes after PEM decoding). */
  fingerprint: string;
}

export interface SignatureAlgorithm {
  oid: string;
  name: string;
  key: string;
  hash?: string;
  /** RSASSA-PSS parameters, when present and readable. */
  pss?: { hash: string; mgfHash: string; saltLength: number };
  /** DER of the parameters field, if any. */
  params?: Uint8Array;
}

export interface BasicConstraints {
  ca: boolean;
  pathLen?: number;
}

export interface NameConstraints {
  permitted: GeneralName[];
  excluded: GeneralName[];
}

export interface AuthorityKeyId {
  keyId?: string;
  issuer?: GeneralName[];
  serial?: string;
}

export type Anomaly =
  | "duplicate-extension"
  | "tbs-signature-mismatch"
  | "bad-validity-encoding"
  | "negative-serial"
  | "zero-serial"
  | "serial-too-long"
  | "v1-with-extensions"
  | "empty-subject-no-san"
  | "bad-extension-value"
  | "unique-ids";

export interface Cert {
  der: Uint8Array;
  /** `sha256:<hex>` of the DER. */
  id: string;
  frame: CertificateFrame;
  version: number;
  serialNumber: string;
  subject: string;
  issuer: string;
  subjectRdns: RdnSequence;
  issuerRdns: RdnSequence;
  notBefore: Date;
  notAfter: Date;
  signatureAlgorithm: SignatureAlgorithm;
  publicKey: PublicKeyInfo;
  /** SPKI algorithm OID and curve OID (for key import). */
  spkiAlgorithm: { oid: string; curveOid?: string };
  extensions: Extension[];
  basicConstraints?: BasicConstraints;
  keyUsage?: string[];
  extendedKeyUsage?: string[];
  subjectAltNames?: GeneralName[];
  nameConstraints?: NameConstraints;
  subjectKeyId?: string;
  authorityKeyId?: AuthorityKeyId;
  /** Extensions marked critical that this model does not process. */
  unhandledCritical: string[];
  anomalies: Anomaly[];
  /** Subject and issuer names compare equal (RFC 5280 self-issued). */
  selfIssued: boolean;
}

const KEY_USAGE_BITS = ["digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"];

/** Extensions whose semantics the checks implement; other critical ones are "unhandled". */
const HANDLED = new Set<string>([
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  OID.nameConstraints,
  OID.authorityKeyIdentifier,
  OID.extKeyUsage,
  // Policy extensions: Go and rustls accept them critical without enforcing policy; we follow Go.
  OID.certificatePolicies,
  OID.policyMappings,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
]);

/** Reads a UTCTime/GeneralizedTime (tag and text); also used for CRL times. */
export function parseTime(t: { tag: number; text: string }, anomalies: Anomaly[]): Date {
  // RFC 5280 4.1.2.5: UTCTime YYMMDDHHMMSSZ, GeneralizedTime YYYYMMDDHHMMSSZ, seconds present, Z only.
  const strictUtc = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
  const strictGen = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
  let m = t.tag === 0x17 ? strictUtc.exec(t.text) : t.tag === 0x18 ? strictGen.exec(t.text) : null;
  let year: number;
  if (!m) {
    anomalies.push("bad-validity-encoding");
    // Lenient fallback so the report can still show a date: accept missing seconds.
    const lenient = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?/.exec(t.text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?/.exec(t.text);
    if (!lenient) throw new CertParseError(`unreadable validity time "${t.text.slice(0, 32)}"`);
    m = lenient;
  }
  year = Number(m[1]);
  if (t.tag === 0x17) year += year >= 50 ? 1900 : 2000;
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(year, mo - 1, d, h, mi, s);
  const date = new Date(ms);
  if (Number.isNaN(ms) || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    if (!anomalies.includes("bad-validity-encoding")) anomalies.push("bad-validity-encoding");
    if (Number.isNaN(ms)) throw new CertParseError(`invalid validity time "${t.text.slice(0, 32)}"`);
  }
  // RFC 5280: dates through 2049 MUST be UTCTime.
  if (t.tag === 0x18 && year < 2050 && !anomalies.includes("bad-validity-encoding")) anomalies.push("bad-validity-encoding");
  return date;
}

function algorithmIdentifier(der: Uint8Array): { oid: string; params?: Uint8Array; paramsTlv?: Tlv } {
  const seq = readTlv(der, 0);
  const [oidT, paramsT] = children(der, seq);
  if (!oidT || oidT.tag !== 0x06) throw new CertParseError("bad AlgorithmIdentifier");
  const oid = decodeOid(contentOf(der, oidT));
  return paramsT ? { oid, params: der.subarray(paramsT.start, paramsT.end), paramsTlv: paramsT } : { oid };
}

function hashOfAlgId(buf: Uint8Array, t: Tlv): string {
  const [oidT] = children(buf, t);
  if (!oidT || oidT.tag !== 0x06) throw new CertParseError("bad hash AlgorithmIdentifier");
  const oid = decodeOid(contentOf(buf, oidT));
  return HASH_NAMES[oid] ?? oid;
}

/** RSASSA-PSS-params (RFC 4055): [0] hash, [1] mgf, [2] saltLength, [3] trailerField; defaults SHA-1, MGF1-SHA-1, 20. */
function parsePssParams(params: Uint8Array | undefined): { hash: string; mgfHash: string; saltLength: number } {
  const out = { hash: "SHA-1", mgfHash: "SHA-1", saltLength: 20 };
  if (!params) return out;
  const seq = readTlv(params, 0);
  if (seq.tag !== 0x30) return out;
  for (const f of children(params, seq)) {
    const inner = readTlv(params, f.contentStart, f.end);
    if (f.tag === 0xa0) out.hash = hashOfAlgId(params, inner);
    else if (f.tag === 0xa1) {
      const [, mgfParams] = children(params, inner);
      if (mgfParams) out.mgfHash = hashOfAlgId(params, mgfParams);
    } else if (f.tag === 0xa2 && inner.tag === 0x02) {
      let n = 0;
      for (const b of contentOf(params, inner)) n = n * 256 + b;
      out.saltLength = n;
    }
  }
  return out;
}

/** Reads a signature AlgorithmIdentifier (DER); also used for CRL signatures. */
export function describeSignature(der: Uint8Array): SignatureAlgorithm {
  const { oid, params } = algorithmIdentifier(der);
  const info = SIGNATURE_ALGORITHMS[oid];
  const base: SignatureAlgorithm = { oid, name: info?.name ?? oid, key: info?.key ?? "unknown", ...(info?.hash ? { hash: info.hash } : {}), ...(params ? { params } : {}) };
  if (oid === OID.rsassaPss) {
    base.pss = parsePssParams(params);
    base.hash = base.pss.hash;
  }
  return base;
}

function describeKey(spki: Uint8Array, fingerprint: string): { info: PublicKeyInfo; alg: { oid: string; curveOid?: string } } {
  const seq = readTlv(spki, 0);
  const [algT, bitsT] = children(spki, seq);
  if (!algT || !bitsT || bitsT.tag !== 0x03) throw new CertParseError("bad SubjectPublicKeyInfo");
  const { oid, paramsTlv } = algorithmIdentifier(spki.subarray(algT.start, algT.end));
  const key = spki.subarray(bitsT.contentStart + 1, bitsT.end);
  switch (oid) {
    case OID.rsaEncryption:
    case OID.rsassaPss: {
      let bits = 0;
      try {
        const rsa = readTlv(key, 0);
        const [nT] = children(key, rsa);
        if (nT) {
          const n = contentOf(key, nT);
          let i = 0;
          while (i < n.length && n[i] === 0) i++;
          bits = (n.length - i) * 8 - (i < n.length ? Math.clz32(n[i]!) - 24 : 0);
        }
      } catch {
        bits = 0;
      }
      return { info: { algorithm: oid === OID.rsaEncryption ? "RSA" : "RSA-PSS", bits, fingerprint }, alg: { oid } };
    }
    case OID.ecPublicKey: {
      const curveOid = paramsTlv && paramsTlv.tag === 0x06 ? decodeOid(contentOf(spki.subarray(algT.start, algT.end), paramsTlv)) : undefined;
      const curve = curveOid ? (CURVE_NAMES[curveOid] ?? curveOid) : "explicit";
      const bits = curve === "P-256" || curve === "secp256k1" ? 256 : curve === "P-384" ? 384 : curve === "P-521" ? 521 : undefined;
      return { info: { algorithm: "EC", curve, ...(bits ? { bits } : {}), fingerprint }, alg: { oid, ...(curveOid ? { curveOid } : {}) } };
    }
    case OID.ed25519:
      return { info: { algorithm: "Ed25519", bits: 256, fingerprint }, alg: { oid } };
    case OID.ed448:
      return { info: { algorithm: "Ed448", bits: 456, fingerprint }, alg: { oid } };
    case OID.dsa:
      return { info: { algorithm: "DSA", fingerprint }, alg: { oid } };
    default:
      return { info: { algorithm: oid, fingerprint }, alg: { oid } };
  }
}

function parseExtensions(der: Uint8Array, tbsParts: Tlv[], anomalies: Anomaly[]): Extension[] {
  const wrapper = tbsParts.find((t) => t.tag === 0xa3);
  if (!wrapper) return [];
  const seq = readTlv(der, wrapper.contentStart, wrapper.end);
  const out: Extension[] = [];
  const seen = new Set<string>();
  for (const ext of children(der, seq)) {
    const parts = children(der, ext);
    const oidT = parts[0];
    if (!oidT || oidT.tag !== 0x06) throw new CertParseError("bad extension");
    const oid = decodeOid(contentOf(der, oidT));
    let critical = false;
    let valueT = parts[1];
    if (valueT?.tag === 0x01) {
      critical = der[valueT.contentStart] !== 0;
      valueT = parts[2];
    }
    if (!valueT || valueT.tag !== 0x04) throw new CertParseError(`extension ${oid} has no value`);
    if (seen.has(oid) && !anomalies.includes("duplicate-extension")) anomalies.push("duplicate-extension");
    seen.add(oid);
    out.push({ oid, critical, value: contentOf(der, valueT) });
  }
  return out;
}

function decodeExtension(cert: Cert, ext: Extension): void {
  const v = ext.value;
  const top = readTlv(v, 0);
  if (top.end !== v.length) throw new DerError("trailing bytes in extension value", top.end);
  assertStrictDer(v);
  switch (ext.oid) {
    case OID.basicConstraints: {
      const bc: BasicConstraints = { ca: false };
      for (const f of children(v, top)) {
        if (f.tag === 0x01) bc.ca = v[f.contentStart] !== 0;
        else if (f.tag === 0x02) {
          const c = contentOf(v, f);
          if (c.length > 0 && c[0]! & 0x80) throw new DerError("negative pathLenConstraint", f.start);
          let n = 0;
          for (const b of c) n = n * 256 + b;
          bc.pathLen = n;
        }
      }
      cert.basicConstraints = bc;
      break;
    }
    case OID.keyUsage: {
      if (top.tag !== 0x03) throw new DerError("keyUsage must be a BIT STRING", 0);
      const c = contentOf(v, top);
      const names: string[] = [];
      for (let bit = 0; bit < KEY_USAGE_BITS.length; bit++) {
        const byte = c[1 + (bit >> 3)];
        if (byte !== undefined && byte & (0x80 >> (bit & 7))) names.push(KEY_USAGE_BITS[bit]!);
      }
      cert.keyUsage = names;
      break;
    }
    case OID.extKeyUsage:
      cert.extendedKeyUsage = children(v, top).map((t) => {
        const oid = decodeOid(contentOf(v, t));
        return EKU_NAMES[oid] ?? oid;
      });
      break;
    case OID.subjectAltName:
      cert.subjectAltNames = parseGeneralNames(v, top);
      break;
    case OID.nameConstraints: {
      const nc: NameConstraints = { permitted: [], excluded: [] };
      for (const f of children(v, top)) {
        const list = f.tag === 0xa0 ? nc.permitted : f.tag === 0xa1 ? nc.excluded : null;
        if (!list) continue;
        for (const subtree of children(v, f)) {
          const [base] = children(v, subtree);
          if (base) list.push(parseGeneralName(v, base));
        }
      }
      cert.nameConstraints = nc;
      break;
    }
    case OID.subjectKeyIdentifier:
      cert.subjectKeyId = toHex(contentOf(v, top));
      break;
    case OID.authorityKeyIdentifier: {
      const aki: AuthorityKeyId = {};
      for (const f of children(v, top)) {
        if (f.tag === 0x80) aki.keyId = toHex(contentOf(v, f));
        else if (f.tag === 0xa1) aki.issuer = parseGeneralNames(v, { ...f, tag: 0x30 });
        else if (f.tag === 0x82) aki.serial = toHex(contentOf(v, f));
      }
      cert.authorityKeyId = aki;
      break;
    }
  }
}

export function namesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Parses one DER certificate. `digest` computes SHA-256 (WebCrypto's, passed in so the core
 * never reaches for a global).
 */
export async function parseCertificate(der: Uint8Array, digest: (data: Uint8Array) => Promise<Uint8Array>): Promise<Cert> {
  let frame: CertificateFrame;
  try {
    assertStrictDer(der);
    frame = frameCertificate(der);
  } catch (e) {
    throw new CertParseError(e instanceof Error ? e.message : "not a certificate");
  }
  const anomalies: Anomaly[] = [];
  try {
    const tbsTlv = readTlv(der, readTlv(der, 0).contentStart);
    const tbsParts = children(der, tbsTlv);
    const [idHash, spkiHash] = await Promise.all([digest(der), digest(frame.spki)]);
    const subjectRdns = parseName(frame.subject, readTlv(frame.subject, 0));
    const issuerRdns = parseName(frame.issuer, readTlv(frame.issuer, 0));
    const key = describeKey(frame.spki, toHex(spkiHash));
    if (frame.serial.length > 0 && frame.serial[0]! & 0x80) anomalies.push("negative-serial");
    if (frame.serial.every((b) => b === 0)) anomalies.push("zero-serial");
    if (frame.serial.length > 20 && !(frame.serial.length === 21 && frame.serial[0] === 0)) anomalies.push("serial-too-long");
    if (!namesEqual(frame.signatureAlgorithm, frame.tbsSignatureAlgorithm)) anomalies.push("tbs-signature-mismatch");
    if (tbsParts.some((t) => t.tag === 0x81 || t.tag === 0xa1 || t.tag === 0x82 || t.tag === 0xa2)) anomalies.push("unique-ids");
    const extensions = parseExtensions(der, tbsParts, anomalies);
    if (frame.version < 2 && extensions.length > 0) anomalies.push("v1-with-extensions");
    const cert: Cert = {
      der,
      id: `sha256:${toHex(idHash)}`,
      frame,
      version: frame.version + 1,
      serialNumber: toHex(frame.serial),
      subject: formatName(subjectRdns),
      issuer: formatName(issuerRdns),
      subjectRdns,
      issuerRdns,
      notBefore: parseTime(frame.notBefore, anomalies),
      notAfter: parseTime(frame.notAfter, anomalies),
      signatureAlgorithm: describeSignature(frame.signatureAlgorithm),
      publicKey: key.info,
      spkiAlgorithm: key.alg,
      extensions,
      unhandledCritical: [],
      anomalies,
      selfIssued: namesEqual(frame.subject, frame.issuer),
    };
    for (const ext of extensions) {
      try {
        decodeExtension(cert, ext);
      } catch {
        if (!anomalies.includes("bad-extension-value")) anomalies.push("bad-extension-value");
      }
      if (ext.critical && !HANDLED.has(ext.oid)) cert.unhandledCritical.push(ext.oid);
    }
    if (subjectRdns.length === 0 && !cert.subjectAltNames?.length) anomalies.push("empty-subject-no-san");
    return cert;
  } catch (e) {
    if (e instanceof CertParseError) throw e;
    throw new CertParseError(e instanceof Error ? e.message : "unreadable certificate");
  }
}

export const commonNames = (c: Cert) => attributeValues(c.subjectRdns, OID.commonName);
export const organizations = (c: Cert) => attributeValues(c.subjectRdns, OID.organization);
export const isCA = (c: Cert) => c.basicConstraints?.ca === true;
