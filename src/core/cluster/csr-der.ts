// A PKCS#10 CertificationRequest (RFC 2986 4) read with the strict DER reader, field by field as
// Go's x509.ParseCertificateRequest reads it (crypto/x509/x509.go, Go 1.19): what it refuses is a
// CsrParseError with a reason, what it tolerates is tolerated here too.
//
//   CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
//   CertificationRequestInfo ::= SEQUENCE { version INTEGER, subject Name, subjectPKInfo,
//                                           attributes [0] IMPLICIT SET OF Attribute }
//
// Go's encoding/asn1 allows elements after the last field of a SEQUENCE (parseField: "We allow
// extra bytes at the end of the SEQUENCE"), does not check the version (any int64), takes the
// subject as a RawValue and then unmarshals it as an RDNSequence, ignores attributes it cannot
// read (parseCSRExtensions: "Ignore attributes that don't parse"), and fails on an
// extensionRequest whose extensions do not unmarshal, on an extension requested twice and on a
// subjectAltName parseSANExtension (parser.go) refuses.
import { bytesOf, children, concatBytes, contentOf, DerError, decodeOid, encodeTlv, readTlv, type Tlv } from "../encoding/der.ts";
import { goUri } from "./csr-uri.ts";
import { goCertificateRefusal } from "../keys/go-keypair.ts";
import {
  CertParseError,
  describeKey,
  describeSignature,
  goStringError,
  type PublicKeyInfo,
  type SignatureAlgorithm,
} from "../x509/cert.ts";
import { ATTRIBUTE_SHORT_NAMES } from "../x509/name-oids.ts";
import { decodeString, formatName, parseGeneralName, type RdnSequence } from "../x509/names.ts";
import { OID } from "../x509/oids.ts";

export class CsrParseError extends Error {
  override name = "CsrParseError";
}

export interface Csr {
  /** The certificationRequestInfo DER: what the signature covers. */
  tbs: Uint8Array;
  version: number;
  /** The subject Name's DER. */
  subjectDer: Uint8Array;
  subjectRdns: RdnSequence;
  /** RFC 4514, as `openssl req -noout -subject -nameopt RFC2253,-esc_msb` prints it (names.ts formatName). */
  subject: string;
  /** Every CN and every O, in encoded order, as Go's pkix.Name.FillFromRDNSequence collects them (string values only). */
  commonNames: string[];
  organizations: string[];
  /** The subjectAltName of the extensionRequest, as Go's CertificateRequest fields hold them. */
  dnsNames: string[];
  ipAddresses: string[];
  emails: string[];
  uris: string[];
  /** The SubjectPublicKeyInfo DER (Go's RawSubjectPublicKeyInfo: what the fingerprint hashes). */
  spki: Uint8Array;
  /** The same key re-encoded from the fields Go reads (what the signature check imports). */
  keySpki: Uint8Array;
  spkiAlgorithm: { oid: string; curveOid?: string };
  /** The key's kind ("RSA", "EC", ...) and curve, as the certificate model names them. */
  publicKey: Pick<PublicKeyInfo, "algorithm" | "curve">;
  signatureAlgorithm: SignatureAlgorithm;
  /** DER of the outer signatureAlgorithm. */
  signatureAlgorithmDer: Uint8Array;
  /** The signature BIT STRING's bytes after the unused-bits byte, and that count. */
  signature: Uint8Array;
  signatureUnusedBits: number;
  /** Requested extensions (extensionRequest, 1.2.840.113549.1.9.14), in order. */
  extensions: { oid: string; critical: boolean; value: Uint8Array }[];
}

const EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID_TAG = 0x06;
const SEQUENCE = 0x30;
const SET = 0x31;
const BOOLEAN = 0x01;
const ATTRIBUTES = 0xa0;

