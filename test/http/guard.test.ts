// API tokens and rate limits, inside workerd with the real rate-limiting binding from
// wrangler.toml. The app is built by the same factory as the Worker and given an env with a
// token digest, so the other HTTP tests keep the open default.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.ts";
import kubeconfig from "../fixtures/e2e-users/kubeconfig.yaml?raw";

const sha256hex = async (s: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s))), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
const app = createApp();
const call = (headers: Record<string, string>, e: Record<string, unknown>, path = "/v1/audit") =>
  app.request(
    `http://certaudit.test${path}`,
    { method: "POST", body: kubeconfig, headers: { "content-type": "application/yaml", ...headers } },
    { ...env, ...e },
  );

describe("API tokens", () => {
  it("no token configured: open, as before", async () => {
    const res = await call({}, { API_TOKEN_SHA256: "" });
    expect(res.status).toBe(200);
  });

  it("tokens configured: 401 problem+json with WWW-Authenticate without a token or with a wrong one; 200 with any listed token", async () => {
    const e = { API_TOKEN_SHA256: `${await sha256hex("old-token")}, ${await sha256hex("new-token")}` };
    const attempts: Record<string, string>[] = [{}, { Authorization: "Bearer wrong" }, { Authorization: "Basic b2xkLXRva2Vu" }];
    for (const headers of attempts) {
      const res = await call(headers, e);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      const body = await res.text();
      expect(JSON.parse(body).code).toBe("http.unauthorized");
      expect(body).not.toContain("wrong");
    }
    expect((await call({ Authorization: "Bearer old-token" }, e)).status).toBe(200);
    expect((await call({ Authorization: "bearer new-token" }, e)).status).toBe(200);
    expect((await call({ Authorization: "Bearer new-token" }, e, "/v1/verify")).status).toBe(415); // past the guard
  });

  it("a malformed secret locks the endpoint rather than opening it", async () => {
    expect((await call({ Authorization: "Bearer anything" }, { API_TOKEN_SHA256: "not-a-digest" })).status).toBe(401);
  });

  it("reading routes stay open: the form, the catalogue, the OpenAPI file, health", async () => {
    const e = { ...env, API_TOKEN_SHA256: await sha256hex("t") };
    for (const path of ["/", "/v1/findings", "/openapi.json", "/healthz"])
      expect((await app.request(`http://certaudit.test${path}`, {}, e)).status, path).toBe(200);
  });
});

describe("rate limiting (the Workers rate-limiting binding)", () => {
  it("answers 429 problem+json with Retry-After once a client address has used its 60 requests a minute", async () => {
    expect((env as { RATE_LIMITER?: unknown }).RATE_LIMITER).toBeDefined();
    const headers = { "CF-Connecting-IP": "192.0.2.77" };
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) statuses.push((await call(headers, { API_TOKEN_SHA256: "" }, "/v1/verify")).status);
    const first429 = statuses.indexOf(429);
    expect(first429).toBeGreaterThanOrEqual(60);
    const res = await call(headers, { API_TOKEN_SHA256: "" }, "/v1/verify");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(((await res.json()) as { code: string }).code).toBe("http.rate-limited");
    // Another address has its own budget.
    expect((await call({ "CF-Connecting-IP": "192.0.2.78" }, { API_TOKEN_SHA256: "" }, "/v1/verify")).status).toBe(415);
  });
});

describe("security headers on every response", () => {
  it("JSON, problems and the form each carry nosniff, no-referrer and a CSP; no CORS headers", async () => {
    const responses = [
      await SELF.fetch("http://certaudit.test/healthz"),
      await SELF.fetch("http://certaudit.test/nope"),
      await SELF.fetch("http://certaudit.test/"),
    ];
    for (const res of responses) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect(responses[0]!.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
    expect(responses[2]!.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
  });
});
