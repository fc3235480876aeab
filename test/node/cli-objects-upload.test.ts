// `certaudit objects.yaml --endpoint URL` (and `-`): the objects go to the service (the Worker's
// Hono app, in-process; the test captures the exact body it receives) with no secret in them:
// every tls.key replaced by the SHA-256 of its public key, as openssl computes it
// (`openssl pkey -pubout -outform DER | openssl dgst -sha256`), every other Secret value that is
// not a certificate dropped, and kubectl's last-applied-configuration annotation gone. The service
// matches keys by fingerprint, so the edges, findings and renewal plan are those of the local audit.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runCli } from "./helpers/in-process-cli.ts";
import { FIX } from "../cli/helpers.ts";
import { needTool } from "./helpers/tools.ts";

const AT = "2026-11-01T00:00:00Z";
const file = (variant: string) => join(FIX, "k8s-objects", variant, "objects.yaml");

async function run(args: string[], stdin = new Uint8Array()) {
  const r = await runCli(args, stdin);
  return { ...r, bodies: r.requests.map((q) => q.text), types: r.requests.map((q) => q.type) };
}

interface Item {
  kind: string;
  type?: string;
  data?: Record<string, string>;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
}
const items = (yaml: string) => (parse(yaml) as { items: Item[] }).items;
const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

function opensslPubSha256(pem: string): string {
  const der = execFileSync("openssl", ["pkey", "-pubout", "-outform", "DER"], { input: pem });
  return execFileSync("openssl", ["dgst", "-sha256", "-r"], { input: der }).toString().split(" ")[0]!;
}

/** Every Secret value that must not leave: private keys (and each base64 line of them), tokens, passwords, registry auth. */
function secretValues(yaml: string): string[] {
  const out: string[] = [];
  for (const i of items(yaml).filter((i) => i.kind === "Secret")) {
    for (const [k, v] of Object.entries(i.data ?? {})) {
      const text = unb64(v);
      if (/-----BEGIN CERTIFICATE-----/.test(text) && !/PRIVATE KEY/.test(text)) continue;
      out.push(v);
      if (text.length >= 8) out.push(text); // not the namespace "demo" of a token Secret: that name is everywhere
      if (/PRIVATE KEY/.test(text)) out.push(...text.split("\n").filter((l: string) => l && !l.startsWith("-----")));
      expect(k).not.toBe("tls.crt");
    }
    const applied = i.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"];
    if (applied) out.push(applied.trim());
  }
  return out;
}

/** What the edges say, without the file names (tls.key is tls.key.pubsha256 in the upload). */
const edges = (report: any) =>
  report.cluster.edges.map((e: any) => ({ ...e, findings: e.findings.map((f: any) => [f.code, f.message, f.severity]) }));
const summary = (report: any) => ({
  edges: edges(report),
  renewals: report.cluster.renewals,
  assumptions: report.cluster.assumptions,
  firstBreak: report.cluster.firstBreak,
  findings: report.findings.map((f: any) => [f.code, f.message]),
  verdict: report.verdict,
  certificates: report.certificates.map((c: any) => c.id),
});

