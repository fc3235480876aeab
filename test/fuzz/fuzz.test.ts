// The structure-aware fuzzer (test/fuzz/README.md) through audit() and verifyCertificate() in Node.
// `npm test` runs a short, fixed-seed slice; `npm run fuzz` runs 100,000 cases with a new seed
// (FUZZ_RUNS, FUZZ_SEED and FUZZ_PATH override; the reproducer a failure prints replays with them).
import { mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nodeFuzz } from "./node-setup.ts";
import { fuzz } from "./property.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 800);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? Date.now() % 2 ** 31 : 20261201;
const PATH = process.env.FUZZ_PATH;
const REPRODUCER = new URL("../../test-results/fuzz-reproducer.json", import.meta.url).pathname;

describe("fuzz: audit() and verifyCertificate()", () => {
  it(
    `${RUNS} generated cases (seed ${SEED}) hold every invariant`,
    async () => {
      const ctx = await nodeFuzz();
      const r = await fuzz(ctx, {
        numRuns: RUNS,
        seed: SEED,
        ...(PATH ? { path: PATH } : {}),
        reproducerFile: REPRODUCER,
        onReproducer: (json) => {
          mkdirSync(new URL("../../test-results/", import.meta.url), { recursive: true });
          writeFileSync(REPRODUCER, json);
        },
      });
      console.log(
        `fuzz: ${r.stats.cases} cases in ${(r.stats.ms / 1000).toFixed(1)} s (seed ${SEED}); outcomes ${JSON.stringify(r.stats.kinds)}; ${r.stats.validChains} valid chains; most work in one case ${r.stats.maxWork} WebCrypto calls, slowest ${Math.round(r.stats.maxMs)} ms`,
      );
      expect(r.failure, r.failure ?? "").toBeNull();
      if (!PATH) {
        // The generators reach past the parsers: reports, verify results and valid chains, not only refusals.
        expect(r.stats.kinds.report ?? 0).toBeGreaterThan(RUNS / 20);
        expect(r.stats.kinds.verify ?? 0).toBeGreaterThan(RUNS / 20);
        expect(r.stats.validChains).toBeGreaterThan(0);
      }
    },
    60_000 + RUNS * 100,
  );
});
