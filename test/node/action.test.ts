// The GitHub Action's committed entry (action/dist/index.mjs) run as a subprocess, as the runner
// does: INPUT_* variables, temporary GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, a workspace of
// fixtures. Locally (no endpoint) and against the Worker's app served by node:http (createApp
// from src/http/app.ts, wrapped by test/cli/helpers.ts: faster and steadier than wrangler dev),
// recording every upload body to prove no key, token or password left.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION, AT, FIX, ROOT, runNode, sarifValidator, startApiServer, type ApiServer } from "../cli/helpers.ts";

let ws: string;
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "certaudit-action-"));
  ws = join(tmp, "workspace");
  const put = (from: string, to: string) => {
    mkdirSync(dirname(join(ws, to)), { recursive: true });
    copyFileSync(join(FIX, from), join(ws, to));
  };
  put("expiring-client/kubeconfig.yaml", "clusters/prod/kubeconfig.yaml");
  put("e2e-users/kubeconfig.yaml", "clusters/dev/kubeconfig.yaml");
  put("multi-context/kubeconfig.yaml", "clusters/all/kubeconfig.yaml");
  put("pem-bundle/bundle.pem", "certs/bundle.pem");
  put("e2e-users/client-ca.crt", "pki/client-ca.crt");
  // kubectl-made: OIDC auth-provider config, exec args and env, token, basic auth, userinfo in URLs.
  put("secrets/kubeconfig.yaml", "creds/kubeconfig.yaml");
  // A basic-auth user, so a password is there to strip.
  const kc = parse(readFileSync(join(FIX, "e2e-users/kubeconfig.yaml"), "utf8"));
  kc.users.push({ name: "basic", user: { username: "admin", password: "hunter2-very-secret" } });
  kc.contexts.push({ name: "basic", context: { cluster: kc.clusters[0].name, user: "basic" } });
  mkdirSync(join(ws, "clusters/basic"), { recursive: true });
  writeFileSync(join(ws, "clusters/basic/kubeconfig.yaml"), stringify(kc));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

async function runAction(inputs: Record<string, string>): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmp, "run-"));
  const out = join(dir, "output");
  const summary = join(dir, "summary.md");
  writeFileSync(out, "");
  writeFileSync(summary, "");
  const env: Record<string, string> = {
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: ws,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: dir,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = await runNode(ACTION, [], { env, cwd: ws });
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(out, "utf8").matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return { code: r.code, stdout: r.stdout + r.stderr, outputs, summary: readFileSync(summary, "utf8") };
}

/** Every secret value in the workspace's inputs: key data, tokens, passwords, PEM key bodies. */
function secretsInWorkspace(): string[] {
  const out: string[] = [];
  for (const f of [
    "clusters/prod/kubeconfig.yaml",
    "clusters/dev/kubeconfig.yaml",
    "clusters/all/kubeconfig.yaml",
    "clusters/basic/kubeconfig.yaml",
  ]) {
    const kc = parse(readFileSync(join(ws, f), "utf8"));
    for (const u of kc.users) for (const k of ["client-key-data", "token", "password"]) if (u.user?.[k]) out.push(String(u.user[k]));
  }
  const pem = readFileSync(join(ws, "certs/bundle.pem"), "utf8");
  const key = /-----BEGIN RSA PRIVATE KEY-----([\s\S]*?)-----END/.exec(pem)![1]!;
  out.push(
    ...key
      .split(/\r?\n/)
      .filter((l) => l.trim().length > 20)
      .map((l) => l.trim()),
  );
  // base64 of the PEM key bodies inside client-key-data, decoded: the key lines themselves.
  for (const s of out.slice()) {
    const dec = Buffer.from(s, "base64").toString("utf8");
    if (dec.includes("PRIVATE KEY")) out.push(...dec.split("\n").filter((l: string) => l.length > 20 && !l.startsWith("-----")));
  }
  expect(out.length).toBeGreaterThan(10);
  return out;
}

const ALL = "clusters/**/kubeconfig.yaml\ncerts/*.pem";

