// Profiles one bench input inside workerd: V8's sampling profiler over Miniflare's inspectorPort
// (Chrome DevTools protocol), on an unminified build. Writes a .cpuprofile (open it in DevTools)
// and prints the functions with the most self time and the largest inclusive shares.
// Usage: node scripts/profile-workerd.ts [input-name-substring] [runs] [cold]   (a dev tool, not a test)
// "cold": no 20 warm-up requests first, so the profile is of a fresh isolate's first requests.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { benchInputs, ROOT } from "./bench-inputs.ts";
import { startWorker } from "./workerd-process.ts";

const [pick = "kubeconfig", runsArg = "300", cold = ""] = process.argv.slice(2);
const out = `${ROOT}bench-out/profile`;
mkdirSync(out, { recursive: true });
execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out, "--minify=false"], { cwd: ROOT, stdio: "ignore" });
const code = readFileSync(`${out}/worker.js`, "utf8");
const port = 9229 + Math.floor(Math.random() * 500);
const mf = startWorker(code, { inspectorPort: port });
await mf.ready;
const input = (await benchInputs()).find((i) => i.name.includes(pick));
if (!input) throw new Error(`no bench input matching ${pick}`);
const req = () =>
  input.audit.pem !== undefined
    ? mf.dispatchFetch("http://bench/v1/audit?at=2026-06-01T00:00:00Z", {
        method: "POST",
        body: input.audit.pem,
        headers: { "content-type": "application/x-pem-file" },
      })
    : mf.dispatchFetch("http://bench/v1/audit?at=2026-06-01T00:00:00Z", {
        method: "POST",
        body: JSON.stringify(input.audit),
        headers: { "content-type": "application/json" },
      });
if (cold !== "cold") for (let i = 0; i < 20; i++) await (await req()).arrayBuffer();

const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
const ws = new WebSocket(list[0]!.webSocketDebuggerUrl);
await new Promise((r) => ws.addEventListener("open", r, { once: true }));
let id = 0;
const pending = new Map<number, (v: unknown) => void>();
ws.addEventListener("message", (e) => {
  const m = JSON.parse(String(e.data)) as { id?: number; result?: unknown };
  if (m.id !== undefined) pending.get(m.id)?.(m.result);
});
const send = (method: string, params: object = {}) =>
  new Promise<unknown>((r) => {
    const n = ++id;
    pending.set(n, r);
    ws.send(JSON.stringify({ id: n, method, params }));
  });
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 50 });
await send("Profiler.start");
const runs = Number(runsArg);
for (let i = 0; i < runs; i++) await (await req()).arrayBuffer();
const { profile } = (await send("Profiler.stop")) as { profile: CpuProfile };
ws.close();
await mf.dispose();
const file = `${out}/${pick.replace(/\W+/g, "-")}${cold === "cold" ? "-cold" : ""}.cpuprofile`;
writeFileSync(file, JSON.stringify(profile));

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: Node[];
  samples: number[];
}
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfCount = new Map<number, number>();
for (const s of profile.samples) selfCount.set(s, (selfCount.get(s) ?? 0) + 1);
const total = profile.samples.length;
const idle = new Set(["(idle)", "(program)"]);
const label = (n: Node) => `${n.callFrame.functionName || "(anonymous)"}:${n.callFrame.lineNumber + 1}`;
const self = new Map<string, number>();
const incl = new Map<string, number>();
const walk = (n: Node, stack: Set<string>): number => {
  let sum = selfCount.get(n.id) ?? 0;
  const l = label(n);
  self.set(l, (self.get(l) ?? 0) + sum);
  const inner = new Set(stack).add(l);
  for (const c of n.children ?? []) sum += walk(byId.get(c)!, inner);
  if (!stack.has(l)) incl.set(l, (incl.get(l) ?? 0) + sum);
  return sum;
};
walk(profile.nodes[0]!, new Set());
const busy = total - [...idle].reduce((s, k) => s + [...self].filter(([l]) => l.startsWith(k)).reduce((a, [, v]) => a + v, 0), 0);
const pct = (v: number) => `${((100 * v) / busy).toFixed(1)}%`;
console.log(`${file}: ${total} samples, ${busy} busy`);
console.log("self:");
for (const [l, v] of [...self]
  .filter(([l]) => !idle.has(l.split(":")[0]!))
  .sort((a, b) => b[1] - a[1])
  .slice(0, 40))
  console.log(`  ${pct(v).padStart(6)}  ${l}`);
console.log("inclusive:");
for (const [l, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`  ${pct(v).padStart(6)}  ${l}`);
