// Runs a Go oracle program from test/oracles/<name>/main.go (stdlib only) with `go run`, feeding
// it JSON on stdin and returning its JSON answer. Without `go`, the test fails under CI=true and
// is skipped locally (the caller gets null and skips).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { toolWorks } from "../../helpers/tools.ts";

let available: boolean | undefined;

function goAvailable(): boolean {
  available ??= toolWorks("go", ["version"]);
  return available;
}

export function runGoOracle<T>(name: string, input: unknown): T | null {
  if (!goAvailable()) {
    if (process.env.CI === "true") throw new Error("the Go toolchain (`go`) is required for the Go oracle tests under CI");
    return null;
  }
  const main = fileURLToPath(new URL(`../../oracles/${name}/main.go`, import.meta.url));
  const r = spawnSync("go", ["run", main], {
    input: JSON.stringify(input),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GOFLAGS: "", GOPROXY: "off" },
  });
  if (r.status !== 0) throw new Error(`oracle ${name} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
