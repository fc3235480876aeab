// The HTTP surface, inside workerd (SELF is the Worker built from wrangler.toml).
import { SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp, CORE } from "../../src/http/app.ts";
import kubeconfig from "../fixtures/e2e-users/kubeconfig.yaml?raw";
import clientCA from "../fixtures/e2e-users/client-ca.crt?raw";
import apiserver from "../fixtures/e2e-users/apiserver.crt?raw";
import sanKubeconfig from "../fixtures/san-mismatch/kubeconfig.yaml?raw";
import sanApiserver from "../fixtures/san-mismatch/apiserver.crt?raw";
import sanCA from "../fixtures/san-mismatch/ca.crt?raw";

const AT = "2026-06-01T00:00:00Z";
const post = (path: string, body: BodyInit, type?: string) =>
  SELF.fetch(`http://certaudit.test${path}`, { method: "POST", body, headers: type ? { "content-type": type } : {} });

async function problem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const p = (await res.json()) as { code: string; detail: string; status: number };
  expect(p.code).toBe(code);
  expect(p.status).toBe(status);
  return p;
}

describe("POST /v1/audit", () => {
  it("audits the e2e kubeconfig sent as a JSON envelope: pass, same-certificate, identity", async () => {
    const res = await post("/v1/audit", JSON.stringify({ kubeconfig, clientCA, serverCertificate: apiserver, at: AT }), "application/json");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const r = (await res.json()) as any;
    expect(r.verdict).toBe("pass");
    expect(r.input.kind).toBe("kubeconfig");
    const ctx = r.contexts[0];
    expect(ctx.caIdentity.relation).toBe("same-certificate");
    expect(ctx.client.identity).toEqual({ user: "252771643302762862", groups: ["system:users"] });
    expect(ctx.clientAccepted).toBe(true);
    expect(ctx.serverTrusted).toBe(true);
    expect(ctx.client.keyMatches).toBe(true);
  });

  it("takes a raw YAML kubeconfig with ?at and ?warn_days", async () => {
    const res = await post(`/v1/audit?at=${AT}&warn_days=400`, kubeconfig, "application/yaml");
    const r = (await res.json()) as any;
    expect(r.validationTime).toBe(AT);
    expect(r.warnDays).toBe(400);
    expect(r.findings.map((f: any) => f.code)).toContain("cert.expiring-soon");
    expect(r.contexts[0].clientAccepted).toBeNull();
  });

  it("detects content without a content type, and takes multipart form data", async () => {
    const raw = await post(`/v1/audit?at=${AT}`, new TextEncoder().encode(kubeconfig));
    expect(((await raw.json()) as any).input.kind).toBe("kubeconfig");
    const form = new FormData();
    form.set("kubeconfig", new File([kubeconfig], "config"));
    form.set("clientCA", clientCA);
    form.set("at", AT);
    const res = await SELF.fetch("http://certaudit.test/v1/audit", { method: "POST", body: form });
    const r = (await res.json()) as any;
    expect(r.contexts[0].clientAccepted).toBe(true);
  });

  it("takes `curl --data-binary @file` as the file itself, though curl labels it a url-encoded form", async () => {
    const r = (await (await post(`/v1/audit?at=${AT}`, kubeconfig, "application/x-www-form-urlencoded")).json()) as any;
    expect(r.input.kind).toBe("kubeconfig");
    expect(r.contexts[0].client.identity.user).toBe("252771643302762862");
    const pem = (await (await post(`/v1/audit?at=${AT}`, clientCA, "application/x-www-form-urlencoded")).json()) as any;
    expect(pem.input.kind).toBe("pem");
    const form = new URLSearchParams({ kubeconfig, clientCA, at: AT });
    const f = (await (await post("/v1/audit", form.toString(), "application/x-www-form-urlencoded")).json()) as any;
    expect(f.contexts[0].clientAccepted).toBe(true);
  });

  it("reads what `curl -d @ca.crt` sends (curl strips carriage returns and newlines from a -d file) and names it", async () => {
    const r = (await (
      await post(`/v1/audit?at=${AT}`, clientCA.replace(/[\r\n]/g, ""), "application/x-www-form-urlencoded")
    ).json()) as any;
    expect(r.certificates.length).toBe((clientCA.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length);
    expect(r.findings.map((f: any) => f.code)).toContain("input.pem-no-line-breaks");
    expect(r.findings.find((f: any) => f.code === "input.pem-no-line-breaks").message).toContain("--data-binary");
  });

  it("reads a UTF-16LE kubeconfig with a BOM (Windows PowerShell `>`), as kubectl does", async () => {
    const utf16 = new Uint8Array([
      0xff,
      0xfe,
      ...Array.from(kubeconfig.replace(/\n/g, "\r\n"), (ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8]).flat(),
    ]);
    const res = await post(`/v1/audit?at=${AT}`, utf16, "application/octet-stream");
    expect(res.status).toBe(200);
    const r = (await res.json()) as any;
    expect(r.input.kind).toBe("kubeconfig");
    expect(r.contexts[0].client.identity.user).toBe("252771643302762862");
  });

  it("says kubectl would not trust a server whose SANs miss the address, and trusts it with tls-server-name", async () => {
    const res = await post(
      "/v1/audit",
      JSON.stringify({ kubeconfig: sanKubeconfig, serverCertificate: sanApiserver, clientCA: sanCA, at: AT }),
      "application/json",
    );
    const r = (await res.json()) as any;
    const byName = Object.fromEntries(r.contexts.map((c: any) => [c.name, c.serverTrusted]));
    expect(Object.values(byName).sort()).toEqual([false, true]);
    expect(r.findings.map((f: any) => f.code)).toContain("chain.hostname-mismatch");
  });

  it("answers 400 problem+json with line and column for broken YAML, without quoting it", async () => {
    const p = (await problem(
      await post(
        "/v1/audit",
        "apiVersion: v1\nkind: Config\nusers:\n- name: a\n  user:\n    token: s3cr3t-token\n   bad: [",
        "application/yaml",
      ),
      400,
      "input.yaml-syntax",
    )) as any;
    expect(p.line).toBeGreaterThan(0);
    expect(JSON.stringify(p)).not.toContain("s3cr3t-token");
  });

  it("answers 413 over the body limit, 415 for an unknown type, 422 for nothing to audit, 404 for unknown routes", async () => {
    await problem(await post("/v1/audit", "x".repeat(1024 * 1024 + 1), "text/plain"), 413, "input.too-large");
    await problem(await post("/v1/audit", "<a/>", "application/xml"), 415, "input.unsupported-media-type");
    await problem(await post("/v1/audit", "{}", "application/json"), 422, "input.nothing-to-audit");
    await problem(await post("/v1/audit", "   \n", "text/plain"), 422, "input.empty");
    await problem(await post("/v1/audit", "hello world, not a certificate", "text/plain"), 422, "input.unrecognized");
    await problem(await post("/v1/audit", "junk: [", "application/yaml"), 400, "input.yaml-syntax");
    await problem(await SELF.fetch("http://certaudit.test/nope"), 404, "http.not-found");
  });

  it("answers 405 with Allow: POST for another method on /v1/audit and /v1/verify (RFC 9110 15.5.6)", async () => {
    for (const path of ["/v1/audit", "/v1/verify"])
      for (const method of ["GET", "PUT", "DELETE"]) {
        const res = await SELF.fetch(`http://certaudit.test${path}`, { method });
        const p = await problem(res, 405, "http.method-not-allowed");
        expect(res.headers.get("allow")).toBe("POST");
        expect(p.detail).toContain("POST");
      }
  });

  it("says `curl -d` stripped the line breaks of a kubeconfig, and to use --data-binary", async () => {
    // curl(1) --data: "carriage returns and newlines will be stripped out" (test/node/api-curl.test.ts
    // captures the body real curl sends); the same bytes built here for every content type curl may carry.
    const flat = kubeconfig.replace(/[\r\n]/g, "");
    for (const type of ["application/x-www-form-urlencoded", "application/yaml", undefined]) {
      const p = await problem(await post(`/v1/audit?at=${AT}`, flat, type), 400, "input.line-breaks-stripped");
      expect(p.detail).toContain("--data-binary");
    }
    // Broken YAML that kept its line breaks is still a YAML error.
    await problem(await post("/v1/audit", "apiVersion: v1\nclusters: [\n", "application/yaml"), 400, "input.yaml-syntax");
    // A one-line kubeconfig that parses (JSON) is audited as before.
    const json = JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [], users: [], contexts: [] });
    expect((await post("/v1/audit", json, "application/x-www-form-urlencoded")).status).toBe(200);
  });

  it("names the accepted form fields when a multipart body has none of them (`curl -F upload=@admin.conf`)", async () => {
    const form = new FormData();
    form.set("upload", new File([kubeconfig], "admin.conf"));
    const p = await problem(
      await SELF.fetch("http://certaudit.test/v1/audit", { method: "POST", body: form }),
      422,
      "input.nothing-to-audit",
    );
    for (const name of ["document", "file", "kubeconfig", "pem", "clientCA", "serverCertificate", '"upload"'])
      expect(p.detail).toContain(name);
  });

  it("rejects bad options with 400", async () => {
    await problem(await post("/v1/audit?at=yesterday", kubeconfig, "application/yaml"), 400, "input.bad-option");
    await problem(await post("/v1/audit", JSON.stringify({ kubeconfig, warnDays: -1 }), "application/json"), 400, "input.bad-option");
    await problem(await post("/v1/audit", "{not json", "application/json"), 400, "input.json-syntax");
  });
});

