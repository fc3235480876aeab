// Expiry: per certificate (status and days remaining at the validation time, a warning within
// warnDays) and per chain (effective expiry = the earliest notAfter on the path; a certificate
// that outlives its issuer).
import type { Findings } from "../findings/index.ts";
import type { ChainResult } from "../verify/types.ts";
import type { Cert } from "../x509/cert.ts";
import { attributeValues } from "../x509/names.ts";
import { OID } from "../x509/oids.ts";
import { isoSeconds } from "../text/iso-time.ts";

export type ExpiryStatus = "valid" | "expiring" | "expired" | "not-yet-valid";
const DAY = 86_400_000;

/** Whole days from `at` to notAfter, rounded down (negative once expired). */
export function daysRemaining(cert: Cert, at: Date): number {
  return Math.floor((cert.notAfter.getTime() - at.getTime()) / DAY);
}

/** RFC 5280 4.1.2.5: the validity period includes both bounds. */
export function expiryStatus(cert: Cert, at: Date, warnDays: number): ExpiryStatus {
  const t = at.getTime();
  if (t < cert.notBefore.getTime()) return "not-yet-valid";
  if (t > cert.notAfter.getTime()) return "expired";
  if (cert.notAfter.getTime() - t < warnDays * DAY) return "expiring";
  return "valid";
}

const iso = isoSeconds;

/**
 * The common names kubeadm gives its CAs (cmd/kubeadm/app/phases/certs/certlist.go:
 * KubeadmCertRootCA "kubernetes", KubeadmCertFrontProxyCA "front-proxy-ca", KubeadmCertEtcdCA
 * "etcd-ca"). A certificate that is one of them, or was issued by one, looks like kubeadm's PKI.
 */
const KUBEADM_CA_NAMES = new Set(["kubernetes", "front-proxy-ca", "etcd-ca"]);

function looksKubeadm(cert: Cert): boolean {
  return [...attributeValues(cert.subjectRdns, OID.commonName), ...attributeValues(cert.issuerRdns, OID.commonName)].some((n) =>
    KUBEADM_CA_NAMES.has(n),
  );
}

/** What to do about an expired or expiring certificate, fitted to what it is. */
function remedy(cert: Cert, expired: boolean): string {
  const ca = cert.basicConstraints?.ca === true;
  if (looksKubeadm(cert)) {
    if (ca)
      return 'kubeadm does not renew its CAs (`kubeadm certs renew` renews only the certificates they sign): rotate the CA as the Kubernetes guide "Manual Rotation of CA Certificates" describes.';
    return expired
      ? "kubeadm: `kubeadm certs renew`, then restart the component or refresh the kubeconfig."
      : "kubeadm: `kubeadm certs check-expiration`, then `kubeadm certs renew`.";
  }
  if (ca && cert.selfIssued)
    return expired
      ? "If it is a root in a trust store, remove it from the store; otherwise replace the CA and what it signed."
      : "If it is a root in a trust store, plan its replacement; otherwise renew the CA before it expires.";
  return expired ? "Renew it with the CA or tool that issued it." : "Renew it before it expires, with the CA or tool that issued it.";
}

export function checkExpiry(cert: Cert, at: Date, warnDays: number, findings: Findings, path: string, role: string): void {
  const where = { certificate: cert.id, path };
  switch (expiryStatus(cert, at, warnDays)) {
    case "expired":
      findings.add(
        "cert.expired",
        `The ${role} "${cert.subject}" expired on ${iso(cert.notAfter)} (${-daysRemaining(cert, at)} days ago). ${remedy(cert, true)}`,
        where,
      );
      break;
    case "not-yet-valid":
      findings.add("cert.not-yet-valid", `The ${role} "${cert.subject}" is valid only from ${iso(cert.notBefore)}.`, where);
      break;
    case "expiring":
      findings.add(
        "cert.expiring-soon",
        `The ${role} "${cert.subject}" expires on ${iso(cert.notAfter)}, in ${daysRemaining(cert, at)} days (warning threshold ${warnDays} days). ${remedy(cert, false)}`,
        where,
      );
      break;
  }
}

/** The earliest notAfter on a path: when the chain as a whole stops working. */
export function effectiveExpiry(path: Cert[]): Cert | null {
  let min: Cert | null = null;
  for (const c of path) if (!min || c.notAfter < min.notAfter) min = c;
  return min;
}

/**
 * The part of a built path along which each certificate's signature verified with the next
 * one's key. A valid path is verified throughout. A failed path ends with the candidate that was
 * rejected, whose signature may not have verified (a different CA of the same name, a cycle, a
 * weak signature): it is dropped. A path with an unverifiable signature anywhere is not used.
 */
export function verifiedIssuance(r: ChainResult): Cert[] {
  if (r.valid) return r.path;
  if (r.status !== "invalid" || r.rejected.some((x) => x.code === "chain.unsupported-algorithm")) return [];
  return r.path.slice(0, -1);
}

/** Compares validity only between a certificate and its verified issuer (see verifiedIssuance). */
export function checkOutlivesIssuer(path: Cert[], findings: Findings): void {
  for (let i = 0; i + 1 < path.length; i++) {
    const child = path[i]!;
    const issuer = path[i + 1]!;
    if (child.notAfter > issuer.notAfter)
      findings.add(
        "cert.outlives-issuer",
        `"${child.subject}" is valid until ${iso(child.notAfter)} but its issuer "${issuer.subject}" expires on ${iso(issuer.notAfter)}.`,
        { certificate: child.id },
      );
  }
}

export { iso };
