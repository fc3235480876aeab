// The certificates carried by a PKCS#7 / CMS SignedData (a `.p7b` bundle, `-----BEGIN PKCS7-----`),
// as `openssl pkcs7 -print_certs` lists them: RFC 5652 5.1, SignedData.certificates [0].
// Go's crypto/x509 does not read PKCS#7; callers say so where it matters.
import { bytesOf, children, decodeOid, DerError, readTlv, type Tlv } from "./der.ts";

const SIGNED_DATA = "1.2.840.113549.1.7.2";

export class Pkcs7Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Pkcs7Error";
  }
}

/** True when `der` starts like a ContentInfo holding SignedData (cheap, no full parse). */
export function looksLikePkcs7(der: Uint8Array): boolean {
  try {
    const ci = readTlv(der, 0);
    if (ci.tag !== 0x30 || ci.end !== der.length) return false;
    const oid = readTlv(der, ci.contentStart, ci.end);
    return oid.tag === 0x06 && decodeOid(der.subarray(oid.contentStart, oid.end)) === SIGNED_DATA;
  } catch (e) {
    if (e instanceof DerError) return false;
    throw e;
  }
}

/** The DER of each X.509 certificate in SignedData.certificates, in order. */
export function pkcs7Certificates(der: Uint8Array): Uint8Array[] {
  let kids: Tlv[];
  try {
    const ci = readTlv(der, 0);
    if (ci.tag !== 0x30 || ci.end !== der.length) throw new Pkcs7Error("it is not a DER ContentInfo (or has trailing bytes)");
    const [type, content] = children(der, ci);
    if (type?.tag !== 0x06 || decodeOid(der.subarray(type.contentStart, type.end)) !== SIGNED_DATA)
      throw new Pkcs7Error("it holds no SignedData");
    if (content?.tag !== 0xa0) throw new Pkcs7Error("its SignedData content is missing");
    const sd = readTlv(der, content.contentStart, content.end);
    if (sd.tag !== 0x30) throw new Pkcs7Error("its SignedData is not a SEQUENCE");
    kids = children(der, sd);
  } catch (e) {
    if (e instanceof DerError) throw new Pkcs7Error(`it is not valid DER (${e.message})`);
    throw e;
  }
  // version, digestAlgorithms, encapContentInfo, then [0] IMPLICIT certificates if present.
  const certSet = kids.slice(3).find((t) => t.tag === 0xa0);
  if (!certSet) return [];
  let choices: Tlv[];
  try {
    choices = children(der, certSet);
  } catch (e) {
    if (e instanceof DerError) throw new Pkcs7Error(`its certificate set is not valid DER (${e.message})`);
    throw e;
  }
  // CertificateChoices: a plain Certificate is a SEQUENCE; [0]..[3] are other kinds (RFC 5652 10.2.2).
  return choices.filter((t) => t.tag === 0x30).map((t) => bytesOf(der, t).slice());
}
