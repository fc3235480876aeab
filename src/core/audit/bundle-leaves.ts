// In a PEM/DER bundle (no kubeconfig), which certificates are leaves and which are trusted:
// every certificate that issues nothing else in the bundle and is not a self-signed CA is a
// leaf; the self-signed CAs in the bundle are the trust anchors (with any clientCA given).
import { issuersWithin } from "../checks/bundle-issuers.ts";
import type { Cert } from "../x509/cert.ts";

const isSelfSignedCa = (c: Cert) => c.selfIssued && c.basicConstraints?.ca === true;

export function bundleAnchors(all: readonly Cert[]): Cert[] {
  return all.filter(isSelfSignedCa);
}

export function bundleLeaves(all: readonly Cert[]): Cert[] {
  const issuesSomething = issuersWithin(all);
  return all.filter((c) => !issuesSomething.has(c.id) && !isSelfSignedCa(c));
}
