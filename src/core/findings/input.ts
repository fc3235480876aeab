import { family } from "./types.ts";

/** Findings about what was uploaded, before any certificate is judged. */
export const INPUT = family("input", {
  "input.private-key-uploaded": {
    severity: "warning",
    title: "A private key was part of the upload",
    advice: "It was used only to check that it matches its certificate and is not stored or echoed. Treat a key that has left its machine as exposed if the channel was not trusted, and prefer stripping keys before upload (the form and the CLI can do it).",
  },
  "input.unparseable-certificate": {
    severity: "error",
    title: "A CERTIFICATE block could not be read",
    advice: "Go's x509 parser, and so kubectl and kube-apiserver, refuse it. OpenSSL reads some such certificates (BER lengths, for example), so `openssl x509` showing it does not make it usable. Check that the file was not truncated or edited; a certificate that is not DER must be re-issued (re-exporting with `openssl x509` keeps the signed bytes as they are).",
    cite: "RFC 5280 4.1; X.690 DER",
  },
  "input.bad-pem-block": {
    severity: "error",
    title: "A PEM block is damaged",
    advice: "The BEGIN/END lines do not match, the END line is missing, or the body is not base64. kubectl reports `unable to load root certificates` or `tls: failed to find any PEM data`. Re-copy the block whole.",
    cite: "RFC 7468",
  },
  "input.unknown-pem-block": {
    severity: "info",
    title: "A PEM block of a kind that is not audited",
    advice: "Only CERTIFICATE and private key blocks are audited; this one was skipped.",
  },
  "input.duplicate-certificate": {
    severity: "info",
    title: "The same certificate appears more than once",
    advice: "Harmless for TLS, but a sign of a bundle assembled by hand. It is reported once in the certificate list with all its sources.",
  },
  "input.placeholder-data": {
    severity: "error",
    title: "The kubeconfig holds placeholders instead of data",
    advice: "`kubectl config view` replaces certificates and keys with DATA+OMITTED and REDACTED. Export with `kubectl config view --raw` (add `--minify --flatten` for one context) so the certificates can be audited.",
  },
  "input.bad-base64": {
    severity: "error",
    title: "A *-data field is not valid base64",
    advice: "kubectl fails to load the kubeconfig (`illegal base64 data`). Re-create the field with `kubectl config set-cluster/set-credentials --embed-certs`.",
  },
  "input.data-not-pem": {
    severity: "error",
    title: "A *-data field does not decode to PEM",
    advice: "client-go expects base64 of PEM text (`-----BEGIN CERTIFICATE-----`), not of raw DER. kubectl reports `unable to load root certificates: unable to parse bytes as PEM block` or `tls: failed to find any PEM data in certificate input`. Convert with `openssl x509 -inform DER -outform PEM` before embedding.",
  },
  "input.secret-stripped": {
    severity: "info",
    title: "A secret was removed before upload",
    advice: "The client key (or token, or password) was stripped on the way here, so the key-match check did not run (keyMatches is null). Audit locally — the CLI, the Action without an endpoint, or the form's in-browser mode — to include it without the key leaving your machine.",
  },
  "input.stray-text": {
    severity: "info",
    title: "Text between PEM blocks was ignored",
    advice: "Explanatory text such as `openssl x509 -text` output is allowed between blocks and is skipped.",
  },
  "input.nothing-audited": {
    severity: "error",
    title: "No certificate could be examined",
    advice: "Nothing was checked, so this report cannot pass. Send the certificates themselves: `kubectl config view --raw --minify --flatten` embeds file references; `curl -d @file` strips line breaks, use `curl --data-binary @file`; the CLI audits local files where they are.",
  },
});
