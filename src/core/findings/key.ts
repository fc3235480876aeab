import { family } from "./types.ts";

/** Findings about private keys (never echoed: at most the public key's fingerprint). */
export const KEY = family("key", {
  "key.mismatch": {
    severity: "error",
    title: "The private key does not belong to the certificate",
    advice:
      "kubectl fails before connecting: `tls: private key does not match public key`. Put the key that was used for the certificate signing request in client-key-data, or re-issue the certificate for this key.",
    cite: "Go crypto/tls tls.go X509KeyPair (`tls: private key does not match public key`)",
  },
  "key.certificate-unloadable": {
    severity: "error",
    title: "client-go cannot load the client certificate's public key",
    advice:
      "client-go loads client-certificate-data and client-key-data with Go's crypto/tls X509KeyPair, which refuses this encoding of the certificate's public key, so kubectl fails before connecting. Re-issue the certificate with a standard key encoding (RSA with NULL parameters, an uncompressed EC point, rsaEncryption rather than RSA-PSS).",
    cite: "Go crypto/tls/tls.go X509KeyPair; crypto/x509/parser.go parsePublicKey",
  },
  "key.encrypted": {
    severity: "error",
    title: "The private key is encrypted with a passphrase",
    advice:
      "client-go cannot use encrypted keys (`tls: failed to parse private key`), and it could not be matched here. Decrypt it with `openssl pkey -in key.pem -out key-plain.pem` and store it safely.",
    cite: "Go crypto/tls tls.go X509KeyPair, parsePrivateKey (no passphrase support)",
  },
  "key.unreadable": {
    severity: "error",
    title: "The private key cannot be read",
    advice: "client-go will fail with `tls: failed to parse private key`. Re-export it as PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`).",
    cite: "Go crypto/tls tls.go parsePrivateKey (PKCS #1, PKCS #8, SEC 1)",
  },
  "key.reused": {
    severity: "warning",
    title: "The same key pair is used by more than one user or certificate",
    advice: "Compromise of one credential is compromise of all. Give each identity its own key.",
  },
  "key.unused": {
    severity: "info",
    title: "A private key in the upload matches no certificate",
    advice: "It was ignored. Check that the right key was bundled.",
  },
});
