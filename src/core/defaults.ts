// Defaults shared by the audit (audit.ts) and the single-chain check (verify-chain.ts).
import type { Limits } from "./input/store.ts";

export const DEFAULT_LIMITS: Limits = {
  // A cluster's kubeconfig has a handful of certificates; a CA bundle such as Mozilla's has
  // about 150. 1,000 covers both with room while bounding work (~1 ms of CPU each to parse).
  maxCertificates: 1000,
  // Each chain has its own budget of 100 signature checks (see verify/budget.ts); 200 chains
  // bound a request to 20,000 checks in the worst case.
  maxChains: 200,
  // A merged kubeconfig for a large fleet can hold dozens of contexts; each costs a few chains.
  maxContexts: 100,
};

export const DEFAULT_WARN_DAYS = 30;