describe("POST /v1/verify", () => {
  it("verifies a server chain with a hostname, like openssl verify -verify_hostname", async () => {
    const ok = await post(
      "/v1/verify",
      JSON.stringify({ certificate: sanApiserver, trustAnchors: sanCA, serverName: "kubernetes", purpose: "server", at: AT }),
      "application/json",
    );
    const r = (await ok.json()) as any;
    expect(r.valid).toBe(true);
    expect(r.path).toHaveLength(2);
    const bad = (await (
      await post(
        "/v1/verify",
        JSON.stringify({ certificate: sanApiserver, trustAnchors: sanCA, serverName: "127.0.0.1", purpose: "server", at: AT }),
        "application/json",
      )
    ).json()) as any;
    expect(bad.valid).toBe(false);
    expect(bad.reason).toBe("chain.hostname-mismatch");
  });

  it("takes the profile names go, rfc5280, webpki and the old name kubernetes (an alias of go)", async () => {
    const ask = (profile: string) =>
      post(
        "/v1/verify",
        JSON.stringify({ certificate: sanApiserver, trustAnchors: sanCA, serverName: "kubernetes", purpose: "server", at: AT, profile }),
        "application/json",
      );
    for (const [name, reported] of [
      ["go", "go"],
      ["rfc5280", "rfc5280"],
      ["webpki", "webpki"],
      ["kubernetes", "go"],
    ] as const) {
      const res = await ask(name);
      expect(res.status, name).toBe(200);
      expect(((await res.json()) as any).profile, name).toBe(reported);
    }
    await problem(await ask("strict"), 400, "input.bad-option");
  });

  // What openssl verify answers for the same fields is test/node/verify-openssl.test.ts; here, that the API carries them.
  it("takes maxDepth 0 (a leaf issued by an anchor, openssl -verify_depth 0) and an expected e-mail peer (-verify_email)", async () => {
    const ask = (extra: object) =>
      post(
        "/v1/verify",
        JSON.stringify({ certificate: sanApiserver, trustAnchors: sanCA, purpose: "server", at: AT, ...extra }),
        "application/json",
      );
    const depth0 = await ask({ maxDepth: 0 });
    expect(depth0.status).toBe(200);
    expect(((await depth0.json()) as any).valid).toBe(true);
    await problem(await ask({ maxDepth: -1 }), 400, "input.bad-option");
    const mail = (await (await ask({ email: "admin@example.com" })).json()) as any;
    expect([mail.valid, mail.reason]).toEqual([false, "chain.email-mismatch"]);
    await problem(await ask({ email: "not an address" }), 400, "input.bad-option");
    const spec = (await (await SELF.fetch("http://certaudit.test/openapi.json")).json()) as any;
    const props = JSON.stringify(spec).match(/"email":\{[^}]*verify_email/);
    expect(props, "email documented in the OpenAPI file").not.toBeNull();
  });

  it("wants JSON with a certificate and trust anchors", async () => {
    await problem(await post("/v1/verify", "x", "text/plain"), 415, "input.unsupported-media-type");
    await problem(await post("/v1/verify", JSON.stringify({ certificate: sanApiserver }), "application/json"), 400, "input.bad-option");
  });
});

