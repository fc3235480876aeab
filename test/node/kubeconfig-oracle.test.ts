// Kubeconfig messages against real kubectl: each file below is run through kubectl (under
// CI=true, stdin closed) and the expectation is what kubectl printed, never our own output.
// Also Go's base64.StdEncoding (test/oracles/base64-std.go) against our port of it.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { goBase64Error } from "../../src/core/encoding/base64-go.ts";
import { InputProblem } from "../../src/core/errors.ts";
import { goOracle, needTool, run } from "./helpers/tools.ts";

const AT = new Date("2026-06-01T00:00:00Z");
const tmp = mkdtempSync(join(tmpdir(), "certaudit-kubeconfig-oracle-"));
const CA = Buffer.from(readFileSync(new URL("../fixtures/e2e-users/ca.crt", import.meta.url))).toString("base64");

/** A small kubeconfig; `server` defaults to a closed port so kubectl fails fast after loading. */
function kc(o: { server?: string; ca?: string; user?: string; context?: string; extra?: string } = {}): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: ${o.server ?? "https://127.0.0.1:1"}
    certificate-authority-data: ${o.ca ?? CA}
users:
${o.user ?? "- name: u\n  user:\n    token: abc"}
contexts:
${o.context ?? "- name: x\n  context: {cluster: c, user: u}"}
current-context: x
${o.extra ?? ""}`;
}

let n = 0;
function kubectl(content: string | Uint8Array, args: string[]): { status: number | null; out: string } {
  const f = join(tmp, `k${n++}.yaml`);
  writeFileSync(f, content);
  const r = run("kubectl", ["--kubeconfig", f, ...args], { env: { CI: "true", HOME: tmp }, input: "" });
  // The file name is ours; kubectl's text around it is what the finding must quote.
  return { status: r.status, out: (r.stdout + r.stderr).replaceAll(f, "…") };
}
const getVersion = ["get", "--raw", "/version", "--request-timeout=3s"];
const report = (content: string | Uint8Array) => audit({ kubeconfig: content }, { at: AT, subtle: crypto.subtle });

const cluster2 = "- name: c\n  cluster:\n    server: https://127.0.0.1:1\n";
const DUPLICATES: Record<string, string> = {
  clusters: kc().replace("clusters:\n", `clusters:\n${cluster2}${cluster2}`),
  users: kc({ user: "- name: u\n  user:\n    token: abc\n- name: u\n  user:\n    token: def" }),
  contexts: kc({ context: "- name: x\n  context: {cluster: c, user: u}\n- name: x\n  context: {cluster: c, user: u}" }),
  extensions: kc({ extra: "extensions:\n- name: e\n  extension: {a: 1}\n- name: e\n  extension: {a: 2}\n" }),
  "preferences.extensions": kc({ extra: "preferences:\n  extensions:\n  - name: p\n    extension: {}\n  - name: p\n    extension: {}\n" }),
  "a cluster's extensions": kc().replace(
    "    server:",
    "    extensions:\n    - name: e\n      extension: {a: 1}\n    - name: e\n      extension: {a: 2}\n    server:",
  ),
};

describe("kubectl refuses to load a kubeconfig with a repeated name", () => {
  it.for(Object.keys(DUPLICATES))("%s", async (what, ctx) => {
    needTool(ctx, "kubectl");
    const k = kubectl(DUPLICATES[what]!, ["config", "view"]);
    expect(k.status).not.toBe(0);
    const said = /error loading config file "…": (error converting .* duplicate name "[^"]*" in list:)/.exec(k.out)?.[1];
    expect(said, k.out).toBeDefined();
    const dups = (await report(DUPLICATES[what]!)).findings.filter((f) => f.code === "kubeconfig.duplicate-name");
    // Said once per repeated name (here: one name, appearing two or three times), as an error.
    expect(dups).toHaveLength(1);
    expect(dups[0]!.severity).toBe("error");
    expect(dups[0]!.message).toContain(said);
    expect(dups[0]!.message).toContain("kubectl will refuse to load this file");
  });
  it("three entries with one name: one finding", async () => {
    const three = kc().replace("clusters:\n", `clusters:\n${cluster2}${cluster2}${cluster2}`);
    expect((await report(three)).findings.filter((f) => f.code === "kubeconfig.duplicate-name")).toHaveLength(1);
  });
});

describe("*-data base64 as Go reads it", () => {
  const VARIANTS: Record<string, string> = {
    "padded, one line": CA,
    "wrapped at 76 columns": CA.replace(/(.{76})/g, "$1\n"),
    unpadded: CA.replace(/=+$/, ""),
    "a space inside": `${CA.slice(0, 40)} ${CA.slice(40)}`,
    "not base64": "not*base64*data",
  };
  it.for(Object.keys(VARIANTS))("%s", async (name, ctx) => {
    needTool(ctx, "kubectl");
    const text = kc({ ca: JSON.stringify(VARIANTS[name]!) });
    const k = kubectl(text, ["config", "view"]);
    const said = /error loading config file "…": (illegal base64 data at input byte \d+)/.exec(k.out)?.[1];
    const bad = (await report(text)).findings.filter((f) => f.code === "input.bad-base64");
    if (k.status === 0) expect(bad).toEqual([]);
    else {
      expect(said, k.out).toBeDefined();
      expect(bad).toHaveLength(1);
      expect(bad[0]!.message).toContain(said);
      expect(bad[0]!.severity).toBe("error");
    }
  });
  it("agrees with Go's base64.StdEncoding on the offset it names", (ctx) => {
    needTool(ctx, "go");
    const inputs = [
      "YWJj",
      "YWI",
      "YW=j",
      "YWJj\nYWJj",
      "YWJj YWJj",
      "YWJj\r\n",
      "YWI=",
      "YWJ=",
      "-_-_",
      "",
      "=",
      "==",
      "YW==",
      "YW=",
      "YW=\n=",
      "YW==x",
      "YWI=\n\nx",
      "YWJjYW==YWJj",
      "YWJj\tYWJj",
      "YWJjZA",
      "YWJj=",
      "YW===",
    ];
    // And 400 random strings over an alphabet that reaches every branch.
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 400; i++)
      inputs.push(Array.from({ length: Math.floor(rnd() * 14) }, () => "AQw+/=\n\r *"[Math.floor(rnd() * 10)]).join(""));
    const r = run(goOracle("base64-std"), [], { input: JSON.stringify(inputs) });
    expect(r.status, r.stderr).toBe(0);
    const go = (JSON.parse(r.stdout) as { ok: boolean; offset: number }[]).map((x) => (x.ok ? null : x.offset));
    expect(inputs.map(goBase64Error)).toEqual(go);
  });
});

describe("exec plugins", () => {
  const user = (exec: string) => `- name: u\n  user:\n    exec:\n${exec}`;
  const CASES: Record<string, string> = {
    "removed apiVersion v1alpha1": user("      apiVersion: client.authentication.k8s.io/v1alpha1\n      command: echo\n"),
    "incomplete block": user("      env:\n      - value: x\n"),
  };
  it.for(Object.keys(CASES))("%s: the finding quotes kubectl", async (name, ctx) => {
    needTool(ctx, "kubectl");
    const text = kc({ user: CASES[name]! });
    const k = kubectl(text, getVersion);
    expect(k.status).not.toBe(0);
    const lines = k.out
      .split("\n")
      .filter((l) => /^error: exec plugin|^\* /.test(l))
      .map((l) => l.replace(/^error: /, ""));
    expect(lines.length, k.out).toBeGreaterThan(0);
    const f = (await report(text)).findings.find((x) => x.code === "kubeconfig.exec-invalid");
    expect(f?.severity).toBe("error");
    for (const l of lines) expect(f!.message).toContain(l);
  });
  it("v1beta1 without interactiveMode is accepted by kubectl's validation, and by us", async (ctx) => {
    needTool(ctx, "kubectl");
    const text = kc({ user: user("      apiVersion: client.authentication.k8s.io/v1beta1\n      command: /bin/false\n") });
    expect(kubectl(text, getVersion).out).not.toMatch(/Error in configuration|invalid apiVersion/);
    expect((await report(text)).findings.map((x) => x.code)).not.toContain("kubeconfig.exec-invalid");
  });
});

describe("what kubectl does with odd contexts and servers", () => {
  it("a context whose user is not defined: kubectl prompts for a username (no credentials of its own)", async (ctx) => {
    needTool(ctx, "kubectl");
    const text = kc({ context: "- name: x\n  context: {cluster: c, user: nobody}" });
    const k = kubectl(text, getVersion);
    expect(k.out).toContain("Please enter Username:");
    const f = (await report(text)).findings.find((x) => x.code === "kubeconfig.context-missing-user")!;
    expect(f.message).toContain("without credentials");
    expect(f.message).toContain("Please enter Username:");
    expect(f.message).toContain("error: EOF");
    expect(k.out).toContain("error: EOF");
  });
  it.for(["localhost:1", "localhost", "127.0.0.1:1"])("server: %s means plain http:// to kubectl, even with a CA", async (server, ctx) => {
    needTool(ctx, "kubectl");
    const text = kc({ server });
    const url = /GET (http\S*?)\/version/.exec(kubectl(text, [...getVersion, "-v=6"]).out)?.[1];
    expect(url).toBeDefined();
    const f = (await report(text)).findings.find((x) => x.code === "kubeconfig.server-without-scheme");
    expect(f?.message).toContain(`connects to ${url} in plain HTTP`);
  });
});

describe("UTF-16 kubeconfigs (Windows PowerShell `>`)", () => {
  const text = kc();
  const FILES: Record<string, Uint8Array> = {
    "UTF-16LE with BOM, CRLF": new Uint8Array([0xff, 0xfe, ...Buffer.from(text.replace(/\n/g, "\r\n"), "utf16le")]),
    "UTF-16BE with BOM": new Uint8Array([0xfe, 0xff, ...Buffer.from(text, "utf16le").swap16()]),
    "UTF-16LE without BOM": new Uint8Array(Buffer.from(text, "utf16le")),
  };
  it.for(Object.keys(FILES))("%s: read exactly when kubectl reads it", async (name, ctx) => {
    needTool(ctx, "kubectl");
    const k = kubectl(FILES[name]!, ["config", "view", "-o", "jsonpath={.clusters[*].name} {.contexts[*].name}"]);
    let ours: string;
    try {
      const r = await report(FILES[name]!);
      ours = `${[...new Set(r.contexts.map((c) => c.cluster))].join(" ")} ${r.contexts.map((c) => c.name).join(" ")}`;
    } catch (e) {
      if (!(e instanceof InputProblem)) throw e;
      ours = "refused";
    }
    expect(ours).toBe(k.status === 0 ? k.out.trim() : "refused");
  });
});

describe("PEM inside *-data fields, as kubectl reads it", () => {
  const fx = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), "utf8");
  const e2e = fx("e2e-users/kubeconfig.yaml").replace("https://127.0.0.1:6443", "https://127.0.0.1:1");
  const b64 = (s: string | Uint8Array) => Buffer.from(s).toString("base64");
  const withField = (field: "certificate-authority-data" | "client-certificate-data", data: string | Uint8Array) =>
    e2e.replace(new RegExp(`${field}: \\S+`), `${field}: ${b64(data)}`);
  /** A degenerate PKCS#7 made by openssl itself. */
  const p7 = (pemFile: string) => {
    const f = join(tmp, "in.pem");
    writeFileSync(f, fx(pemFile));
    return run("openssl", ["crl2pkcs7", "-nocrl", "-certfile", f]).stdout;
  };
  const ca = fx("e2e-users/ca.crt");
  const client = fx("e2e-users/client.crt");
  const CASES: Record<string, () => string> = {
    "CA without line breaks": () => withField("certificate-authority-data", ca.replace(/\n/g, "")),
    "CA after a comment quoting BEGIN": () => withField("certificate-authority-data", `#-----BEGIN SERIAL-----\n${ca}`),
    "CA with Latin-1 comments": () =>
      withField("certificate-authority-data", new Uint8Array([...Buffer.from("# f\xfcr M\xfcnchen\n", "latin1"), ...Buffer.from(ca)])),
    "CA as PKCS#7": () => withField("certificate-authority-data", p7("e2e-users/ca.crt")),
    "CA that is only a comment": () => withField("certificate-authority-data", "#-----BEGIN SERIAL-----\n"),
    "client certificate as PKCS#7": () => withField("client-certificate-data", p7("e2e-users/client.crt")),
    "client certificate without line breaks": () => withField("client-certificate-data", client.replace(/\n/g, "")),
  };
  it.for(Object.keys(CASES))("%s", async (name, ctx) => {
    needTool(ctx, "kubectl");
    needTool(ctx, "openssl");
    const text = CASES[name]!();
    const k = kubectl(text, getVersion);
    // kubectl got as far as connecting when it reports the refused connection.
    const loaded = /connection to the server .* was refused/.test(k.out);
    const said = /^error: (.*)$/m.exec(k.out)?.[1];
    const errors = (await report(text)).findings.filter((f) => f.severity === "error");
    if (loaded) expect(errors).toEqual([]);
    else {
      expect(said, k.out).toBeDefined();
      expect(errors.map((f) => f.message).join("\n")).toContain(said);
    }
  });
});

