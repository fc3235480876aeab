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
    if (chainCount >= limits.maxChains || verifier.exhausted()) {
      if (!chainLimitReported) {
        chainLimitReported = true;
        const spent = chainCount < limits.maxChains ? ` (its ${limits.maxSignatureChecks} signature checks were spent)` : "";
        findings.add("engine.chain-limit", `Only ${chainCount} chains were built for this request${spent}.`, { certificate: leaf.id });
      }
      return null;
    }
    chainCount++;
    return verifyChain({
      leaf,
      intermediates,
      anchors,
      at,
      purpose,
      profile: chainProfile,
      budget: newBudget(),
      verifier,
      ...(serverName ? { serverName } : {}),
    });
  };
}
