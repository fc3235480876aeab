// What Go's crypto/x509 Verify does (kubectl and kube-apiserver are Go programs): parser.go at
// parse time, verify.go isValid at verification time. The default profile. Compare with rfc5280.ts.
import type { ProfileRules } from "./rules.ts";

export const GO: ProfileRules = {
  // Go parser.go rejects duplicate extensions, mismatched inner/outer signature algorithms,
  // negative serials (since Go 1.23, GODEBUG x509negativeserial) and extensions it cannot
  // decode; it accepts zero and over-long serials and GeneralizedTime before 2050 (RFC 5280 does not).
  fatalAnomalies: ["duplicate-extension", "tbs-signature-mismatch", "negative-serial", "v1-with-extensions", "bad-extension-value"],
  // parser.go: a critical nameConstraints with directoryName/otherName forms is reported as unhandled.
  nameConstraintFormsUnhandled: true,
  // parser.go processExtensions: "x509: authority/subject key identifier incorrectly marked critical";
  // parsePublicKey: only P-224, P-256, P-384 and P-521 curves parse, and only keys in the encodings it reads.
  certificateChecks: ["go-aki-not-critical", "go-ski-not-critical", "go-ec-curve", "go-public-key"],
  leafChecks: [],
  // verify.go isValid (intermediates need cA) and x509.go CheckSignatureFrom (every parent, roots included).
  caChecks: ["go-intermediate-is-ca", "go-parent-can-sign", "go-parent-keycertsign", "name-constraints-well-formed"],
  // x509.go getSignatureAlgorithmFromAI and checkSignature: an algorithm or key Go does not implement
  // fails CheckSignatureFrom, so buildChains rejects that issuer ("algorithm unimplemented").
  signatureAlgorithms: "go",
  // Go compares instants (time.Time.After).
  validityGranularity: "instant",
  // cert_pool.go findPotentialParents: exact subject bytes.
  issuerNameMatch: "bytes",
  hostnameMatch: "go",
  strictHostnames: false,
  // Go has no depth limit beyond its signature budget, and counts self-issued intermediates.
  path: { selfIssuedCount: true, defaultMaxIntermediates: Number.POSITIVE_INFINITY },
  // parser.go treats an empty EKU sequence as no restriction.
  eku: { leafRequired: false, leafNotCritical: false, emptyIsMalformed: false, leafAnyForbidden: false, anchorForbidden: false },
  // parser.go parseNameConstraintsExtension; verify.go isValid checks the leaf's and the CA's own
  // SANs only (golang/go@0184fe5); matchDomainConstraint for URI hosts.
  nameConstraints: {
    wellFormed: "go",
    mustBeCritical: false,
    nameSyntax: "go",
    uriHost: "dns",
    subjectChecked: false,
    appliesTo: "leaf-and-ca",
  },
};
