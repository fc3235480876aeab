// JSON, SARIF and problem+json stay valid for any input (issue 11, section 1), on the hostile-name
// corpus (test/helpers/hostile.ts): lone surrogates, NUL, ESC, C1 and bidi characters. Checked by
// JSON.parse (the names come back exactly), ajv against the SARIF 2.1.0 schema
// (test/cli/sarif-2.1.0-rtm.5.json, with formats), and the bytes on the wire: no raw control,
// C1 or bidi character (a terminal or viewer would act on it), no lone surrogate (not UTF-8).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.ts";
import { BIN, runNode, sarifValidator } from "../cli/helpers.ts";
import {
  ALL,
  LONE_SURROGATE,
  hasLoneSurrogate,
  hostileBrokenKubeconfig,
  hostileCerts,
  hostileKubeconfig,
  rawControls,
  type HostileCerts,
} from "../helpers/hostile.ts";

let dir: string;
let certs: HostileCerts;
let kubeconfig: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "certaudit-hostile-json-"));
  certs = await hostileCerts();
  kubeconfig = hostileKubeconfig(certs);
  writeFileSync(join(dir, "kc.yaml"), kubeconfig);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bytes as UTF-8 would carry them: a lone surrogate there would have become U+FFFD. */
function assertCleanText(text: string): void {
  expect(rawControls(text)).toEqual([]);
  expect(hasLoneSurrogate(text)).toBe(false);
  expect(text).not.toContain("\ufffd");
}

describe("CLI --format json and sarif", () => {
  it("json: parses, and the names come back exactly (ESC, NUL, lone surrogate)", async () => {
    const r = await runNode(BIN, ["--format", "json", join(dir, "kc.yaml")]);
    assertCleanText(r.stdout);
    const report = JSON.parse(r.stdout);
    expect(report.contexts[0].name).toContain("\x1b[2J");
    expect(report.contexts[0].name).toContain("\0");
    expect(report.certificates.some((c: { subject: string }) => c.subject.includes(LONE_SURROGATE))).toBe(true);
    expect(report.findings.some((f: { path?: string }) => f.path?.includes(`ext \x1b[2J\u202e${LONE_SURROGATE}`))).toBe(true);
  });

  it("sarif: valid SARIF 2.1.0 for the hostile corpus", async () => {
    const r = await runNode(BIN, ["--format", "sarif", join(dir, "kc.yaml")]);
    assertCleanText(r.stdout);
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.runs[0].results.length).toBeGreaterThan(2);
    expect(log.runs[0].results.some((x: { properties: { context?: string } }) => x.properties.context?.includes("\x1b[2J"))).toBe(true);
  });
});

describe("the HTTP API (the Worker's app, in Node)", () => {
  const post = (body: string, type = "application/json") =>
    createApp().request("/v1/audit", { method: "POST", body, headers: { "content-type": type } });

  it("a 200 report for the hostile kubeconfig is valid JSON with the exact names", async () => {
    const res = await post(JSON.stringify({ kubeconfig }));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).not.toThrow();
    expect(JSON.parse(text).contexts[0].name).toContain("\x1b[2J");
    expect(JSON.parse(text).certificates.some((c: { subject: string }) => hasLoneSurrogate(c.subject))).toBe(true);
  });

  it("problem+json quoting hostile input (a YAML error, an unknown field, a missing context) parses", async () => {
    const cases = [
      await post(JSON.stringify({ kubeconfig: hostileBrokenKubeconfig() })),
      await post(hostileBrokenKubeconfig(), "application/yaml"),
      await post(JSON.stringify({ kubeconfig, [ALL]: 1 })),
      await post(JSON.stringify({ kubeconfig: `${ALL}\n: [` })),
      await post(`{"pem": "\\ud800\\u0000\\u001b[2J"}`),
    ];
    for (const res of cases) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const text = await res.text();
      expect(hasLoneSurrogate(text)).toBe(false);
      const problem = JSON.parse(text);
      expect(typeof problem.detail).toBe("string");
      expect(typeof problem.code).toBe("string");
    }
  });
});
