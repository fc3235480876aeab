import { family } from "./types.ts";

/** Limits of the audit itself. */
export const ENGINE = family("engine", {
  "engine.certificate-limit": {
    severity: "warning",
    title: "Only part of the certificates were audited",
    advice:
      "The input holds more certificates than one request audits; the rest were skipped. Split the bundle, or raise the limit where you run certaudit yourself.",
  },
  "engine.context-limit": {
    severity: "warning",
    title: "Only part of the contexts were analysed",
    advice:
      "The kubeconfig holds more contexts than one request analyses; the rest were skipped. Audit a smaller kubeconfig (`kubectl config view --raw --minify --flatten --context NAME`).",
  },
  "engine.chain-limit": {
    severity: "warning",
    title: "Only part of the chains were built",
    advice:
      "The input holds more leaf certificates than one request builds chains for; the rest are listed but not verified. Split the bundle.",
  },
});
