// PKCS#12 (RFC 7292) as far as the core reads it without a password: whether bytes are a PFX,
// and the certificates of one that holds only unencrypted certificate bags (`openssl pkcs12
// -export -nokeys -certpbe NONE`). Anything encrypted or any key bag is for the CLI, which has
// the password and decrypts locally (src/cli/pkcs12.ts).
import { children, decodeOid, DerError, readTlv, type Tlv } from "./der.ts";

const DATA = "1.2.840.113549.1.7.1";
const CERT_BAG = "1.2.840.113549.1.12.10.1.3";
const X509_CERT = "1.2.840.113549.1.9.22.1";
const KEY_BAGS = new Set(["1.2.840.113549.1.12.10.1.1", "1.2.840.113549.1.12.10.1.2"]);

export type Pkcs12Shape =
  | { kind: "certificates"; certificates: Uint8Array[] }
  /** Holds a private key, or encrypted parts that may hold one. */
  | { kind: "secret"; why: "private-key" | "encrypted" };

/** The OID value of `t`; a missing field or another type is a damaged file (DerError). */
function oidOf(b: Uint8Array, t: Tlv | undefined): string {
  if (t?.tag !== 0x06) throw new DerError("an OID is missing", t?.start ?? 0);
  return decodeOid(b.subarray(t.contentStart, t.end));
}

/** The OCTET STRING inside a ContentInfo of type data ([0] EXPLICIT OCTET STRING, primitive). */
function dataOf(b: Uint8Array, ci: Tlv): Uint8Array | null {
  const [type, content] = children(b, ci);
  if (type?.tag !== 0x06 || oidOf(b, type) !== DATA || content?.tag !== 0xa0) return null;
  const os = readTlv(b, content.contentStart, content.end);
  return os.tag === 0x04 ? b.subarray(os.contentStart, os.end) : null;
}

/** True when `der` is a PFX: SEQUENCE { INTEGER 3, ContentInfo, ... }. Cheap. */
export function looksLikePkcs12(der: Uint8Array): boolean {
  try {
    const pfx = readTlv(der, 0);
    if (pfx.tag !== 0x30) return false;
    const [version, ci] = children(der, pfx);
    if (version?.tag !== 0x02 || version.end - version.contentStart !== 1 || der[version.contentStart] !== 3) return false;
    return ci?.tag === 0x30 && children(der, ci)[0]?.tag === 0x06;
  } catch (e) {
    if (e instanceof DerError) return false;
    throw e;
  }
}

/** What a PFX holds, read without a password. Throws DerError for a damaged one. */
export function pkcs12Shape(der: Uint8Array): Pkcs12Shape {
  const [, ci] = children(der, readTlv(der, 0));
  if (!ci) throw new DerError("the PFX has no content", 0);
  const authSafe = dataOf(der, ci);
  if (!authSafe) return { kind: "secret", why: "encrypted" };
  const certificates: Uint8Array[] = [];
  for (const part of children(authSafe, readTlv(authSafe, 0))) {
    const bags = dataOf(authSafe, part);
    if (!bags) return { kind: "secret", why: "encrypted" };
    for (const bag of children(bags, readTlv(bags, 0))) {
      const [id, value] = children(bags, bag);
      const bagId = oidOf(bags, id);
      if (KEY_BAGS.has(bagId)) return { kind: "secret", why: "private-key" };
      if (bagId !== CERT_BAG || !value) continue;
      const certBag = readTlv(bags, value.contentStart, value.end);
      const [certId, certValue] = children(bags, certBag);
      if (oidOf(bags, certId) !== X509_CERT || !certValue) continue;
      const os = readTlv(bags, certValue.contentStart, certValue.end);
      if (os.tag === 0x04) certificates.push(bags.slice(os.contentStart, os.end));
    }
  }
  return { kind: "certificates", certificates };
}
