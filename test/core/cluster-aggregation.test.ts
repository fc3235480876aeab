// APIServices and kube-root-ca.crt among Kubernetes objects (test/fixtures/k8s-objects/make.sh:
// aggregation, apiservice-ca-renewed, root-ca-stale). The expectations come from real tools fed the
// fields the yaml package takes from the fixture (not certaudit's reader):
// - each APIService with a spec.service: `openssl verify -attime -purpose sslserver -verify_hostname
//   <service>.<namespace>.svc -CAfile <caBundle> <tls.crt>` and Go's crypto/x509 (test/oracles/edges,
//   ExtKeyUsageServerAuth, DNSName = that host), the ServerName kube-aggregator sets
//   (k8s.io/kube-aggregator pkg/apiserver/handler_proxy.go proxyHandler.updateAPIService:
//   ServerName = spec.service.name + "." + spec.service.namespace + ".svc", Insecure =
//   spec.insecureSkipTLSVerify, CAData = spec.caBundle; spec.service == nil → local, no proxy);
// - each kube-root-ca.crt: `openssl x509 -noout -fingerprint -sha256` of its ca.crt, compared with
//   the fingerprint most namespaces carry.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { auditObjects } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { runGoOracle } from "./helpers/go-oracle.ts";

const DIR = fileURLToPath(new URL("../fixtures/k8s-objects/", import.meta.url));
const AT = new Date("2026-11-01T00:00:00Z");
const fixture = (variant: string) => readFileSync(join(DIR, variant, "objects.yaml"), "utf8");
const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

interface Item {
  kind: string;
  data?: Record<string, string>;
  metadata: { name: string; namespace?: string };
  spec?: { caBundle?: string; insecureSkipTLSVerify?: boolean; service?: { name: string; namespace: string } | null };
}
const items = (text: string) => (parse(text) as { items: Item[] }).items;

/** APIServices the aggregator proxies to with verification, each with its caBundle, the serving tls.crt (by SAN, from openssl) and host. */
function apiQuestions(text: string) {
  const all = items(text);
  const secrets = all.filter((i) => i.kind === "Secret" && i.data?.["tls.crt"]);
  return all
    .filter((i) => i.kind === "APIService" && i.spec?.service && !i.spec.insecureSkipTLSVerify && i.spec.caBundle)
    .map((i) => {
      const host = `${i.spec!.service!.name}.${i.spec!.service!.namespace}.svc`;
      const serving = secrets.filter((s) => opensslHasHost(b64(s.data!["tls.crt"]!), host));
      expect(serving).toHaveLength(1); // make.sh writes one serving Secret per Service
      return { name: i.metadata.name, caBundle: b64(i.spec!.caBundle!), tlsCrt: b64(serving[0]!.data!["tls.crt"]!), host };
    });
}

