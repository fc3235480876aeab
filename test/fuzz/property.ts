// The fuzz property shared by `npm test` (a short slice) and `npm run fuzz` (100,000 cases): every
// generated case is materialised, run, and checked. A failure prints a reproducer: fast-check's
// seed and path (FUZZ_SEED=… FUZZ_PATH=… npm run fuzz replays it) and the shrunk input as base64,
// ready to be saved under test/fuzz/regressions/.
import fc from "fast-check";
import { arbCase, type CaseRecipe, encodeCase, materialise, toBase64 } from "./arb-case.ts";
import type { NodeFuzz } from "./node-setup.ts";
import { trapLogs } from "./log-trap.ts";
import { runCase } from "./run-case.ts";

export interface FuzzStats {
  cases: number;
  kinds: Record<string, number>;
  validChains: number;
  maxWork: number;
  maxMs: number;
  ms: number;
}

export interface FuzzRun {
  stats: FuzzStats;
  /** null when every case held; else the report to print. */
  failure: string | null;
}

export async function fuzz(
  ctx: NodeFuzz,
  opts: { numRuns: number; seed: number; path?: string; reproducerFile?: string; onReproducer?: (json: string) => void },
): Promise<FuzzRun> {
  const stats: FuzzStats = { cases: 0, kinds: {}, validChains: 0, maxWork: 0, maxMs: 0, ms: 0 };
  const started = performance.now();
  let lastInput = "";
  const logged: string[] = [];
  const property = fc.asyncProperty(arbCase(ctx.seeds), async (recipe) => {
    const m = await materialise(recipe, ctx.seeds, ctx.ca);
    lastInput = encodeCase(m);
    const before = logged.length;
    const o = await runCase(m, ctx.validators, ctx.seeds.keyLines);
    if (!o.failure && logged.length > before) o.failure = `the core wrote to the log: ${logged[before]!.slice(0, 300)}`;
    stats.cases++;
    stats.kinds[o.kind] = (stats.kinds[o.kind] ?? 0) + 1;
    stats.validChains += o.validChains;
    stats.maxWork = Math.max(stats.maxWork, o.work);
    stats.maxMs = Math.max(stats.maxMs, o.ms);
    if (o.failure) throw new Error(o.failure);
  });
  const restore = trapLogs(logged);
  let details: fc.RunDetails<[CaseRecipe]>;
  try {
    details = await fc.check(property, {
      numRuns: opts.numRuns,
      seed: opts.seed,
      ...(opts.path ? { path: opts.path } : {}),
      endOnFailure: false,
      verbose: 0,
    });
  } finally {
    restore();
  }
  stats.ms = performance.now() - started;
  if (!details.failed) return { stats, failure: null };
  // The shrunk counterexample is the last one run before fast-check gave up shrinking: re-run it
  // to make `lastInput` the shrunk input.
  const shrunk = details.counterexample?.[0];
  if (shrunk) lastInput = encodeCase(await materialise(shrunk, ctx.seeds, ctx.ca));
  const b64 = toBase64(new TextEncoder().encode(lastInput));
  const err = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const failure = [
    `fuzz case failed: ${err}`,
    `reproduce: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} npm run fuzz`,
    `shrunk input (base64 of the case JSON; save it decoded as test/fuzz/regressions/NAME.json {"found": "...", "case": <the JSON>}):`,
    b64.length <= 20_000
      ? b64
      : `${b64.slice(0, 2000)}… (${b64.length} characters; in full in ${opts.reproducerFile ?? "the reproducer file"})`,
  ].join("\n");
  opts.onReproducer?.(lastInput);
  return { stats, failure };
}
