// certaudit --live against openssl s_server standing in for kube-apiserver (fixtures' API server
// chain, client CA announced in the CertificateRequest), on 127.0.0.1 and a random port.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { BIN, FIX, runNode, startSServer, type SServer } from "../cli/helpers.ts";
import { freePort, startSServer as startSServerPem } from "./helpers/sserver.ts";
import { issue } from "../helpers/pki.ts";

// The fixtures' certificates are valid at the real clock (the API server's until 2034; clients
// until 2027-01-01), and Node's TLS stack only validates at the real clock; the audit runs at
// the real clock too, so the checks below stay true until the client certificates expire.
const NOW = new Date().toISOString();
let servers: SServer[] = [];
const tmps: string[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
  for (const t of tmps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function kubeconfigOn(scenario: string, port: number): string {
  const dir = mkdtempSync(join(tmpdir(), "certaudit-live-"));
  tmps.push(dir);
  const file = join(dir, "kubeconfig.yaml");
  writeFileSync(
    file,
    readFileSync(join(FIX, scenario, "kubeconfig.yaml"), "utf8").replaceAll("https://127.0.0.1:6443", `https://127.0.0.1:${port}`),
  );
  return file;
}

describe("certaudit --live", () => {
  it("records the chain the server sent and the client CA names it announced, and audits the chain (serverTrusted decided)", async () => {
    const s = await startSServer(join(FIX, "intermediate"), NOW);
    servers.push(s);
    const r = await runNode(BIN, ["--live", "--format", "json", kubeconfigOn("intermediate", s.port)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [entry] = JSON.parse(r.stdout);
    expect(entry.live.chainSource).toBe("tls1.2-certificate-message");
    expect(entry.live.presentedChain.map((c: { subject: string }) => c.subject)).toEqual([
      "CN=kube-apiserver",
      "CN=kubernetes-intermediate-ca",
    ]);
    expect(entry.live.acceptableClientCANames).toEqual(["CN=kubernetes-root-ca"]);
    expect(entry.live.handshake.ok).toBe(true);
    expect(entry.live.handshake.nodeAuthorized).toBe(true);
    expect(entry.live.handshake.httpStatus).toBe(200);
    expect(entry.report.input.parts).toContain("serverCertificates");
    expect(entry.live.contexts).toEqual(["jane@intermediate"]);
    expect(entry.report.contexts[0].serverTrusted).toBe(true);
  });

  it("after a CA rotation the presented chain makes serverTrusted false; the table shows the live section", async () => {
    const s = await startSServer(join(FIX, "rotated-ca"), NOW);
    servers.push(s);
    const file = kubeconfigOn("rotated-ca", s.port);
    const json = await runNode(BIN, ["--live", "--format", "json", file]);
    expect(json.code).toBe(1);
    const [entry] = JSON.parse(json.stdout);
    expect(entry.report.contexts[0].serverTrusted).toBe(false);
    expect(entry.live.handshake.nodeAuthorized).toBe(false);
    const table = await runNode(BIN, ["--live", file]);
    expect(table.stdout).toMatch(/Live \(context .* -> https:\/\/127\.0\.0\.1:\d+\)/);
    expect(table.stdout).toContain("acceptable client CA names (CertificateRequest):");
    expect(table.stdout).toContain("    - CN=kubernetes");
  });

  it("--context audits only that context; without it each server (host, port, tls-server-name) is probed once; an unknown context is exit 2", async () => {
    const s = await startSServer(join(FIX, "san-mismatch"), NOW);
    servers.push(s);
    const file = kubeconfigOn("san-mismatch", s.port);
    const ok = await runNode(BIN, ["--live", "--context", "jane@san-mismatch-tls-server-name", "--format", "json", file]);
    const [entry] = JSON.parse(ok.stdout);
    expect(entry.live.context).toBe("jane@san-mismatch-tls-server-name");
    // kubectl --context uses that context alone: the report holds it and nothing else.
    expect(entry.report.contexts.map((c: { name: string }) => c.name)).toEqual(["jane@san-mismatch-tls-server-name"]);
    expect(entry.report.contexts[0].serverTrusted).toBe(true);
    expect(entry.report.contexts[0].current).toBe(true);

    // Same host and port, but one cluster verifies the name "kubernetes" (tls-server-name): two
    // servers as far as the verdict goes, each probed with its own SNI, each deciding its context.
    const all = await runNode(BIN, ["--live", "--format", "json", file]);
    const [both] = JSON.parse(all.stdout);
    expect(both.probes.map((p: { contexts: string[] }) => p.contexts).sort()).toEqual([
      ["jane@san-mismatch"],
      ["jane@san-mismatch-tls-server-name"],
    ]);
    const trusted = Object.fromEntries(
      both.report.contexts.map((c: { name: string; serverTrusted: boolean | null }) => [c.name, c.serverTrusted]),
    );
    expect(trusted).toEqual({ "jane@san-mismatch": false, "jane@san-mismatch-tls-server-name": true });

    const bad = await runNode(BIN, ["--live", "--context", "nope", file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^certaudit: error \[input\.bad-option\]: .*no context named "nope"/);
  });

  it("a probed chain decides only the contexts that use that server; an unreachable server is named and its contexts stay open", async () => {
    const a = await startSServer(join(FIX, "intermediate"), NOW);
    const b = await startSServer(join(FIX, "rotated-ca"), NOW);
    servers.push(a, b);
    const docA = parseYaml(readFileSync(kubeconfigOn("intermediate", a.port), "utf8"));
    const docB = parseYaml(readFileSync(kubeconfigOn("rotated-ca", b.port), "utf8"));
    const cluster = (d: any, name: string, server?: string) => ({
      name,
      cluster: { ...d.clusters[0].cluster, ...(server ? { server } : {}) },
    });
    const kc = {
      apiVersion: "v1",
      kind: "Config",
      "current-context": "b",
      clusters: [cluster(docA, "ca"), cluster(docB, "cb"), cluster(docA, "cc", "https://127.0.0.1:9")],
      users: [
        { name: "ua", user: docA.users[0].user },
        { name: "ub", user: docB.users[0].user },
      ],
      contexts: [
        { name: "a", context: { cluster: "ca", user: "ua" } },
        { name: "a2", context: { cluster: "ca", user: "ub" } },
        { name: "b", context: { cluster: "cb", user: "ub" } },
        { name: "c", context: { cluster: "cc", user: "ua" } },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), "certaudit-live-"));
    tmps.push(dir);
    writeFileSync(join(dir, "config"), stringifyYaml(kc));
    const r = await runNode(BIN, ["--live", "--format", "json", join(dir, "config")]);
    // The unreachable server is named with its cause; the others are still audited.
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[cli\.live-no-chain\]: .*https:\/\/127\.0\.0\.1:9 \(contexts c\): .*ECONNREFUSED/);
    expect(r.stderr).not.toMatch(/ECONNREFUSED: connect ECONNREFUSED/);
    const [entry] = JSON.parse(r.stdout);
    // One probe per server; the current context's server first.
    expect(entry.probes.map((p: { contexts: string[] }) => p.contexts)).toEqual([["b"], ["a", "a2"], ["c"]]);
    const v = Object.fromEntries(
      entry.report.contexts.map((c: { name: string; serverTrusted: boolean | null }) => [c.name, c.serverTrusted]),
    );
    // a/a2: the intermediate server's chain against its own CA (true); b: the rotated server
    // against the old CA (false, as in the single-server test); c: nothing seen, left open.
    expect(v).toEqual({ a: true, a2: true, b: false, c: null });
    const open = entry.report.contexts.find((c: { name: string }) => c.name === "c").openQuestions;
    expect(open.map((q: { question: string }) => q.question)).toContain("serverTrusted");
  });

  it("a TLS 1.3-only server: Node's peer chain, and the CA names are said to be unavailable", async () => {
    const s = await startSServer(join(FIX, "intermediate"), NOW, ["-tls1_3"]);
    servers.push(s);
    const r = await runNode(BIN, ["--live", "--format", "json", kubeconfigOn("intermediate", s.port)]);
    expect(r.code).toBe(0);
    const [entry] = JSON.parse(r.stdout);
    expect(entry.live.chainSource).toBe("node-peer-certificate");
    expect(entry.live.presentedChain[0].subject).toBe("CN=kube-apiserver");
    expect(entry.live.acceptableClientCANames).toBeNull();
    expect(entry.live.notes.join(" ")).toMatch(/refused TLS 1\.2.*Node's peer chain/);
    expect(entry.live.notes.join(" ")).toMatch(
      /acceptable client CA names unavailable: Node's TLS API does not expose the CertificateRequest/,
    );
    expect(entry.live.handshake.protocol).toBe("TLSv1.3");
    expect(entry.report.contexts[0].serverTrusted).toBe(true);
  });

  it("a server that cannot be reached is exit 2 with the reason", async () => {
    const file = kubeconfigOn("e2e-users", 9);
    const r = await runNode(BIN, ["--live", "--format", "json", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^certaudit: error \[cli\.live-no-chain\]: .*ECONNREFUSED/);
    const [entry] = JSON.parse(r.stdout);
    expect(entry.report).toBeUndefined();
    expect(entry.live.handshake.ok).toBe(false);
    expect(entry.live.notes.join(" ")).toMatch(/acceptable client CA names unavailable/);
  });

  it("a server presenting a certificate from a different CA of the same name: untrusted, and no cert.outlives-issuer between the two unrelated certificates", async () => {
    // The kubeconfig's CN=kubernetes ends 2026-09-01; the server's certificate, from another
    // CN=kubernetes, ends 2027-06-01. Only the CA whose key verifies a signature is its issuer
    // (RFC 5280 6.1.3 (a)(1); Go x509 CheckSignatureFrom), so there is no issuer to outlive.
    const oldCa = await issue({ subject: "CN=kubernetes", ca: true, notAfter: new Date("2026-09-01T00:00:00Z") });
    const newCa = await issue({ subject: "CN=kubernetes", ca: true, notAfter: new Date("2036-01-01T00:00:00Z") });
    const leaf = await issue({
      subject: "CN=kube-apiserver",
      issuer: newCa,
      eku: ["1.3.6.1.5.5.7.3.1"],
      sans: [{ type: "ip", value: "127.0.0.1" }],
      notAfter: new Date("2027-06-01T00:00:00Z"),
    });
    const s = await startSServerPem({
      serverCertPem: leaf.pem + newCa.pem,
      serverKeyPem: leaf.keyPem,
      clientCaPem: oldCa.pem,
      attime: new Date("2026-06-01T00:00:00Z"),
    });
    servers.push(s);
    const dir = mkdtempSync(join(tmpdir(), "certaudit-live-"));
    tmps.push(dir);
    writeFileSync(join(dir, "ca.crt"), oldCa.pem);
    writeFileSync(
      join(dir, "config"),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:${s.port}\n    certificate-authority: ca.crt\ncontexts:\n- name: ctx\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: t}\ncurrent-context: ctx\n`,
    );
    const r = await runNode(BIN, ["--live", "--format", "json", "--at", "2026-06-01T00:00:00Z", join(dir, "config")]);
    const [entry] = JSON.parse(r.stdout);
    expect(entry.live.presentedChain.map((c: { subject: string }) => c.subject)).toEqual(["CN=kube-apiserver", "CN=kubernetes"]);
    expect(entry.report.contexts[0].serverTrusted).toBe(false);
    expect(entry.report.findings.map((f: { code: string }) => f.code)).not.toContain("cert.outlives-issuer");
  });

  it("more than 20 distinct servers: 20 probed, each unreachable one named with its cause, the rest named as not probed", async () => {
    const ports: number[] = [];
    // Distinct ports: freePort can hand out the same free port twice, which would make 21 servers.
    while (ports.length < 22) {
      const p = await freePort();
      if (!ports.includes(p)) ports.push(p);
    }
    const ctx = ports.map((_, i) => `- name: c${i}\n  context: {cluster: k${i}, user: u}\n`).join("");
    const cl = ports
      .map((p, i) => `- name: k${i}\n  cluster: {server: "https://127.0.0.1:${p}", insecure-skip-tls-verify: true}\n`)
      .join("");
    const dir = mkdtempSync(join(tmpdir(), "certaudit-live-"));
    tmps.push(dir);
    writeFileSync(
      join(dir, "config"),
      `apiVersion: v1\nkind: Config\nclusters:\n${cl}contexts:\n${ctx}users:\n- name: u\n  user: {token: t}\ncurrent-context: c0\n`,
    );
    const r = await runNode(BIN, ["--live", "--format", "json", join(dir, "config")]);
    expect(r.code).toBe(2);
    const [entry] = JSON.parse(r.stdout);
    expect(entry.problem.code).toBe("cli.live-no-chain");
    expect(entry.probes).toHaveLength(20);
    expect(r.stderr.match(/\[cli\.live-no-chain\]: .*ECONNREFUSED/g)).toHaveLength(20);
    expect(r.stderr.match(/was not probed: more than 20 distinct servers/g)).toHaveLength(2);
  });
});