describe("certaudit objects --endpoint: no secret leaves the machine", () => {
  for (const variant of ["base", "ca-renewed", "aggregation", "apiservice-ca-renewed", "root-ca-stale"]) {
    it(`${variant}: the body holds no secret, and the report equals the local one`, async (ctx) => {
      needTool(ctx, "openssl");
      const yaml = readFileSync(file(variant), "utf8");
      const remote = await run([file(variant), "--endpoint", "http://certaudit.test", "--at", AT, "--format", "json"]);
      const local = await run([file(variant), "--at", AT, "--format", "json"]);
      expect(remote.bodies).toHaveLength(1);
      expect(local.bodies).toHaveLength(0);
      const body = remote.bodies[0]!;
      expect(remote.types[0]).toBe("application/json");
      const secrets = secretValues(yaml);
      expect(secrets.length).toBeGreaterThan(20); // the key lines at least (and the aggregation fixture's password, token, registry auth)
      for (const s of secrets) expect(body.includes(s), `the body holds ${s.slice(0, 30)}...`).toBe(false);
      expect(body).not.toMatch(/PRIVATE KEY|last-applied-configuration|hunter2|pw-test-only|test-only-token/);
      // In place of each tls.key: openssl's SHA-256 of its public key.
      const sent = (JSON.parse(body) as { items: Item[] }).items;
      for (const s of items(yaml).filter((i) => i.data?.["tls.key"])) {
        const up = sent.find((i) => i.kind === "Secret" && i.metadata.name === s.metadata.name)!;
        expect(Object.keys(up.data!).sort()).toEqual(
          Object.keys(s.data!)
            .map((k) => (k === "tls.key" ? "tls.key.pubsha256" : k))
            .sort(),
        );
        expect(unb64(up.data!["tls.key.pubsha256"]!).trim()).toBe(opensslPubSha256(unb64(s.data!["tls.key"]!)));
        expect(up.data!["tls.crt"]).toBe(s.data!["tls.crt"]);
      }
      expect(remote.code).toBe(local.code);
      const r = JSON.parse(remote.out);
      const l = JSON.parse(local.out);
      expect(summary(r)).toEqual(summary(l));
      expect(r.findings.map((f: any) => f.code)).not.toContain("input.private-key-uploaded");
      expect(remote.err).toMatch(/sent without its secrets: \d+ private key\(s\) as their public key's SHA-256/);
    });
  }

  it("from standard input, and with a tls.key swapped for another key: the key-pair edge breaks remotely as locally", async (ctx) => {
    needTool(ctx, "openssl");
    const list = parse(readFileSync(file("aggregation"), "utf8")) as { items: Item[] };
    const api = list.items.find((i) => i.metadata.name === "demo-api-tls")!;
    const other = items(readFileSync(file("apiservice-ca-renewed"), "utf8")).find((i) => i.metadata.name === "demo-api-tls")!;
    api.data!["tls.key"] = other.data!["tls.key"]!;
    const stdin = new TextEncoder().encode(stringify(list));
    const remote = await run(["-", "--endpoint", "http://certaudit.test", "--at", AT, "--format", "json"], stdin);
    const local = await run(["-", "--at", AT, "--format", "json"], stdin);
    const pairs = (out: string) =>
      JSON.parse(out)
        .cluster.edges.filter((e: any) => e.relation === "key-pair")
        .map((e: any) => `${e.from} ${e.verdict}`);
    expect(pairs(remote.out)).toEqual(["Secret demo/demo-api-tls tls.key broken"]);
    expect(pairs(remote.out)).toEqual(pairs(local.out));
    expect(remote.bodies[0]).toContain(Buffer.from(`${opensslPubSha256(unb64(other.data!["tls.key"]!))}\n`).toString("base64"));
  });

  it("kubectl get -o json on standard input: the same report as the YAML, locally and remotely", async () => {
    const json = JSON.stringify(parse(readFileSync(file("aggregation"), "utf8")), null, 4);
    const stdin = new TextEncoder().encode(json);
    const fromYaml = JSON.parse((await run([file("aggregation"), "--at", AT, "--format", "json"])).out);
    const local = JSON.parse((await run(["-", "--at", AT, "--format", "json"], stdin)).out);
    const remote = JSON.parse((await run(["-", "--endpoint", "http://certaudit.test", "--at", AT, "--format", "json"], stdin)).out);
    expect(summary(local)).toEqual(summary(fromYaml));
    expect(summary(remote)).toEqual(summary(fromYaml));
  });

  it("a tls.crt with text around its certificate: the certificate goes, the text does not", async () => {
    const list = parse(readFileSync(file("base"), "utf8")) as { items: Item[] };
    const secret = list.items.find((i) => i.kind === "Secret")!;
    secret.data!["tls.crt"] = Buffer.from(`note: db password is s3cr3t-note\n${unb64(secret.data!["tls.crt"]!)}`).toString("base64");
    const stdin = new TextEncoder().encode(stringify(list));
    const remote = await run(["-", "--endpoint", "http://certaudit.test", "--at", AT, "--format", "json"], stdin);
    const local = await run(["-", "--at", AT, "--format", "json"], stdin);
    expect(remote.bodies[0]).not.toContain(Buffer.from("note: db password").toString("base64").slice(0, 16));
    const sent = (JSON.parse(remote.bodies[0]!) as { items: Item[] }).items.find((i) => i.kind === "Secret")!;
    expect(unb64(sent.data!["tls.crt"]!)).not.toContain("s3cr3t-note");
    expect(unb64(sent.data!["tls.crt"]!)).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(summary(JSON.parse(remote.out)).edges).toEqual(summary(JSON.parse(local.out)).edges);
  });

  it("--root-ca FILE: kube-root-ca.crt against the cluster CA, locally and through the service (multipart file + rootCA)", async () => {
    const ca = join(FIX, "k8s-objects", "aggregation", "cluster-ca-old.crt");
    const args = [file("root-ca-stale"), "--root-ca", ca, "--at", AT, "--format", "json"];
    const local = await run(args);
    const remote = await run([...args, "--endpoint", "http://certaudit.test"]);
    expect(remote.bodies[0]).toContain('name="rootCA"');
    expect(remote.bodies[0]).not.toMatch(/PRIVATE KEY/);
    const roots = (out: string) =>
      JSON.parse(out)
        .cluster.edges.filter((e: any) => e.relation === "root-ca-configmap")
        .map((e: any) => `${e.from} → ${e.to} ${e.verdict}`);
    // make.sh: only demo's kube-root-ca.crt still holds the old CA (cross-checked with openssl in test/core/cluster-aggregation.test.ts).
    expect(roots(local.out).sort()).toEqual([
      "ConfigMap default/kube-root-ca.crt → the cluster CA given broken",
      "ConfigMap demo/kube-root-ca.crt → the cluster CA given holds",
      "ConfigMap kube-system/kube-root-ca.crt → the cluster CA given broken",
    ]);
    expect(summary(JSON.parse(remote.out))).toEqual(summary(JSON.parse(local.out)));
    const misuse = await run([join(FIX, "e2e-users/kubeconfig.yaml"), "--root-ca", ca]);
    expect(misuse.code).toBe(2);
    expect(misuse.err).toContain("--root-ca goes with Kubernetes objects");
  });

  it("--root-ca KUBECONFIG: the CA of its current context's cluster (kubectl config set-cluster, embedded or a file beside it)", async (ctx) => {
    needTool(ctx, "kubectl");
    const dir = mkdtempSync(join(tmpdir(), "certaudit-rootca-"));
    copyFileSync(join(FIX, "k8s-objects", "aggregation", "cluster-ca.crt"), join(dir, "ca.crt"));
    const kubectl = (kc: string, ...args: string[]) =>
      execFileSync("kubectl", ["config", "--kubeconfig", join(dir, kc), ...args], { cwd: dir, stdio: "pipe" });
    for (const [kc, embed] of [
      ["embedded.conf", ["--embed-certs=true"]],
      ["file.conf", []],
    ] as const) {
      kubectl(kc, "set-cluster", "c", "--server=https://10.0.0.1:6443", "--certificate-authority=ca.crt", ...embed);
      kubectl(kc, "set-context", "x", "--cluster=c");
      kubectl(kc, "use-context", "x");
    }
    expect(readFileSync(join(dir, "embedded.conf"), "utf8")).toContain("certificate-authority-data:");
    expect(readFileSync(join(dir, "file.conf"), "utf8")).not.toContain("certificate-authority-data:");
    for (const kc of ["embedded.conf", "file.conf"]) {
      const r = await run([file("root-ca-stale"), "--root-ca", join(dir, kc), "--at", AT, "--format", "json"]);
      expect(r.err).toContain("--root-ca: the cluster CA of");
      const roots = JSON.parse(r.out)
        .cluster.edges.filter((e: any) => e.relation === "root-ca-configmap")
        .map((e: any) => `${e.from} ${e.verdict}`)
        .sort();
      // make.sh: demo keeps the old cluster CA; ca.crt is the current one (openssl fingerprints in test/core).
      expect(roots).toEqual([
        "ConfigMap default/kube-root-ca.crt holds",
        "ConfigMap demo/kube-root-ca.crt broken",
        "ConfigMap kube-system/kube-root-ca.crt holds",
      ]);
    }
  });

  it("--send-secrets uploads the objects as they are, and the service says a key was uploaded", async () => {
    const yaml = readFileSync(file("base"), "utf8");
    const r = await run([file("base"), "--endpoint", "http://certaudit.test", "--send-secrets", "--at", AT, "--format", "json"]);
    expect(r.bodies[0]).toBe(yaml);
    expect(r.types[0]).toBe("application/yaml");
    expect(JSON.parse(r.out).findings.map((f: any) => f.code)).toContain("input.private-key-uploaded");
    expect(r.out).not.toMatch(/PRIVATE KEY/);
  });
});
