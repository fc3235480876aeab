// Real tools as oracles (openssl, kubectl, go), found by test/helpers/tools.ts toolWorks. A test
// that needs a missing tool fails under CI=true and is skipped locally, as the project's test
// rules require.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toolWorks } from "../../helpers/tools.ts";

const ORACLES = new URL("../../oracles/", import.meta.url).pathname;

const cache = new Map<string, boolean>();
export function hasTool(tool: "openssl" | "kubectl" | "go"): boolean {
  if (!cache.has(tool)) cache.set(tool, toolWorks(tool, tool === "kubectl" ? ["version", "--client"] : ["version"]));
  return cache.get(tool)!;
}

/** Call first in a test: fails under CI when the tool is missing, skips locally. */
export function needTool(ctx: { skip: (note?: string) => void }, tool: "openssl" | "kubectl" | "go"): void {
  if (hasTool(tool)) return;
  if (process.env.CI === "true") throw new Error(`${tool} is required for this test under CI=true but was not found`);
  ctx.skip(`${tool} not installed`);
}

const built = new Map<string, string>();
/** Builds test/oracles/NAME.go once (Go stdlib only) and returns the binary's path. */
export function goOracle(name: string): string {
  if (!built.has(name)) {
    const out = join(mkdtempSync(join(tmpdir(), "certaudit-oracle-")), name);
    const r = spawnSync("go", ["build", "-o", out, join(ORACLES, `${name}.go`)], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, GOFLAGS: "-mod=mod", GO111MODULE: "off" },
    });
    if (r.status !== 0 || !existsSync(out)) throw new Error(`go build ${name}.go failed: ${r.stderr}`);
    built.set(name, out);
  }
  return built.get(name)!;
}

export function run(
  cmd: string,
  args: string[],
  opts: { input?: string | Uint8Array; env?: Record<string, string> } = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    input: opts.input,
    encoding: "utf8",
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), ...opts.env },
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}