/**
 * A T61String's bytes are Go's string as they are (parseT61String: string(bytes)); a Go string
 * that is not UTF-8 equals no user or group name, and JSON shows its bad bytes as U+FFFD, as here.
 * The subject's text keeps OpenSSL's reading (one character per byte, names.ts).
 */
const T61 = 0x14;
const UTF8 = new TextDecoder("utf-8");

/** The tags whose values Go's encoding/asn1 turns into a string (others leave the value nil: FillFromRDNSequence skips them). */
const GO_STRING_TAGS = new Set([0x0c, 0x12, 0x13, 0x14, 0x16, 0x1e]);

const EMPTY = new Uint8Array(0);
const tlv = (tag: number, ...parts: Uint8Array[]) => encodeTlv(tag, concatBytes(...parts));

const fail = (why: string): never => {
  throw new CsrParseError(why);
};

/** encoding/asn1 parseObjectIdentifier and parseBase128Int: not empty, each arc minimal, at most 5 bytes and below 2^31. */
function checkOid(buf: Uint8Array, t: Tlv, what: string): string {
  if (t.tag !== OID_TAG) fail(`${what} is not an OBJECT IDENTIFIER`);
  const c = contentOf(buf, t);
  if (c.length === 0) fail(`${what} is an empty OBJECT IDENTIFIER`);
  let value = 0;
  let bytes = 0;
  for (const b of c) {
    if (bytes === 0 && b === 0x80) fail(`${what} is not minimally encoded`);
    if (bytes === 5) fail(`${what} has an arc too large for Go`);
    value = value * 128 + (b & 0x7f);
    bytes++;
    if (b & 0x80) continue;
    if (value > 0x7fffffff) fail(`${what} has an arc too large for Go`);
    value = 0;
    bytes = 0;
  }
  if (bytes !== 0) fail(`${what} is truncated`);
  return decodeOid(c);
}

/**
 * The first `n` elements of a SEQUENCE read into a Go struct: encoding/asn1 parses the fields in
 * order and leaves whatever follows the last one unread (parseField: "We allow extra bytes at the
 * end of the SEQUENCE"), so bytes after them need not even be DER.
 */
function fields(buf: Uint8Array, parent: Tlv, n: number): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.contentStart; p < parent.end && out.length < n; ) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

/** encoding/asn1 parseInt64: not empty, minimal, at most 8 bytes. */
function checkInteger(buf: Uint8Array, t: Tlv, what: string): number {
  if (t.tag !== INTEGER) fail(`${what} is not an INTEGER`);
  const c = contentOf(buf, t);
  if (c.length === 0) fail(`${what} is an empty INTEGER`);
  if (c.length > 1 && ((c[0] === 0 && !(c[1]! & 0x80)) || (c[0] === 0xff && c[1]! & 0x80))) fail(`${what} is not minimally encoded`);
  if (c.length > 8) fail(`${what} is too large`);
  let v = c[0]! & 0x80 ? -1 : 0;
  for (const b of c) v = v * 256 + b;
  return v;
}

/** encoding/asn1 parseBitString: a padding count of at most 7, and padding bits that are zero. */
function checkBitString(buf: Uint8Array, t: Tlv, what: string): number {
  if (t.tag !== BIT_STRING) fail(`${what} is not a BIT STRING`);
  const n = t.end - t.contentStart;
  if (n === 0) fail(`${what} is a zero-length BIT STRING`);
  const unused = buf[t.contentStart]!;
  if (unused > 7 || (n === 1 && unused > 0) || (buf[t.end - 1]! & ((1 << unused) - 1)) !== 0) fail(`${what} has invalid padding bits`);
  return unused;
}

/** pkix.AlgorithmIdentifier: SEQUENCE { OID, parameters ANY OPTIONAL, ... }. */
function checkAlgorithm(buf: Uint8Array, t: Tlv, what: string): void {
  if (t.tag !== SEQUENCE) fail(`${what} is not a SEQUENCE`);
  const [oidT] = fields(buf, t, 2);
  if (!oidT) fail(`${what} is empty`);
  checkOid(buf, oidT!, `${what}'s algorithm`);
}

