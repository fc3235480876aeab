// `npm run bench:workerd`: CPU per request inside workerd (the Workers runtime), through
// Miniflare's API (new Miniflare + dispatchFetch), without wrangler's dev proxy in the way.
// CPU is read from the workerd process itself (/proc/<pid>/stat utime+stime) around a batch of
// identical requests after a warm-up to V8's steady state, and a no-op request (GET /healthz)
// measured in the same run is subtracted; the first 20 requests of a fresh isolate are measured
// apart (new workerd processes), since a Worker's isolate also serves requests before it is warm.
// node:crypto (native parse + verify) and @peculiar/x509 (parse + read fields + verify) run on the
// same certificates in this process, in the same run, for the ratios (CPU time of this process). Start-up is the workerd CPU
// from spawn to the first answer with the Worker, minus the same with a one-line Worker: the
// Worker's compile and script evaluation. Memory: workerd's resident set before and after the
// 5,000-certificate requests (V8's heap inside workerd is not observable from here).
// Prints a table and writes bench-out/workerd.json. A benchmark, not a test.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { gzipSync } from "node:zlib";
import type { Miniflare } from "miniflare";
import { issuerIndexes, nativeParseVerify, peculiarParseVerify } from "./bench-baselines.ts";
import { benchInputs, certificateDers, ROOT } from "./bench-inputs.ts";
import { cpuMs, rssMiB, startWorker, workerdPids } from "./workerd-process.ts";

console.log("bundling the Worker (wrangler deploy --dry-run)…");
execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", "bench-out/worker"], {
  cwd: ROOT,
  stdio: "ignore",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
const script = readdirSync(`${ROOT}bench-out/worker`).find((f) => f.endsWith(".js"))!;
const code = readFileSync(`${ROOT}bench-out/worker/${script}`);
const bundle = { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };

/** workerd CPU (ms) from spawn to the first answer of GET /healthz. */
async function startupCpu(contents: string): Promise<number> {
  const mf = startWorker(contents);
  await mf.ready;
  await (await mf.dispatchFetch("http://bench/healthz")).arrayBuffer();
  const ms = cpuMs(workerdPids());
  await mf.dispose();
  return ms;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const trivial = 'export default { fetch() { return new Response("ok"); } };';
const startTrivial: number[] = [];
const startOurs: number[] = [];
for (let i = 0; i < 5; i++) {
  startTrivial.push(await startupCpu(trivial));
  startOurs.push(await startupCpu(code.toString("utf8")));
}
const startup = {
  trivialWorkerCpuMs: median(startTrivial),
  certauditCpuMs: median(startOurs),
  scriptEvaluationCpuMs: median(startOurs) - median(startTrivial),
};

const mf = startWorker(code.toString("utf8"));
await mf.ready;
await mf.dispatchFetch("http://bench/healthz");
const pids = workerdPids();
if (!pids.length) throw new Error("no workerd process found under this one");

interface Case {
  name: string;
  certificates: number;
  ders: Uint8Array[];
  /** One request, to the run's workerd or to another one (the fresh isolates below). */
  req: (m?: Miniflare) => Promise<{ status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
}
const post =
  (body: string, type: string) =>
  (m: Miniflare = mf) =>
    m.dispatchFetch("http://bench/v1/audit?at=2026-06-01T00:00:00Z", { method: "POST", body, headers: { "content-type": type } });
const cases: Case[] = [
  { name: "no-op (GET /healthz)", certificates: 0, ders: [], req: (m: Miniflare = mf) => m.dispatchFetch("http://bench/healthz") },
];
for (const i of await benchInputs()) {
  const ders = certificateDers(i.pems);
  cases.push({
    name: i.name,
    certificates: ders.length,
    ders,
    req: i.audit.pem !== undefined ? post(i.audit.pem, "application/x-pem-file") : post(JSON.stringify(i.audit), "application/json"),
  });
}

const results: {
  name: string;
  certificates: number;
  cpuMsPerRequest: number;
  netMs: number;
  perCertMs: number | null;
  nativePerCertMs: number | null;
  peculiarPerCertMs: number | null;
  ratioToNative: number | null;
  runs: number;
}[] = [];
let rss: { beforeMiB: number; afterMiB: number } | null = null;
for (const c of cases) {
  const runs = c.certificates === 0 ? 400 : c.certificates >= 5000 ? 3 : c.certificates >= 1000 ? 15 : c.certificates > 100 ? 40 : 200;
  const rssBefore = rssMiB(pids);
  // Warm-up to V8's steady state: workerd tiers the per-certificate code up over the first
  // requests (a fresh isolate's first 20 trust-store requests cost ~1.7 times the later ones, see
  // "fresh isolate" below), so at least 5 requests and until 1.5 s of CPU or 300 requests.
  const warmFrom = cpuMs(pids);
  for (let i = 0; i < 300 && (i < Math.min(5, runs) || cpuMs(pids) - warmFrom < 1500); i++) await (await c.req()).arrayBuffer();
  const before = cpuMs(pids);
  for (let i = 0; i < runs; i++) {
    const res = await c.req();
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${c.name}: HTTP ${res.status}`);
  }
  const perRequest = (cpuMs(pids) - before) / runs;
  if (c.certificates >= 5000) rss = { beforeMiB: rssBefore, afterMiB: rssMiB(pids) };
  let native: number | null = null;
  let peculiar: number | null = null;
  if (c.ders.length) {
    const issuers = issuerIndexes(c.ders);
    // CPU time of this process, like workerd's figures (a shared machine's load does not count).
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    nativeParseVerify(c.ders, issuers);
    const t0 = cpu();
    for (let i = 0; i < 3; i++) nativeParseVerify(c.ders, issuers);
    native = (cpu() - t0) / 3 / c.ders.length;
    const t1 = cpu();
    await peculiarParseVerify(c.ders, issuers);
    peculiar = (cpu() - t1) / c.ders.length;
  }
  results.push({
    name: c.name,
    certificates: c.certificates,
    cpuMsPerRequest: perRequest,
    netMs: 0,
    perCertMs: null,
    nativePerCertMs: native,
    peculiarPerCertMs: peculiar,
    ratioToNative: null,
    runs,
  });
}
const noop = results[0]!.cpuMsPerRequest;

// A fresh isolate: the first requests, before V8 has optimised the code (each trial a new
// workerd; the first 20 audits after GET /healthz, net of 20 warm no-ops). Three trials, median.
const FRESH = 20;
const fresh: { name: string; firstRequestsNetMs: number; warmNetMs: number }[] = [];
for (const c of cases.filter((x) => x.certificates > 0 && x.certificates <= 200)) {
  const trials: number[] = [];
  for (let t = 0; t < 3; t++) {
    const m = startWorker(code.toString("utf8"));
    await m.ready;
    await (await m.dispatchFetch("http://bench/healthz")).arrayBuffer();
    const ps = workerdPids().filter((p) => !pids.includes(p));
    const before = cpuMs(ps);
    for (let i = 0; i < FRESH; i++) await (await c.req(m)).arrayBuffer();
    trials.push((cpuMs(ps) - before) / FRESH - noop);
    await m.dispose();
  }
  fresh.push({ name: c.name, firstRequestsNetMs: median(trials), warmNetMs: 0 });
}
for (const f of fresh) f.warmNetMs = Math.max(0, results.find((r) => r.name === f.name)!.cpuMsPerRequest - noop);

for (const r of results) {
  r.netMs = Math.max(0, r.cpuMsPerRequest - noop);
  if (r.certificates) {
    r.perCertMs = r.netMs / r.certificates;
    r.ratioToNative = r.perCertMs / r.nativePerCertMs!;
  }
}
await mf.dispose();
const r1 = results.find((r) => r.certificates === 1000);
const r5 = results.find((r) => r.certificates === 5000);
const slope = r1 && r5 ? Math.log(r5.netMs / r1.netMs) / Math.log(5) : null;

const miniflare = (await import("miniflare/package.json", { with: { type: "json" } })).default.version;
console.log(
  `\nworkerd (Miniflare ${miniflare}), CPU of the workerd process per request; node:crypto and @peculiar/x509 in Node ${process.versions.node}, same run, ${cpus().length} × ${cpus()[0]?.model}:`,
);
console.log(
  "| input | certs | CPU per request | net of no-op | net per cert | node:crypto per cert | certaudit ÷ native | @peculiar/x509 per cert |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
);
const f = (x: number | null, unit: "ms" | "µs") => (x === null ? "" : unit === "ms" ? `${x.toFixed(2)} ms` : `${(x * 1000).toFixed(0)} µs`);
for (const r of results)
  console.log(
    `| ${r.name} | ${r.certificates || ""} | ${f(r.cpuMsPerRequest, "ms")} | ${r.certificates ? f(r.netMs, "ms") : ""} | ${f(r.perCertMs, "µs")} | ${f(r.nativePerCertMs, "µs")} | ${r.ratioToNative === null ? "" : `${r.ratioToNative.toFixed(2)}×`} | ${f(r.peculiarPerCertMs, "µs")} |`,
  );
if (slope !== null) console.log(`\nlog-log slope of the net CPU from 1,000 to 5,000 certificates: ${slope.toFixed(2)}`);
if (rss)
  console.log(
    `workerd resident set around the 5,000-certificate requests: ${rss.beforeMiB.toFixed(0)} MiB before, ${rss.afterMiB.toFixed(0)} MiB after`,
  );
for (const f of fresh)
  console.log(
    `fresh isolate, ${f.name}: the first ${FRESH} requests ${f.firstRequestsNetMs.toFixed(2)} ms each net of no-op (median of 3 new workerd), warm ${f.warmNetMs.toFixed(2)} ms`,
  );
console.log(
  `Worker bundle: ${bundle.bytes.toLocaleString("en")} bytes (${(bundle.bytes / 1024).toFixed(1)} KiB), ${bundle.gzip.toLocaleString("en")} bytes gzip -9 (${(bundle.gzip / 1000).toFixed(1)} KB, ${(bundle.gzip / 1024).toFixed(1)} KiB)`,
);
console.log(
  `start-up, workerd CPU from spawn to first answer (median of 5): one-line Worker ${startup.trivialWorkerCpuMs.toFixed(0)} ms, certaudit ${startup.certauditCpuMs.toFixed(0)} ms: the Worker's compile + script evaluation ≈ ${startup.scriptEvaluationCpuMs.toFixed(0)} ms`,
);
mkdirSync(`${ROOT}bench-out`, { recursive: true });
writeFileSync(
  `${ROOT}bench-out/workerd.json`,
  `${JSON.stringify({ when: new Date().toISOString(), node: process.versions.node, miniflare, machine: { cpu: cpus()[0]?.model, cores: cpus().length }, bundle, startup, slope1000to5000: slope, rss5000: rss, results, fresh }, null, 2)}\n`,
);
console.log("written: bench-out/workerd.json");
