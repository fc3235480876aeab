// The whole x509-limbo suite (9,780 cases; expectations are the suite's, not ours) under each
// shipped profile, against the committed per-profile baseline test/conformance/baseline.json:
// a case falsely accepted that the baseline does not list, more false accepts, or fewer passes
// fail the run. The suite is data beside the repository (../shared/conformance/limbo.json.gz, as
// CI lays it out; LIMBO=path overrides): missing, it skips locally and fails under CI=true.
// Refresh the baseline after a deliberate change: `node scripts/conformance.ts --write-baseline`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { loadSuite, peerNames, runSuite, SHIPPED_PROFILES, tally, type Baseline, type LimboCase } from "../../scripts/conformance.ts";
import type { Cert } from "../../src/core/x509/cert.ts";
import { describeWithTool } from "../helpers/tools.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SUITE = process.env.LIMBO ?? join(ROOT, "..", "shared", "conformance", "limbo.json.gz");
const baseline = JSON.parse(readFileSync(join(ROOT, "test", "conformance", "baseline.json"), "utf8")) as Baseline;

const describe = describeWithTool(
  "the x509-limbo suite",
  existsSync(SUITE),
  `put limbo.json.gz at ${SUITE} or set LIMBO=path/to/limbo.json.gz`,
);

describe("x509-limbo, every case, per shipped profile", () => {
  let cases: LimboCase[] = [];
  const cache = new Map<string, Promise<Cert[]>>();
  beforeAll(() => {
    cases = loadSuite(SUITE).testcases;
  });

  it("is the suite the baseline was measured on", () => {
    expect(cases.length).toBe(baseline.suite.cases);
  });

  it.for(SHIPPED_PROFILES)("%s: no new false accept, no fewer passes", { timeout: 300_000 }, async (profile) => {
    const { actual } = await runSuite(cases, profile, cache);
    const total = tally(cases, actual).get("TOTAL")!;
    const base = baseline.profiles[profile];
    const falseAccepts = cases.filter((tc) => tc.expected_result === "FAILURE" && actual.get(tc.id) === "SUCCESS").map((tc) => tc.id);
    expect(
      falseAccepts.filter((id) => !base.falseAccepts.includes(id)),
      "falsely accepted, not in the baseline",
    ).toEqual([]);
    expect(total.falseAccept).toBeLessThanOrEqual(base.falseAccept);
    expect(total.pass).toBeGreaterThanOrEqual(base.pass);
    expect(total.errors).toBe(0);
    if (total.pass > base.pass || total.falseAccept < base.falseAccept)
      console.log(
        `x509-limbo ${profile}: ${total.pass} pass (baseline ${base.pass}), ${total.falseAccept} false accepts (baseline ${base.falseAccept}): refresh test/conformance/baseline.json`,
      );
  });

  it("runs the RFC 822 peer-name cases with their e-mail names, none skipped", async () => {
    const rfc822 = cases.filter((tc) => peerNames(tc).some((n) => n.kind === "RFC822"));
    expect(rfc822.length).toBeGreaterThan(0);
    const { outcomes } = await runSuite(rfc822, "rfc5280", cache);
    expect(outcomes.filter((o) => o.actual === "SKIPPED")).toEqual([]);
    // The suite's expectation for each, under the strict profile these rfc5280:: cases describe.
    for (const o of outcomes) expect(o.actual, `${o.id}: ${o.context}`).toBe(rfc822.find((tc) => tc.id === o.id)!.expected_result);
    // The name is really checked: each accepted case fails for a mailbox its leaf does not hold.
    const accepted = rfc822.filter((tc) => tc.expected_result === "SUCCESS");
    expect(accepted.length).toBeGreaterThan(0);
    const other = accepted.map((tc) => ({ ...tc, expected_peer_names: [{ kind: "RFC822" as const, value: "nobody@elsewhere.example" }] }));
    const { outcomes: wrong } = await runSuite(other, "rfc5280", cache);
    expect(wrong.map((o) => [o.id, o.actual, o.context.split(" ")[1]])).toEqual(
      accepted.map((tc) => [tc.id, "FAILURE", "chain.email-mismatch"]),
    );
  });
});