/**
 * pkix.RDNSequence as Go unmarshals the RawValue subject, with the attribute value checks of
 * encoding/asn1, read into the certificate model's RdnSequence (names.ts; an AttributeTypeAndValue
 * may hold bytes after its value, which Go leaves unread).
 */
function readName(buf: Uint8Array, t: Tlv): RdnSequence {
  if (t.tag !== SEQUENCE) fail("the subject is not a SEQUENCE (an RDNSequence)");
  const out: RdnSequence = [];
  for (const rdn of children(buf, t)) {
    if (rdn.tag !== SET) fail("an RDN of the subject is not a SET");
    const attrs: RdnSequence[number] = [];
    for (const atv of children(buf, rdn)) {
      if (atv.tag !== SEQUENCE) fail("an attribute of the subject is not a SEQUENCE");
      const [typeT, valueT] = fields(buf, atv, 2);
      if (!typeT || !valueT) fail("an attribute of the subject has no value");
      const oid = checkOid(buf, typeT!, "an attribute type of the subject");
      const v = valueT!;
      const err = goStringError(v.tag, buf, v.contentStart, v.end);
      if (err) fail(`the subject holds an ${err}`);
      if (v.tag === INTEGER) checkInteger(buf, v, "an INTEGER value of the subject");
      attrs.push({ oid, type: ATTRIBUTE_SHORT_NAMES[oid] ?? oid, value: decodeString(buf, v), tag: v.tag, der: bytesOf(buf, v) });
    }
    out.push(attrs);
  }
  return out;
}

/** The Attribute Go's parseCSRExtensions reads ({ OID, SET OF ANY } with at least one value), or null when it ignores it. */
function attribute(buf: Uint8Array, t: Tlv): { oid: string; first: Tlv } | null {
  try {
    if (t.tag !== SEQUENCE) return null;
    const [idT, valuesT] = fields(buf, t, 2);
    if (!idT || valuesT?.tag !== SET) return null;
    const oid = checkOid(buf, idT, "an attribute type");
    const first = children(buf, valuesT)[0];
    return first ? { oid, first } : null;
  } catch (e) {
    if (e instanceof DerError || e instanceof CsrParseError) return null;
    throw e;
  }
}

/** []pkix.Extension: SEQUENCE OF SEQUENCE { OID, BOOLEAN OPTIONAL, OCTET STRING, ... }. */
function readExtensions(buf: Uint8Array, t: Tlv, out: Csr["extensions"]): void {
  if (t.tag !== SEQUENCE) fail("the extensionRequest's value is not a SEQUENCE of extensions");
  for (const ext of children(buf, t)) {
    if (ext.tag !== SEQUENCE) fail("a requested extension is not a SEQUENCE");
    const parts = fields(buf, ext, 3);
    const oid = checkOid(buf, parts[0] ?? fail("a requested extension is empty"), "a requested extension's id");
    let i = 1;
    let critical = false;
    if (parts[1]?.tag === BOOLEAN) {
      const c = contentOf(buf, parts[1]);
      if (c.length !== 1 || (c[0] !== 0 && c[0] !== 0xff)) fail(`extension ${oid}'s critical flag is not a DER BOOLEAN`);
      critical = c[0] === 0xff;
      i = 2;
    }
    const value = parts[i];
    if (value?.tag !== OCTET_STRING) fail(`extension ${oid} has no OCTET STRING value`);
    if (out.some((x) => x.oid === oid)) fail("x509: certificate request contains duplicate requested extensions");
    out.push({ oid, critical, value: contentOf(buf, value!) });
  }
}