describe("the Action, local mode (no endpoint)", () => {
  it("audits every matched file, sets outputs, writes the summary, annotations and SARIF; fails on errors", async () => {
    const r = await runAction({ files: ALL, at: AT, "sarif-file": "out/certaudit.sarif" });
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe("fail");
    expect(r.outputs["earliest-expiry"]).toBe("2026-06-20T00:00:00Z");
    expect(r.outputs["days-left"]).toBe("19");
    const report = JSON.parse(readFileSync(r.outputs.report!, "utf8"));
    expect(report.map((x: { file: string }) => x.file)).toEqual([
      "certs/bundle.pem",
      "clusters/all/kubeconfig.yaml",
      "clusters/basic/kubeconfig.yaml",
      "clusters/dev/kubeconfig.yaml",
      "clusters/prod/kubeconfig.yaml",
    ]);
    expect(report.every((x: { report?: { schemaVersion: string } }) => x.report?.schemaVersion === "1.0")).toBe(true);

    expect(r.summary).toContain("## certaudit: ❌ fail");
    expect(r.summary).toContain("Audited locally by the bundled certaudit core; nothing was uploaded.");
    expect(r.summary).toMatch(/### Certificates by expiry\n\n\| Days left .*\n\| ---: .*\n\| 19 \| 2026-06-20 \| expiring/);
    expect(r.summary.indexOf("#### ❌ error")).toBeLessThan(r.summary.indexOf("#### ⚠️ warning"));

    expect(r.stdout).toMatch(/^::error file=clusters\/all\/kubeconfig\.yaml,line=\d+,title=kubeconfig\.client-ca-rotated%3A .*::/m);
    expect(r.stdout).toMatch(/^::warning file=clusters\/prod\/kubeconfig\.yaml,line=\d+,title=cert\.expiring-soon%3A .*::.*2026-06-20/m);
    expect(r.stdout).toMatch(/^::warning file=certs\/bundle\.pem,line=\d+,title=input\.private-key-in-file/m);
    // Notes are folded into the job summary (GitHub shows 10 annotations of each kind per step);
    // one notice without a file says how many.
    expect(r.stdout).not.toMatch(/^::notice file=/m);
    expect(r.stdout).toMatch(/^::notice title=certaudit%3A more in the job summary::\d+ findings? (is|are) not annotated/m);

    const sarif = JSON.parse(readFileSync(join(ws, "out/certaudit.sarif"), "utf8"));
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const uris = new Set(
      sarif.runs[0].results.map(
        (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          x.locations[0]!.physicalLocation.artifactLocation.uri,
      ),
    );
    expect([...uris].sort()).toEqual([
      "certs/bundle.pem",
      "clusters/all/kubeconfig.yaml",
      "clusters/basic/kubeconfig.yaml",
      "clusters/dev/kubeconfig.yaml",
      "clusters/prod/kubeconfig.yaml",
    ]);
    const rule = sarif.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === "cert.expiring-soon");
    expect(rule.shortDescription.text).toBe("The certificate expires soon");
    expect(rule.defaultConfiguration.level).toBe("warning");
    // The schema is really checked: broken logs are refused.
    expect(validate({ version: "2.1.0" })).toBe(false);
    expect(validate({ ...sarif, runs: [{ ...sarif.runs[0], results: [{ ruleId: "x", level: "fatal", message: { text: "m" } }] }] })).toBe(
      false,
    );
  });

  it("fail-on and warn-days decide the exit code", async () => {
    const prod = { files: "clusters/prod/kubeconfig.yaml", at: AT };
    expect((await runAction(prod)).code).toBe(0);
    expect((await runAction({ ...prod, "fail-on": "warning" })).code).toBe(1);
    const narrow = await runAction({ ...prod, "fail-on": "warning", "warn-days": "10" });
    expect(narrow.code).toBe(0);
    expect(narrow.outputs.verdict).toBe("pass");
    expect((await runAction({ files: ALL, at: AT, "fail-on": "never" })).code).toBe(0);
  });

  it("client-ca settles clientAccepted", async () => {
    const r = await runAction({ files: "clusters/dev/kubeconfig.yaml", at: AT, "client-ca": "pki/client-ca.crt" });
    expect(r.code).toBe(0);
    const [entry] = JSON.parse(readFileSync(r.outputs.report!, "utf8"));
    expect(entry.report.contexts[0].clientAccepted).toBe(true);
  });

  it("bad inputs and globs that match nothing fail the step with a reason, and still set the outputs", async () => {
    const none = await runAction({ files: "nothing/*.yaml" });
    expect(none.code).toBe(1);
    expect(none.outputs.verdict).toBe("error");
    expect(none.summary).toContain("- `nothing/*.yaml`");
    expect(none.stdout).toMatch(/::warning title=certaudit::no file matches nothing\/\*\.yaml/);
    expect(none.stdout).toMatch(/::error title=certaudit::\[cli\.no-files\]/);
    const bad = await runAction({ files: ALL, "fail-on": "sometimes" });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/::error title=certaudit::\[input\.bad-option\] fail-on must be/);
    expect(bad.outputs.verdict).toBe("error");
    expect(bad.summary).toContain("fail-on must be");
  });

  it("action.yml declares exactly the inputs and outputs the entry uses", () => {
    const yml = parse(readFileSync(join(ROOT, "action.yml"), "utf8"));
    expect(Object.keys(yml.inputs).sort()).toEqual([
      "at",
      "client-ca",
      "endpoint",
      "fail-on",
      "files",
      "p12-password-file",
      "sarif-file",
      "send-secrets",
      "server-certificate",
      "token",
      "warn-days",
    ]);
    expect(yml.inputs["warn-days"].default).toBe("30");
    expect(yml.inputs["fail-on"].default).toBe("error");
    expect(yml.inputs["send-secrets"].default).toBe("false");
    expect(Object.keys(yml.outputs).sort()).toEqual(["broken-edges", "days-left", "earliest-expiry", "first-break", "report", "verdict"]);
    expect(yml.runs).toEqual({ using: "node24", main: "action/dist/index.mjs" });
  });
});

