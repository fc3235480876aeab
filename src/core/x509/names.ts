// Distinguished names and GeneralNames, read with the strict DER reader so that raw bytes
// (directoryName DER, IP address and mask octets) stay available to name-constraint checks.
import { bytesOf, children, contentOf, decodeOid, DerError, readTlv, toHex, type Tlv } from "../encoding/der.ts";
import { latin1 } from "../encoding/latin1.ts";
import { ATTRIBUTE_SHORT_NAMES } from "./name-oids.ts";
import { formatRdns } from "./name-format.ts";

// One decoder (decode() without `stream` keeps no state between calls).
const UTF8 = new TextDecoder("utf-8");

export interface NameAttribute {
  oid: string;
  /** Short name as OpenSSL prints it (CN, O, postalCode, ...), or the dotted OID. */
  type: string;
  value: string;
  /** ASN.1 string tag of the value (0x0c UTF8String, 0x13 PrintableString, ...). */
  tag: number;
  /** The value's whole DER (tag, length, content): what `OID=#hex` shows and binary matching compares. */
  der: Uint8Array;
}

/** An RDNSequence: outer array = RDNs in encoded order, inner = attributes of one RDN. */
export type RdnSequence = NameAttribute[][];

export function decodeString(buf: Uint8Array, t: Tlv): string {
  const c = contentOf(buf, t);
  switch (t.tag) {
    case 0x1e: {
      // BMPString: UTF-16BE
      let s = "";
      for (let i = 0; i + 1 < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
      return s;
    }
    case 0x1c: {
      // UniversalString: UTF-32BE
      let s = "";
      // A value past U+10FFFF is no character: U+FFFD, as name-format.ts shows it (fromCodePoint throws).
      for (let i = 0; i + 3 < c.length; i += 4) {
        const cp = ((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : "\ufffd";
      }
      return s;
    }
    case 0x14: // T61String: one character per byte, as Go keeps and OpenSSL prints it (latin1.ts)
      return latin1(c);
    default:
      return UTF8.decode(c);
  }
}

export function parseName(buf: Uint8Array, nameTlv: Tlv): RdnSequence {
  const out: RdnSequence = [];
  for (const rdn of children(buf, nameTlv)) {
    if (rdn.tag !== 0x31) throw new DerError("an RDN must be a SET", rdn.start);
    const attrs: NameAttribute[] = [];
    for (const atv of children(buf, rdn)) {
      const [oidT, valT] = children(buf, atv);
      if (oidT?.tag !== 0x06 || !valT) throw new DerError("bad AttributeTypeAndValue", atv.start);
      const oid = decodeOid(contentOf(buf, oidT));
      attrs.push({ oid, type: ATTRIBUTE_SHORT_NAMES[oid] ?? oid, value: decodeString(buf, valT), tag: valT.tag, der: bytesOf(buf, valT) });
    }
    out.push(attrs);
  }
  return out;
}

export function parseNameDer(der: Uint8Array): RdnSequence {
  return parseName(der, readTlv(der, 0));
}

/** RFC 4514 form, as `openssl x509 -noout -subject -nameopt RFC2253,-esc_msb` prints it (see name-format.ts). */
export function formatName(rdns: RdnSequence): string {
  return formatRdns(rdns);
}

export function attributeValues(rdns: RdnSequence, oid: string): string[] {
  const out: string[] = [];
  for (const rdn of rdns) for (const a of rdn) if (a.oid === oid) out.push(a.value);
  return out;
}

export type GeneralNameType = "otherName" | "email" | "dns" | "x400" | "dirName" | "ediParty" | "uri" | "ip" | "registeredID";

export interface GeneralName {
  type: GeneralNameType;
  /** Human form: the string, dotted IP (with /mask in constraints), DN string, OID. */
  value: string;
  /** Raw content bytes: IA5 text bytes, IP (and mask) octets, the Name DER for dirName. */
  raw: Uint8Array;
}

const GN_TYPES: GeneralNameType[] = ["otherName", "email", "dns", "x400", "dirName", "ediParty", "uri", "ip", "registeredID"];

export function formatIp(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join(".");
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
    // Compress the longest run of zero groups, as RFC 5952 asks.
    let best = -1;
    let bestLen = 0;
    for (let i = 0; i < 8; ) {
      if (groups[i] !== "0") {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === "0") j++;
      if (j - i > bestLen && j - i > 1) {
        best = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (best < 0) return groups.join(":");
    return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
  }
  return toHex(b);
}

function prefixLength(mask: Uint8Array): number | null {
  let n = 0;
  let seenZero = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      if (byte & (1 << bit)) {
        if (seenZero) return null;
        n++;
      } else seenZero = true;
    }
  }
  return n;
}

export function parseGeneralName(buf: Uint8Array, t: Tlv): GeneralName {
  const n = t.tag & 0x1f;
  const type = GN_TYPES[n];
  if (!type || (t.tag & 0xc0) !== 0x80) throw new DerError(`unexpected GeneralName tag 0x${t.tag.toString(16)}`, t.start);
  const raw = contentOf(buf, t);
  switch (type) {
    case "email":
    case "dns":
    case "uri":
      return { type, value: latin1(raw), raw };
    case "ip": {
      if (raw.length === 8 || raw.length === 32) {
        const half = raw.length / 2;
        const pl = prefixLength(raw.subarray(half));
        return { type, value: `${formatIp(raw.subarray(0, half))}/${pl ?? `mask:${toHex(raw.subarray(half))}`}`, raw };
      }
      return { type, value: formatIp(raw), raw };
    }
    case "dirName": {
      // [4] EXPLICIT Name: the content is one Name SEQUENCE.
      const inner = readTlv(buf, t.contentStart, t.end);
      if (inner.end !== t.end || inner.tag !== 0x30) throw new DerError("bad directoryName", t.start);
      const der = buf.subarray(inner.start, inner.end);
      return { type, value: formatName(parseName(buf, inner)), raw: der };
    }
    case "registeredID":
      return { type, value: decodeOid(raw), raw };
    case "otherName": {
      const [oidT] = children(buf, t);
      return { type, value: oidT && oidT.tag === 0x06 ? decodeOid(contentOf(buf, oidT)) : "otherName", raw };
    }
    default:
      return { type, value: type, raw };
  }
}

export function parseGeneralNames(buf: Uint8Array, seq: Tlv): GeneralName[] {
  if (seq.tag !== 0x30) throw new DerError("GeneralNames must be a SEQUENCE", seq.start);
  return children(buf, seq).map((t) => parseGeneralName(buf, t));
}