/** Go's net.IP String: an IPv4-mapped IPv6 address prints as IPv4. */
function ipText(value: string, raw: Uint8Array): string {
  const mapped = raw.length === 16 && raw.subarray(0, 10).every((b) => b === 0) && raw[10] === 0xff && raw[11] === 0xff;
  return mapped ? Array.from(raw.subarray(12)).join(".") : value;
}

/** parser.go parseSANExtension: dNSName, rfc822Name and URI must be IA5 (ASCII), an IP 4 or 16 bytes; other names are skipped. */
function readSans(value: Uint8Array, csr: Csr): void {
  const seq = readTlv(value, 0);
  if (seq.tag !== SEQUENCE) fail("x509: invalid subject alternative names");
  for (const t of children(value, seq)) {
    if (t.tag !== 0x81 && t.tag !== 0x82 && t.tag !== 0x86 && t.tag !== 0x87) continue;
    const n = parseGeneralName(value, t);
    if (n.type !== "ip" && n.raw.some((b) => b > 0x7f)) fail(`x509: SAN ${n.type} is malformed (not IA5)`);
    if (n.type === "dns") csr.dnsNames.push(n.value);
    else if (n.type === "email") csr.emails.push(n.value);
    else if (n.type === "uri") {
      const uri = goUri(n.value);
      if (uri.error !== undefined) fail(`x509: cannot parse URI ${JSON.stringify(n.value)}: ${uri.error}`);
      csr.uris.push(uri.text!);
    } else if (n.raw.length === 4 || n.raw.length === 16) csr.ipAddresses.push(ipText(n.value, n.raw));
    else fail(`x509: cannot parse IP address of length ${n.raw.length}`);
  }
}

/** RSAPublicKey as parsePublicKey reads it: SEQUENCE { INTEGER n > 0, INTEGER e > 0 }, minimal. */
function checkRsaKey(spki: Uint8Array): void {
  const [, bitsT] = fields(spki, readTlv(spki, 0), 2);
  const key = contentOf(spki, bitsT!).subarray(1);
  const seq = readTlv(key, 0);
  if (seq.tag !== SEQUENCE) fail("x509: invalid RSA public key");
  const [nT, eT] = fields(key, seq, 2);
  if (nT?.tag !== INTEGER || eT?.tag !== INTEGER) fail("x509: invalid RSA public key");
  for (const [t, what] of [
    [nT!, "modulus"],
    [eT!, "public exponent"],
  ] as const) {
    const c = contentOf(key, t);
    if (c.length === 0 || (c.length > 1 && ((c[0] === 0 && !(c[1]! & 0x80)) || (c[0] === 0xff && c[1]! & 0x80))))
      fail(`x509: invalid RSA ${what}`);
    if (what === "public exponent" && c.length > 8) fail("x509: invalid RSA public exponent"); // read into an int
    if (c[0]! & 0x80 || c.every((b) => b === 0)) fail(`x509: RSA ${what} is not a positive number`);
  }
}

/** asn1.BitString RightAlign: the bits shifted right by the unused count. */
function rightAlign(bytes: Uint8Array, unused: number): Uint8Array {
  if (unused === 0 || bytes.length === 0) return bytes;
  const out = new Uint8Array(bytes.length);
  out[0] = bytes[0]! >> unused;
  for (let i = 1; i < bytes.length; i++) out[i] = ((bytes[i - 1]! << (8 - unused)) & 0xff) | (bytes[i]! >> unused);
  return out;
}

/** cryptobyte ReadASN1Integer: an INTEGER, minimally encoded; its sign (0 for zero). */
function integerSign(buf: Uint8Array, t: Tlv | undefined): number | null {
  if (t?.tag !== INTEGER) return null;
  const c = contentOf(buf, t);
  if (c.length === 0 || (c.length > 1 && ((c[0] === 0 && !(c[1]! & 0x80)) || (c[0] === 0xff && c[1]! & 0x80)))) return null;
  return c[0]! & 0x80 ? -1 : c.every((b) => b === 0) ? 0 : 1;
}

