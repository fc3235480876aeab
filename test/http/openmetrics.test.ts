// Accept: application/openmetrics-text inside workerd (the Worker built from wrangler.toml): the
// renderer runs without Node APIs, and the negotiation leaves JSON the default. The text itself
// is checked with real OpenMetrics parsers in test/node/openmetrics.test.ts.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import kubeconfig from "../fixtures/expired-client/kubeconfig.yaml?raw";

const AT = "2026-06-01T00:00:00Z";
const post = (accept?: string) =>
  SELF.fetch(`http://certaudit.test/v1/audit?at=${AT}`, {
    method: "POST",
    body: kubeconfig,
    headers: { "content-type": "application/yaml", ...(accept ? { accept } : {}) },
  });

describe("POST /v1/audit as OpenMetrics", () => {
  it("answers OpenMetrics text when asked, with the report's verdict and expiry", async () => {
    const res = await post("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    const text = new TextDecoder().decode(await res.arrayBuffer());
    expect(text).toMatch(/^certaudit_verdict\{filepath="",filename="",verdict="fail"\} 1$/m);
    expect(text).toMatch(/^x509_cert_expired\{[^}]*subject_CN="jane"[^}]*\} 1$/m);
    expect(text.endsWith("# EOF\n")).toBe(true);
  });

  it("stays JSON without the header, with JSON preferred, or with OpenMetrics refused (q=0)", async () => {
    for (const accept of [undefined, "application/json, application/openmetrics-text;q=0.5", "application/openmetrics-text;q=0"]) {
      const res = await post(accept);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(((await res.json()) as { verdict: string }).verdict).toBe("fail");
    }
  });
});
