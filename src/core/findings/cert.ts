import { family } from "./types.ts";

/** Findings about one certificate on its own, whatever chain it is on. */
export const CERT = family("cert", {
  "cert.expired": {
    severity: "error",
    title: "The certificate has expired",
    advice: "Go and OpenSSL reject it and every chain through it: kubectl shows `x509: certificate has expired or is not yet valid`.",
    cite: "RFC 5280 4.1.2.5",
  },
  "cert.not-yet-valid": {
    severity: "error",
    title: "The certificate is not valid yet",
    advice:
      "Its notBefore is after the validation time: kubectl shows `x509: certificate has expired or is not yet valid`. Check the clocks of the issuing machine and of the clients.",
    cite: "RFC 5280 4.1.2.5",
  },
  "cert.expiring-soon": {
    severity: "warning",
    title: "The certificate expires soon",
    advice: "Once it expires, Go and OpenSSL reject it and every chain through it.",
    cite: "RFC 5280 4.1.2.5, 6.1.3 (a)(2); Go crypto/x509 verify.go isValid (`x509: certificate has expired or is not yet valid`)",
  },
  "cert.outlives-issuer": {
    severity: "warning",
    title: "The certificate is valid for longer than its issuer",
    advice: "The chain stops working when the issuer expires, not when this certificate does. Plan the renewal around the issuer's expiry.",
    cite: "RFC 5280 6.1.3 (a)(2): every certificate on the path must be valid at the validation time",
  },
  "cert.weak-rsa-key": {
    severity: "warning",
    title: "The RSA key is shorter than 2048 bits",
    advice:
      "Keys under 2048 bits are considered breakable; Go 1.24+ refuses RSA keys under 1024 bits in TLS. Re-issue with RSA 2048+ or ECDSA P-256.",
    cite: "NIST SP 800-131A Rev. 2 (RSA below 2048 bits disallowed); CA/B BR 6.1.5; Go 1.24 crypto/tls GODEBUG rsa1024min",
  },
  "cert.sha1-signature": {
    severity: "error",
    title: "The certificate is signed with SHA-1",
    advice:
      "Go has rejected SHA-1 signatures since 1.18 (`x509: cannot verify signature: insecure algorithm SHA1-RSA`), so kubectl and kube-apiserver refuse it. Re-issue with SHA-256.",
    cite: "Go 1.18 release notes (crypto/x509 rejects SHA-1 signatures); crypto/x509 x509.go InsecureAlgorithmError",
  },
  "cert.md5-signature": {
    severity: "error",
    title: "The certificate is signed with MD5",
    advice: "MD5 signatures are forgeable and rejected by every current TLS stack. Re-issue with SHA-256.",
    cite: "RFC 6151; Go crypto/x509 x509.go InsecureAlgorithmError",
  },
  "cert.unsupported-algorithm": {
    severity: "warning",
    title: "The certificate uses an algorithm that cannot be checked here",
    advice:
      "WebCrypto cannot verify this signature or key type, so chains through it are reported `unverifiable`, never valid. Go does not support it for TLS either in most cases (DSA, Ed448, secp256k1).",
    cite: "W3C Web Cryptography API (the algorithms listed in src/core/x509/supported.ts)",
  },
  "cert.malformed": {
    severity: "warning",
    title: "The certificate breaks an encoding rule",
    advice:
      "Verifiers differ on such certificates (the detail says which rule is broken and, where known, what Go does). If you issue it yourself, re-issue it with a standard tool.",
    cite: "RFC 5280 4.1, 4.2",
  },
  "cert.go-unparseable": {
    severity: "error",
    title: "Go cannot parse the certificate",
    advice:
      "Go's crypto/x509 refuses to parse it, so kubectl and kube-apiserver (both Go programs) fail to load it, and every chain through it fails, even where OpenSSL reads it. The message quotes Go's parser error. Re-issue the certificate with a standard tool (openssl, cfssl, kubeadm, cert-manager).",
    cite: "Go crypto/x509/parser.go parseCertificate, parseName, parseExtension, parseBasicConstraintsExtension, parseSANExtension; x/crypto/cryptobyte asn1.go ReadASN1UTCTime, ReadASN1GeneralizedTime, ReadASN1Boolean",
  },
  "cert.no-san": {
    severity: "warning",
    title: "A server certificate has no subjectAltName",
    advice:
      "Go ignores the Common Name since 1.15, so kubectl reports `x509: certificate relies on legacy Common Name field, use SANs instead`. Re-issue with the server's DNS names and IP addresses as SANs.",
    cite: "RFC 6125 6.4.4",
  },
  "cert.self-signed-leaf": {
    severity: "info",
    title: "A self-signed certificate that is not a CA",
    advice: "It can only be trusted by putting this exact certificate in the trust store.",
  },
  "cert.long-validity": {
    severity: "info",
    title: "A client or server certificate is valid for more than 825 days",
    advice:
      "Long-lived credentials cannot be revoked in Kubernetes (no CRL or OCSP for client certificates). kubeadm issues them for one year; prefer short lifetimes.",
    cite: "CA/B BR 6.3.2 (825 days, 2018-2020); kubeadm issues client certificates for one year (kubeadm certs check-expiration)",
  },
  "cert.unknown-critical-extension": {
    severity: "error",
    title: "The certificate has a critical extension that verifiers do not understand",
    advice: "Go and OpenSSL refuse it (`x509: unhandled critical extension`). Re-issue it without the extension, or mark it non-critical.",
    cite: "RFC 5280 4.2",
  },
});
