// RFC 5280 plus the CA/Browser Forum rules that x509-limbo's webpki:: cases test; names must
// match byte for byte (CA/B BR 7.1.4.1). Compare with rfc5280.ts.
import { DEFAULT_MAX_SUB_CAS, type ProfileRules } from "./rules.ts";

export const WEBPKI: ProfileRules = {
  fatalAnomalies: [
    "duplicate-extension",
    "tbs-signature-mismatch",
    "bad-validity-encoding",
    "negative-serial",
    "zero-serial",
    "serial-too-long",
    "v1-with-extensions",
    "bad-extension-value",
    "extension-trailing-data",
    "empty-rdn",
  ],
  nameConstraintFormsUnhandled: false,
  // v3-only: CA/B BR 7.1.1; cabf-key: CA/B BR 6.1.5 and 7.1.3.1.
  certificateChecks: [
    "aia-well-formed",
    "aki-not-critical",
    "ski-not-critical",
    "policy-constraints-critical",
    "issuer-not-empty",
    "v3-only",
    "cabf-key",
  ],
  // not-ca, san-present, san-not-critical-with-subject, cn-in-san: CA/B BR 7.1.2.7.12 and 7.1.4.3.
  leafChecks: [
    "no-name-constraints",
    "keycertsign-needs-ca",
    "not-ca",
    "aki-present",
    "empty-subject-critical-san",
    "san-present",
    "san-not-critical-with-subject",
    "cn-in-san",
    "san-well-formed",
  ],
  // root-aki-is-ski: CA/B BR 7.1.2.1.3.
  caChecks: [
    "v1-anchor-accepted",
    "has-basic-constraints",
    "is-ca",
    "basic-constraints-critical",
    "keycertsign",
    "subject-not-empty",
    "has-ski",
    "has-aki",
    "root-aki-is-ski",
    "name-constraints-well-formed",
  ],
  signatureAlgorithms: "webcrypto",
  validityGranularity: "second",
  issuerNameMatch: "bytes",
  hostnameMatch: "san-only",
  strictHostnames: true,
  path: { selfIssuedCount: false, defaultMaxIntermediates: DEFAULT_MAX_SUB_CAS },
  // CA/B BR 7.1.2.7.10 (leaf EKU required, not critical, no anyExtendedKeyUsage), 7.1.2.1.2 (no EKU in a root).
  eku: { leafRequired: true, leafNotCritical: true, emptyIsMalformed: true, leafAnyForbidden: true, anchorForbidden: true },
  // CA/B BR 7.1.2.5.2 allows a non-critical nameConstraints for compatibility.
  nameConstraints: {
    wellFormed: "rfc5280",
    mustBeCritical: false,
    nameSyntax: "rfc5280",
    uriHost: "rfc5280",
    subjectChecked: true,
    appliesTo: "path",
  },
};
