// The certificate model: each certificate is parsed once, from DER that passed the strict
// check, into the facts the checks and the report need. Parse problems that do not stop the
// audit (duplicate extensions, odd time encodings, ...) are collected in `anomalies` for the
// checks to turn into findings; structure that cannot be read at all throws CertParseError.
import {
  assertStrictDer,
  children,
  contentOf,
  decodeOid,
  DerError,
  frameCertificate,
  readTlv,
  toHex,
  type CertificateFrame,
  type Tlv,
} from "../encoding/der.ts";
import {
  attributeValues,
  formatName,
  parseGeneralName,
  parseGeneralNames,
  parseName,
  type GeneralName,
  type RdnSequence,
} from "./names.ts";
import { NameCache, type NameProblems } from "./name-cache.ts";
import { CURVE_NAMES, EKU_NAMES, HASH_NAMES, OID, SIGNATURE_ALGORITHMS } from "./oids.ts";
import { generalizedTimeBefore2050, goTime, opensslTime, rfc5280Time } from "./time.ts";

/** decode() without `stream` keeps no state between calls, a failed one included. */
const UTF8_FATAL = new TextDecoder("utf-8", { fatal: true });

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
  | "generalized-time-before-2050"
  | "negative-serial"
  | "zero-serial"
  | "serial-too-long"
  | "v1-with-extensions"
  | "empty-subject-no-san"
  | "bad-extension-value"
  | "extension-trailing-data"
  | "empty-rdn"
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
  /**
   * What Go's x509.ParseCertificate (crypto/x509/parser.go) returns for this certificate, in
   * Go's words: empty when Go parses it. A certificate Go cannot parse is one kubectl and
   * kube-apiserver refuse, though OpenSSL may read it.
   */
  goParseErrors: string[];
  /** Subject and issuer names compare equal (RFC 5280 self-issued). */
  selfIssued: boolean;
}

const KEY_USAGE_BITS = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
];

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

const TIME_TYPE: Record<number, string> = { 23: "UTCTime", 24: "GeneralizedTime" };

/**
 * Reads a UTCTime/GeneralizedTime (tag and text); also used for CRL times. The date is Go's
 * reading. When Go refuses the encoding, its parser error is added to `goErrors` and the date
 * is OpenSSL's reading; when neither can read it, CertParseError (no date is invented).
 * Encodings RFC 5280 4.1.2.5 does not allow add the "bad-validity-encoding" anomaly, except a
 * well-formed GeneralizedTime before 2050, which adds the non-fatal "generalized-time-before-2050".
 */
export function parseTime(t: { tag: number; text: string }, anomalies: Anomaly[], goErrors: string[] = [], field = "time"): Date {
  const type = TIME_TYPE[t.tag];
  const shown = () => JSON.stringify(t.text.slice(0, 32)); // for the messages only
  const strict = rfc5280Time(t.tag, t.text);
  const go = goTime(t.tag, t.text);
  const date = go ?? opensslTime(t.tag, t.text);
  if (!type)
    throw new CertParseError(
      `the ${field} is neither a UTCTime nor a GeneralizedTime: Go refuses the certificate (x509: unsupported time format)`,
    );
  if (!date)
    throw new CertParseError(
      `the ${field} ${shown()} is not a valid ${type}: Go refuses the certificate (x509: malformed ${type}) and OpenSSL cannot read the date`,
    );
  if (!go) goErrors.push(`x509: malformed ${type} (${field} ${shown()})`);
  const anomaly: Anomaly = go && generalizedTimeBefore2050(t.tag, t.text) ? "generalized-time-before-2050" : "bad-validity-encoding";
  if ((!strict || !go) && !anomalies.includes(anomaly)) anomalies.push(anomaly);
  return date;
}

function algorithmIdentifier(der: Uint8Array): { oid: string; params?: Uint8Array; paramsTlv?: Tlv } {
  const seq = readTlv(der, 0);
  const [oidT, paramsT] = children(der, seq);
  if (oidT?.tag !== 0x06) throw new CertParseError("bad AlgorithmIdentifier");
  const oid = decodeOid(contentOf(der, oidT));
  return paramsT ? { oid, params: der.subarray(paramsT.start, paramsT.end), paramsTlv: paramsT } : { oid };
}

