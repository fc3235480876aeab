// The committed bundles (bin/certaudit.mjs, action/dist/index.mjs) must be what
// scripts/build-cli.mjs builds from the current sources: rebuild in memory and compare.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations
import { buildAll } from "../../scripts/build-cli.mjs";
import { ROOT } from "../cli/helpers.ts";

describe("committed bundles", () => {
  it("are up to date (run `npm run build:cli` after changing src/core, src/cli or src/action)", async () => {
    const built = (await buildAll()) as Record<string, string>;
    expect(Object.keys(built).sort()).toEqual(["action/dist/index.mjs", "bin/certaudit.mjs"]);
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
    expect(readFileSync(join(ROOT, "bin/certaudit.mjs"), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).bin).toEqual({ certaudit: "bin/certaudit.mjs" });
    const yml = readFileSync(join(ROOT, "action.yml"), "utf8");
    expect(yml).toMatch(/using: node24\n\s+main: action\/dist\/index\.mjs/);
  });
});
