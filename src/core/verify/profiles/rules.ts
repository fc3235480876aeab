// What a profile is: a table of rules. Each profile (go.ts, rfc5280.ts, webpki.ts) fills one in,
// so what one profile does differently from another is the diff between two tables. The checks
// named here are implemented in ../policy.ts (certificate, leaf, CA) and read by chain.ts,
// eku.ts, names.ts and hostname.ts.
import type { Anomaly } from "../../x509/cert.ts";

/** Checks on every certificate on a path, after Go's parse errors, the fatal anomalies and unhandled critical extensions. */
export type CertificateCheck =
  | "go-aki-not-critical"
  | "go-ski-not-critical"
  | "go-ec-curve"
  | "go-public-key"
  | "aia-well-formed"
  | "aki-not-critical"
  | "ski-not-critical"
  | "policy-constraints-critical"
  | "issuer-not-empty"
  | "v3-only"
  | "cabf-key";

/** Checks on the end-entity certificate, after the certificate checks. */
export type LeafCheck =
  | "no-name-constraints"
  | "keycertsign-needs-ca"
  | "not-ca"
  | "aki-present"
  | "empty-subject-critical-san"
  | "san-present"
  | "san-not-critical-with-subject"
  | "cn-in-san"
  | "san-well-formed";

/** Checks on a certificate used as an issuer (intermediate or trust anchor), after the certificate checks. */
export type CaCheck =
  | "go-intermediate-is-ca"
  | "go-parent-can-sign"
  | "go-parent-keycertsign"
  /** A v1/v2 trust anchor passes every later CA check (it cannot say it is a CA). */
  | "v1-anchor-accepted"
  | "has-basic-constraints"
  | "is-ca"
  | "basic-constraints-critical"
  | "keycertsign"
  | "subject-not-empty"
  | "has-ski"
  | "has-aki"
  | "root-aki-is-ski"
  | "name-constraints-well-formed";

/**
 * Without `maxDepth`: at most 6 intermediates that are not self-issued, as rustls-webpki
 * (verify_cert.rs MAX_SUB_CA_COUNT = 6). Go has no depth limit beyond its signature budget.
 */
export const DEFAULT_MAX_SUB_CAS = 6;

export interface ProfileRules {
  /** Anomalies (x509/cert.ts) that make a certificate unusable; the serial ones are not applied to trust anchors. */
  fatalAnomalies: readonly Anomaly[];
  /** A critical nameConstraints with forms Go does not implement (directoryName, otherName) counts as an unhandled critical extension. */
  nameConstraintFormsUnhandled: boolean;
  /** In order; the first failure is reported. */
  certificateChecks: readonly CertificateCheck[];
  leafChecks: readonly LeafCheck[];
  caChecks: readonly CaCheck[];
  /**
   * Which signature algorithms and signer keys are implemented: any WebCrypto can check ("webcrypto"),
   * or only what Go's checkSignature implements ("go": x509/go-signature.ts; RSASSA-PSS only with
   * SHA-256/384/512, MGF1 of the same hash and salt = hash length, no id-RSASSA-PSS or DSA keys):
   * Go answers "algorithm unimplemented" and rejects the candidate issuer.
   */
  signatureAlgorithms: "webcrypto" | "go";
  /** Validity compared at the encoding's one-second granularity ("second") or as instants ("instant"). */
  validityGranularity: "second" | "instant";
  /** How an issuer name is matched to a CA's subject: byte for byte, or as RFC 5280 7.1 says (RFC 4518 preparation). */
  issuerNameMatch: "bytes" | "rfc5280";
  /** How the server name is matched: Go's VerifyHostname (go-hostname.ts), or SANs only (hostname.ts). */
  hostnameMatch: "go" | "san-only";
  /** SAN-only matching: refuse a wildcard directly over a TLD ("*.com") and a server name that is not a valid DNS name. */
  strictHostnames: boolean;
  path: {
    /** Self-issued intermediates count toward pathLenConstraint and depth (Go) or not (RFC 5280 6.1.4 (l)). */
    selfIssuedCount: boolean;
    /** Most intermediates on a path (openssl -verify_depth; leaf and anchor not counted) when the request sets no maxDepth. */
    defaultMaxIntermediates: number;
  };
  eku: {
    /** A leaf without extendedKeyUsage fails a server or client purpose. */
    leafRequired: boolean;
    /** A leaf's extendedKeyUsage must not be critical. */
    leafNotCritical: boolean;
    /** An empty extendedKeyUsage sequence is malformed (RFC 5280 4.2.1.12 SIZE (1..MAX)) rather than no restriction. */
    emptyIsMalformed: boolean;
    /** anyExtendedKeyUsage is refused in a leaf. */
    leafAnyForbidden: boolean;
    /** A trust anchor must not carry extendedKeyUsage. */
    anchorForbidden: boolean;
  };
  nameConstraints: {
    /** Which well-formedness rules the extension itself must follow. */
    wellFormed: "go" | "rfc5280";
    /** nameConstraints must be critical (RFC 5280 4.2.1.10). */
    mustBeCritical: boolean;
    /** Syntax of the names checked against constraints: Go's parser rules or RFC 5280's. */
    nameSyntax: "go" | "rfc5280";
    /** URI hosts match as DNS names (Go matchDomainConstraint) or as RFC 5280 says ("host" is that host only). */
    uriHost: "dns" | "rfc5280";
    /** The subject's name (directoryName, emailAddress) is checked too, not only the SANs (RFC 5280 6.1.3 (b)). */
    subjectChecked: boolean;
    /** Which certificates a CA's constraints apply to: the leaf and the CA itself (Go), or every non-self-issued certificate below it. */
    appliesTo: "leaf-and-ca" | "path";
  };
}