function tmpFile(content: string): { path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "k8s-agg-"));
  const path = join(dir, "f.pem");
  writeFileSync(path, content);
  return { path, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function opensslHasHost(pem: string, host: string): boolean {
  const f = tmpFile(pem);
  try {
    const r = spawnSync("openssl", ["x509", "-noout", "-checkhost", host, "-in", f.path], { encoding: "utf8" });
    return /does match/.test(r.stdout) && !/NOT match/.test(r.stdout);
  } finally {
    f.done();
  }
}

function opensslVerify(q: { caBundle: string; tlsCrt: string; host: string }): boolean {
  const ca = tmpFile(q.caBundle);
  const crt = tmpFile(q.tlsCrt);
  try {
    const args = ["verify", "-attime", String(AT.getTime() / 1000), "-purpose", "sslserver", "-verify_hostname", q.host];
    return spawnSync("openssl", [...args, "-CAfile", ca.path, crt.path], { encoding: "utf8" }).status === 0;
  } finally {
    ca.done();
    crt.done();
  }
}

function fingerprint(pem: string): string {
  const f = tmpFile(pem);
  try {
    return spawnSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256", "-in", f.path], { encoding: "utf8" }).stdout.trim();
  } finally {
    f.done();
  }
}

/** namespace → does its kube-root-ca.crt carry the fingerprint most namespaces carry (openssl's fingerprints). */
function rootCaVerdicts(text: string): Map<string, boolean> {
  const fps = items(text)
    .filter((i) => i.kind === "ConfigMap" && i.metadata.name === "kube-root-ca.crt")
    .map((i) => [i.metadata.namespace!, fingerprint(i.data!["ca.crt"]!)] as const);
  const count = (fp: string) => fps.filter(([, f]) => f === fp).length;
  const majority = fps.map(([, f]) => f).sort((a, b) => count(b) - count(a))[0];
  return new Map(fps.map(([ns, f]) => [ns, f === majority]));
}

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");

withOpenssl("APIService caBundles and kube-root-ca.crt, as openssl and Go decide", () => {
  it.each([
    ["aggregation", [true], [true, true, true]],
    ["apiservice-ca-renewed (caBundle from the old CA)", [false], [true, true, true]],
    ["root-ca-stale (one namespace keeps the old cluster CA)", [true], [true, true, false]],
  ])("%s", { timeout: 120_000 }, async (variant, apiTrusted, rootsSame) => {
    const text = fixture(variant.split(" ")[0]!);
    const qs = apiQuestions(text);
    const expected = new Map(qs.map((q) => [q.name, opensslVerify(q)]));
    expect([...expected.values()]).toEqual(apiTrusted); // the fixture is what make.sh says
    const go = runGoOracle<{ name: string; valid: boolean }[]>(
      "edges",
      qs.map((q) => ({ name: q.name, chain: [q.tlsCrt], roots: q.caBundle, usage: "server", host: q.host, at: AT.toISOString() })),
    );
    if (go) expect(new Map(go.map((a) => [a.name, a.valid]))).toEqual(expected);

    const { cluster } = await auditObjects(text, { at: AT, subtle: crypto.subtle });
    for (const [name, ok] of expected) {
      const edge = cluster.edges.find((e) => e.relation === "apiservice" && e.from === `APIService ${name}`)!;
      expect(edge.verdict).toBe(ok ? "holds" : "broken");
      expect(edge.findings.map((f) => f.code)).toEqual(ok ? [] : ["cluster.apiservice-cabundle-untrusted"]);
      // The repair: the caBundle to update when it no longer verifies; the Secret to replace before it expires.
      expect(edge.renew).toMatch(ok ? /^replace Secret demo\/demo-api-tls / : /^update APIService .*'s spec\.caBundle /);
    }
    // insecureSkipTLSVerify: nothing is verified, so the edge is not "holds"; a local APIService is no edge.
    const insecure = cluster.edges.find((e) => e.from === "APIService v1alpha1.insecure.demo.example.com")!;
    expect(insecure.verdict).toBe("unknown");
    expect(insecure.findings.map((f) => f.code)).toEqual(["cluster.apiservice-insecure"]);
    expect(cluster.edges.some((e) => e.from === "APIService v1.apps")).toBe(false);
    expect(cluster.assumptions).toContain(
      "1 local APIService(s) (no spec.service: served by kube-apiserver itself) are not trust edges and were not checked",
    );

    const roots = rootCaVerdicts(text);
    expect([...roots.values()]).toEqual(rootsSame); // default, kube-system, demo as make.sh writes them
    for (const [ns, same] of roots) {
      const edge = cluster.edges.find((e) => e.relation === "root-ca-configmap" && e.from === `ConfigMap ${ns}/kube-root-ca.crt`)!;
      expect(edge.verdict).toBe(same ? "holds" : "broken");
      expect(edge.findings.map((f) => f.code)).toEqual(same ? [] : ["cluster.root-ca-configmap-differs"]);
      if (!same) expect(edge.renew).toContain(`kubectl delete configmap -n ${ns} kube-root-ca.crt`);
    }
    // Whether the bundle is the cluster CA is not in the objects: said, not claimed.
    expect(cluster.assumptions.some((a) => a.startsWith("kube-root-ca.crt ConfigMaps were compared with each other only"))).toBe(true);
  });
});

withOpenssl("kube-root-ca.crt against the cluster CA given (--root-ca FILE)", () => {
  it.each([
    ["root-ca-stale", "cluster-ca.crt"],
    ["root-ca-stale", "cluster-ca-old.crt"],
    ["aggregation", "cluster-ca-old.crt"],
  ])("%s with %s", async (variant, caFile) => {
    const text = fixture(variant);
    const ca = readFileSync(join(DIR, "aggregation", caFile), "utf8");
    const want = fingerprint(ca);
    const { cluster } = await auditObjects(text, { at: AT, subtle: crypto.subtle, rootCa: new TextEncoder().encode(ca) });
    const configMaps = items(text).filter((i) => i.kind === "ConfigMap" && i.metadata.name === "kube-root-ca.crt");
    expect(configMaps).toHaveLength(3);
    for (const cm of configMaps) {
      const same = fingerprint(cm.data!["ca.crt"]!) === want;
      const edge = cluster.edges.find((e) => e.from === `ConfigMap ${cm.metadata.namespace}/kube-root-ca.crt`)!;
      expect(edge.to).toBe("the cluster CA given");
      expect(edge.verdict).toBe(same ? "holds" : "broken");
      expect(edge.findings.map((f) => f.code)).toEqual(same ? [] : ["cluster.root-ca-configmap-differs"]);
    }
    // The question is answered: no assumption that it was left open.
    expect(cluster.assumptions.some((a) => a.startsWith("kube-root-ca.crt ConfigMaps were compared with each other only"))).toBe(false);
  });
});

it("the webhook Secret cert-manager manages renews with cmctl (cert-manager docs: cmctl renew -n <namespace> <certificate>)", async () => {
  const { cluster } = await auditObjects(fixture("base"), { at: AT, subtle: crypto.subtle });
  expect(cluster.renewals.map((r) => r.command)).toContain(
    "cmctl renew -n demo demo-webhook-cert (cert-manager re-issues Secret demo/demo-webhook-tls)",
  );
  const renewed = await auditObjects(fixture("ca-renewed"), { at: AT, subtle: crypto.subtle });
  const hook = renewed.cluster.edges.find((e) => e.from.endsWith("webhook mutate.demo.example.com"))!;
  // Annotated with cert-manager.io/inject-ca-from: cainjector writes the caBundle.
  expect(hook.renew).toMatch(/^cert-manager's cainjector writes .* from Certificate demo\/demo-webhook-cert/);
});

it("extension-apiserver-authentication: a front-proxy CA that is the client CA is a finding", async () => {
  const text = fixture("aggregation");
  const list = parse(text) as { items: Item[] };
  const auth = list.items.find((i) => i.metadata.name === "extension-apiserver-authentication")!;
  const codes = async (t: string) => (await auditObjects(t, { at: AT, subtle: crypto.subtle })).cluster.findings.map((f) => f.code);
  expect(await codes(text)).not.toContain("cluster.front-proxy-ca-is-client-ca");
  auth.data!["requestheader-client-ca-file"] = auth.data!["client-ca-file"]!;
  expect(await codes(stringify(list))).toContain("cluster.front-proxy-ca-is-client-ca");
});
