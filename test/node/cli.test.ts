// The CLI as a subprocess (the committed bundle bin/certaudit.cjs) on the kubectl-made fixtures.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { crashed, main, type Io } from "../../src/cli/main.ts";
import { locate, useColour } from "../../src/cli/render.ts";
import { createApp } from "../../src/http/app.ts";
import { AT, BIN, FIX, runNode, sarifValidator, startApiServer, type ApiServer } from "../cli/helpers.ts";

const cli = (args: string[], opts: Parameters<typeof runNode>[2] = {}) => runNode(BIN, args, opts);
const fx = (p: string) => join(FIX, p);

describe("certaudit CLI: formats and exit codes", () => {
  it("prints a table sorted by expiry, without colour when stdout is not a terminal; exit 0 on pass", async () => {
    const r = await cli(["--at", AT, fx("e2e-users/kubeconfig.yaml")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("PASS");
    expect(r.stdout).not.toMatch(/\x1b\[/);
    const rows = [...r.stdout.matchAll(/^\s+(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)\s+(\d+ days? left|expired \d+ days? ago)\s/gm)].map(
      (m) => m[1]!,
    );
    expect(rows.length).toBe(2);
    expect(rows).toEqual([...rows].sort());
    expect(r.stdout).toMatch(/CONTEXT\s+VERDICT\s+CA RELATION\s+CLIENT ACCEPTED\s+SERVER TRUSTED/);
  });

  it("colours only for a TTY and never with NO_COLOR", () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
  });

  it("places findings on the line of the user, cluster or PEM block they are about", () => {
    const kc = readFileSync(fx("multi-context/kubeconfig.yaml"), "utf8");
    const lines = kc.split("\n");
    expect(lines[locate(kc, { path: "users[token-user].token" }) - 1]).toMatch(/^\s+token: /);
    expect(lines[locate(kc, { path: "users[e2e-users-user].client-key-data" }) - 1]).toMatch(/^\s+client-key-data: /);
    // The field comes before the name in kubectl's cluster entries.
    expect(lines[locate(kc, { path: "clusters[rotated-ca].certificate-authority-data" }) - 1]).toMatch(/^\s+certificate-authority-data: /);
    expect(locate(kc, { path: "clusters[rotated-ca].certificate-authority-data" })).toBeLessThan(
      locate(kc, { path: "clusters[rotated-ca]" }) + 1,
    );
    expect(lines[locate(kc, { context: "token" }) - 1]).toMatch(/name: token$/);
    // A field the entry does not have: the entry's name line, not a neighbour's field.
    expect(lines[locate(kc, { path: "users[token-user].client-key-data" }) - 1]).toMatch(/name: token-user$/);
    const pem = readFileSync(fx("pem-bundle/bundle.pem"), "utf8");
    expect(pem.split(/\r?\n/)[locate(pem, { path: "pem[3]" }) - 1]).toBe("-----BEGIN RSA PRIVATE KEY-----");
    const json = readFileSync(fx("e2e-users/kubeconfig.json"), "utf8");
    expect(json.split("\n")[locate(json, { path: "users[e2e-user].client-certificate-data" }) - 1]).toMatch(/"client-certificate-data":/);
    expect(locate(null, { path: "pem[0]" })).toBe(1);
  });

  it("--format json prints exactly the core's report", async () => {
    const r = await cli([
      "--format",
      "json",
      "--at",
      AT,
      fx("rotated-ca/kubeconfig.yaml"),
      "--client-ca",
      fx("rotated-ca/client-ca.crt"),
      "--server-cert",
      fx("rotated-ca/apiserver.crt"),
    ]);
    const expected = await audit(
      {
        document: new Uint8Array(readFileSync(fx("rotated-ca/kubeconfig.yaml"))),
        clientCA: new Uint8Array(readFileSync(fx("rotated-ca/client-ca.crt"))),
        serverCertificate: new Uint8Array(readFileSync(fx("rotated-ca/apiserver.crt"))),
      },
      { at: new Date(AT), subtle: crypto.subtle },
    );
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected.contexts[0]!.serverTrusted).toBe(false);
    expect(r.code).toBe(1);
  });

  it("exit 1 at or above --fail-on, 0 below it", async () => {
    expect((await cli(["--at", AT, fx("expired-client/kubeconfig.yaml")])).code).toBe(1);
    expect((await cli(["--at", AT, "--fail-on", "never", fx("expired-client/kubeconfig.yaml")])).code).toBe(0);
    expect((await cli(["--at", AT, fx("expiring-client/kubeconfig.yaml")])).code).toBe(0);
    expect((await cli(["--at", AT, "--fail-on", "warning", fx("expiring-client/kubeconfig.yaml")])).code).toBe(1);
    // --warn-days moves the warning window: 19 days left, a 10-day window does not warn.
    expect((await cli(["--at", AT, "--fail-on", "warning", "--warn-days", "10", fx("expiring-client/kubeconfig.yaml")])).code).toBe(0);
  });

  it("reads standard input with -", async () => {
    const r = await cli(["--format", "json", "--at", AT, "-"], { input: readFileSync(fx("pem-bundle/bundle.pem")) });
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.input.kind).toBe("pem");
    expect(rep.certificates).toHaveLength(3);
    expect(rep.verdict).toBe("warn");
  });

  it("exit 2 with one stderr line and the problem code for unreadable and unauditable input", async () => {
    const missing = await cli(["--at", AT, fx("nope/kubeconfig.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/^certaudit: error \[cli\.unreadable\]: .*ENOENT/);

    const bad = await cli(["--at", AT, "-"], { input: "clusters: [\n  - name: x\n" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^certaudit: error \[input\.[a-z-]+\]: -: /);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);

    const empty = await cli(["-"], { input: "" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/\[input\.empty\]/);
  });

  it("exit 2 on bad usage", async () => {
    for (const args of [
      ["--format", "xml", "x"],
      ["--fail-on", "info", "x"],
      ["--bogus", "x"],
      ["--warn-days", "-3", "x"],
      ["--at", "tomorrow", "x"],
      ["-", "-"],
      ["--kubeconfig", "a", "b"],
      ["inspect"],
      ["inspect", "a", "b"],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(/^certaudit: error \[(cli\.usage|input\.bad-option)\]: /);
      expect(r.stdout).toBe("");
    }
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Exit codes");
  });

  it("several files: one report each, json as an array of {file, report|problem}, exit code from the worst", async () => {
    const a = await cli(["--format", "json", "--at", AT, fx("e2e-users/kubeconfig.yaml"), fx("expired-client/kubeconfig.yaml")]);
    expect(a.code).toBe(1);
    const arr = JSON.parse(a.stdout);
    expect(arr.map((x: { file: string; report: { verdict: string } }) => [x.file.replace(`${FIX}/`, ""), x.report.verdict])).toEqual([
      ["e2e-users/kubeconfig.yaml", "pass"],
      ["expired-client/kubeconfig.yaml", "fail"],
    ]);
    const b = await cli(["--format", "json", "--at", AT, fx("expired-client/kubeconfig.yaml"), fx("missing.yaml")]);
    expect(b.code).toBe(2);
    expect(JSON.parse(b.stdout)[1].problem.code).toBe("cli.unreadable");
    const t = await cli(["--at", AT, fx("e2e-users/kubeconfig.yaml"), fx("kubeadm-single-ca/kubeconfig.yaml")]);
    expect(t.code).toBe(0);
    expect(t.stdout.match(/: (PASS|WARN|FAIL)/g)).toEqual([": PASS", ": WARN"]);
  });

  it("--format sarif validates against the SARIF 2.1.0 schema, with finding codes as rule ids", async () => {
    const r = await cli([
      "--format",
      "sarif",
      "--at",
      AT,
      fx("multi-context/kubeconfig.yaml"),
      fx("pem-bundle/bundle.pem"),
      fx("expired-client/kubeconfig.yaml"),
    ]);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = log.runs[0];
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ids).toContain("kubeconfig.client-ca-rotated");
    expect(ids).toContain("cert.expired");
    for (const res of run.results) expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
    const expired = run.results.find((x: { ruleId: string }) => x.ruleId === "cert.expired");
    expect(expired.level).toBe("error");
    expect(expired.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
  });

  it("--format markdown prints the job-summary Markdown", async () => {
    const r = await cli(["--format", "markdown", "--at", AT, fx("expiring-client/kubeconfig.yaml")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("## certaudit: ⚠️ warn");
    expect(r.stdout).toContain("### Certificates by expiry");
    expect(r.stdout).toMatch(/\| 19 \| 2026-06-20 \| expiring/);
  });

  it("runs with the system's plain node too (not only Node 24)", async () => {
    const node = ["/usr/bin/node", "/usr/local/bin/node"].find((p) => existsSync(p));
    if (!node) return;
    const r = await runNode(BIN, ["--format", "json", "--at", AT, fx("ecdsa/kubeconfig.yaml")], { node });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).verdict).toBe("pass");
  });
});

describe("certaudit CLI: --endpoint", () => {
  let api: ApiServer;
  beforeAll(async () => {
    api = await startApiServer(); // the real Worker under wrangler dev: allow for its start-up
  }, 60_000);
  afterAll(async () => {
    await api.close();
  });

  it("posts the envelope with the token, stripped of keys, tokens and passwords", async () => {
    api.requests.length = 0;
    const kc = readFileSync(fx("multi-context/kubeconfig.yaml"), "utf8");
    const r = await cli([
      "--format",
      "json",
      "--at",
      AT,
      "--endpoint",
      api.url,
      "--token",
      "s3cret-token",
      "--client-ca",
      fx("e2e-users/client-ca.crt"),
      fx("multi-context/kubeconfig.yaml"),
    ]);
    expect(r.stderr).toContain("stripped before upload: users[e2e-users-user].client-key-data");
    expect(api.requests).toHaveLength(1);
    const req = api.requests[0]!;
    expect(req.path).toBe("/v1/audit");
    expect(req.headers.authorization).toBe("Bearer s3cret-token");
    const body = req.body.toString("utf8");
    const env = JSON.parse(body);
    expect(Object.keys(env).sort()).toEqual(["at", "clientCA", "kubeconfig"]);
    // Secrets are replaced by the marker certaudit:stripped; nothing else of them may remain.
    expect(body.replace(/(client-key-data|token|password)\\?"?:\s*\\?"?certaudit:stripped/g, "")).not.toMatch(
      /PRIVATE KEY|client-key-data|password|"token"|\btoken:/i,
    );
    for (const m of kc.matchAll(/(client-key-data|token): (\S+)/g)) expect(body).not.toContain(m[2]!);
    const rep = JSON.parse(r.stdout);
    expect(rep.schemaVersion).toBe("1.0");
    expect(rep.contexts.map((c: { name: string }) => c.name)).toContain("rotated-ca");
  });

  it("--send-secrets uploads them and says the key-match check ran on the server", async () => {
    api.requests.length = 0;
    const r = await cli(["--format", "json", "--at", AT, "--endpoint", api.url, "--send-secrets", fx("e2e-users/kubeconfig.yaml")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("key-match check ran on the server");
    expect(api.requests[0]!.body.toString()).toContain("client-key-data");
    expect(JSON.parse(r.stdout).contexts[0].client.keyMatches).toBe(true);
  });

  it("a problem answer from the service is exit 2 with its code", async () => {
    // A kubeconfig the allow-list can read (so it is uploaded) but whose users is not a list.
    const r = await cli(["--endpoint", api.url, "--at", AT, "-"], { input: "kind: Config\nusers: 5\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^certaudit: error \[input\.[a-z-]+\]: -: .*HTTP 4\d\d/);
  });

  it("text the audit cannot read is not uploaded: an allow-list cannot tell what it holds", async () => {
    api.requests.length = 0;
    const r = await cli(["--endpoint", api.url, "--at", AT, "-"], { input: "hello, this is not a certificate\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^certaudit: error \[cli\.unsafe-upload\]: -: the input could not be read well enough to strip its secrets \(input\.unrecognized: /,
    );
    expect(api.requests).toHaveLength(0);
  });

  it("uploads none of the secrets of a kubeconfig with OIDC auth-provider config, exec args and env, a token and a server URL with userinfo", async () => {
    api.requests.length = 0;
    const file = fx("secrets/kubeconfig.yaml");
    const kc = readFileSync(file, "utf8");
    // Every value test/fixtures/secrets/make.sh gave kubectl as a secret, and the private key.
    const secrets = [...kc.matchAll(/s3cret-[\w-]+/g)].map((m) => m[0]);
    const key = /client-key-data: (\S+)/.exec(kc)![1]!;
    secrets.push(
      key,
      ...Buffer.from(key, "base64")
        .toString("utf8")
        .split("\n")
        .filter((l: string) => l.length > 20 && !l.startsWith("-----")),
    );
    expect(secrets.length).toBeGreaterThan(20);
    const r = await cli(["--format", "json", "--at", AT, "--endpoint", api.url, file]);
    expect(api.requests).toHaveLength(1);
    const body = api.requests[0]!.body.toString("utf8");
    for (const s of secrets) expect(body.includes(s), `${s.slice(0, 24)}… was uploaded`).toBe(false);
    expect(r.stderr).toMatch(
      /stripped before upload: .*users\[oidc\]\.auth-provider\.config\.client-secret.*users\[plugin\]\.exec\.env\[API_KEY\]\.value/,
    );
    const rep = JSON.parse(r.stdout);
    expect(rep.contexts.map((c: { server: string }) => c.server)).toContain("https://127.0.0.1:6443");
    for (const s of secrets) expect(r.stdout.includes(s) || r.stderr.includes(s), `${s.slice(0, 24)}… was printed`).toBe(false);
  });

  it("input whose secrets cannot be stripped is not uploaded (exit 2)", async () => {
    api.requests.length = 0;
    const r = await cli(["--endpoint", api.url, "--at", AT, "-"], { input: "clusters: [\n  token: abc\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^certaudit: error \[cli\.unsafe-upload\]: /);
    expect(api.requests).toHaveLength(0);
  });

  it("an unreachable endpoint is exit 2", async () => {
    const r = await cli(["--endpoint", "http://127.0.0.1:9", fx("e2e-users/kubeconfig.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[cli\.endpoint-unreachable\]/);
  });
});

describe("certaudit CLI: a bug is reported as a bug (exit 3), without its text", () => {
  // main() in this process with a core that fails the way a bug does: a TypeError whose
  // message quotes the input. The user sees that it is a bug, never the message or the stack.
  const LEAK = "s3cr3t-from-the-input";
  const bug = async (): Promise<never> => {
    throw new TypeError(`Cannot read properties of undefined (reading '${LEAK}')`);
  };
  const run = async (args: string[], extra: Partial<Io> = {}, env: Record<string, string> = {}) => {
    let stdout = "";
    let stderr = "";
    const io: Io = {
      stdout: { write: (x: string) => (stdout += x) },
      stderr: { write: (x: string) => (stderr += x) },
      env,
      readStdin: async () => new Uint8Array(),
      ...extra,
    };
    const code = await main(args, io);
    return { code, stdout, stderr };
  };

  it("local audit: exit 3, one [internal] line naming the error class, no message or stack", async () => {
    const r = await run(["--at", AT, fx("e2e-users/kubeconfig.yaml")], { audit: bug });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^certaudit: error \[internal\]: .*kubeconfig\.yaml: certaudit failed on this input; this is a bug in certaudit \(TypeError\), not a problem with the file\./m,
    );
    for (const leak of [LEAK, "Cannot read", "    at "]) expect(r.stderr + r.stdout).not.toContain(leak);
  });

  it("CERTAUDIT_DEBUG=1 adds the stack", async () => {
    const r = await run(["--at", AT, fx("e2e-users/kubeconfig.yaml")], { audit: bug }, { CERTAUDIT_DEBUG: "1" });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`CERTAUDIT_DEBUG: TypeError: Cannot read properties of undefined (reading '${LEAK}')`);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it("a bug wins over files that could not be audited (3 over 2)", async () => {
    const r = await run(["--at", AT, fx("e2e-users/kubeconfig.yaml"), "/nonexistent/file"], { audit: bug });
    expect(r.code).toBe(3);
  });

  it("--endpoint: the service's 500 is a bug too (exit 3), with the instance id to quote", async () => {
    const app = createApp({ audit: bug, verifyCertificate: bug });
    const fetch = (async (url: URL | RequestInfo, init?: RequestInit) => app.request(String(url), init)) as typeof globalThis.fetch;
    const log = console.error;
    console.error = () => {};
    try {
      const r = await run(["--at", AT, "--endpoint", "http://certaudit.test", fx("e2e-users/kubeconfig.yaml")], { fetch });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/\[internal\]: .*this is a bug\. The input was not stored\. \(HTTP 500, urn:uuid:[0-9a-f-]{36}\)/);
      expect(r.stderr).not.toContain(LEAK);
    } finally {
      console.error = log;
    }
  });

  it("main() itself throwing (the bin's handler): one clear line, exit 3, the stack only with CERTAUDIT_DEBUG", () => {
    let out = "";
    const e = new RangeError(`bad index ${LEAK}`);
    expect(crashed(e, { stderr: { write: (x: string) => (out += x) }, env: {} })).toBe(3);
    expect(out).toBe(
      "certaudit: error [internal]: certaudit failed on this input; this is a bug in certaudit (RangeError), not a problem with the file. Please report it; CERTAUDIT_DEBUG=1 prints the stack trace (it may quote the input)\n",
    );
    out = "";
    crashed(e, { stderr: { write: (x: string) => (out += x) }, env: { CERTAUDIT_DEBUG: "1" } });
    expect(out).toContain(LEAK);
  });
});