function hashOfAlgId(buf: Uint8Array, t: Tlv): string {
  const [oidT] = children(buf, t);
  if (oidT?.tag !== 0x06) throw new CertParseError("bad hash AlgorithmIdentifier");
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
  const base: SignatureAlgorithm = {
    oid,
    name: info?.name ?? oid,
    key: info?.key ?? "unknown",
    ...(info?.hash ? { hash: info.hash } : {}),
    ...(params ? { params } : {}),
  };
  if (oid === OID.rsassaPss) {
    base.pss = parsePssParams(params);
    base.hash = base.pss.hash;
  }
  return base;
}

/** Bit length of a non-negative INTEGER's content bytes. */
function integerBits(n: Uint8Array): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  return i < n.length ? (n.length - i) * 8 - (Math.clz32(n[i]!) - 24) : 0;
}

/** Named curve sizes in bits. */
const CURVE_BITS: Record<string, number> = { "P-224": 224, "P-256": 256, "P-384": 384, "P-521": 521, secp256k1: 256 };

/**
 * ECParameters (RFC 3279 2.3.5, explicit curve) { version, fieldID, curve, base, order, cofactor }:
 * the key size is the bit length of the order, as OpenSSL's EC_GROUP_order_bits reports it.
 */
function explicitCurveBits(buf: Uint8Array, params: Tlv): number | undefined {
  const order = children(buf, params)[4];
  return order?.tag === 0x02 ? integerBits(contentOf(buf, order)) : undefined;
}

export function describeKey(spki: Uint8Array, fingerprint: string): { info: PublicKeyInfo; alg: { oid: string; curveOid?: string } } {
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
        if (nT) bits = integerBits(contentOf(key, nT));
      } catch (e) {
        if (!(e instanceof DerError)) throw e;
        bits = 0;
      }
      return { info: { algorithm: oid === OID.rsaEncryption ? "RSA" : "RSA-PSS", bits, fingerprint }, alg: { oid } };
    }
    case OID.ecPublicKey: {
      const algDer = spki.subarray(algT.start, algT.end);
      const curveOid = paramsTlv && paramsTlv.tag === 0x06 ? decodeOid(contentOf(algDer, paramsTlv)) : undefined;
      const curve = curveOid ? (CURVE_NAMES[curveOid] ?? curveOid) : "explicit";
      const bits = curveOid ? CURVE_BITS[curve] : paramsTlv?.tag === 0x30 ? explicitCurveBits(algDer, paramsTlv) : undefined;
      return { info: { algorithm: "EC", curve, ...(bits ? { bits } : {}), fingerprint }, alg: { oid, ...(curveOid ? { curveOid } : {}) } };
    }
    case OID.ed25519:
      return { info: { algorithm: "Ed25519", bits: 256, fingerprint }, alg: { oid } };
    case OID.ed448:
      return { info: { algorithm: "Ed448", bits: 456, fingerprint }, alg: { oid } };
    case OID.dsa: {
      // Dss-Parms ::= SEQUENCE { p, q, g }: the size is that of p (what OpenSSL prints as "Public-Key: (N bit)").
      const algDer = spki.subarray(algT.start, algT.end);
      const p = paramsTlv?.tag === 0x30 ? children(algDer, paramsTlv)[0] : undefined;
      const bits = p?.tag === 0x02 ? integerBits(contentOf(algDer, p)) : undefined;
      return { info: { algorithm: "DSA", ...(bits ? { bits } : {}), fingerprint }, alg: { oid } };
    }
    default:
      return { info: { algorithm: oid, fingerprint }, alg: { oid } };
  }
}

/** A DER BOOLEAN is one byte, 0x00 or 0xFF (X.690 11.1; cryptobyte ReadASN1Boolean accepts nothing else). */
const isDerBoolean = (buf: Uint8Array, t: Tlv) =>
  t.end - t.contentStart === 1 && (buf[t.contentStart] === 0 || buf[t.contentStart] === 0xff);

