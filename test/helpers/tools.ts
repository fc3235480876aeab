// Tests that need a real tool (openssl, kubectl, chromium, go, etcd). Locally a missing tool
// skips the suite with a warning; under CI=true it is a failure, so a safety check that did
// not run can never pass CI (the brief: "with CI=true a missing tool is a failure, not a skip").
import { spawnSync } from "node:child_process";
import { describe, it } from "vitest";

/** True when `cmd args` runs and its standard output matches `expect` (default: anything). */
export function toolWorks(cmd: string, args: string[] = ["version"], expect: RegExp = /./): boolean {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 20_000 });
  return r.status === 0 && expect.test(`${r.stdout ?? ""}${r.stderr ?? ""}`);
}

type Describe = (name: string, body: () => void) => void;

/** `describe` when the tool is there; otherwise a skip, or under CI=true one failing test. */
export function describeWithTool(tool: string, available: boolean, install: string): Describe {
  if (available) return (name, body) => describe(name, body);
  if (process.env.CI === "true")
    return (name) =>
      describe(name, () => {
        it(`needs ${tool}`, () => {
          throw new Error(`${tool} is missing and CI=true: this check must run in CI (${install})`);
        });
      });
  console.warn(`${tool} is missing: "${install}" to run these tests; skipped locally, a failure under CI=true`);
  return (name, body) => describe.skip(name, body);
}
