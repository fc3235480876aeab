// The relation between the CA that issued the client certificate and the cluster CA(s) in the
// kubeconfig. In kubeadm and most managed clusters both are one certificate; when they differ
// the API server's --client-ca-file decides, and a same-name-different-key relation is the
// classic outage after a CA rotation.
import { bytesEqual } from "../encoding/der.ts";
import type { CaRelation } from "../report/types.ts";
import type { Cert } from "../x509/cert.ts";
import type { SignatureVerifier } from "../x509/signature.ts";

export interface CaIdentity {
  relation: CaRelation;
  clientIssuer: Cert | null;
  clusterCA: Cert | null;
  explanation: string;
}

const sameSpki = (a: Cert, b: Cert) => bytesEqual(a.frame.spki, b.frame.spki);
const sameName = (a: Uint8Array, b: Uint8Array) => bytesEqual(a, b);

/**
 * Signature checks one relation may spend: the same 100 Go allows one Verify call
 * (maxChainSignatureChecks, since CVE-2018-16875), so a crafted bundle of look-alike CAs cannot
 * make the comparison expensive.
 */
export const RELATION_SIGNATURE_BUDGET = 100;

class OutOfBudget extends Error {}

function signer(verifier: SignatureVerifier) {
  let left = RELATION_SIGNATURE_BUDGET;
  return async (issuer: Cert, child: Cert): Promise<boolean> => {
    if (
      !(
        sameName(child.frame.issuer, issuer.frame.subject) ||
        (child.authorityKeyId?.keyId !== undefined && child.authorityKeyId.keyId === issuer.subjectKeyId)
      )
    )
      return false;
    if (--left < 0) throw new OutOfBudget();
    return (await verifier.verify(child, issuer)).result === "valid";
  };
}

/**
 * `pool` holds every other certificate of the request (client chain, clientCA, bundle), used
 * to find the client's issuer and cross-certificates.
 */
export async function caIdentity(leaf: Cert | null, clusterCAs: Cert[], pool: Cert[], verifier: SignatureVerifier): Promise<CaIdentity> {
  try {
    return await relate(leaf, clusterCAs, pool, signer(verifier));
  } catch (e) {
    if (!(e instanceof OutOfBudget)) throw e;
    return {
      relation: "unknown",
      clientIssuer: null,
      clusterCA: clusterCAs[0] ?? null,
      explanation: `The comparison gave up after ${RELATION_SIGNATURE_BUDGET} signature checks: the input holds too many look-alike CA certificates.`,
    };
  }
}

async function relate(
  leaf: Cert | null,
  clusterCAs: Cert[],
  pool: Cert[],
  signs: (issuer: Cert, child: Cert) => Promise<boolean>,
): Promise<CaIdentity> {
  if (!leaf)
    return {
      relation: "unknown",
      clientIssuer: null,
      clusterCA: null,
      explanation: "There is no client certificate, so there is no client CA to compare.",
    };
  if (clusterCAs.length === 0)
    return {
      relation: "unknown",
      clientIssuer: null,
      clusterCA: null,
      explanation: "The cluster has no certificate-authority-data to compare with.",
    };

  // 1. Signed directly by a cluster CA certificate.
  for (const ca of clusterCAs) {
    if (await signs(ca, leaf)) {
      const presented = pool.find((c) => c.id !== ca.id && sameName(c.frame.subject, leaf.frame.issuer) && sameSpki(c, ca));
      if (presented)
        return {
          relation: "same-key",
          clientIssuer: presented,
          clusterCA: ca,
          explanation: `The client certificate's issuer "${presented.subject}" is a re-issued copy of the cluster CA: same key, different certificate. Signatures verify against either.`,
        };
      return {
        relation: "same-certificate",
        clientIssuer: ca,
        clusterCA: ca,
        explanation: `The cluster CA "${ca.subject}" signed the client certificate: one CA serves both roles, as kubeadm sets it up.`,
      };
    }
  }
  // 2. The issuer among the other certificates (client chain, clientCA, bundle).
  let issuer: Cert | null = null;
  for (const c of pool)
    if (c.id !== leaf.id && (await signs(c, leaf))) {
      issuer = c;
      break;
    }
  if (issuer) {
    const twin = clusterCAs.find((ca) => sameSpki(ca, issuer!));
    if (twin)
      return {
        relation: "same-key",
        clientIssuer: issuer,
        clusterCA: twin,
        explanation: `The client's issuer "${issuer.subject}" has the same key as the cluster CA "${twin.subject}" but is a different certificate (re-issued CA).`,
      };
    // Walk up from the issuer: reaching a cluster CA through intermediates or a
    // cross-certificate means the cluster CA vouches for the client's issuer.
    const seen = new Set<string>([issuer.id]);
    let frontier: Cert[] = [issuer];
    for (let depth = 0; depth < 6 && frontier.length; depth++) {
      const next: Cert[] = [];
      for (const f of frontier) {
        for (const ca of clusterCAs)
          if (await signs(ca, f)) {
            const viaCross = !f.selfIssued && pool.some((p) => p.id !== f.id && sameSpki(p, f));
            return {
              relation: viaCross ? "cross-signed" : "same-certificate",
              clientIssuer: issuer,
              clusterCA: ca,
              explanation: viaCross
                ? `The client's issuer "${issuer.subject}" is cross-signed by the cluster CA "${ca.subject}".`
                : `The client certificate chains to the cluster CA "${ca.subject}" through the intermediate "${issuer.subject}".`,
            };
          }
        for (const p of pool)
          if (!seen.has(p.id) && (await signs(p, f))) {
            seen.add(p.id);
            next.push(p);
          }
      }
      frontier = next;
    }
    // A cross-certificate of a cluster CA signed by the client's CA also links the two.
    for (const ca of clusterCAs) {
      const cross = pool.find((p) => p.id !== ca.id && sameSpki(p, ca) && sameName(p.frame.issuer, issuer!.frame.subject));
      if (cross && (await signs(issuer, cross)))
        return {
          relation: "cross-signed",
          clientIssuer: issuer,
          clusterCA: ca,
          explanation: `The client's CA "${issuer.subject}" cross-signed the cluster CA "${ca.subject}".`,
        };
    }
  }
  // 3. A cluster CA with the issuer's name but another key: a rotated CA.
  const namesake = clusterCAs.find((ca) => sameName(ca.frame.subject, leaf.frame.issuer));
  if (namesake)
    return {
      relation: "same-name-different-key",
      clientIssuer: issuer,
      clusterCA: namesake,
      explanation: `The client certificate names "${leaf.issuer}" as its issuer, like the cluster CA, but the cluster CA's key did not sign it (same name, another key).`,
    };
  return {
    relation: "different",
    clientIssuer: issuer,
    clusterCA: clusterCAs[0]!,
    explanation: `The client certificate was issued by "${leaf.issuer}", not by the cluster CA "${clusterCAs[0]!.subject}". The API server accepts it only if --client-ca-file holds that issuer.`,
  };
}
