/// <reference types="vite/client" />
// A slice of the fuzzer (test/fuzz/) through the real Worker inside workerd: the same generated
// cases as requests (raw bodies, JSON envelopes, multipart forms, /v1/verify), checked against the
// zod schemas the published JSON Schemas are generated from (ajv compiles code, which workerd forbids).
import { SELF } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReportSchema, VerifyResultSchema } from "../../src/core/report/schema.ts";
import { arbCase, decodeCase, encodeCase, materialise, toBase64 } from "../fuzz/arb-case.ts";
import { makeFuzzCa } from "../fuzz/fuzz-ca.ts";
import { runHttpCase } from "../fuzz/http-case.ts";
import type { Validators } from "../fuzz/run-case.ts";
import { buildSeeds } from "../fuzz/seeds.ts";
import fuzzCaKey from "../fuzz/fuzz-ca.key?raw";
import e2eKubeconfig from "../fixtures/e2e-users/kubeconfig.yaml?raw";
import e2eJson from "../fixtures/e2e-users/kubeconfig.json?raw";
import e2eCa from "../fixtures/e2e-users/ca.crt?raw";
import e2eClient from "../fixtures/e2e-users/client.crt?raw";
import e2eServer from "../fixtures/e2e-users/apiserver.crt?raw";
import e2eKey from "../fixtures/e2e-users/client.key?raw";
import interKubeconfig from "../fixtures/intermediate/kubeconfig.yaml?raw";
import interChain from "../fixtures/intermediate/intermediate.crt?raw";
import interServer from "../fixtures/intermediate/apiserver.crt?raw";
import ecdsaKubeconfig from "../fixtures/ecdsa/kubeconfig.yaml?raw";
import ed25519Kubeconfig from "../fixtures/ed25519/kubeconfig.yaml?raw";
import secretsKubeconfig from "../fixtures/secrets/kubeconfig.yaml?raw";
import multiKubeconfig from "../fixtures/multi-context/kubeconfig.yaml?raw";
import bundle from "../fixtures/pem-bundle/bundle.pem?raw";
import oneLine from "../fixtures/real-world/one-line.pem?raw";
import ecKey from "../fixtures/keys/ec-pkcs8.pem?raw";
import edKey from "../fixtures/keys/ed25519-pkcs8.pem?raw";

const RUNS = 400;
const SEED = 20261202;
const files = Object.entries({
  "e2e-users/kubeconfig.yaml": e2eKubeconfig,
  "e2e-users/kubeconfig.json": e2eJson,
  "e2e-users/ca.crt": e2eCa,
  "e2e-users/client.crt": e2eClient,
  "e2e-users/apiserver.crt": e2eServer,
  "e2e-users/client.key": e2eKey,
  "intermediate/kubeconfig.yaml": interKubeconfig,
  "intermediate/intermediate.crt": interChain,
  "intermediate/apiserver.crt": interServer,
  "ecdsa/kubeconfig.yaml": ecdsaKubeconfig,
  "ed25519/kubeconfig.yaml": ed25519Kubeconfig,
  "secrets/kubeconfig.yaml": secretsKubeconfig,
  "multi-context/kubeconfig.yaml": multiKubeconfig,
  "pem-bundle/bundle.pem": bundle,
  "real-world/one-line.pem": oneLine,
  "keys/ec-pkcs8.pem": ecKey,
  "keys/ed25519-pkcs8.pem": edKey,
}).map(([path, text]) => ({ path, text }));

const zod = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: unknown[] } } }) => (v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? null : JSON.stringify(r.error?.issues.slice(0, 3));
};
const validators: Validators = { report: zod(ReportSchema), verifyResult: zod(VerifyResultSchema) };

describe("fuzz slice through the Worker (workerd)", () => {
  it(`${RUNS} generated requests: no 5xx, every 200 holds the invariants, every refusal is a clean problem`, async () => {
    const seeds = buildSeeds(files);
    const ca = await makeFuzzCa(fuzzCaKey, seeds.caCerts[0]!, crypto.subtle);
    const statuses: Record<number, number> = {};
    let n = 0;
    let last = "";
    const details = await fc.check(
      fc.asyncProperty(arbCase(seeds), async (recipe) => {
        const m = await materialise(recipe, seeds, ca);
        last = encodeCase(m);
        // One client address per case: the rate limiter (60 a minute per address) stays out of the way.
        const r = await runHttpCase(m, (u, i) => SELF.fetch(u, i), validators, seeds.keyLines, `fuzz-${n++}`);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.failure) throw new Error(r.failure);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`workerd fuzz slice: ${n} requests (seed ${SEED}), statuses ${JSON.stringify(statuses)}`);
    const failure = details.failed
      ? `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}\nreproduce: seed ${details.seed} path ${details.counterexamplePath}\ninput (base64 of the case JSON): ${toBase64(new TextEncoder().encode(last)).slice(0, 20000)}`
      : null;
    expect(failure, failure ?? "").toBeNull();
    expect(statuses[200] ?? 0).toBeGreaterThan(RUNS / 5);
  }, 300_000);

  // Every case the fuzzer found (test/fuzz/regressions/), as a request to the Worker.
  const regressions = import.meta.glob<{ case: unknown }>("../fuzz/regressions/*.json", { eager: true, import: "default" });
  it.each(Object.keys(regressions))("regression %s answers without a 5xx and holds the invariants", async (file) => {
    const seeds = buildSeeds(files);
    const m = decodeCase(JSON.stringify(regressions[file]!.case));
    const r = await runHttpCase(m, (u, i) => SELF.fetch(u, i), validators, seeds.keyLines, `fuzz-regression-${file}`);
    expect(r.failure, r.failure ?? "").toBeNull();
  });
});
