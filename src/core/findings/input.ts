import { family } from "./types.ts";

/** Findings about what was uploaded, before any certificate is judged. */
export const INPUT = family("input", {
  "input.private-key-in-file": {
    severity: "warning",
    title: "A private key is in a file that was audited",
    advice:
      "It was read on this machine only, to check that it matches its certificate, and was not uploaded. A private key in a certificate bundle, a CA file or a repository is exposed to everyone who can read that file: keep each key in its own file with tight permissions (or in a secret store), and rotate a key that was committed.",
  },
  "input.private-key-uploaded": {
    severity: "warning",
    title: "A private key was part of the upload",
    advice:
      "It was used only to check that it matches its certificate and is not stored or echoed. Treat a key that has left its machine as exposed if the channel was not trusted, and prefer stripping keys before upload (the form and the CLI can do it).",
  },
  "input.unparseable-certificate": {
    severity: "error",
    title: "A CERTIFICATE block could not be read",
    advice:
      "Go's x509 parser, and so kubectl and kube-apiserver, refuse it. OpenSSL reads some such certificates (BER lengths, for example), so `openssl x509` showing it does not make it usable. Check that the file was not truncated or edited; a certificate that is not DER must be re-issued (re-exporting with `openssl x509` keeps the signed bytes as they are).",
    cite: "RFC 5280 4.1; X.690 DER",
  },
  "input.bad-pem-block": {
    severity: "error",
    title: "A PEM block is damaged",
    advice:
      "The BEGIN/END lines do not match, the END line is missing, or the body is not base64. kubectl reports `unable to load root certificates` or `tls: failed to find any PEM data`. Re-copy the block whole.",
    cite: "RFC 7468",
  },
  "input.unknown-pem-block": {
    severity: "info",
    title: "A PEM block of a kind that is not audited",
    advice: "Only CERTIFICATE and private key blocks are audited; this one was skipped.",
  },
  "input.trusted-certificate": {
    severity: "info",
    title: "A TRUSTED CERTIFICATE block: OpenSSL's trusted form, with its trust settings",
    advice:
      "The certificate is audited as usual. The trust settings after it (trusted and rejected purposes, alias) are OpenSSL's own: `openssl verify` and OpenSSL-based clients apply them when the certificate is a trust anchor. Go's crypto/x509 reads only CERTIFICATE blocks, so kubectl and kube-apiserver skip this block entirely (in a kubeconfig field that leaves no certificate: input.data-no-certificate). `openssl x509 -in trusted.pem -out plain.pem` writes the plain CERTIFICATE without the settings.",
    cite: "OpenSSL crypto/x509/x_x509a.c X509_CERT_AUX, openssl-x509(1) -trustout; Go crypto/x509 CertPool.AppendCertsFromPEM (block.Type must be CERTIFICATE)",
  },
  "input.duplicate-certificate": {
    severity: "info",
    title: "The same certificate appears more than once",
    advice: "Harmless for TLS, but a sign of a bundle assembled by hand. It is reported once in the certificate list with all its sources.",
  },
  "input.placeholder-data": {
    severity: "error",
    title: "The kubeconfig holds placeholders instead of data",
    advice:
      "`kubectl config view` replaces certificates and keys with DATA+OMITTED and REDACTED. Export with `kubectl config view --raw` (add `--minify --flatten` for one context) so the certificates can be audited.",
    cite: "client-go tools/clientcmd/api/helpers.go ShortenConfig (DATA+OMITTED, REDACTED), what `kubectl config view` prints without --raw",
  },
  "input.bad-base64": {
    severity: "error",
    title: "A *-data field is not base64 as Go reads it: kubectl will refuse to load this file",
    advice:
      "client-go decodes *-data with Go's base64.StdEncoding: padding (`=`) is required and only line breaks may sit between the characters, so every kubectl command stops with `error loading config file ...: illegal base64 data at input byte N`. Re-create the field with `base64 -w0 < ca.crt`, or with `kubectl config set-cluster/set-credentials --embed-certs`.",
    cite: "Go encoding/base64 StdEncoding.Decode (via encoding/json []byte); kubectl v1.32, run on such files",
  },
  "input.data-not-pem": {
    severity: "error",
    title: "A *-data field does not decode to PEM",
    advice:
      "client-go expects base64 of PEM text (`-----BEGIN CERTIFICATE-----`), not of raw DER. kubectl reports `unable to load root certificates: unable to parse bytes as PEM block` or `tls: failed to find any PEM data in certificate input`. Convert with `openssl x509 -inform DER -outform PEM` before embedding.",
    cite: "client-go util/cert/pem.go ParseCertsPEM; Go crypto/tls X509KeyPair (`tls: failed to find any PEM data`)",
  },
  "input.data-no-certificate": {
    severity: "error",
    title: "A kubeconfig certificate field holds no certificate kubectl can read",
    advice:
      "client-go reads only `-----BEGIN CERTIFICATE-----` blocks (Go's pem.Decode) from certificate-authority-data and client-certificate-data; a PKCS#7 bundle, other blocks and comments are skipped, and with nothing left kubectl stops with the error quoted. Convert a PKCS#7 bundle with `openssl pkcs7 -print_certs -in ca.p7b -out ca.pem`, then embed it with `kubectl config set-cluster NAME --certificate-authority=ca.pem --embed-certs`.",
    cite: "client-go util/cert NewPoolFromBytes; Go crypto/tls X509KeyPair; kubectl v1.32, run on such files",
  },
  "input.secret-stripped": {
    severity: "info",
    title: "A secret was removed before upload",
    advice:
      "The client key (or token, or password) was stripped on the way here, so the key-match check did not run (keyMatches is null). Audit locally — the CLI, the Action without an endpoint, or the form's in-browser mode — to include it without the key leaving your machine.",
  },
  "input.pem-no-line-breaks": {
    severity: "warning",
    title: "The PEM has no line breaks",
    advice:
      "`curl -d @file` strips line breaks (so does `tr -d '\\n'`): send files with `curl --data-binary @file`. openssl (`Could not read certificate`) and Go's pem.Decode (kubectl) need the BEGIN line, the base64 lines and the END line on lines of their own; if the file itself looks like this, restore the line breaks or re-export it before kubectl or openssl use it.",
    cite: "RFC 7468 2; Go encoding/pem Decode; OpenSSL PEM_read_bio",
  },
  "input.pem-marker-not-alone": {
    severity: "warning",
    title: "A PEM BEGIN or END marker does not stand alone on its line",
    advice:
      "Go's pem.Decode (kubectl, kube-apiserver) and openssl read a block only when `-----BEGIN ...-----` starts a line and `-----END ...-----` starts a line and ends it. `cat a.pem b.pem` where a.pem lacks a final newline joins END and BEGIN on one line, and Go then reads neither block; an indented marker is skipped too. Put every marker on its own line, unindented (`awk 1 a.pem b.pem > bundle.pem` adds the missing newlines).",
    cite: "RFC 7468 2; Go encoding/pem Decode; OpenSSL PEM_read_bio",
  },
  "input.pem-broken-marker": {
    severity: "warning",
    title: "A line starts like a PEM marker but is not one",
    advice:
      "A line beginning `-----BEGIN` or `-----END` that is not a whole marker (`-----BEGIN CERTIFICATE-----` alone on its line) is skipped by openssl and Go's pem.Decode (kubectl, kube-apiserver), and by this audit: a certificate it should begin or end is not read. Such lines come from damaged copies or from text built by repeating marker fragments; re-export the file (`openssl x509 -in cert.pem -out clean.pem`) or delete the line.",
    cite: "RFC 7468 2-3; Go encoding/pem Decode; OpenSSL PEM_read_bio",
  },
  "input.base64-unpadded": {
    severity: "warning",
    title: "Base64 without its `=` padding",
    advice:
      "The text was read here, but Go's base64.StdEncoding (kubectl's *-data fields, encoding/json) refuses it (`illegal base64 data at input byte N`), `base64 -d` stops with `invalid input`, and `openssl base64 -d` silently drops the last bytes. Encode with `base64 -w0 file` (which pads), or send the PEM file itself.",
    cite: "RFC 4648 3.2 and 4; Go encoding/base64 StdEncoding",
  },
  "input.pkcs7-bundle": {
    severity: "info",
    title: "Certificates were read from a PKCS#7 bundle",
    advice:
      "openssl reads PKCS#7 (`openssl pkcs7 -print_certs`), but Go's crypto/x509 does not: kubectl and kube-apiserver need the certificates as CERTIFICATE blocks (in a kubeconfig kubectl stops with `unable to load root certificates: no valid certificate authority data seen`). Convert with `openssl pkcs7 -print_certs -in bundle.p7b -out bundle.pem` (add `-inform DER` for a binary .p7b).",
    cite: "RFC 5652 5.1 (SignedData.certificates)",
  },
  "input.utf16-pem": {
    severity: "warning",
    title: "The PEM file is UTF-16 text",
    advice:
      "Windows PowerShell's `>` and `Out-File` write UTF-16. It was decoded and audited here, but openssl and Go's pem.Decode (kubectl, kube-apiserver) find no PEM data in UTF-16. Re-save it as ASCII (`Get-Content ca.crt | Set-Content -Encoding ascii ca.pem`, or `iconv -f UTF-16 -t ASCII`).",
    cite: 'Go encoding/pem pem.go Decode (matches the bytes "-----BEGIN", no text decoding)',
  },
  "input.stray-text": {
    severity: "info",
    title: "Text between PEM blocks was ignored",
    advice: "Explanatory text such as `openssl x509 -text` output is allowed between blocks and is skipped.",
    cite: "RFC 7468 section 2 (text outside the encapsulation boundaries is allowed); Go encoding/pem Decode skips it",
  },
  "input.nothing-audited": {
    severity: "error",
    title: "No certificate could be examined",
    advice:
      "Nothing was checked, so this report cannot pass. Send the certificates themselves: `kubectl config view --raw --minify --flatten` embeds file references; `curl -d @file` strips line breaks, use `curl --data-binary @file`; the CLI audits local files where they are.",
  },
});
