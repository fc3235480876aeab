// Revocation checking of a built path against the request's CRLs (parsed by crl.ts).
import { bytesEqual } from "../encoding/der.ts";
import type { Cert } from "../x509/cert.ts";
import { spend } from "./budget.ts";
import { CRL_NUMBER, DELTA_CRL_INDICATOR, HANDLED, type Crl } from "./crl.ts";
import type { Failure, VerifyRequest } from "./types.ts";

/** Why a CRL from `issuer` cannot be relied on (RFC 5280 5.2.3, 5.2, 6.3.3 (f)), or null. */
function crlProblem(crl: Crl, issuer: Cert, atMs: number): string | null {
  const num = crl.extensions.find((e) => e.oid === CRL_NUMBER);
  if (!num) return "the CRL has no crlNumber extension (RFC 5280 5.2.3: MUST be included)";
  if (num.critical) return "the CRL's crlNumber extension is critical (RFC 5280 5.2.3: MUST be non-critical)";
  const unknown = crl.extensions.filter((e) => e.critical && !HANDLED.has(e.oid));
  if (unknown.length)
    return `the CRL has unhandled critical extension(s) ${unknown.map((e) => (e.oid === DELTA_CRL_INDICATOR ? "deltaCRLIndicator" : e.oid)).join(", ")} (RFC 5280 5.2)`;
  if (issuer.keyUsage && !issuer.keyUsage.includes("cRLSign"))
    return `${issuer.subject}'s keyUsage lacks cRLSign, so it may not sign CRLs (RFC 5280 4.2.1.3, 6.3.3 (f))`;
  if (crl.thisUpdate.getTime() > atMs) return "the CRL's thisUpdate is after the validation time";
  return null;
}

const crlIds = new WeakMap<object, string>();
let crlCount = 0;
function crlId(crl: object): string {
  let id = crlIds.get(crl);
  if (id === undefined) {
    id = `crl:${++crlCount}`;
    crlIds.set(crl, id);
  }
  return id;
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
      // Its own id, so the verifier's cache of answers by (child id, issuer id) keeps one per CRL
      // (without one, every CRL under an issuer's name got the first one's answer).
      const signed = {
        id: crlId(crl),
        signatureAlgorithm: crl.signatureAlgorithm,
        frame: { tbs: crl.tbs, signature: crl.signature },
      } as unknown as Cert;
      const sig = await req.verifier.verify(signed, issuer);
      if (sig.result !== "valid") continue; // not this issuer's CRL (or uncheckable): it does not speak for it
      const problem = crlProblem(crl, issuer, atMs);
      if (problem)
        return {
          code: "chain.crl-invalid",
          message: `${problem}; the revocation status of ${cert.subject || "(empty subject)"} cannot be established`,
          certificate: cert.id,
        };
      if (crl.revoked.has(cert.serialNumber))
        return {
          code: "chain.revoked",
          message: `${cert.subject || "(empty subject)"} (serial ${cert.serialNumber}) is revoked by a CRL from ${issuer.subject}`,
          certificate: cert.id,
        };
    }
  }
  return null;
}
