// `certaudit DIR --endpoint URL`: the upload holds no private key, only the SHA-256 of each
// key's public half, and the service (the Worker's Hono app, in-process) still finds each key
// pair held or broken as the local audit does. What a key pair is comes from openssl: the
// fingerprint of `openssl pkey -pubout -outform DER | sha256`, computed here by openssl.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTree } from "../../src/cli/cluster.ts";
import { runCli } from "./helpers/in-process-cli.ts";
import { controlPlaneReport } from "../../src/core/cluster/index.ts";
import { KUBEADM_DIR } from "../core/helpers/kubeadm-tree.ts";
import { needTool } from "./helpers/tools.ts";

const AT = "2026-11-01T00:00:00Z";
const KEYS = ["pki/ca.key", "pki/apiserver.key", "pki/sa.key", "pki/etcd/ca.key", "pki/etcd/server.key", "pki/front-proxy-client.key"];

async function run(args: string[]) {
  const r = await runCli(args);
  return { ...r, sent: r.requests.map((q) => q.body as FormData) };
}

async function bodyText(form: FormData): Promise<string> {
  return new Response(form).text();
}

// `from` names where the key came from (client-key-data here, client-key-pubsha256 in the upload): compare the rest.
const pairEdges = (json: any) =>
  json.cluster.edges
    .filter((e: any) => e.relation === "key-pair" || e.relation === "service-account")
    .map((e: any) => `${e.from.replace("client-key-pubsha256", "client-key-data")} → ${e.to} ${e.verdict}`);

/** openssl's SHA-256 of the DER public key of a private key file. */
function opensslPubSha256(file: string): string {
  const der = execFileSync("openssl", ["pkey", "-in", file, "-pubout", "-outform", "DER"]);
  return execFileSync("openssl", ["dgst", "-sha256", "-r"], { input: der }).toString().split(" ")[0]!;
}

describe("certaudit DIR --endpoint: keys stay on the machine", () => {
  for (const variant of ["base", "sa-mismatch"]) {
    it(`${variant}: no key bytes in the upload; the key-pair and service-account edges as locally`, async (ctx) => {
      needTool(ctx, "openssl");
      const dir = join(KUBEADM_DIR, variant);
      const remote = await run([dir, "--endpoint", "http://certaudit.test", "--at", AT, "--format", "json"]);
      const local = await run([dir, "--at", AT, "--format", "json"]);
      expect(remote.err).toBe("");
      const body = await bodyText(remote.sent[0]!);
      expect(body).not.toMatch(/PRIVATE KEY/);
      expect(body).not.toContain("client-key-data");
      for (const k of KEYS) {
        const pem = readFileSync(join(dir, k), "utf8");
        // No line of the key's base64 body, and not its DER bytes either.
        for (const line of pem.split("\n").filter((l) => l && !l.startsWith("-----"))) expect(body).not.toContain(line);
        expect(body).toContain(`filename="${k}.pubsha256"`);
        expect(body).toContain(opensslPubSha256(join(dir, k)));
      }
      const r = JSON.parse(remote.out);
      const l = JSON.parse(local.out);
      expect(remote.code).toBe(local.code);
      expect(pairEdges(r)).toEqual(pairEdges(l));
      expect(r.cluster.edges.map((e: any) => e.verdict)).toEqual(l.cluster.edges.map((e: any) => e.verdict));
      const sa = r.cluster.edges.filter((e: any) => e.relation === "service-account");
      expect(sa.length).toBeGreaterThan(0);
      // sa-mismatch: sa.pub is another key's public half (make.sh); openssl agrees they differ.
      const saPub = execFileSync("openssl", ["pkey", "-pubin", "-in", join(dir, "pki/sa.pub"), "-outform", "DER"]);
      const saPubSha = execFileSync("openssl", ["dgst", "-sha256", "-r"], { input: saPub }).toString().split(" ")[0];
      const same = saPubSha === opensslPubSha256(join(dir, "pki/sa.key"));
      expect(sa.every((e: any) => e.verdict === (same ? "holds" : "broken"))).toBe(true);
      expect(same).toBe(variant === "base");
    });
  }

  it("a key file swapped for another key: the key-pair edge breaks remotely as locally", async (ctx) => {
    needTool(ctx, "openssl");
    const dir = mkdtempSync(join(tmpdir(), "certaudit-swap-"));
    cpSync(join(KUBEADM_DIR, "base"), dir, { recursive: true });
    cpSync(join(dir, "pki/etcd/server.key"), join(dir, "pki/apiserver.key"));
    const remote = JSON.parse((await run([dir, "--endpoint", "http://certaudit.test", "--at", AT, "--format", "json"])).out);
    const local = JSON.parse((await run([dir, "--at", AT, "--format", "json"])).out);
    const broken = (j: any) =>
      j.cluster.edges.filter((e: any) => e.relation === "key-pair" && e.verdict === "broken").map((e: any) => e.to);
    expect(broken(remote)).toEqual(["kube-apiserver --tls-cert-file"]);
    expect(broken(remote)).toEqual(broken(local));
    expect(remote.findings.map((f: any) => f.code)).toContain("cluster.key-mismatch");
  });

  // Undecided, not broken: nothing says the component's key is bad, only that the upload does not
  // tell which key it is (a broken key-pair edge says Go's X509KeyPair refuses the pair; cluster/key-pair.ts).
  it("a .pubsha256 that is not one SHA-256 in hex: the key file is unreadable and its key-pair edge undecided", async () => {
    const tree = readTree(join(KUBEADM_DIR, "base"));
    tree.delete("pki/apiserver.key");
    tree.set("pki/apiserver.key.pubsha256", new TextEncoder().encode("not-a-digest\n"));
    const r = await controlPlaneReport(tree, { at: new Date(AT), subtle: crypto.subtle });
    const edge = r.cluster!.edges.find((e) => e.relation === "key-pair" && e.to === "kube-apiserver --tls-cert-file");
    expect(edge?.verdict).toBe("unknown");
    expect(r.findings.some((f) => f.code === "cluster.file-unreadable" && f.message.includes("apiserver.key.pubsha256"))).toBe(true);
  });
  it("a .pubsha256 refusal line that is not one of Go's key errors is refused, and its text stays out of the report", async () => {
    const tree = readTree(join(KUBEADM_DIR, "base"));
    tree.delete("pki/apiserver.key");
    tree.set("pki/apiserver.key.pubsha256", new TextEncoder().encode("x509keypair: <b>anything the client likes</b>\n"));
    const r = await controlPlaneReport(tree, { at: new Date(AT), subtle: crypto.subtle });
    const edge = r.cluster!.edges.find((e) => e.relation === "key-pair" && e.to === "kube-apiserver --tls-cert-file");
    expect(edge?.verdict).toBe("unknown");
    expect(JSON.stringify(r)).not.toContain("anything the client likes");
    // Go's own error for an unparsable key (crypto/tls/tls.go parsePrivateKey) is taken, and breaks the edge.
    tree.set("pki/apiserver.key.pubsha256", new TextEncoder().encode("x509keypair: tls: failed to parse private key\n"));
    const g = await controlPlaneReport(tree, { at: new Date(AT), subtle: crypto.subtle });
    const e = g.cluster!.edges.find((e) => e.relation === "key-pair" && e.to === "kube-apiserver --tls-cert-file");
    expect(e?.verdict).toBe("broken");
    expect(e?.findings.map((f) => f.code)).toEqual(["cluster.key-pair-unloadable"]);
  });
});
