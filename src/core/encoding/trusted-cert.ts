// OpenSSL's `-----BEGIN TRUSTED CERTIFICATE-----` body: the certificate's DER followed by the
// trust settings OpenSSL keeps beside it (X509_CERT_AUX in OpenSSL's crypto/x509/x_x509a.c:
// SEQUENCE { trust SEQUENCE OF OID OPTIONAL, reject [0] IMPLICIT SEQUENCE OF OID OPTIONAL,
// alias UTF8String OPTIONAL, keyid OCTET STRING OPTIONAL, other [1] IMPLICIT ... OPTIONAL }),
// as `openssl x509 -trustout -addtrust/-addreject/-setalias` writes it.
import { children, decodeOid, DerError, readTlv, toHex } from "./der.ts";

export interface TrustSettings {
  /** Purposes OpenSSL trusts the certificate for (OIDs). */
  trusted: string[];
  /** Purposes OpenSSL refuses it for (OIDs). */
  rejected: string[];
  alias: string | null;
  keyId: string | null;
}

export class TrustedCertError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrustedCertError";
  }
}

/** The certificate's DER and the trust settings after it (null when there are none). */
export function splitTrustedCertificate(der: Uint8Array): { cert: Uint8Array; trust: TrustSettings | null } {
  try {
    const cert = readTlv(der, 0);
    if (cert.tag !== 0x30) throw new TrustedCertError("it does not start with a certificate");
    if (cert.end === der.length) return { cert: der, trust: null };
    const aux = readTlv(der, cert.end);
    if (aux.tag !== 0x30 || aux.end !== der.length)
      throw new TrustedCertError("the trust settings after the certificate are not one DER SEQUENCE");
    const trust: TrustSettings = { trusted: [], rejected: [], alias: null, keyId: null };
    const oids = (t: { contentStart: number; end: number; tag: number; start: number }) =>
      children(der, t).map((o) => {
        if (o.tag !== 0x06) throw new TrustedCertError("a trust setting is not an OID");
        return decodeOid(der.subarray(o.contentStart, o.end));
      });
    for (const t of children(der, aux)) {
      if (t.tag === 0x30) trust.trusted = oids(t);
      else if (t.tag === 0xa0) trust.rejected = oids(t);
      else if (t.tag === 0x0c) trust.alias = new TextDecoder("utf-8", { fatal: false }).decode(der.subarray(t.contentStart, t.end));
      else if (t.tag === 0x04) trust.keyId = toHex(der.subarray(t.contentStart, t.end));
    }
    return { cert: der.subarray(0, cert.end), trust };
  } catch (e) {
    if (e instanceof DerError) throw new TrustedCertError(`it is not valid DER (${e.message})`);
    throw e;
  }
}

/** OpenSSL's short and long names of the purposes trust settings name (crypto/objects/objects.txt). */
export const PURPOSE_NAMES: Record<string, [string, string]> = {
  "1.3.6.1.5.5.7.3.1": ["serverAuth", "TLS Web Server Authentication"],
  "1.3.6.1.5.5.7.3.2": ["clientAuth", "TLS Web Client Authentication"],
  "1.3.6.1.5.5.7.3.3": ["codeSigning", "Code Signing"],
  "1.3.6.1.5.5.7.3.4": ["emailProtection", "E-mail Protection"],
  "1.3.6.1.5.5.7.3.8": ["timeStamping", "Time Stamping"],
  "1.3.6.1.5.5.7.3.9": ["OCSPSigning", "OCSP Signing"],
  "2.5.29.37.0": ["anyExtendedKeyUsage", "Any Extended Key Usage"],
};

export function purposeName(oid: string): string {
  const n = PURPOSE_NAMES[oid];
  return n ? `${n[0]} (${n[1]})` : oid;
}
