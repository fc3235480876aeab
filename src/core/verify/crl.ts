// Certificate revocation lists (RFC 5280 5, 6.3): a strict parser (the check applied to a
// built path is in revocation.ts). A CRL counts only when its issuer name matches the certificate's issuer and its
// signature verifies with that issuer's key; a CRL that counts but breaks the profile (no
// crlNumber, crlNumber critical, unknown critical extension, issuer without cRLSign) makes the
// path fail rather than being silently ignored.
import { assertStrictDer, bytesEqual, children, contentOf, decodeOid, readTlv, toHex, type Tlv } from "../encoding/der.ts";
import { latin1 } from "../encoding/latin1.ts";
import { describeSignature, parseTime, type Anomaly, type Extension, type SignatureAlgorithm } from "../x509/cert.ts";
import { OID } from "../x509/oids.ts";

export const CRL_NUMBER = "2.5.29.20";
export const DELTA_CRL_INDICATOR = "2.5.29.27";
/** CRL extensions whose meaning the check implements (RFC 5280 5.2). */
export const HANDLED = new Set<string>([OID.authorityKeyIdentifier, CRL_NUMBER, OID.issuerAltName]);

export class CrlParseError extends Error {
  override name = "CrlParseError";
}

export interface Crl {
  der: Uint8Array;
  tbs: Uint8Array;
  signature: Uint8Array;
  signatureAlgorithm: SignatureAlgorithm;
  /** DER of the issuer Name. */
  issuer: Uint8Array;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Revoked serial numbers as hex of the INTEGER content (the same form as Cert.serialNumber). */
  revoked: Set<string>;
  extensions: Extension[];
}

function time(der: Uint8Array, t: Tlv): Date {
  if (t.tag !== 0x17 && t.tag !== 0x18) throw new CrlParseError("bad CRL time");
  return parseTime({ tag: t.tag, text: latin1(contentOf(der, t)) }, [] as Anomaly[]);
}

/** Parses one DER CRL (RFC 5280 5.1). Throws CrlParseError. */
export function parseCrl(der: Uint8Array): Crl {
  try {
    assertStrictDer(der);
    const outer = readTlv(der, 0);
    const [tbsT, algT, sigT] = children(der, outer);
    if (!tbsT || !algT || !sigT || tbsT.tag !== 0x30 || algT.tag !== 0x30 || sigT.tag !== 0x03 || der[sigT.contentStart] !== 0)
      throw new CrlParseError("not a CertificateList");
    const parts = children(der, tbsT);
    let i = 0;
    if (parts[0]?.tag === 0x02) i++; // version v2
    const tbsAlg = parts[i++];
    const issuerT = parts[i++];
    const thisT = parts[i++];
    if (!tbsAlg || !issuerT || !thisT || issuerT.tag !== 0x30) throw new CrlParseError("TBSCertList is missing fields");
    if (!bytesEqual(der.subarray(tbsAlg.start, tbsAlg.end), der.subarray(algT.start, algT.end)))
      throw new CrlParseError("inner and outer signature algorithms differ (RFC 5280 5.1.2.2)");
    const crl: Crl = {
      der,
      tbs: der.subarray(tbsT.start, tbsT.end),
      signature: der.subarray(sigT.contentStart + 1, sigT.end),
      signatureAlgorithm: describeSignature(der.subarray(algT.start, algT.end)),
      issuer: der.subarray(issuerT.start, issuerT.end),
      thisUpdate: time(der, thisT),
      revoked: new Set(),
      extensions: [],
    };
    let next = parts[i];
    if (next && (next.tag === 0x17 || next.tag === 0x18)) {
      crl.nextUpdate = time(der, next);
      next = parts[++i];
    }
    if (next && next.tag === 0x30) {
      for (const entry of children(der, next)) {
        const [serialT] = children(der, entry);
        if (serialT?.tag !== 0x02) throw new CrlParseError("bad revoked entry");
        crl.revoked.add(toHex(contentOf(der, serialT)));
      }
      next = parts[++i];
    }
    if (next && next.tag === 0xa0) {
      const seq = readTlv(der, next.contentStart, next.end);
      for (const e of children(der, seq)) {
        const ps = children(der, e);
        const oidT = ps[0];
        if (oidT?.tag !== 0x06) throw new CrlParseError("bad CRL extension");
        let critical = false;
        let valueT = ps[1];
        if (valueT?.tag === 0x01) {
          critical = der[valueT.contentStart] !== 0;
          valueT = ps[2];
        }
        if (valueT?.tag !== 0x04) throw new CrlParseError("bad CRL extension value");
        crl.extensions.push({ oid: decodeOid(contentOf(der, oidT)), critical, value: contentOf(der, valueT) });
      }
    }
    return crl;
  } catch (e) {
    if (e instanceof CrlParseError) throw e;
    throw new CrlParseError(e instanceof Error ? e.message : "unreadable CRL");
  }
}
