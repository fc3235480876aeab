// The fuzzer's rules can fail: a real report holds them, and each kind of break is caught.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { checkProblem, checkReport } from "./invariants.ts";
import { nodeFuzz, type NodeFuzz } from "./node-setup.ts";

const fx = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), "utf8");
let ctx: NodeFuzz;
let report: any;
const SECRET = "fuzz-s3cret-token-0-7f3a";

beforeAll(async () => {
  ctx = await nodeFuzz();
  const kubeconfig = fx("e2e-users/kubeconfig.yaml").replace("user:\n", `user:\n    token: ${SECRET}\n`);
  report = JSON.parse(
    JSON.stringify(
      await audit(
        { kubeconfig, clientCA: fx("e2e-users/client-ca.crt"), serverCertificate: fx("e2e-users/apiserver.crt") },
        { at: new Date("2026-06-01T00:00:00Z"), subtle: crypto.subtle },
      ),
    ),
  );
});

const check = (r: unknown) => checkReport(r, ctx.validators.report, [SECRET, ...ctx.seeds.keyLines], "");
const tamper = (f: (r: any) => void) => {
  const r = structuredClone(report);
  f(r);
  return check(r);
};

describe("fuzz invariants", () => {
  it("a real report (with a token in its kubeconfig) holds them", () => {
    expect(report.chains.some((c: { valid: boolean }) => c.valid)).toBe(true);
    expect(check(report)).toBeNull();
  });

  it("catch each break", () => {
    expect(tamper((r) => (r.summary.certificates = "3"))).toContain("schema");
    expect(tamper((r) => (r.chains.find((c: any) => c.valid).path = []))).toContain("empty path");
    expect(tamper((r) => (r.chains.find((c: any) => c.valid).anchor = null))).toContain("without an anchor");
    expect(tamper((r) => r.chains.find((c: any) => c.valid).path.pop())).toContain("not at the anchor");
    expect(tamper((r) => (r.chains[0].status = "invalid"))).toContain("status");
    expect(tamper((r) => (r.verdict = r.verdict === "pass" ? "fail" : "pass"))).toContain("verdict");
    expect(tamper((r) => (r.findings[0].message = "Cannot read properties of undefined (reading 'x')"))).toContain("JavaScript error text");
    expect(tamper((r) => (r.contexts[0].name = SECRET))).toContain("secret");
    expect(tamper((r) => (r.findings[0].message = `key ${ctx.seeds.keyLines[0]}`))).toContain("secret");
    expect(checkProblem("x is not a function", [], "")).toContain("JavaScript error text");
    expect(checkProblem("the body is not valid JSON", [], "")).toBeNull();
  });
});
