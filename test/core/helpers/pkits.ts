// NIST PKITS (Public Key Interoperability Test Suite, "Test Certificates 2011") cases rebuilt
// byte by byte: the same names, string types, RDN order, whitespace, capitalisation and time
// encodings as the PKITS certificates, the same shape (RSA 2048, SHA-256, critical
// basicConstraints and keyUsage on CAs, key identifiers), each CA with its own key. Only what a
// case exercises differs from a plain valid chain. No PKITS file is used or committed.
import { craftCert, generalizedTime, int, octets, oid, seq, set, tlv, TRUE, bytes, extension, utcTime } from "./craft.ts";

const PRINTABLE = 0x13;
const UTF8 = 0x0c;
const C = "2.5.4.6";
const O = "2.5.4.10";
const OU = "2.5.4.11";
const CN = "2.5.4.3";

/** One attribute per RDN, in DER order (C first): [attribute type OID, string tag, value]. */
export type Rdn = [string, number, string];
export const name = (...rdns: Rdn[]) => seq(...rdns.map(([t, tag, v]) => set(seq(oid(t), tlv(tag, new TextEncoder().encode(v))))));

const p = (t: string, v: string): Rdn => [t, PRINTABLE, v];
const u = (t: string, v: string): Rdn => [t, UTF8, v];
/** C=US, O=Test Certificates 2011, CN=<cn>, all PrintableString: how PKITS names nearly everything. */
const pkitsName = (cn: string, org = "Test Certificates 2011") => name(p(C, "US"), p(O, org), p(CN, cn));

const keyPair = () =>
  crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: bytes(1, 0, 1), hash: "SHA-256" }, true, [
    "sign",
    "verify",
  ]) as Promise<CryptoKeyPair>;
