// The contract between path validation and everything that uses it (/v1/verify, the audit's
// chains and the kubeconfig verdicts, the x509-limbo conformance runner).
import type { Cert } from "../x509/cert.ts";
import type { SignatureVerifier } from "../x509/signature.ts";
import type { Crl } from "./crl.ts";

export type Purpose = "server" | "client" | "any";

/**
 * Which rules decide validity (names accepted from callers, aliases included: profile-names.ts).
 * - "go": what Go's crypto/x509 Verify does (kubectl and kube-apiserver are Go programs), including
 *   where Go is laxer (keyCertSign not required, root CA flag not required, no AKI needed, a
 *   non-critical basicConstraints accepted) or stricter than RFC 5280; issuers are found by exact
 *   subject bytes (cert_pool.go findPotentialParents). The default for chains[] and /v1/verify.
 * - "rfc5280": strict RFC 5280 path validation plus the rules Kubernetes clients rely on (hostname
 *   from SANs only, EKU for the purpose); issuer and subject names are compared as RFC 5280 7.1
 *   says (RFC 4518 string preparation: case, insignificant spaces, PrintableString = UTF8String).
 *   Formerly named "kubernetes".
 * - "webpki": "rfc5280" plus the CA/Browser Forum rules that x509-limbo's webpki:: cases test;
 *   names must match byte for byte (CA/B BR 7.1.4.1).
 */
export type Profile = "go" | "rfc5280" | "webpki";

/** Limits shared by every chain built for one request; each number's origin is cited where it is set. */
export interface Budget {
  /** Signature checks left (Go stops at 100 since CVE-2018-16875; rustls-webpki uses 100). */
  signatures: number;
  /** Path-building steps left (rustls-webpki: 200,000). */
  steps: number;
  /** Name-constraint comparisons left (rustls-webpki: 250,000). */
  nameConstraintChecks: number;
}

export interface VerifyRequest {
  leaf: Cert;
  /** Untrusted certificates that may be used to build the path (any order, may include junk). */
  intermediates: readonly Cert[];
  /** Trust anchors. */
  anchors: readonly Cert[];
  /** Validation time; RFC 5280 bounds are inclusive. */
  at: Date;
  purpose: Purpose;
  /** DNS name or IP address literal the leaf must match (SANs only); omitted = no name check. */
  serverName?: string;
  profile: Profile;
  /** Most certificates on a path, anchor included (openssl -verify_depth semantics are "intermediates"; say which in docs). */
  maxDepth?: number;
  budget: Budget;
  verifier: SignatureVerifier;
  /**
   * Certificate revocation lists (parsed with parseCrl from verify/crl.ts). Optional: without
   * them no revocation checking is done (as Go's Verify). With them, every certificate on a path
   * whose issuer published a (signature-verified) CRL here is checked against it.
   */
  crls?: Crl[];
}

export interface Rejection {
  /** Certificate id of the candidate issuer (or of the certificate the rule failed on). */
  candidate: string;
  /** A `chain.*` finding code. */
  code: string;
  message: string;
}

export interface ChainResult {
  valid: boolean;
  status: "valid" | "invalid" | "unverifiable" | "budget-exhausted";
  /** Leaf first, anchor last when one was reached; for a failure, the most promising partial path. */
  path: Cert[];
  anchor: Cert | null;
  /** The most specific failure, or null when valid. `code` is a `chain.*` finding code. */
  reason: { code: string; message: string; certificate?: string } | null;
  /** Every candidate issuer that was tried and rejected, with why. */
  rejected: Rejection[];
}
