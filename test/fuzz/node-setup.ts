// Node side of the fuzzer: the fixtures read from disk, ajv over the checked-in JSON Schemas.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { makeFuzzCa, type FuzzCa } from "./fuzz-ca.ts";
import type { Validators } from "./run-case.ts";
import { buildSeeds, type FixtureFile, type Seeds } from "./seeds.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURES = join(ROOT, "test/fixtures");
/** The scenario fixtures (see test/fixtures/README.md); the 144-root trust store is left out for speed. */
const SKIP = new Set(["trust-store", "pkits"]);

function fixtureFiles(): FixtureFile[] {
  const out: FixtureFile[] = [];
  for (const dir of readdirSync(FIXTURES)) {
    if (SKIP.has(dir) || !statSync(join(FIXTURES, dir)).isDirectory()) continue;
    for (const f of readdirSync(join(FIXTURES, dir))) {
      if (!/\.(crt|key|pem|yaml|json)$/.test(f) || f === "manifest.json") continue;
      const p = join(FIXTURES, dir, f);
      out.push({ path: relative(ROOT, p), text: readFileSync(p, "latin1") });
    }
  }
  return out;
}

export interface NodeFuzz {
  seeds: Seeds;
  ca: FuzzCa;
  validators: Validators;
}

export async function nodeFuzz(): Promise<NodeFuzz> {
  const seeds = buildSeeds(fixtureFiles());
  const ca = await makeFuzzCa(readFileSync(join(ROOT, "test/fuzz/fuzz-ca.key"), "utf8"), seeds.caCerts[0]!, crypto.subtle);
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  const compile = (name: string) => {
    const v = ajv.compile(JSON.parse(readFileSync(join(ROOT, "schemas", name), "utf8")));
    return (x: unknown) => (v(x) ? null : ajv.errorsText(v.errors));
  };
  return { seeds, ca, validators: { report: compile("report.schema.json"), verifyResult: compile("verify-result.schema.json") } };
}
