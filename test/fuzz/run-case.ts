// Runs one materialised case through the core (audit() or verifyCertificate(), as the HTTP app
// calls them) and returns the broken rule, or null. Work is counted, not timed: every WebCrypto
// call goes through a counter, and a case over WORK_BUDGET calls fails. A generous wall-clock
// guard catches what the counter cannot see (a loop that calls no WebCrypto).
import { audit, type AuditInput } from "../../src/core/audit.ts";
import { InputProblem } from "../../src/core/errors.ts";
import { VerifyRequestSchema } from "../../src/core/report/schema.ts";
import { verifyCertificate } from "../../src/core/verify-chain.ts";
import type { Materialised } from "./arb-case.ts";
import { checkProblem, checkReport, checkVerifyResult, type Validate } from "./invariants.ts";

/**
 * WebCrypto calls one case may make. The design bound is far higher (200 chains x 100 signature
 * checks x 2 profiles, audit.ts DEFAULT_LIMITS and verify/budget.ts), but no fuzz input holds more
 * than a few hundred certificates; 20,000 calls flags a blow-up long before the design bound.
 */
export const WORK_BUDGET = 20_000;
export const WALL_CLOCK_MS = 10_000;
/** Inputs larger than this are not run: the envelope schema caps a field at 4 MiB and the Worker's body at 1 MiB. */
export const MAX_INPUT_CHARS = 4 * 1024 * 1024;

export interface Validators {
  report: Validate;
  verifyResult: Validate;
}

export interface Outcome {
  failure: string | null;
  /** "report", "verify", or the InputProblem code. */
  kind: string;
  work: number;
  ms: number;
  /** Chains reported valid (the deep checks ran): the slice asserts the generators reach them. */
  validChains: number;
}

function countingSubtle(subtle: SubtleCrypto, count: { n: number }): SubtleCrypto {
  return new Proxy(subtle, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        count.n++;
        return v.apply(target, args);
      };
    },
  });
}

const textOf = (m: Materialised) => JSON.stringify(m, (_k, v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v));

/** `alwaysSecret`: strings no output may hold whatever the case (the fixtures' private key lines). */
export async function runCase(
  m: Materialised,
  validators: Validators,
  alwaysSecret: string[] = [],
  subtle: SubtleCrypto = crypto.subtle,
): Promise<Outcome> {
  const secrets = [...m.secrets, ...alwaysSecret];
  const count = { n: 0 };
  const counted = countingSubtle(subtle, count);
  const started = performance.now();
  const inputText = textOf(m);
  if (inputText.length > MAX_INPUT_CHARS) return { failure: null, kind: "oversize", work: 0, ms: 0, validChains: 0 };
  let failure: string | null = null;
  let kind = m.target === "audit" ? "report" : "verify";
  let validChains = 0;
  try {
    if (m.target === "audit") {
      const report = await audit(m.input as AuditInput, {
        at: new Date(m.at),
        subtle: counted,
        ...(m.warnDays !== undefined ? { warnDays: m.warnDays } : {}),
      });
      failure = checkReport(JSON.parse(JSON.stringify(report)), validators.report, secrets, inputText);
      validChains = report.chains.filter((c) => c.valid).length;
    } else {
      // As the HTTP app does: the request is first checked against its schema.
      const parsed = VerifyRequestSchema.safeParse(m.req);
      if (!parsed.success) kind = "input.bad-option";
      else {
        const result = await verifyCertificate(parsed.data, { at: new Date(String(m.req.at)), subtle: counted });
        failure = checkVerifyResult(JSON.parse(JSON.stringify(result)), validators.verifyResult, secrets, inputText);
        validChains = result.valid ? 1 : 0;
      }
    }
  } catch (e) {
    if (e instanceof InputProblem) {
      kind = e.code;
      failure = checkProblem(e.message, secrets, inputText);
    } else
      failure = `uncaught ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split("\n").slice(1, 8).join("\n")}` : String(e)}`;
  }
  const ms = performance.now() - started;
  if (!failure && count.n > WORK_BUDGET) failure = `over the work budget: ${count.n} WebCrypto calls (budget ${WORK_BUDGET})`;
  if (!failure && ms > WALL_CLOCK_MS) failure = `over the wall-clock guard: ${Math.round(ms)} ms`;
  return { failure, kind, work: count.n, ms, validChains };
}
