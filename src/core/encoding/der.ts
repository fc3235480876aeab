// A small, strict DER reader. It exists because the general ASN.1 libraries accept BER
// (indefinite lengths, non-minimal lengths, trailing bytes), and a certificate's id and
// fingerprints must be computed over exactly the bytes OpenSSL and Go would hash.
// Every function here is linear in its input and never recurses without a depth bound.
import { latin1 } from "./latin1.ts";

export class DerError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "DerError";
    this.offset = offset;
  }
}

export interface Tlv {
  /** Full tag byte (class, constructed bit and number; only low-tag-number form is accepted). */
  tag: number;
  /** Offset of the tag byte in the buffer. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the last content byte. */
  end: number;
}

/** Reads one TLV at `offset`, rejecting every BER-only encoding. */
export function readTlv(buf: Uint8Array, offset: number, limit = buf.length): Tlv {
  if (offset >= limit) throw new DerError("unexpected end of data", offset);
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError("high-tag-number form is not used in certificates", offset);
  if (offset + 1 >= limit) throw new DerError("missing length", offset);
  const first = buf[offset + 1]!;
  let len: number;
  let p = offset + 2;
  if (first < 0x80) {
    len = first;
  } else if (first === 0x80) {
    throw new DerError("indefinite length is not DER", offset + 1);
  } else {
    const n = first & 0x7f;
    if (n > 4) throw new DerError("length too large", offset + 1);
    if (p + n > limit) throw new DerError("truncated length", offset + 1);
    if (buf[p] === 0) throw new DerError("non-minimal length encoding", offset + 1);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    if (len < 0x80) throw new DerError("non-minimal length encoding", offset + 1);
    p += n;
  }
  if (p + len > limit) throw new DerError("content runs past the end of the data", offset);
  return { tag, start: offset, contentStart: p, end: p + len };
}

/** The children of a constructed TLV, in order. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.contentStart;
  while (p < parent.end) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

export function bytesOf(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

export function contentOf(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.contentStart, t.end);
}

/**
 * The outer structure of a certificate, located without a full parse: the exact DER of the
 * certificate (no trailing bytes), the TBS bytes that the signature covers, the signature
 * algorithm and the signature value. Throws DerError on anything that is not strict DER at
 * this level.
 */
export interface CertificateFrame {
  tbs: Uint8Array;
  /** DER of the outer signatureAlgorithm AlgorithmIdentifier. */
  signatureAlgorithm: Uint8Array;
  /** DER of the signatureAlgorithm inside the TBS (must equal the outer one, RFC 5280 4.1.1.2). */
  tbsSignatureAlgorithm: Uint8Array;
  /** The BIT STRING payload without the unused-bits byte. */
  signature: Uint8Array;
  /**
   * The BIT STRING's unused-bits count (0 for every real signature). Go (cryptobyte
   * ReadASN1BitString) and OpenSSL both parse a certificate whose signature has unused bits;
   * the signature check then fails.
   */
  signatureUnusedBits: number;
  /** DER of the issuer Name inside the TBS. */
  issuer: Uint8Array;
  /** DER of the subject Name inside the TBS. */
  subject: Uint8Array;
  /** DER of SubjectPublicKeyInfo. */
  spki: Uint8Array;
  /** X.509 version number as encoded (0 = v1, 2 = v3; may be out of range, or -1 when negative). */
  version: number;
  /** Raw serial number content bytes (two's complement). */
  serial: Uint8Array;
  /** The validity times as encoded: tag (0x17 UTCTime, 0x18 GeneralizedTime) and text. */
  notBefore: { tag: number; text: string };
  notAfter: { tag: number; text: string };
}