const spkiOf = async (k: CryptoKeyPair) => new Uint8Array(await crypto.subtle.exportKey("spki", k.publicKey));
const keyId = async (spki: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-1", spki as BufferSource)).subarray(0, 20);

// PKITS validity: 2010-01-01 08:30 to 2030-12-31 08:30, UTCTime.
const NOT_BEFORE = utcTime("100101083000Z");
const NOT_AFTER = utcTime("301231083000Z");

interface Issuer {
  der: Uint8Array;
  keys: CryptoKeyPair;
  ski: Uint8Array;
  /** The subject Name exactly as encoded. */
  subject: Uint8Array;
}

let serial = 1;
async function issueCert(o: {
  subject: Uint8Array;
  issuerName?: Uint8Array;
  issuer?: Issuer;
  ca: boolean;
  notBefore?: Uint8Array;
  notAfter?: Uint8Array;
}): Promise<Issuer> {
  const keys = await keyPair();
  const spki = await spkiOf(keys);
  const ski = await keyId(spki);
  const exts = [extension("2.5.29.14", octets(ski))];
  if (o.issuer) exts.push(extension("2.5.29.35", seq(tlv(0x80, o.issuer.ski))));
  // keyUsage: keyCertSign + cRLSign (03 02 01 06) on CAs, digitalSignature (03 02 07 80) on end entities.
  exts.push(extension("2.5.29.15", o.ca ? bytes(0x03, 0x02, 0x01, 0x06) : bytes(0x03, 0x02, 0x07, 0x80), TRUE));
  if (o.ca) exts.push(extension("2.5.29.19", seq(TRUE), TRUE));
  const der = await craftCert({
    serial: int(serial++).subarray(2),
    issuer: o.issuerName ?? o.issuer?.subject ?? o.subject,
    subject: o.subject,
    notBefore: o.notBefore ?? NOT_BEFORE,
    notAfter: o.notAfter ?? NOT_AFTER,
    spki,
    signer: o.issuer?.keys ?? keys,
    extensions: exts,
  });
  return { der, keys, ski, subject: o.subject };
}

export interface PkitsCase {
  /** PKITS document section and test name. */
  section: string;
  test: string;
  /** The result the PKITS document gives ("Valid ..." / "Invalid ..."). */
  valid: boolean;
  anchor: Uint8Array;
  intermediate: Uint8Array;
  leaf: Uint8Array;
  /** The intermediate's subject and the leaf's issuer, as encoded (for the test to show they differ). */
  caSubject: Uint8Array;
  leafIssuer: Uint8Array;
}

/** The PKITS cases of sections 4.2 (validity encodings) and 4.3 (name chaining) that RFC 5280 7.1 and Go's Verify see differently or alike. */
export async function pkitsCases(): Promise<PkitsCase[]> {
  // Trust Anchor Root Certificate: C=US, O=Test Certificates 2011, CN=Trust Anchor.
  const ta = await issueCert({ subject: pkitsName("Trust Anchor"), ca: true });
  const ca = (subject: Uint8Array) => issueCert({ subject, issuer: ta, ca: true });
  // Good CA Cert: C=US, O=Test Certificates 2011, CN=Good CA.
  const good = await ca(pkitsName("Good CA"));
  const out: PkitsCase[] = [];
  const add = async (
    section: string,
    test: string,
    valid: boolean,
    inter: Issuer,
    ee: { cn: string; issuerName?: Uint8Array; subject?: Uint8Array; notBefore?: Uint8Array; notAfter?: Uint8Array },
  ) => {
    const issuerName = ee.issuerName ?? inter.subject;
    const leaf = await issueCert({
      subject: ee.subject ?? pkitsName(ee.cn),
      issuer: inter,
      issuerName,
      ca: false,
      notBefore: ee.notBefore,
      notAfter: ee.notAfter,
    });
    out.push({
      section,
      test,
      valid,
      anchor: ta.der,
      intermediate: inter.der,
      leaf: leaf.der,
      caSubject: inter.subject,
      leafIssuer: issuerName,
    });
  };

  // 4.2.4: notBefore 2002-01-01 12:01:00 encoded as GeneralizedTime (RFC 5280 4.1.2.5 asks CAs for UTCTime before 2050; path validation accepts it).
  await add("4.2.4", "Valid GeneralizedTime notBefore Date Test4", true, good, {
    cn: "Valid GeneralizedTime notBefore Date EE Certificate Test4",
    notBefore: generalizedTime("20020101120100Z"),
  });
  // 4.2.8: notAfter 2050-01-01 12:01:00 as GeneralizedTime (what RFC 5280 requires from 2050).
  await add("4.2.8", "Valid GeneralizedTime notAfter Date Test8", true, good, {
    cn: "Valid GeneralizedTime notAfter Date EE Certificate Test8",
    notAfter: generalizedTime("20500101120100Z"),
  });
  // 4.3.1: the issuer's CN ("Good CA Root") is not the CA's CN ("Good CA").
  await add("4.3.1", "Invalid Name Chaining EE Test1", false, good, {
    cn: "Invalid Name Chaining EE Certificate Test1",
    issuerName: pkitsName("Good CA Root"),
  });
  // 4.3.2: same RDNs, different order: the CA (Name Ordering CA) has OU=...1 before OU=...2, the EE's issuer OU=...2 before OU=...1.
  const ou1 = p(OU, "Organizational Unit Name 1");
  const ou2 = p(OU, "Organizational Unit Name 2");
  const ordering = await ca(name(p(C, "US"), p(O, "Test Certificates 2011"), ou1, ou2, p(CN, "Name Ordering CA")));
  await add("4.3.2", "Invalid Name Chaining Order Test2", false, ordering, {
    cn: "Invalid Name Chaining Order EE Certificate Test2",
    issuerName: name(p(C, "US"), p(O, "Test Certificates 2011"), ou2, ou1, p(CN, "Name Ordering CA")),
  });
  // 4.3.3: internal whitespace differs ("Test  Certificates 2011", "Good     CA").
  await add("4.3.3", "Valid Name Chaining Whitespace Test3", true, good, {
    cn: "Valid Name Chaining Whitespace EE Certificate Test3",
    issuerName: pkitsName("Good     CA", "Test  Certificates 2011"),
  });
  // 4.3.4: leading and trailing whitespace differs ("   Good CA", "Test Certificates 2011   ").
  await add("4.3.4", "Valid Name Chaining Whitespace Test4", true, good, {
    cn: "Valid Name Chaining Whitespace EE Certificate Test4",
    issuerName: pkitsName("   Good CA", "Test Certificates 2011   "),
  });
  // 4.3.5: capitalisation differs ("GOOD CA").
  await add("4.3.5", "Valid Name Chaining Capitalization Test5", true, good, {
    cn: "Valid Name Chaining Capitalization EE Certificate Test5",
    issuerName: pkitsName("GOOD CA"),
  });
  // 4.3.10: the CA's subject is PrintableString, the EE's issuer the same text in UTF8String (C stays PrintableString).
  const rollover = await ca(pkitsName("Rollover from PrintableString to UTF8String CA"));
  await add("4.3.10", "Valid Rollover from PrintableString to UTF8String Test10", true, rollover, {
    cn: "",
    subject: name(p(C, "US"), u(O, "Test Certificates 2011"), u(CN, "Valid Rollover PrintableString to UTF8String EE Cert Test10")),
    issuerName: name(p(C, "US"), u(O, "Test Certificates 2011"), u(CN, "Rollover from PrintableString to UTF8String CA")),
  });
  // 4.3.11: both UTF8String, differing in case and whitespace ("  test certificates 2011  ", "utf8string case  insensitive match CA").
  const utf8 = await ca(name(p(C, "US"), u(O, "Test Certificates 2011"), u(CN, "UTF8String Case Insensitive Match CA")));
  await add("4.3.11", "Valid UTF8String Case Insensitive Match Test11", true, utf8, {
    cn: "",
    subject: name(p(C, "US"), u(O, "Test Certificates 2011"), u(CN, "Valid UTF8String Case Insensitive Match EE Certificate Test11")),
    issuerName: name(p(C, "US"), u(O, "  test certificates 2011  "), u(CN, "utf8string case  insensitive match CA")),
  });
  return out;
}
