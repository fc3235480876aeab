// Before/after inside workerd, interleaved: two Worker bundles (e.g. main's and this branch's,
// from `wrangler deploy --dry-run --outdir DIR`) each in its own workerd process, the bench
// inputs sent to one then the other for several rounds, CPU of each workerd process per request
// net of its own no-op request. On a shared machine the load moves both alike within a round.
// Usage: [COMPARE_ONLY=1000] [COMPARE_SCALE=4] node scripts/bench-compare.ts BEFORE.js AFTER.js [rounds]   (a dev tool, not a test)
import { readFileSync } from "node:fs";
import type { Miniflare } from "miniflare";
import { benchInputs } from "./bench-inputs.ts";
import { cpuMs, startWorker, workerdPids } from "./workerd-process.ts";

const [beforeFile, afterFile, roundsArg = "5"] = process.argv.slice(2);
if (!beforeFile || !afterFile) throw new Error("usage: bench-compare.ts BEFORE.js AFTER.js [rounds]");

async function start(file: string) {
  const before = new Set(workerdPids());
  const mf = startWorker(readFileSync(file, "utf8"));
  await mf.ready;
  await mf.dispatchFetch("http://bench/healthz");
  const pids = new Set([...workerdPids()].filter((p) => !before.has(p)));
  return { mf, pids };
}
const sides = [
  { name: "before", ...(await start(beforeFile)) },
  { name: "after", ...(await start(afterFile)) },
];
// COMPARE_ONLY=text keeps the inputs whose name contains it; COMPARE_SCALE=n sends n times as many
// requests per round (the CPU figure moves in steps of one clock tick over a round's requests).
const only = process.env.COMPARE_ONLY;
const scale = Number(process.env.COMPARE_SCALE ?? "1");
const inputs = (await benchInputs()).filter((i) => !only || i.name.includes(only));
const cases = [
  { name: "no-op", runs: 300 * scale, body: null as null | { body: string; type: string } },
  ...inputs.map((i) => ({
    name: i.name,
    runs: scale * (i.name.startsWith("5000") ? 2 : i.name.startsWith("1000") ? 4 : i.name.startsWith("Debian") ? 30 : 300),
    body:
      i.audit.pem !== undefined
        ? { body: i.audit.pem, type: "application/x-pem-file" }
        : { body: JSON.stringify(i.audit), type: "application/json" },
  })),
];
const req = (mf: Miniflare, c: (typeof cases)[number]) =>
  c.body
    ? mf.dispatchFetch("http://bench/v1/audit?at=2026-06-01T00:00:00Z", {
        method: "POST",
        body: c.body.body,
        headers: { "content-type": c.body.type },
      })
    : mf.dispatchFetch("http://bench/healthz");
const samples = new Map<string, number[]>();
const rounds = Number(roundsArg);
for (let r = 0; r < rounds; r++)
  for (const c of cases)
    for (const s of r % 2 ? [...sides].reverse() : sides) {
      for (let i = 0; i < 3; i++) await (await req(s.mf, c)).arrayBuffer();
      const t0 = cpuMs(s.pids);
      for (let i = 0; i < c.runs; i++) {
        const res = await req(s.mf, c);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${s.name} ${c.name}: HTTP ${res.status}`);
      }
      const key = `${s.name}|${c.name}`;
      samples.set(key, [...(samples.get(key) ?? []), (cpuMs(s.pids) - t0) / c.runs]);
    }
for (const s of sides) await s.mf.dispose();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`workerd CPU per request, net of each side's no-op, median of ${rounds} interleaved rounds:`);
console.log("| input | before | after | after ÷ before |\n| --- | ---: | ---: | ---: |");
const noop = (side: string) => median(samples.get(`${side}|no-op`)!);
console.log(`| no-op (GET /healthz, not subtracted) | ${noop("before").toFixed(2)} ms | ${noop("after").toFixed(2)} ms | |`);
for (const c of cases.slice(1)) {
  const b = median(samples.get(`before|${c.name}`)!) - noop("before");
  const a = median(samples.get(`after|${c.name}`)!) - noop("after");
  console.log(`| ${c.name} | ${b.toFixed(2)} ms | ${a.toFixed(2)} ms | ${(a / b).toFixed(2)} |`);
}
console.log("\nper round (gross, ms):");
for (const [k, v] of samples) console.log(`  ${k}: ${v.map((x) => x.toFixed(2)).join(" ")}`);
