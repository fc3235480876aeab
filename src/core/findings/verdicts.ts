import { family } from "./types.ts";

/** Where the Go verdicts (kubectl, kube-apiserver) and the strict profile part ways. */
export const CHAIN_VERDICTS = family("chain", {
  "chain.tools-disagree": {
    severity: "warning",
    title: "Go and strict RFC 5280 validation disagree about this chain",
    advice: "kubectl and kube-apiserver (Go) decide as the verdict says, but OpenSSL, curl and other strict verifiers decide the other way, so tools that check the same certificates may fail where kubectl works (or the reverse). Re-issue the certificates so that both accept them.",
  },
});
