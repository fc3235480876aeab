// Builds chains for one request, each with its own budget, and stops at the request's chain
// limit (reported once as engine.chain-limit).
import type { RunChain } from "../checks/context.ts";
import type { Findings } from "../findings/index.ts";
import type { Limits } from "../input/store.ts";
import { newBudget, verifyChain } from "../verify/index.ts";
import type { SignatureVerifier } from "../x509/signature.ts";

export function chainRunner(limits: Limits, at: Date, verifier: SignatureVerifier, findings: Findings): RunChain {
  let chainCount = 0;
  let chainLimitReported = false;
  return async (leaf, intermediates, anchors, purpose, chainProfile, serverName) => {
    if (chainCount >= limits.maxChains) {
      if (!chainLimitReported) {
        chainLimitReported = true;
        findings.add("engine.chain-limit", `Only ${limits.maxChains} chains were built for this request.`, { certificate: leaf.id });
      }
      return null;
    }
    chainCount++;
    return verifyChain({ leaf, intermediates, anchors, at, purpose, profile: chainProfile, budget: newBudget(), verifier, ...(serverName ? { serverName } : {}) });
  };
}