describe("values kubectl refuses for their type (YAML 1.1 typing, then encoding/json)", () => {
  const ns = (v: string) => kc({ context: `- name: x\n  context: {cluster: c, user: u, namespace: ${v}}` });
  const CASES: Record<string, string> = {
    "token: yes": kc({ user: "- name: u\n  user:\n    token: yes" }),
    'token: "yes" (quoted)': kc({ user: '- name: u\n  user:\n    token: "yes"' }),
    'insecure-skip-tls-verify: "true"': kc().replace("    server:", '    insecure-skip-tls-verify: "true"\n    server:'),
    "as-groups: [on, ops]": kc({ user: "- name: u\n  user:\n    token: abc\n    as: alice\n    as-groups: [on, ops]" }),
    "exec args: [eks, 1]": kc({
      user: "- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [eks, 1]",
    }),
    "a cluster named 12": kc().replace("- name: c\n", "- name: 12\n").replace("cluster: c,", "cluster: '12',"),
    "certificate-authority-data: 12": kc({ ca: "12" }),
    "auth-provider config value: on": kc({ user: "- name: u\n  user:\n    auth-provider:\n      name: oidc\n      config: {refresh: on}" }),
  };
  for (const v of [
    "y",
    "NO",
    "off",
    "0777",
    "1_000",
    "0x1F",
    "+12",
    "09",
    ".5",
    "1e3",
    "-0b101",
    "1:20",
    "2001-12-14",
    "null",
    "~",
    "12a",
    "0o17",
  ])
    CASES[`namespace: ${v}`] = ns(v);
  it.for(Object.keys(CASES))("%s", async (name, ctx) => {
    needTool(ctx, "kubectl");
    const text = CASES[name]!;
    const k = kubectl(text, ["config", "view"]);
    const said = /error loading config file "…": (json: cannot unmarshal .*)$/m.exec(k.out)?.[1];
    const wrong = (await report(text)).findings.filter((f) => f.code === "kubeconfig.wrong-type");
    if (k.status === 0) expect(wrong).toEqual([]);
    else {
      expect(said, k.out).toBeDefined();
      expect(wrong).toHaveLength(1);
      expect(wrong[0]!.message).toContain(said);
    }
  });
});
