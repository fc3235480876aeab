import { family } from "./types.ts";

/** Where the Go verdicts (kubectl, kube-apiserver) and the strict profile part ways. */
export const CHAIN_VERDICTS = family("chain", {
  "chain.tools-disagree": {
    severity: "warning",
    title: "Go and strict RFC 5280 validation disagree about this chain",
    advice:
      "kubectl and kube-apiserver (Go) decide as the verdict and the default `go` profile say, but strict RFC 5280 validation (the `rfc5280` profile) decides the other way, so verifiers that enforce RFC 5280 strictly may fail where kubectl works (or the reverse). The message names the rule. Re-issue the certificates so that both accept them.",
    cite: "Go crypto/x509 verify.go (Verify, isValid) and cert_pool.go (findPotentialParents: issuers by exact subject bytes); RFC 5280 4.2, 6.1 and 7.1",
  },
});
