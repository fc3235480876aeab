// `npm run bench:workerd`: CPU per request inside workerd (the Workers runtime), through
// Miniflare's API (new Miniflare + dispatchFetch), without wrangler's dev proxy in the way.
// CPU is read from the workerd process itself (/proc/<pid>/stat utime+stime) around a batch of
// identical requests, and a no-op request (GET /healthz) measured in the same run is subtracted.
// Prints a table and writes bench-out/workerd.json. A benchmark, not a test.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { Miniflare } from "miniflare";

const ROOT = new URL("..", import.meta.url).pathname;
const fx = (p: string) => readFileSync(`${ROOT}test/fixtures/${p}`, "utf8");
const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

function workerdPids(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "workerd" && readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1] === String(process.pid);
      } catch {
        return false;
      }
    });
}

function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15 of stat)
  }
  return ticks * TICK_MS;
}

console.log("bundling the Worker (wrangler deploy --dry-run)…");
execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", "bench-out/worker"], { cwd: ROOT, stdio: "ignore", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
const script = readdirSync(`${ROOT}bench-out/worker`).find((f) => f.endsWith(".js"))!;
const code = readFileSync(`${ROOT}bench-out/worker/${script}`);
const bundle = { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };

const t0 = performance.now();
const mf = new Miniflare({
  workers: [{ config: { name: "certaudit", compatibilityDate: "2026-10-01", manifest: { mainModule: script, modules: { [script]: { type: "esm", contents: code.toString("utf8") } } } } }],
});
await mf.ready;
await mf.dispatchFetch("http://bench/healthz");
const startupMs = performance.now() - t0;
const pids = workerdPids();
if (!pids.length) throw new Error("no workerd process found under this one");

interface Case {
  name: string;
  req: () => Promise<{ status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
}
const post = (body: string, type: string) => () => mf.dispatchFetch("http://bench/v1/audit?at=2026-06-01T00:00:00Z", { method: "POST", body, headers: { "content-type": type } });
const envelope = JSON.stringify({ kubeconfig: fx("e2e-users/kubeconfig.yaml"), clientCA: fx("e2e-users/client-ca.crt"), serverCertificate: fx("e2e-users/apiserver.crt") });
const debian = "/etc/ssl/certs/ca-certificates.crt";
const cases: Case[] = [
  { name: "no-op (GET /healthz)", req: () => mf.dispatchFetch("http://bench/healthz") },
  { name: "kubeconfig + client CA + server cert (3 certificates)", req: post(envelope, "application/json") },
  ...(existsSync(debian) ? [{ name: "Debian CA bundle", req: post(readFileSync(debian, "utf8"), "application/x-pem-file") }] : []),
];

const results: { name: string; cpuMsPerRequest: number; netMs: number; runs: number }[] = [];
for (const c of cases) {
  for (let i = 0; i < 5; i++) await (await c.req()).arrayBuffer(); // warm-up
  const runs = c.name.startsWith("no-op") ? 400 : 100;
  const before = cpuMs(pids);
  for (let i = 0; i < runs; i++) {
    const res = await c.req();
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${c.name}: HTTP ${res.status}`);
  }
  results.push({ name: c.name, cpuMsPerRequest: (cpuMs(pids) - before) / runs, netMs: 0, runs });
}
const noop = results[0]!.cpuMsPerRequest;
for (const r of results) r.netMs = Math.max(0, r.cpuMsPerRequest - noop);
await mf.dispose();

console.log(`\nworkerd (Miniflare ${(await import("miniflare/package.json", { with: { type: "json" } })).default.version}), CPU of the workerd process per request:`);
console.log("| input | CPU per request | net of no-op |\n| --- | ---: | ---: |");
for (const r of results) console.log(`| ${r.name} | ${r.cpuMsPerRequest.toFixed(2)} ms | ${r.netMs.toFixed(2)} ms |`);
console.log(`\nWorker bundle: ${(bundle.bytes / 1024).toFixed(1)} KiB, ${(bundle.gzip / 1024).toFixed(1)} KiB gzip; start-up to first answer ${startupMs.toFixed(0)} ms (includes starting workerd)`);
mkdirSync(`${ROOT}bench-out`, { recursive: true });
writeFileSync(`${ROOT}bench-out/workerd.json`, JSON.stringify({ when: new Date().toISOString(), node: process.versions.node, bundle, startupMs, results }, null, 2));