function parseExtensions(der: Uint8Array, tbsParts: Tlv[], anomalies: Anomaly[], goErrors: string[]): Extension[] {
  const wrapper = tbsParts.find((t) => t.tag === 0xa3);
  if (!wrapper) return [];
  const seq = readTlv(der, wrapper.contentStart, wrapper.end);
  const out: Extension[] = [];
  const seen = new Set<string>();
  for (const ext of children(der, seq)) {
    const parts = children(der, ext);
    const oidT = parts[0];
    if (oidT?.tag !== 0x06) throw new CertParseError("bad extension");
    const oid = decodeOid(contentOf(der, oidT));
    let critical = false;
    let valueT = parts[1];
    if (valueT?.tag === 0x01) {
      // parser.go parseExtension: "x509: malformed extension critical field" unless 0x00 or 0xFF.
      if (!isDerBoolean(der, valueT))
        goErrors.push(
          `x509: malformed extension critical field (extension ${oid}: BOOLEAN 0x${toHex(contentOf(der, valueT)) || "(empty)"}, DER requires 0xFF)`,
        );
      critical = der[valueT.contentStart] !== 0;
      valueT = parts[2];
    }
    if (valueT?.tag !== 0x04) throw new CertParseError(`extension ${oid} has no value`);
    if (seen.has(oid) && !anomalies.includes("duplicate-extension")) anomalies.push("duplicate-extension");
    seen.add(oid);
    out.push({ oid, critical, value: contentOf(der, valueT) });
  }
  return out;
}

/** parser.go parseSANExtension: the checks Go applies to each GeneralName of a subjectAltName. */
function goSanError(names: GeneralName[]): string | null {
  for (const n of names) {
    const nonAscii = n.raw.some((b) => b > 0x7f);
    if (n.type === "dns" && nonAscii) return `x509: SAN dNSName is malformed (not IA5: ${JSON.stringify(n.value)})`;
    if (n.type === "email" && nonAscii) return "x509: SAN rfc822Name is malformed";
    if (n.type === "uri" && nonAscii) return "x509: SAN uniformResourceIdentifier is malformed";
    if (n.type === "ip" && n.raw.length !== 4 && n.raw.length !== 16) return `x509: cannot parse IP address of length ${n.raw.length}`;
  }
  return null;
}

