// The committed bundles (bin/certaudit.cjs and bin/certaudit.mjs, action/dist/index.mjs) must be what
// scripts/build-cli.mjs builds from the current sources: rebuild in memory and compare.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations
import { buildAll, committedChunks, TARGETS } from "../../scripts/build-cli.mjs";
import { ROOT } from "../cli/helpers.ts";

describe("committed bundles", () => {
  it("are up to date (run `npm run build:cli` after changing src/core, src/cli or src/action)", async () => {
    const built = (await buildAll()) as Record<string, string>;
    // The CLI is the launcher bin/certaudit.cjs (bin/certaudit.mjs requires it), the CommonJS script in bin/lib/ that it runs
    // (named with a content hash: the code cache's key) and the packages that script requires
    // when it needs one (bin/lib/vendor.cjs); the Action is one file.
    const files = Object.keys(built).sort();
    expect(files.filter((f) => !f.startsWith("bin/lib/"))).toEqual(["action/dist/index.mjs", "bin/certaudit.cjs", "bin/certaudit.mjs"]);
    const lib = files.filter((f) => f.startsWith("bin/lib/"));
    expect(lib).toEqual([expect.stringMatching(/^bin\/lib\/cli-[A-Z0-9]+\.cjs$/), "bin/lib/vendor.cjs"]);
    expect(built["bin/certaudit.cjs"]).toContain(JSON.stringify(lib[0]!.slice("bin/lib/".length)));
    // ASCII only: read as one-byte strings.
    for (const f of lib) expect(/[^\x00-\x7f]/.test(built[f]!), f).toBe(false);
    // No package's code in the script every run reads.
    expect(built[lib[0]!]).not.toMatch(/\/\/ node_modules\//);
    // No file left over from an older build (it would be shipped).
    expect((committedChunks() as string[]).sort()).toEqual(files.filter((f) => f.startsWith("bin/lib/")));
    for (const [rel, text] of Object.entries(built)) {
      let committed = "";
      try {
        committed = readFileSync(join(ROOT, rel), "utf8");
      } catch {
        /* missing */
      }
      // Not toBe: a megabyte-long diff helps nobody.
      expect(committed === text, `${rel} is stale: run npm run build:cli`).toBe(true);
    }
  });

  it("the bin starts with a shebang and package.json points at it; action.yml runs the action bundle on node24", () => {
    for (const bin of ["bin/certaudit.cjs", "bin/certaudit.mjs"])
      expect(readFileSync(join(ROOT, bin), "utf8").startsWith("#!/usr/bin/env node\n"), bin).toBe(true);
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).bin).toEqual({ certaudit: "bin/certaudit.cjs" });
    const yml = readFileSync(join(ROOT, "action.yml"), "utf8");
    expect(yml).toMatch(/using: node24\n\s+main: action\/dist\/index\.mjs/);
  });

  it("bin/certaudit.mjs (for scripts that run that path) runs the same CLI as the bin, bin/certaudit.cjs", () => {
    const args = ["--format", "json", "--at", "2026-06-01T00:00:00Z", join(ROOT, "test/fixtures/e2e-users/kubeconfig.yaml")];
    const run = (bin: string) => spawnSync(process.execPath, [join(ROOT, bin), ...args], { encoding: "utf8" });
    const cjs = run("bin/certaudit.cjs");
    const mjs = run("bin/certaudit.mjs");
    expect(cjs.status, cjs.stderr).toBe(0);
    expect(JSON.parse(cjs.stdout).input.kind).toBe("kubeconfig");
    expect([mjs.status, mjs.stderr, mjs.stdout]).toEqual([cjs.status, cjs.stderr, cjs.stdout]);
  });

  it("Node versions agree: engines = the CLI bundle's target, the Action bundle's target = action.yml's runtime = .nvmrc, README says the same", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const min = Number(/^>=(\d+)$/.exec(pkg.engines.node)?.[1]);
    const target = (out: string) =>
      Number(/^node(\d+)$/.exec((TARGETS as { out: string; target: string }[]).find((t) => t.out === out)!.target)?.[1]);
    expect(target("bin/certaudit.cjs")).toBe(min);
    const runtime = Number(/using: node(\d+)/.exec(readFileSync(join(ROOT, "action.yml"), "utf8"))?.[1]);
    expect(target("action/dist/index.mjs")).toBe(runtime);
    expect(Number(/^v?(\d+)/.exec(readFileSync(join(ROOT, ".nvmrc"), "utf8").trim())?.[1])).toBe(runtime);
    expect(Number(/^\^?(\d+)/.exec(pkg.devDependencies.node)?.[1])).toBe(runtime);
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(`Node ≥ ${min}`);
    expect(readme).toContain(`Node ${runtime}`);
  });

  it("the package is publishable (not private, a bin, a files list) and packs the bundle and nothing of the sources", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.private).toBeUndefined();
    // The bin is self-contained: installing the CLI needs no runtime dependency.
    expect(pkg.dependencies).toBeUndefined();
    const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout)[0].files as { path: string }[]).map((f) => f.path).sort();
    expect(files).toContain("bin/certaudit.cjs");
    expect(files).toContain("bin/certaudit.mjs");
    for (const chunk of committedChunks() as string[]) expect(files).toContain(chunk);
    expect(files).toContain("package.json");
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("test/"))).toEqual([]);
  });

  it("inside the clone, `npx certaudit` runs this package's own bin (offline: nothing is fetched)", () => {
    const r = spawnSync("npx", ["--no-install", "certaudit", "--version"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, npm_config_offline: "true" },
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`certaudit ${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n`);
  });
});
