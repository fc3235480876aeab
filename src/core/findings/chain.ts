// The `chain.*` family: why a certificate path could not be validated. Every
// `ChainResult.reason.code` and `Rejection.code` is one of these. Codes are stable.
import { family } from "./types.ts";

export const CHAIN = family("chain", {
  "chain.untrusted": {
    severity: "error",
    title: "No path from the certificate to a trusted root",
    advice:
      'kubectl and other Go clients report "x509: certificate signed by unknown authority". Supply the issuing CA (certificate-authority-data) or the missing intermediate certificates, in any order.',
    cite: "RFC 5280 6.1",
  },
  "chain.signature-invalid": {
    severity: "error",
    title: "A certificate's signature does not verify with its issuer's key",
    advice:
      'Go reports "x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate ...)". The CA in the bundle has the right name but the wrong key: it was probably regenerated. Use the CA that actually issued the certificate.',
    cite: "RFC 5280 6.1.3 (a)(1)",
  },
  "chain.insecure-signature-algorithm": {
    severity: "error",
    title: "A certificate is signed with an insecure algorithm (SHA-1 or MD5)",
    advice:
      'Go (since 1.18) reports "x509: cannot verify signature: insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)"; the override is gone in current Go, so kubectl rejects it. Re-issue the certificate with SHA-256.',
    cite: "RFC 9155; CA/B BR 7.1.3.2",
  },
  "chain.algorithm-unimplemented": {
    severity: "error",
    title: "Go does not implement the signature algorithm or the issuer's key type",
    advice:
      'Go\'s crypto/x509 checks RSASSA-PSS only with SHA-256, SHA-384 or SHA-512, MGF1 of the same hash and a salt as long as the hash, and cannot use an RSASSA-PSS (id-RSASSA-PSS) or DSA key, so kubectl and kube-apiserver reject the path: "x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: algorithm unimplemented" ...)". OpenSSL may accept it (the strict profile says so). Re-issue with RSA PKCS#1 v1.5 and SHA-256, RSASSA-PSS with a salt length equal to the hash length (`-sigopt rsa_pss_saltlen:digest`), or ECDSA P-256.',
    cite: "Go crypto/x509 x509.go getSignatureAlgorithmFromAI and checkSignature (ErrUnsupportedAlgorithm); verify.go buildChains",
  },
  "chain.cn-not-in-san": {
    severity: "error",
    title: "The Common Name is not one of the subject alternative names",
    advice:
      "Under the Web PKI profile the subject Common Name, if present, must repeat one SAN value exactly (IP addresses in dotted-decimal or RFC 5952 form). Clients ignore the CN for matching; re-issue with a CN copied from the SANs, or none.",
    cite: "CA/B BR 7.1.4.3",
  },
  "chain.unsupported-algorithm": {
    severity: "warning",
    title: "A signature uses an algorithm that could not be checked",
    advice:
      "The signature algorithm or key type is not available in WebCrypto (for example DSA, Ed448, secp256k1 or SHA-224), so the path could not be confirmed either way. Re-issue the certificate with RSA (SHA-256) or ECDSA P-256/P-384.",
    cite: "RFC 5280 6.1.3 (a)(1)",
  },
  "chain.issuer-not-ca": {
    severity: "error",
    title: "An issuing certificate is not a CA",
    advice:
      'Go reports "x509: certificate signed by unknown authority (... x509: invalid signature: parent certificate cannot sign this kind of certificate)". The issuer needs basicConstraints cA=TRUE (marked critical); re-issue it as a CA certificate.',
    cite: "RFC 5280 4.2.1.9, 6.1.4 (k)",
  },
  "chain.missing-keycertsign": {
    severity: "error",
    title: "An issuing CA's key usage does not allow certificate signing",
    advice:
      "The CA has a keyUsage extension without keyCertSign, so RFC 5280 forbids using it to verify certificates (Go does not check this; OpenSSL and browsers do). Re-issue the CA with keyUsage keyCertSign.",
    cite: "RFC 5280 4.2.1.3, 6.1.4 (n)",
  },
  "chain.pathlen-exceeded": {
    severity: "error",
    title: "A CA's path length constraint is exceeded",
    advice:
      'Go reports "x509: too many intermediates for path length constraint". A CA with pathLenConstraint N may only have N intermediate CAs below it. Shorten the chain or re-issue the CA with a larger pathLenConstraint.',
    cite: "RFC 5280 4.2.1.9, 6.1.4 (l)-(m)",
  },
  "chain.depth-exceeded": {
    severity: "error",
    title: "The path is longer than the allowed maximum depth",
    advice: "The only paths found have more certificates than the configured maximum. Shorten the chain or raise the limit.",
    cite: "RFC 5280 6.1 (path length is a local policy input)",
  },
  "chain.name-constraint-violation": {
    severity: "error",
    title: "A name in the path is outside a CA's name constraints",
    advice:
      'Go reports "x509: a root or intermediate certificate is not authorized to sign for this name". A CA in the path was restricted (permitted or excluded subtrees) and a certificate below it names a host, IP, e-mail, URI or directory name outside that restriction. Use a CA that may issue for the name.',
    cite: "RFC 5280 4.2.1.10, 6.1.3 (b)-(c)",
  },
  "chain.name-constraints-invalid": {
    severity: "error",
    title: "A name constraints extension is malformed or misplaced",
    advice:
      "The nameConstraints extension is not critical, is empty, appears on an end-entity certificate, or holds a constraint that is not a valid name (for example a DNS constraint with a wildcard or an IP constraint with a non-contiguous mask). Validators reject the whole path. Re-issue the CA.",
    cite: "RFC 5280 4.2.1.10",
  },
  "chain.eku-mismatch": {
    severity: "error",
    title: "Extended key usage does not allow this purpose",
    advice:
      'Go reports "x509: certificate specifies an incompatible key usage". The leaf (or a CA above it, which Go treats as a restriction on everything below) lists extended key usages that do not include the purpose: serverAuth for an API server, clientAuth for a kubeconfig user. Re-issue with the right extendedKeyUsage.',
    cite: "RFC 5280 4.2.1.12",
  },
  "chain.hostname-mismatch": {
    severity: "error",
    title: "The certificate is not valid for the server name",
    advice:
      'kubectl reports "x509: certificate is valid for <names>, not <server>" (or "x509: certificate relies on legacy Common Name field, use SANs instead"). The server name or IP must appear in the subjectAltName; the Common Name is not used. Re-issue the serving certificate with the name in its SANs, or set tls-server-name in the kubeconfig.',
    cite: "RFC 6125 6.4, RFC 9525 6.3, RFC 5280 4.2.1.6",
  },
  "chain.cert-expired": {
    severity: "error",
    title: "A certificate in the path has expired",
    advice:
      'Go reports "x509: certificate has expired or is not yet valid: current time ... is after ...". Renew the certificate (kubeadm: `kubeadm certs renew`).',
    cite: "RFC 5280 4.1.2.5, 6.1.3 (a)(2)",
  },
  "chain.cert-not-yet-valid": {
    severity: "error",
    title: "A certificate in the path is not valid yet",
    advice:
      'Go reports "x509: certificate has expired or is not yet valid: current time ... is before ...". Check the clock of the machine that issued it, or wait until notBefore.',
    cite: "RFC 5280 4.1.2.5, 6.1.3 (a)(2)",
  },
  "chain.unhandled-critical-extension": {
    severity: "error",
    title: "A certificate has a critical extension the validator does not understand",
    advice:
      'Go reports "x509: unhandled critical extension". RFC 5280 requires rejecting the certificate; re-issue it without marking that extension critical.',
    cite: "RFC 5280 4.2",
  },
  "chain.malformed-certificate": {
    severity: "error",
    title: "A certificate in the path is malformed",
    advice:
      'Go reports "x509: malformed certificate" or refuses to parse it (for example a negative serial number, duplicate extensions, or a signature algorithm that differs between the TBS and the outer certificate). Re-issue the certificate with a conforming tool.',
    cite: "RFC 5280 4.1, 4.2",
  },
  "chain.extension-nonconformant": {
    severity: "error",
    title: "A certificate's extensions break the RFC 5280 profile for its place in the path",
    advice:
      "For example a missing authority or subject key identifier, a key identifier marked critical, basicConstraints not critical on a CA, or policyConstraints not critical. Strict validators (OpenSSL 3 with -x509_strict, browsers, pyca/cryptography) reject it; Go accepts most of these. Re-issue the certificate.",
    cite: "RFC 5280 4.2.1.1, 4.2.1.2, 4.2.1.9, 4.2.1.11",
  },
  "chain.invalid-san": {
    severity: "error",
    title: "The subject alternative names are malformed",
    advice:
      "A dNSName is not a valid host name (underscores, IP literals, bad wildcards), an iPAddress has the wrong length, an e-mail address is not a mailbox, or the SAN extension is missing or wrongly marked critical. Re-issue the certificate with valid SANs.",
    cite: "RFC 5280 4.2.1.6",
  },
  "chain.leaf-is-ca": {
    severity: "error",
    title: "The end-entity certificate is a CA certificate",
    advice:
      "Under the Web PKI (CA/Browser Forum) profile a server certificate must not have cA=TRUE. Issue a separate serving certificate from the CA.",
    cite: "CA/B Forum Baseline Requirements 7.1.2.7.8",
  },
  "chain.weak-key": {
    severity: "error",
    title: "A certificate's public key is not allowed by the Web PKI profile",
    advice:
      "RSA keys must be at least 2048 bits (and a multiple of 8), EC keys must use named curve P-256, P-384 or P-521; DSA is not allowed. Re-issue with a stronger key.",
    cite: "CA/B Forum Baseline Requirements 6.1.5, 7.1.3.1",
  },
  "chain.revoked": {
    severity: "error",
    title: "A certificate in the path is revoked",
    advice:
      "A CRL signed by the certificate's issuer lists its serial number. Clients that check revocation refuse it (kubectl and kube-apiserver do not check CRLs by default, so they may still accept it). Issue a new certificate and stop using the revoked one.",
    cite: "RFC 5280 5.3, 6.3.3",
  },
  "chain.crl-invalid": {
    severity: "error",
    title: "A supplied CRL cannot be relied on",
    advice:
      "The issuer's CRL lacks the mandatory crlNumber, marks it critical, carries an unknown critical extension, or was signed by a CA whose keyUsage lacks cRLSign, so revocation status cannot be established. Re-issue the CRL correctly.",
    cite: "RFC 5280 5.2, 5.2.3, 4.2.1.3, 6.3.3",
  },
  "chain.email-mismatch": {
    severity: "error",
    title: "The certificate is not valid for the expected e-mail address",
    advice:
      "openssl verify -verify_email reports \"email address mismatch\". The address must be one of the certificate's rfc822Name subjectAltNames (the part before @ exactly, the domain in any letter case); the subject's emailAddress counts only when there is no rfc822Name. Re-issue the certificate with the address in its SANs, or check the address asked for.",
    cite: "RFC 5280 4.2.1.6; OpenSSL crypto/x509/v3_utl.c do_x509_check (GEN_EMAIL)",
  },
  "chain.budget-exhausted": {
    severity: "error",
    title: "Path building gave up: the work limit was reached",
    advice:
      "The bundle offers so many candidate issuers (or name constraints) that checking them all would exceed the limits Go and rustls-webpki also use (100 signature checks). Remove unrelated or duplicate CA certificates from the bundle.",
    cite: "CVE-2018-16875 (Go), rustls-webpki Budget",
  },
});

export type ChainCode = keyof typeof CHAIN;