/** parsePublicKey's DSA case: the key an INTEGER, the parameters SEQUENCE { p, q, g }, all positive. */
function checkDsaKey(buf: Uint8Array, algT: Tlv, key: Uint8Array): void {
  const y = integerSign(key, key.length ? readTlv(key, 0) : undefined);
  if (y === null) fail("x509: invalid DSA public key");
  const paramsT = fields(buf, algT, 2)[1];
  const pqg = paramsT?.tag === SEQUENCE ? fields(buf, paramsT, 3) : [];
  const signs = [0, 1, 2].map((i) => integerSign(buf, pqg[i]));
  if (signs.some((s) => s === null)) fail("x509: invalid DSA parameters");
  if (y! <= 0 || signs.some((s) => s! <= 0)) fail("x509: zero or negative DSA parameter");
}

/**
 * describeKey (the certificate model's), or the OID and named curve when it cannot read the
 * parameters to the end (DSA's p, q, g with bytes after them, which Go leaves unread).
 */
function describe(clean: Uint8Array, buf: Uint8Array, oidT: Tlv, paramsT: Tlv | undefined): ReturnType<typeof describeKey> {
  try {
    return describeKey(clean, "");
  } catch (e) {
    if (!(e instanceof DerError || e instanceof CertParseError)) throw e;
    const oid = decodeOid(contentOf(buf, oidT));
    const curveOid = oid === OID.ecPublicKey && paramsT?.tag === OID_TAG ? decodeOid(contentOf(buf, paramsT)) : undefined;
    return { info: { algorithm: oid, fingerprint: "" }, alg: { oid, ...(curveOid ? { curveOid } : {}) } };
  }
}

/** The SubjectPublicKeyInfo as publicKeyInfo unmarshals and parsePublicKey reads it. */
function readKey(
  buf: Uint8Array,
  t: Tlv,
): { spki: Uint8Array; clean: Uint8Array; info: Pick<PublicKeyInfo, "algorithm" | "curve">; alg: Csr["spkiAlgorithm"] } {
  if (t.tag !== SEQUENCE) fail("the subjectPKInfo is not a SEQUENCE");
  const [algT, bitsT] = fields(buf, t, 2);
  if (!algT || !bitsT) fail("the subjectPKInfo is missing fields");
  checkAlgorithm(buf, algT!, "the public key's AlgorithmIdentifier");
  const unused = checkBitString(buf, bitsT!, "the public key");
  const spki = bytesOf(buf, t);
  // pkix.AlgorithmIdentifier and publicKeyInfo leave what follows their fields unread: the key is
  // judged from the SPKI those fields make (the fingerprint stays that of the bytes as they are).
  const [oidT, paramsT] = fields(buf, algT!, 2);
  const algorithm = tlv(SEQUENCE, bytesOf(buf, oidT!), paramsT ? bytesOf(buf, paramsT) : EMPTY);
  // parsePublicKey reads the key bits right-aligned (asn1.BitString RightAlign): unused bits shift them.
  const point = rightAlign(contentOf(buf, bitsT!).subarray(1), unused);
  const clean = tlv(SEQUENCE, algorithm, tlv(BIT_STRING, Uint8Array.of(0), point));
  const { info, alg } = describe(clean, buf, oidT!, paramsT);
  // Go's parsePublicKey refusals shared with certificates (NULL RSA parameters, named curves, EC
  // points uncompressed and on their curve, Ed25519 without parameters).
  const refusal = goCertificateRefusal({ frame: { spki: clean }, spkiAlgorithm: alg });
  if (refusal?.stage === "parse") fail(refusal.error);
  if (alg.oid === OID.rsaEncryption) checkRsaKey(clean);
  if (alg.oid === OID.dsa) checkDsaKey(buf, algT!, point);
  return { spki, clean, info, alg };
}

