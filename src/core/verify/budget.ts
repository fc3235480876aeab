// Work limits for one verifyChain call. Running out is a result ("budget-exhausted"), never a throw.

/** Limits shared by every chain built for one request; each number's origin is cited where it is set. */
export interface Budget {
  /** Signature checks left (Go stops at 100 since CVE-2018-16875; rustls-webpki uses 100). */
  signatures: number;
  /** Path-building steps left (rustls-webpki: 200,000). */
  steps: number;
  /** Name-constraint comparisons left (rustls-webpki: 250,000). */
  nameConstraintChecks: number;
}

export function newBudget(): Budget {
  return {
    // Go crypto/x509 verify.go, buildChains: `maxChainSignatureChecks = 100` (added for
    // CVE-2018-16875); rustls-webpki src/verify_cert.rs Budget::default: `signatures: 100`.
    signatures: 100,
    // rustls-webpki src/verify_cert.rs Budget::default: `build_chain_calls: 200_000`.
    steps: 200_000,
    // rustls-webpki src/verify_cert.rs Budget::default: `name_constraint_comparisons: 250_000`.
    nameConstraintChecks: 250_000,
  };
}

/** Thrown inside the validator only, caught by verifyChain and turned into status "budget-exhausted". */
export class BudgetExhausted extends Error {
  override name = "BudgetExhausted";
  readonly what: keyof Budget;
  constructor(what: keyof Budget) {
    super(`the ${what} budget was exhausted`);
    this.what = what;
  }
}

export function spend(budget: Budget, what: keyof Budget, n = 1): void {
  budget[what] -= n;
  if (budget[what] < 0) throw new BudgetExhausted(what);
}