function decodeExtension(cert: Cert, ext: Extension, goErrors: string[]): void {
  const whole = ext.value;
  const top = readTlv(whole, 0);
  // Go reads the first element of each extension value it decodes and ignores what follows;
  // DER (and so RFC 5280) allows nothing after it.
  if (top.end !== whole.length && !cert.anomalies.includes("extension-trailing-data")) cert.anomalies.push("extension-trailing-data");
  const v = whole.subarray(0, top.end);
  assertStrictDer(v);
  switch (ext.oid) {
    case OID.basicConstraints: {
      const bc: BasicConstraints = { ca: false };
      for (const f of children(v, top)) {
        if (f.tag === 0x01) {
          // parser.go parseBasicConstraintsExtension reads cA with ReadASN1Boolean.
          if (!isDerBoolean(v, f))
            goErrors.push(`x509: invalid basic constraints (cA is BOOLEAN 0x${toHex(contentOf(v, f)) || "(empty)"}, DER requires 0xFF)`);
          bc.ca = v[f.contentStart] !== 0;
        } else if (f.tag === 0x02) {
          const c = contentOf(v, f);
          if (c.length > 0 && c[0]! & 0x80) {
            // Current parser.go parseBasicConstraintsExtension reads pathLenConstraint as an unsigned
            // integer and fails on a negative one (Go 1.19 still accepted it).
            goErrors.push("x509: invalid basic constraints (negative pathLenConstraint)");
            throw new DerError("negative pathLenConstraint", f.start);
          }
          // parser.go parseBasicConstraintsExtension: `var mpl uint; if !der.ReadASN1Integer(&mpl) ||
          // mpl > math.MaxInt` -> "x509: invalid basic constraints" (Go 1.19 read an int: the same bound).
          const digits = c.subarray(c.findIndex((b) => b !== 0) < 0 ? c.length : c.findIndex((b) => b !== 0));
          if (digits.length > 8 || (digits.length === 8 && digits[0]! & 0x80)) {
            goErrors.push("x509: invalid basic constraints (pathLenConstraint larger than Go's int)");
            throw new DerError("pathLenConstraint out of range", f.start);
          }
          let n = 0;
          for (const b of digits) n = n * 256 + b;
          // No path is 2^53 certificates long: larger values (up to 2^63-1, which Go takes) mean "no
          // limit" just the same, and stay a safe integer in the JSON report.
          bc.pathLen = Math.min(n, Number.MAX_SAFE_INTEGER);
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
    case OID.subjectAltName: {
      cert.subjectAltNames = parseGeneralNames(v, top);
      const goError = goSanError(cert.subjectAltNames);
      if (goError) goErrors.push(goError);
      break;
    }
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

/** PRINTABLE[b] is 1 for PrintableString's characters, with the '*' and '&' Go tolerates (parser.go isPrintable). */
const PRINTABLE = new Uint8Array(256);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?*&") PRINTABLE[ch.charCodeAt(0)] = 1;

/** parser.go parseASN1String: the checks Go applies to each attribute value's string type. */
export function goStringError(tag: number, buf: Uint8Array, start: number, end: number): string | null {
  switch (tag) {
    case 0x13:
      for (let i = start; i < end; i++) if (PRINTABLE[buf[i]!] !== 1) return "invalid PrintableString";
      return null;
    case 0x0c: {
      // ASCII is valid UTF-8: only a value with a byte above 0x7F needs the decoder.
      let i = start;
      while (i < end && buf[i]! < 0x80) i++;
      if (i === end) return null;
      try {
        UTF8_FATAL.decode(buf.subarray(start, end));
        return null;
      } catch {
        return "invalid UTF-8 string";
      }
    }
    case 0x1e:
      return (end - start) % 2 === 0 ? null : "invalid BMPString";
    case 0x16:
      for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return "invalid IA5String";
      return null;
    case 0x12:
      for (let i = start; i < end; i++) {
        const b = buf[i]!;
        if (!((b >= 0x30 && b <= 0x39) || b === 0x20)) return "invalid NumericString";
      }
      return null;
    default:
      return null;
  }
}

/**
 * Go's parser.go parseName refuses a Name whose attribute values break their string type; an
 * empty RDN (a SET with no attribute, which X.501 and RFC 5280 4.1.2.4 do not allow) is read by
 * Go and OpenSSL alike, so it is only an anomaly.
 */
function checkName(problems: NameProblems, which: "issuer" | "subject", anomalies: Anomaly[], goErrors: string[]): void {
  const { emptyRdn, error } = problems;
  if (emptyRdn && !anomalies.includes("empty-rdn")) anomalies.push("empty-rdn");
  if (error) goErrors.push(`x509: invalid RDNSequence: invalid attribute value: ${error} (in the ${which})`);
}

/** What checkName reports for a name's DER (computed once for a self-issued certificate's two names). */
function nameProblems(buf: Uint8Array): NameProblems {
  let emptyRdn = false;
  for (const rdn of children(buf, readTlv(buf, 0))) {
    const atvs = children(buf, rdn);
    if (atvs.length === 0) emptyRdn = true;
    for (const atv of atvs) {
      const valT = children(buf, atv)[1];
      const err = valT ? goStringError(valT.tag, buf, valT.contentStart, valT.end) : null;
      if (err) return { emptyRdn, error: err };
    }
  }
  return { emptyRdn, error: null };
}

/** Errors this module raises on purpose for unreadable input (anything else is a bug and propagates). */
const isParseError = (e: unknown): e is DerError | CertParseError => e instanceof DerError || e instanceof CertParseError;

/**
 * Parses one DER certificate. `digest` computes SHA-256 (WebCrypto's, passed in so the core
 * never reaches for a global). Throws CertParseError for input that cannot be read; any other
 * exception is a bug and is not turned into a parse failure.
 */
export async function parseCertificate(
  der: Uint8Array,
  digest: (data: Uint8Array) => Promise<Uint8Array>,
  names: NameCache = new NameCache(),
): Promise<Cert> {
  let frame: CertificateFrame;
  try {
    assertStrictDer(der);
    frame = frameCertificate(der);
  } catch (e) {
    // cryptobyte reads DER only: Go fails with "x509: malformed certificate" (or a field's "malformed ...").
    if (e instanceof DerError) throw new CertParseError(`not DER: ${e.message} at byte ${e.offset}; Go's x509 parser refuses it`);
    throw e;
  }
  const anomalies: Anomaly[] = [];
  const goErrors: string[] = [];
  try {
    const tbsTlv = readTlv(der, readTlv(der, 0).contentStart);
    const tbsParts = children(der, tbsTlv);
    const [idHash, spkiHash] = await Promise.all([digest(der), digest(frame.spki)]);
    // parser.go parseCertificate: "x509: malformed version" for a negative one, "x509: invalid version" above v3.
    if (frame.version < 0) goErrors.push("x509: malformed version (negative)");
    else if (frame.version > 2)
      goErrors.push(`x509: invalid version (encoded ${frame.version}, "v${frame.version + 1}"; only v1 to v3 exist)`);
    if (!namesEqual(frame.signatureAlgorithm, frame.tbsSignatureAlgorithm)) anomalies.push("tbs-signature-mismatch");
    // A self-issued certificate's two names are read once; an issuer's name is read once per
    // request (name-cache.ts: a CA's name in each of its leaves). The order of the readings, and
    // of what they throw, is kept.
    const selfIssued = namesEqual(frame.subject, frame.issuer);
    const issuerProblems = selfIssued ? nameProblems(frame.issuer) : names.problems(frame.issuer, () => nameProblems(frame.issuer));
    checkName(issuerProblems, "issuer", anomalies, goErrors);
    const notBefore = parseTime(frame.notBefore, anomalies, goErrors, "notBefore");
    const notAfter = parseTime(frame.notAfter, anomalies, goErrors, "notAfter");
    checkName(selfIssued ? issuerProblems : nameProblems(frame.subject), "subject", anomalies, goErrors);
    const readName = (buf: Uint8Array) => {
      const rdns = parseName(buf, readTlv(buf, 0));
      return { rdns, text: formatName(rdns) };
    };
    const subjectName = readName(frame.subject);
    const issuerName = selfIssued ? subjectName : names.parsed(frame.issuer, () => readName(frame.issuer));
    const subjectRdns = subjectName.rdns;
    const issuerRdns = issuerName.rdns;
    const key = describeKey(frame.spki, toHex(spkiHash));
    if (frame.serial.length > 0 && frame.serial[0]! & 0x80) anomalies.push("negative-serial");
    if (frame.serial.every((b) => b === 0)) anomalies.push("zero-serial");
    if (frame.serial.length > 20 && !(frame.serial.length === 21 && frame.serial[0] === 0)) anomalies.push("serial-too-long");
    if (tbsParts.some((t) => t.tag === 0x81 || t.tag === 0xa1 || t.tag === 0x82 || t.tag === 0xa2)) anomalies.push("unique-ids");
    // Go reads extensions only in a v3 certificate (parser.go parseCertificate).
    const extGoErrors: string[] = [];
    const extensions = parseExtensions(der, tbsParts, anomalies, extGoErrors);
    if (frame.version < 2 && extensions.length > 0) anomalies.push("v1-with-extensions");
    const cert: Cert = {
      der,
      id: `sha256:${toHex(idHash)}`,
      frame,
      version: frame.version + 1,
      serialNumber: toHex(frame.serial),
      subject: subjectName.text,
      issuer: issuerName.text,
      subjectRdns,
      issuerRdns,
      notBefore,
      notAfter,
      signatureAlgorithm: describeSignature(frame.signatureAlgorithm),
      publicKey: key.info,
      spkiAlgorithm: key.alg,
      extensions,
      unhandledCritical: [],
      anomalies,
      goParseErrors: goErrors,
      selfIssued,
    };
    for (const ext of extensions) {
      try {
        decodeExtension(cert, ext, extGoErrors);
      } catch (e) {
        if (!isParseError(e)) throw e;
        if (!anomalies.includes("bad-extension-value")) anomalies.push("bad-extension-value");
      }
      if (ext.critical && !HANDLED.has(ext.oid)) cert.unhandledCritical.push(ext.oid);
    }
    if (frame.version === 2) goErrors.push(...extGoErrors);
    if (subjectRdns.length === 0 && !cert.subjectAltNames?.length) anomalies.push("empty-subject-no-san");
    return cert;
  } catch (e) {
    if (e instanceof DerError) throw new CertParseError(e.message);
    throw e;
  }
}

export const commonNames = (c: Cert) => attributeValues(c.subjectRdns, OID.commonName);
export const organizations = (c: Cert) => attributeValues(c.subjectRdns, OID.organization);
export const isCA = (c: Cert) => c.basicConstraints?.ca === true;
