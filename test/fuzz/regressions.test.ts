// Every input the fuzzer found, replayed: each file in test/fuzz/regressions/ holds the case as the
// failure's reproducer printed it and what was wrong; the case must now hold every invariant.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeCase } from "./arb-case.ts";
import { trapLogs } from "./log-trap.ts";
import { nodeFuzz } from "./node-setup.ts";
import { runCase } from "./run-case.ts";

const DIR = new URL("./regressions/", import.meta.url);
const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();

describe("fuzz regressions", () => {
  it("there are regression cases", () => expect(files.length).toBeGreaterThan(0));
  it.each(files)("%s", async (file) => {
    const { found, case: c } = JSON.parse(readFileSync(new URL(file, DIR), "utf8")) as { found: string; case: unknown };
    expect(found.length).toBeGreaterThan(0);
    const ctx = await nodeFuzz();
    const logged: string[] = [];
    const restore = trapLogs(logged);
    let o: Awaited<ReturnType<typeof runCase>>;
    try {
      o = await runCase(decodeCase(JSON.stringify(c)), ctx.validators, ctx.seeds.keyLines);
    } finally {
      restore();
    }
    expect(o.failure, o.failure ?? "").toBeNull();
    expect(logged, "the core wrote to the log").toEqual([]);
  });
});