export function frameCertificate(der: Uint8Array): CertificateFrame {
  const outer = readTlv(der, 0);
  if (outer.tag !== 0x30) throw new DerError("a certificate must start with a SEQUENCE", 0);
  if (outer.end !== der.length) throw new DerError(`${der.length - outer.end} trailing bytes after the certificate`, outer.end);
  const parts = children(der, outer);
  if (parts.length !== 3) throw new DerError("a certificate has exactly three parts", outer.contentStart);
  const [tbsT, algT, sigT] = parts as [Tlv, Tlv, Tlv];
  if (tbsT.tag !== 0x30 || algT.tag !== 0x30 || sigT.tag !== 0x03)
    throw new DerError("unexpected certificate structure", outer.contentStart);
  const unused = der[sigT.contentStart];
  if (unused === undefined) throw new DerError("the signature BIT STRING is empty", sigT.contentStart);
  // cryptobyte ReadASN1BitString: at most 7 unused bits, and they must be zero.
  const lastSig = sigT.end - sigT.contentStart > 1 ? der[sigT.end - 1]! : 0;
  if (unused > 7 || (unused > 0 && (sigT.end - sigT.contentStart === 1 || (lastSig & ((1 << unused) - 1)) !== 0)))
    throw new DerError("the signature BIT STRING is malformed", sigT.contentStart);
  const tbsParts = children(der, tbsT);
  let i = 0;
  let version = 0;
  if (tbsParts[0]?.tag === 0xa0) {
    const v = children(der, tbsParts[0]!)[0];
    if (v?.tag !== 0x02 || v.end === v.contentStart) throw new DerError("bad version", tbsParts[0]!.start);
    const c = contentOf(der, v);
    if (c[0]! & 0x80) version = -1;
    else for (const b of c) version = Math.min(version * 256 + b, 0xffff);
    i = 1;
  }
  const [serialT, tbsAlgT, issuerT, validityT, subjectT, spkiT] = tbsParts.slice(i, i + 6);
  if (!serialT || !tbsAlgT || !issuerT || !validityT || !subjectT || !spkiT)
    throw new DerError("TBSCertificate is missing fields", tbsT.start);
  if (
    serialT.tag !== 0x02 ||
    tbsAlgT.tag !== 0x30 ||
    issuerT.tag !== 0x30 ||
    validityT.tag !== 0x30 ||
    subjectT.tag !== 0x30 ||
    spkiT.tag !== 0x30
  )
    throw new DerError("unexpected TBSCertificate structure", tbsT.start);
  const times = children(der, validityT);
  if (times.length !== 2) throw new DerError("validity must hold two times", validityT.start);
  const time = (t: Tlv) => ({ tag: t.tag, text: latin1(contentOf(der, t)) });
  return {
    tbs: bytesOf(der, tbsT),
    signatureAlgorithm: bytesOf(der, algT),
    tbsSignatureAlgorithm: bytesOf(der, tbsAlgT),
    signature: der.subarray(sigT.contentStart + 1, sigT.end),
    signatureUnusedBits: unused,
    issuer: bytesOf(der, issuerT),
    subject: bytesOf(der, subjectT),
    spki: bytesOf(der, spkiT),
    version,
    serial: contentOf(der, serialT),
    notBefore: time(times[0]!),
    notAfter: time(times[1]!),
  };
}

/**
 * Dotted forms of OIDs already read (certificates repeat a few dozen OIDs), in a trie by content
 * byte: a lookup walks the bytes with small-integer keys and builds no string. Bounded.
 */
interface OidNode {
  dotted?: string;
  next?: Map<number, OidNode>;
}
const OID_ROOT: OidNode = {};
let oidNodes = 0;

/** Decodes an OBJECT IDENTIFIER's content bytes to dotted form. */
export function decodeOid(content: Uint8Array): string {
  if (content.length > 16) return dottedOid(content);
  let node = OID_ROOT;
  for (let i = 0; i < content.length; i++) {
    const b = content[i]!;
    let next = node.next?.get(b);
    if (next === undefined) {
      if (oidNodes >= 4096) return dottedOid(content);
      next = {};
      oidNodes++;
      if (node.next) node.next.set(b, next);
      else node.next = new Map([[b, next]]);
    }
    node = next;
  }
  if (node.dotted === undefined) node.dotted = dottedOid(content);
  return node.dotted;
}

function dottedOid(content: Uint8Array): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < content.length; i++) {
    const b = content[i]!;
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (parts.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Two lowercase hex digits per byte, in JavaScript (the fallback of toHex). */
export function toHexLoop(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}

// Uint8Array.prototype.toHex (TC39; workerd and current browsers, not Node 24) writes the same
// digits into one flat string: about 4× faster inside workerd than the loop's string of pieces.
const nativeToHex = (Uint8Array.prototype as { toHex?: (this: Uint8Array) => string }).toHex;

/** Two lowercase hex digits per byte (ids, fingerprints, serials, name keys). */
export const toHex: (b: Uint8Array) => string = typeof nativeToHex === "function" ? (b) => nativeToHex.call(b) : toHexLoop;

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Encodes a DER length + tag around content (used to wrap legacy keys into PKCS#8). */
export function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const len = content.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  const out = new Uint8Array(header.length + len);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Walks every constructed TLV (iteratively, with a depth bound) so that BER-only encodings
 * anywhere in the structure are rejected before a lenient parser sees the bytes.
 */
export function assertStrictDer(buf: Uint8Array, maxDepth = 32): void {
  const stack: { end: number; p: number }[] = [];
  const top = readTlv(buf, 0);
  if (top.end !== buf.length) throw new DerError(`${buf.length - top.end} trailing bytes`, top.end);
  if (top.tag & 0x20) stack.push({ p: top.contentStart, end: top.end });
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    if (f.p >= f.end) {
      stack.pop();
      continue;
    }
    const t = readTlv(buf, f.p, f.end);
    f.p = t.end;
    if (t.tag & 0x20) {
      if (stack.length >= maxDepth) throw new DerError("nesting too deep", t.start);
      stack.push({ p: t.contentStart, end: t.end });
    }
  }
}
