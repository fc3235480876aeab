// Strict RFC 5280 path validation plus the rules Kubernetes clients rely on (hostname from SANs
// only, EKU for the purpose). Formerly named "kubernetes". Compare with go.ts and webpki.ts.
import { DEFAULT_MAX_SUB_CAS, type ProfileRules } from "./rules.ts";

export const RFC5280: ProfileRules = {
  // RFC 5280 4.1.2.2 (serial positive, at most 20 octets), 4.2 (no duplicate extensions),
  // 4.1.1.2 (signature fields identical), 4.1.2.5 (time encodings), 4.1.2.1 (extensions need v3).
  // X.690 10.1 / RFC 5280 4.2: nothing may follow an extension's value; X.501: an RDN is never empty.
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
  certificateChecks: ["aia-well-formed", "aki-not-critical", "ski-not-critical", "policy-constraints-critical", "issuer-not-empty"],
  leafChecks: ["no-name-constraints", "keycertsign-needs-ca", "aki-present", "empty-subject-critical-san", "san-well-formed"],
  caChecks: [
    "v1-anchor-accepted",
    "has-basic-constraints",
    "is-ca",
    "basic-constraints-critical",
    "keycertsign",
    "subject-not-empty",
    "has-ski",
    "has-aki",
    "name-constraints-well-formed",
  ],
  // RFC 4055 allows any RSASSA-PSS parameters and id-RSASSA-PSS keys (OpenSSL verifies them).
  signatureAlgorithms: "webcrypto",
  // x509-limbo rfc5280::validity::notafter-fractional / notbefore-fractional.
  validityGranularity: "second",
  // RFC 5280 6.1.3 (a)(4) and 7.1.
  issuerNameMatch: "rfc5280",
  hostnameMatch: "san-only",
  strictHostnames: true,
  path: { selfIssuedCount: false, defaultMaxIntermediates: DEFAULT_MAX_SUB_CAS },
  eku: { leafRequired: false, leafNotCritical: false, emptyIsMalformed: true, leafAnyForbidden: false, anchorForbidden: false },
  nameConstraints: {
    wellFormed: "rfc5280",
    mustBeCritical: true,
    nameSyntax: "rfc5280",
    uriHost: "rfc5280",
    subjectChecked: true,
    appliesTo: "path",
  },
};