describe("documents", () => {
  it("serves the OpenAPI document and the finding catalogue", async () => {
    const res = await SELF.fetch("http://certaudit.test/openapi.json");
    // A static asset now (scripts/build-ui.mjs), with the headers every API answer carries.
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
    const o = (await res.json()) as any;
    expect(o.openapi).toBe("3.1.0");
    expect(o.paths["/v1/audit"]).toBeDefined();
    const f = (await (await SELF.fetch("http://certaudit.test/v1/findings")).json()) as any;
    expect(f["cert.expired"].severity).toBe("error");
  });
});

describe("a bug is answered as a bug", () => {
  // The app the Worker serves (createApp), with a core function that fails the way a bug does: a
  // TypeError whose message and stack quote the input. It must not reach the client, nor the log.
  const LEAK = "s3cr3t-from-the-input";
  const bug = () => {
    throw new TypeError(`Cannot read properties of undefined (reading '${LEAK}')`);
  };
  const app = createApp({ audit: async () => bug(), verifyCertificate: async () => bug() });
  const send = (path: string, body: BodyInit, type?: string) =>
    app.request(path, { method: "POST", body, ...(type ? { headers: { "content-type": type } } : {}) }, { MAX_BODY_BYTES: "1048576" });
  afterEach(() => vi.restoreAllMocks());

  it.each([
    { name: "/v1/audit, JSON envelope", path: "/v1/audit", body: JSON.stringify({ kubeconfig, at: AT }), type: "application/json" },
    { name: "/v1/audit, raw YAML", path: "/v1/audit", body: kubeconfig, type: "application/yaml" },
    {
      name: "/v1/verify",
      path: "/v1/verify",
      body: JSON.stringify({ certificate: sanApiserver, trustAnchors: sanCA, purpose: "server" }),
      type: "application/json",
    },
  ])("$name: 500 problem+json with the generic detail and an id, no error text; one log line without it", async ({ path, body, type }) => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await send(path, body, type);
    const p = (await problem(res, 500, "internal")) as any;
    expect(Object.keys(p).sort()).toEqual(["code", "detail", "instance", "status", "title", "type"]);
    expect(p.detail).toBe("certaudit failed on this input; this is a bug. The input was not stored.");
    expect(p.instance).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const text = JSON.stringify(p);
    for (const leak of [LEAK, "TypeError", "Cannot read", "    at "]) expect(text).not.toContain(leak);
    expect(log).toHaveBeenCalledTimes(1);
    const line = log.mock.calls[0]!.map(String).join(" ");
    expect(line).toBe(`certaudit internal error ${p.instance} (TypeError)`);
    expect(line).not.toContain(LEAK);
  });

  it("the form (POST /) answers a 500 page with the same words, and logs the same line", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const form = new FormData();
    form.set("document", kubeconfig);
    const res = await app.request("/", { method: "POST", body: form }, { MAX_BODY_BYTES: "1048576" });
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).toContain("this is a bug");
    for (const leak of [LEAK, "TypeError", "Cannot read"]) expect(html).not.toContain(leak);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]!.map(String).join(" ")).toMatch(/^certaudit internal error urn:uuid:[0-9a-f-]{36} \(TypeError\)$/);
  });

  it("a thrown non-Error and an input problem from the same app keep their own shapes", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const odd = createApp({ ...CORE, audit: async () => Promise.reject(`string with ${LEAK}`) });
    const p = (await problem(
      await odd.request("/v1/audit", { method: "POST", body: kubeconfig, headers: { "content-type": "application/yaml" } }, {}),
      500,
      "internal",
    )) as any;
    expect(JSON.stringify(p)).not.toContain(LEAK);
    expect(log.mock.calls[0]!.map(String).join(" ")).toBe(`certaudit internal error ${p.instance} (string)`);
    // The real core with the same factory: a 400 is still a 400, and nothing is logged.
    log.mockClear();
    await problem(
      await createApp().request("/v1/audit", { method: "POST", body: "junk: [", headers: { "content-type": "application/yaml" } }, {}),
      400,
      "input.yaml-syntax",
    );
    expect(log).not.toHaveBeenCalled();
  });
});