/**
 * The signature algorithm as the certificate model names it; RSASSA-PSS parameters it cannot
 * read leave it unknown, as Go's getSignatureAlgorithmFromAI does (the request is still read).
 */
function signatureAlgorithm(der: Uint8Array): SignatureAlgorithm {
  try {
    return describeSignature(der);
  } catch (e) {
    if (!(e instanceof DerError || e instanceof CertParseError)) throw e;
    const [oidT, paramsT] = fields(der, readTlv(der, 0), 2);
    const oid = decodeOid(contentOf(der, oidT!));
    return { oid, name: oid, key: "unknown", ...(paramsT ? { params: bytesOf(der, paramsT) } : {}) };
  }
}

/** Reads one DER CertificationRequest (nothing after it); CsrParseError when Go's parser refuses it. */
export function parseCsr(der: Uint8Array): Csr {
  try {
    return read(der);
  } catch (e) {
    if (e instanceof DerError) throw new CsrParseError(`malformed DER: ${e.message} at byte ${e.offset}`);
    if (e instanceof CertParseError) throw new CsrParseError(e.message);
    throw e;
  }
}

function read(der: Uint8Array): Csr {
  const outer = readTlv(der, 0);
  if (outer.tag !== SEQUENCE) fail("the request is not a DER SEQUENCE");
  if (outer.end !== der.length) fail("x509: trailing data");
  const [tbsT, algT, sigT] = fields(der, outer, 3);
  if (!tbsT || !algT || !sigT) fail("the request lacks one of certificationRequestInfo, signatureAlgorithm and signature");
  if (tbsT!.tag !== SEQUENCE) fail("the certificationRequestInfo is not a SEQUENCE");
  checkAlgorithm(der, algT!, "the signatureAlgorithm");
  const unused = checkBitString(der, sigT!, "the signature");
  const [versionT, subjectT, keyT, attrsT] = fields(der, tbsT!, 4);
  if (!versionT || !subjectT || !keyT || !attrsT)
    fail("the certificationRequestInfo lacks one of version, subject, subjectPKInfo and attributes");
  const version = checkInteger(der, versionT!, "the version");
  const subjectRdns = readName(der, subjectT!);
  const key = readKey(der, keyT!);
  if (attrsT!.tag !== ATTRIBUTES) fail("the attributes are not a [0] IMPLICIT SET");
  const csr: Csr = {
    tbs: bytesOf(der, tbsT!),
    version,
    subjectDer: bytesOf(der, subjectT!),
    subjectRdns,
    subject: formatName(subjectRdns),
    commonNames: [],
    organizations: [],
    dnsNames: [],
    ipAddresses: [],
    emails: [],
    uris: [],
    spki: key.spki,
    keySpki: key.clean,
    spkiAlgorithm: key.alg,
    publicKey: { algorithm: key.info.algorithm, ...(key.info.curve ? { curve: key.info.curve } : {}) },
    signatureAlgorithm: signatureAlgorithm(bytesOf(der, algT!)),
    signatureAlgorithmDer: bytesOf(der, algT!),
    signature: der.subarray(sigT!.contentStart + 1, sigT!.end),
    signatureUnusedBits: unused,
    extensions: [],
  };
  for (const rdn of subjectRdns)
    for (const a of rdn) {
      if (!GO_STRING_TAGS.has(a.tag)) continue;
      const value = a.tag === T61 ? UTF8.decode(contentOf(a.der, readTlv(a.der, 0))) : a.value;
      if (a.oid === OID.commonName) csr.commonNames.push(value);
      else if (a.oid === OID.organization) csr.organizations.push(value);
    }
  for (const t of children(der, attrsT!)) {
    const attr = attribute(der, t);
    if (attr?.oid === EXTENSION_REQUEST) readExtensions(der, attr.first, csr.extensions);
  }
  for (const ext of csr.extensions) if (ext.oid === OID.subjectAltName) readSans(ext.value, csr);
  return csr;
}