describe("the Action against a certaudit server", () => {
  let api: ApiServer;
  beforeAll(async () => {
    api = await startApiServer(); // the real Worker under wrangler dev: allow for its start-up
  }, 60_000);
  afterAll(async () => {
    await api.close();
  });

  it("uploads every file with keys, tokens and passwords stripped, with the bearer token", async () => {
    api.requests.length = 0;
    const r = await runAction({ files: ALL, at: AT, endpoint: api.url, token: "tok-abcdef-123456" });
    expect(api.requests).toHaveLength(5);
    const secrets = secretsInWorkspace();
    for (const req of api.requests) {
      expect(req.path).toBe("/v1/audit");
      expect(req.headers.authorization).toBe("Bearer tok-abcdef-123456");
      const body = req.body.toString("utf8");
      // Secrets are replaced by the marker certaudit:stripped; nothing else of them may remain.
      expect(body.replace(/(client-key-data|token|password)\\?"?:\s*\\?"?certaudit:stripped/g, "")).not.toMatch(
        /PRIVATE KEY|client-key-data|password|"token"|\btoken:/i,
      );
      for (const s of secrets) expect(body.includes(s), "a secret was uploaded").toBe(false);
      expect(JSON.parse(body).at).toBe(AT);
    }
    expect(r.stdout).toContain("::add-mask::tok-abcdef-123456");
    expect(r.stdout).toMatch(/clusters\/basic\/kubeconfig\.yaml: stripped before upload: .*users\[basic\]\.password/);
    expect(r.stdout).toContain("stripped before upload: private key block 1");
    expect(r.summary).toContain("private keys, tokens and passwords stripped");
    expect(r.outputs.verdict).toBe("fail");
    const report = JSON.parse(readFileSync(r.outputs.report!, "utf8"));
    expect(report).toHaveLength(5);
    expect(report.every((x: { report?: unknown }) => x.report)).toBe(true);
  });

  it("uploads none of the secrets of a kubeconfig with OIDC auth-provider config, exec env and a token", async () => {
    api.requests.length = 0;
    const r = await runAction({ files: "creds/kubeconfig.yaml", at: AT, endpoint: api.url });
    expect(api.requests).toHaveLength(1);
    const kc = readFileSync(join(ws, "creds/kubeconfig.yaml"), "utf8");
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
    const body = api.requests[0]!.body.toString("utf8");
    for (const s of secrets) expect(body.includes(s), `${s.slice(0, 24)}… was uploaded`).toBe(false);
    for (const s of secrets) expect(r.stdout.includes(s) || r.summary.includes(s), `${s.slice(0, 24)}… was printed`).toBe(false);
    expect(r.stdout).toMatch(
      /stripped before upload: .*users\[oidc\]\.auth-provider\.config\.refresh-token.*users\[plugin\]\.exec\.env\[REGION\]\.value/,
    );
    const [entry] = JSON.parse(readFileSync(r.outputs.report!, "utf8"));
    expect(entry.report.contexts.map((c: { server: string }) => c.server)).toContain("https://127.0.0.1:6443");
  });

  it("send-secrets: true uploads them and says the key-match check ran on the server", async () => {
    api.requests.length = 0;
    const r = await runAction({ files: "clusters/dev/kubeconfig.yaml", at: AT, endpoint: api.url, "send-secrets": "true" });
    expect(r.code).toBe(0);
    expect(api.requests[0]!.body.toString()).toContain("client-key-data");
    expect(r.summary).toContain("the key-match check ran on the server");
    const [entry] = JSON.parse(readFileSync(r.outputs.report!, "utf8"));
    expect(entry.report.contexts[0].client.keyMatches).toBe(true);
  });

  it("a refused upload is a problem for that file, not a crash", async () => {
    const r = await runAction({ files: "clusters/dev/kubeconfig.yaml", endpoint: api.url, at: "not-a-date" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error title=certaudit::\[input\.bad-option\] at must be/);
  });
});
