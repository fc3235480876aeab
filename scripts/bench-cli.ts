// `npm run bench:cli` (also the last part of `npm run bench`): the CLI's start-up on a kubeconfig,
// the whole process, beside `node -e 0` on the same Node, for this Node and the system's Node
// (the CLI's floor is Node 20: package.json engines). Prints per Node: `node -e 0`, the CLI with
// a warm code cache (src/cli/code-cache.ts: what users get from the second run on), the CLI
// without it (NODE_DISABLE_COMPILE_CACHE=1: the first run, less the cache's writing), and the
// differences; writes bench-out/cli.json. A benchmark, not a test.
//
// CPU is user + system time of the child processes (all their threads), read on Linux from this
// process's cutime + cstime (/proc/self/stat) around a batch of runs; elsewhere wall-clock time.
// The commands are interleaved, a batch each per round, so the load of a shared machine falls on
// all of them alike.
//
//   node scripts/bench-cli.ts [--rounds 4] [--runs 10] [--node PATH]...
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "bin/certaudit.cjs");
const KUBECONFIG = join(ROOT, "test/fixtures/e2e-users/kubeconfig.yaml");
const GOAL_MS = 30; // issue 13: "CLI on a kubeconfig: within 30 ms of `node -e 0`"

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "4" },
    runs: { type: "string", default: "10" },
    node: { type: "string", multiple: true },
  },
});
const rounds = Number(values.rounds);
const runs = Number(values.runs);

/** This Node, and the system's when it is another binary. */
function nodes(): string[] {
  if (values.node?.length) return values.node;
  const list = [process.execPath];
  for (const p of ["/usr/bin/node", "/usr/local/bin/node"])
    if (existsSync(p) && !list.some((q) => realpathSync(q) === realpathSync(p))) list.push(p);
  return list;
}

const linux = existsSync("/proc/self/stat");
/** CPU ms of the reaped children so far (Linux), else wall-clock ms. */
function clock(): number {
  if (!linux) return performance.now();
  const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // cutime, cstime in USER_HZ (100 on Linux)
}

interface Cmd {
  label: string;
  node: string;
  args: string[];
  env?: Record<string, string>;
}

function runBatch(c: Cmd): number {
  const env = { ...process.env, ...c.env };
  if (!c.env?.NODE_DISABLE_COMPILE_CACHE) delete env.NODE_DISABLE_COMPILE_CACHE;
  const t0 = clock();
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(c.node, c.args, { env, stdio: ["ignore", "ignore", "pipe"] });
    if (r.status !== 0) throw new Error(`${c.label}: exit ${r.status}: ${r.stderr}`);
  }
  return (clock() - t0) / runs;
}

const version = (node: string) => spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
const cliArgs = [BIN, "--at", "2026-06-01T00:00:00Z", KUBECONFIG];
const cmds: Cmd[] = [];
for (const node of nodes()) {
  const v = version(node);
  cmds.push({ label: `${v} node -e 0`, node, args: ["-e", "0"] });
  cmds.push({ label: `${v} certaudit (code cache warm)`, node, args: cliArgs });
  cmds.push({ label: `${v} certaudit (no code cache)`, node, args: cliArgs, env: { NODE_DISABLE_COMPILE_CACHE: "1" } });
}
for (const c of cmds) runBatch({ ...c }); // warm-up: fills the compile cache, the page cache

const per = cmds.map(() => [] as number[]);
for (let r = 0; r < rounds; r++) for (const [i, c] of cmds.entries()) per[i]!.push(runBatch(c));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const unit = linux ? "ms CPU (user+sys)" : "ms wall-clock";
console.log(`CLI start-up: ${rounds} rounds × ${runs} runs, interleaved; ${unit}, mean per run; ${cpus().length} × ${cpus()[0]?.model}`);
console.log(`${"command".padEnd(52)} ${"mean".padStart(7)}  ${"vs node -e 0".padStart(12)}   per round`);
const rows = cmds.map((c, i) => {
  const base = mean(per[i - (i % 3)]!);
  const m = mean(per[i]!);
  const diff = i % 3 === 0 ? null : m - base;
  const d = diff === null ? "" : `${diff >= 0 ? "+" : ""}${diff.toFixed(1)}`;
  console.log(`${c.label.padEnd(52)} ${m.toFixed(1).padStart(7)}  ${d.padStart(12)}   ${per[i]!.map((x) => x.toFixed(1)).join(" ")}`);
  return { command: c.label, node: c.node, meanMs: m, perRound: per[i], overNodeMs: diff };
});
for (const r of rows.filter((_, i) => i % 3 === 1))
  console.log(`goal (within ${GOAL_MS} ms of node -e 0) on ${r.command.split(" ")[0]}: ${r.overNodeMs! <= GOAL_MS ? "met" : "not met"}`);

mkdirSync(join(ROOT, "bench-out"), { recursive: true });
writeFileSync(
  join(ROOT, "bench-out/cli.json"),
  `${JSON.stringify({ when: new Date().toISOString(), unit, rounds, runs, cpus: cpus().length, rows }, null, 2)}\n`,
);
console.log("written: bench-out/cli.json");
