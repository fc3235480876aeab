// Defaults shared by the audit (audit.ts) and the single-chain check (verify-chain.ts).
import type { Limits } from "./input/store.ts";

export const DEFAULT_LIMITS: Limits = {
  // A cluster's kubeconfig has a handful of certificates; a CA bundle such as Mozilla's has
  // about 150. 10,000 covers large fleets' bundles while bounding work: parsing and the
  // per-certificate checks cost about 0.1 ms each (docs/performance.md).
  maxCertificates: 10_000,
  // Two chains per leaf (Go's rules and strict RFC 5280, checks/side-by-side.ts), so every leaf of
  // a full bundle gets its chain; the signature-check budget below is what bounds the work.
  maxChains: 20_000,
  // A merged kubeconfig for a large fleet can hold dozens of contexts; each costs a few chains.
  maxContexts: 100,
  // Each chain has its own budget of 100 signature checks (see verify/budget.ts). 10,000 over the
  // request (cached answers included) is what the crafted worst cases spent under the former
  // 200-chain limit (150 look-alike CAs: 50 contexts x 2 chains x 100), so they cost no more,
  // while a 5,000-certificate bundle (two chains per leaf, one check each) is verified in full.
  maxSignatureChecks: 10_000,
};

export const DEFAULT_WARN_DAYS = 30;
