// The contract between path validation and everything that uses it (/v1/verify, the audit's
// chains and the kubeconfig verdicts, the x509-limbo conformance runner).
import type { Cert } from "../x509/cert.ts";
import type { SignatureVerifier } from "../x509/signature.ts";
import type { Budget } from "./budget.ts";
import type { ChainCode } from "../findings/chain.ts";
import type { Crl } from "./crl.ts";

export type { Budget };

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
  /** E-mail address the leaf must be valid for (openssl verify -verify_email: verify/email.ts); omitted = none. */
  email?: string;
  profile: Profile;
  /** Most intermediate certificates on a path, leaf and anchor not counted (openssl -verify_depth); 0 = leaf issued by an anchor. */
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
  /** Status "budget-exhausted" only: the most specific failure found before the search was cut short. */
  beforeBudget?: { code: string; message: string; certificate?: string };
}

/** The first rule a certificate or path breaks: a `chain.*` code and what to tell the user. */
export interface Failure {
  code: ChainCode;
  message: string;
  certificate?: string;
}
