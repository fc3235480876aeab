// Certificate revocation lists (RFC 5280 5, 6.3): a strict parser and the check applied to a
// built path. A CRL counts only when its issuer name matches the certificate's issuer and its
// signature verifies with that issuer's key; a CRL that counts but breaks the profile (no
// crlNumber, crlNumber critical, unknown critical extension, issuer without cRLSign) makes the
// path fail rather than being silently ignored.
import { assertStrictDer, bytesEqual, children, contentOf, decodeOid, readTlv, toHex, type Tlv } from "../encoding/der.ts";
import { describeSignature, parseTime, type Anomaly, type Cert, type Extension, type SignatureAlgorithm } from "../x509/cert.ts";
import { OID } from "../x509/oids.ts";
import { spend } from "./budget.ts";
import type { Failure } from "./policy.ts";
import type { VerifyRequest } from "./types.ts";

const CRL_NUMBER = "2.5.29.20";
const DELTA_CRL_INDICATOR = "2.5.29.27";
/** CRL extensions whose meaning the check implements (RFC 5280 5.2). */
const HANDLED = new Set<string>([OID.authorityKeyIdentifier, CRL_NUMBER, OID.issuerAltName]);

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
  return parseTime({ tag: t.tag, text: new TextDecoder("latin1").decode(contentOf(der, t)) }, [] as Anomaly[]);
}

/** Parses one DER CRL (RFC 5280 5.1). Throws CrlParseError. */
export function parseCrl(der: Uint8Array): Crl {
  try {
    assertStrictDer(der);
    const outer = readTlv(der, 0);
    const [tbsT, algT, sigT] = children(der, outer);
    if (!tbsT || !algT || !sigT || tbsT.tag !== 0x30 || algT.tag !== 0x30 || sigT.tag !== 0x03 || der[sigT.contentStart] !== 0) throw new CrlParseError("not a CertificateList");
    const parts = children(der, tbsT);
    let i = 0;
    if (parts[0]?.tag === 0x02) i++; // version v2
    const tbsAlg = parts[i++];
    const issuerT = parts[i++];
    const thisT = parts[i++];
    if (!tbsAlg || !issuerT || !thisT || issuerT.tag !== 0x30) throw new CrlParseError("TBSCertList is missing fields");
    if (!bytesEqual(der.subarray(tbsAlg.start, tbsAlg.end), der.subarray(algT.start, algT.end))) throw new CrlParseError("inner and outer signature algorithms differ (RFC 5280 5.1.2.2)");
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
        if (!serialT || serialT.tag !== 0x02) throw new CrlParseError("bad revoked entry");
        crl.revoked.add(toHex(contentOf(der, serialT)));
      }
      next = parts[++i];
    }
    if (next && next.tag === 0xa0) {
      const seq = readTlv(der, next.contentStart, next.end);
      for (const e of children(der, seq)) {
        const ps = children(der, e);
        const oidT = ps[0];
        if (!oidT || oidT.tag !== 0x06) throw new CrlParseError("bad CRL extension");
        let critical = false;
        let valueT = ps[1];
        if (valueT?.tag === 0x01) {
          critical = der[valueT.contentStart] !== 0;
          valueT = ps[2];
        }
        if (!valueT || valueT.tag !== 0x04) throw new CrlParseError("bad CRL extension value");
        crl.extensions.push({ oid: decodeOid(contentOf(der, oidT)), critical, value: contentOf(der, valueT) });
      }
    }
    return crl;
  } catch (e) {
    if (e instanceof CrlParseError) throw e;
    throw new CrlParseError(e instanceof Error ? e.message : "unreadable CRL");
  }
}

/** Why a CRL from `issuer` cannot be relied on (RFC 5280 5.2.3, 5.2, 6.3.3 (f)), or null. */
function crlProblem(crl: Crl, issuer: Cert, atMs: number): string | null {
  const num = crl.extensions.find((e) => e.oid === CRL_NUMBER);
  if (!num) return "the CRL has no crlNumber extension (RFC 5280 5.2.3: MUST be included)";
  if (num.critical) return "the CRL's crlNumber extension is critical (RFC 5280 5.2.3: MUST be non-critical)";
  const unknown = crl.extensions.filter((e) => e.critical && !HANDLED.has(e.oid));
  if (unknown.length) return `the CRL has unhandled critical extension(s) ${unknown.map((e) => (e.oid === DELTA_CRL_INDICATOR ? "deltaCRLIndicator" : e.oid)).join(", ")} (RFC 5280 5.2)`;
  if (issuer.keyUsage && !issuer.keyUsage.includes("cRLSign")) return `${issuer.subject}'s keyUsage lacks cRLSign, so it may not sign CRLs (RFC 5280 4.2.1.3, 6.3.3 (f))`;
  if (crl.thisUpdate.getTime() > atMs) return "the CRL's thisUpdate is after the validation time";
  return null;
}

/**
 * Checks each certificate on `path` (leaf first, anchor last) against the request's CRLs from
 * its issuer. Returns the first failure (chain.revoked or chain.crl-invalid) or null.
 */
export async function checkRevocation(req: VerifyRequest, path: Cert[], atMs: number): Promise<Failure | null> {
  const crls = req.crls ?? [];
  if (crls.length === 0) return null;
  for (let i = 0; i + 1 < path.length; i++) {
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    for (const crl of crls) {
      if (!bytesEqual(crl.issuer, issuer.frame.subject)) continue;
      spend(req.budget, "signatures");
      // SignatureVerifier reads only the signed bytes, the signature and its algorithm.
      const signed = { signatureAlgorithm: crl.signatureAlgorithm, frame: { tbs: crl.tbs, signature: crl.signature } } as unknown as Cert;
      const sig = await req.verifier.verify(signed, issuer);
      if (sig.result !== "valid") continue; // not this issuer's CRL (or uncheckable): it does not speak for it
      const problem = crlProblem(crl, issuer, atMs);
      if (problem) return { code: "chain.crl-invalid", message: `${problem}; the revocation status of ${cert.subject || "(empty subject)"} cannot be established`, certificate: cert.id };
      if (crl.revoked.has(cert.serialNumber)) return { code: "chain.revoked", message: `${cert.subject || "(empty subject)"} (serial ${cert.serialNumber}) is revoked by a CRL from ${issuer.subject}`, certificate: cert.id };
    }
  }
  return null;
}
