// What the workerd benchmarks share: a built Worker started in workerd through Miniflare's API,
// and the CPU and memory of the workerd processes this Node process spawned, read from /proc
// (utime+stime, VmRSS). Used by bench-workerd.ts, bench-compare.ts and profile-workerd.ts.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { Miniflare } from "miniflare";

const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

/** The workerd processes whose parent is this process. */
export function workerdPids(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return (
          readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "workerd" &&
          readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1] === String(process.pid)
        );
      } catch {
        return false;
      }
    });
}

/** CPU (user + system) the processes have used so far, in ms; it moves in steps of one clock tick. */
export function cpuMs(pids: Iterable<number>): number {
  let ticks = 0;
  for (const pid of pids) {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15 of stat)
  }
  return ticks * TICK_MS;
}

/** Resident set of the processes, in MiB. */
export const rssMiB = (pids: Iterable<number>) =>
  [...pids].reduce((s, pid) => s + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0), 0) / 1024;

/**
 * The Worker script `contents` in a new workerd. The large bench bundles exceed the deployed
 * 1 MiB body limit, so MAX_BODY_BYTES is raised to 64 MiB.
 */
export const startWorker = (contents: string, opts: { inspectorPort?: number } = {}) =>
  new Miniflare({
    ...opts,
    workers: [
      {
        config: {
          name: "certaudit",
          compatibilityDate: "2026-10-01",
          env: { MAX_BODY_BYTES: { type: "text", value: String(64 * 2 ** 20) } },
          manifest: { mainModule: "w.js", modules: { "w.js": { type: "esm", contents } } },
        },
      },
    ],
  });
