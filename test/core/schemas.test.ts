// The checked-in schemas are what the code generates, and real responses validate against them.
import { readdirSync, readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.ts";
import { buildSchemas } from "../../src/schemas/build.ts";

const schemaDir = new URL("../../schemas/", import.meta.url);
const fixtures = new URL("../fixtures/", import.meta.url);
const read = (p: string) => readFileSync(new URL(p, fixtures), "utf8");
const load = (name: string) => JSON.parse(readFileSync(new URL(name, schemaDir), "utf8"));

describe("schemas/", () => {
  it("matches what src/schemas/build.ts generates (run `npm run schemas` after changing the formats)", () => {
    const built = buildSchemas();
    const onDisk = readdirSync(schemaDir).filter((f) => f.endsWith(".json"));
    expect(onDisk.sort()).toEqual(Object.keys(built).sort());
    for (const [name, doc] of Object.entries(built)) expect(load(name), name).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});

describe("real responses validate against the checked-in schemas", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const report = ajv.compile(load("report.schema.json"));
  const verifyResult = ajv.compile(load("verify-result.schema.json"));
  const problem = ajv.compile(load("problem.schema.json"));
  const app = createApp();
  const env = { MAX_BODY_BYTES: "1048576" };
  const post = (path: string, body: string, type: string) =>
    app.request(path, { method: "POST", body, headers: { "content-type": type } }, env);
  const scenarios = readdirSync(fixtures, { withFileTypes: true }).filter(
    (d) => d.isDirectory() && readdirSync(new URL(`${d.name}/`, fixtures)).includes("kubeconfig.yaml"),
  );

  it.each(scenarios.map((d) => d.name))("report for fixture %s", async (name) => {
    const files = readdirSync(new URL(`${name}/`, fixtures));
    const body = {
      kubeconfig: read(`${name}/kubeconfig.yaml`),
      at: "2026-06-01T00:00:00Z",
      ...(files.includes("client-ca.crt") ? { clientCA: read(`${name}/client-ca.crt`) } : {}),
      ...(files.includes("apiserver.crt") ? { serverCertificate: read(`${name}/apiserver.crt`) } : {}),
    };
    const res = await post("/v1/audit", JSON.stringify(body), "application/json");
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(report(json), JSON.stringify(report.errors)).toBe(true);
  });

  it("report for a PEM bundle and a verify result", async () => {
    const r1 = await post("/v1/audit?at=2026-06-01T00:00:00Z", read("pem-bundle/bundle.pem"), "application/x-pem-file");
    expect(report(await r1.json()), JSON.stringify(report.errors)).toBe(true);
    const r2 = await post(
      "/v1/verify",
      JSON.stringify({
        certificate: read("e2e-users/apiserver.crt"),
        trustAnchors: read("e2e-users/ca.crt"),
        serverName: "127.0.0.1",
        purpose: "server",
        at: "2026-06-01T00:00:00Z",
      }),
      "application/json",
    );
    const v = await r2.json();
    expect(verifyResult(v), JSON.stringify(verifyResult.errors)).toBe(true);
    expect((v as { valid: boolean }).valid).toBe(true);
  });

  it("problems", async () => {
    for (const [body, type] of [
      ["a: [", "application/yaml"],
      ["{}", "application/json"],
      ["x", "application/xml"],
    ] as const) {
      const res = await post("/v1/audit", body, type);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(problem(await res.json()), JSON.stringify(problem.errors)).toBe(true);
    }
  });
});

describe("docs/findings.md", () => {
  it("matches the catalogue (run `npm run schemas` after changing findings)", async () => {
    const { renderFindingsDoc } = await import("../../src/schemas/findings-doc.ts");
    expect(readFileSync(new URL("../../docs/findings.md", import.meta.url), "utf8")).toBe(renderFindingsDoc());
  });
});
