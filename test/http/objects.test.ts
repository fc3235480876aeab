// Kubernetes objects posted to /v1/audit inside workerd (SELF is the Worker): the output of
// `kubectl get secrets,configmaps,validatingwebhookconfigurations,mutatingwebhookconfigurations,
// apiservices -A -o yaml` (a List), the same as a YAML stream and as `-o json`. Which edges hold
// in each fixture of test/fixtures/k8s-objects/make.sh is established by openssl verify and Go's
// crypto/x509 in test/core/cluster-objects.test.ts; the same verdicts must come over HTTP. The
// report must never echo a private key that a Secret brought, and bad input is a 4xx, never a 500.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import aggregation from "../fixtures/k8s-objects/aggregation/objects.yaml?raw";
import clusterCa from "../fixtures/k8s-objects/aggregation/cluster-ca.crt?raw";
import apiRenewed from "../fixtures/k8s-objects/apiservice-ca-renewed/objects.yaml?raw";
import base from "../fixtures/k8s-objects/base/objects.yaml?raw";
import caRenewed from "../fixtures/k8s-objects/ca-renewed/objects.yaml?raw";
import rootStale from "../fixtures/k8s-objects/root-ca-stale/objects.yaml?raw";

const AT = "2026-11-01T00:00:00Z";
const post = (body: BodyInit, type: string) =>
  SELF.fetch(`http://certaudit.test/v1/audit?at=${AT}`, { method: "POST", body, headers: { "content-type": type } });

interface Edge {
  from: string;
  relation: string;
  verdict: string;
  findings: { code: string }[];
}
const verdicts = (r: any, relation: string) =>
  (r.cluster.edges as Edge[])
    .filter((e) => e.relation === relation)
    .map((e) => `${e.from} ${e.verdict}`)
    .sort();

async function report(body: string, type = "application/yaml") {
  const res = await post(body, type);
  expect(res.status).toBe(200);
  const r = (await res.json()) as any;
  expect(r.input.kind).toBe("objects");
  expect(r.cluster.layout).toBe("objects");
  return r;
}

/** Every base64 line of every private key the objects carry, and the tls.key values themselves. */
function keyMaterial(yaml: string): string[] {
  const out: string[] = [];
  for (const item of (parse(yaml) as { items: any[] }).items) {
    for (const [k, v] of Object.entries((item.data ?? {}) as Record<string, string>)) {
      const pem = item.kind === "Secret" ? atob(v) : v;
      if (!/PRIVATE KEY/.test(pem)) continue;
      out.push(v, ...pem.split("\n").filter((l) => l && !l.startsWith("-----")));
      expect(k).toBe("tls.key");
    }
  }
  return out;
}

describe("POST /v1/audit with Kubernetes objects", () => {
  it.each([
    ["base", base, ["holds", "holds"]],
    ["ca-renewed (the caBundles predate the CA renewal)", caRenewed, ["broken", "broken"]],
  ])("%s: webhook edges as openssl and Go decide", async (_n, yaml, expected) => {
    const r = await report(yaml);
    expect(verdicts(r, "webhook").map((v) => v.split(" ").pop())).toEqual(expected);
  });

  it.each([
    ["aggregation", aggregation, "holds", ["holds", "holds", "holds"]],
    ["apiservice-ca-renewed (caBundle from the old CA)", apiRenewed, "broken", ["holds", "holds", "holds"]],
    ["root-ca-stale (demo's kube-root-ca.crt is the old CA)", rootStale, "holds", ["holds", "broken", "holds"]],
  ])("%s: APIService and kube-root-ca.crt edges", async (_n, yaml, api, roots) => {
    const r = await report(yaml);
    const apis = verdicts(r, "apiservice");
    expect(apis).toEqual([`APIService v1alpha1.insecure.demo.example.com unknown`, `APIService v1beta1.metrics.demo.example.com ${api}`]);
    expect(verdicts(r, "root-ca-configmap").map((v) => v.split(" ").pop())).toEqual(roots); // default, demo, kube-system
    expect(r.findings.map((f: any) => f.code)).toContain("cluster.apiservice-insecure");
    expect(r.cluster.assumptions.some((a: string) => a.includes("1 local APIService"))).toBe(true);
  });

  it("the same objects as a YAML stream and as kubectl's JSON give the same edges", async () => {
    const items = (parse(aggregation) as { items: unknown[] }).items;
    const stream = items.map((i) => `---\n${stringify(i, { lineWidth: 0 })}`).join("");
    const json = JSON.stringify({ apiVersion: "v1", kind: "List", items, metadata: { resourceVersion: "" } }, null, 4);
    const edges = (r: any) => r.cluster.edges.map((e: any) => ({ ...e }));
    const fromYaml = edges(await report(aggregation));
    expect(edges(await report(stream))).toEqual(fromYaml);
    expect(edges(await report(json, "application/json"))).toEqual(fromYaml);
    // curl --data-binary sends application/x-www-form-urlencoded; a multipart file field too.
    expect(edges(await report(json, "application/x-www-form-urlencoded"))).toEqual(fromYaml);
    const form = new FormData();
    form.set("file", new Blob([aggregation]), "objects.yaml");
    const res = await SELF.fetch(`http://certaudit.test/v1/audit?at=${AT}`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(edges(await res.json())).toEqual(fromYaml);
  });

  it("a rootCA part beside the objects: kube-root-ca.crt against that cluster CA; without objects it is a 400", async () => {
    const form = new FormData();
    form.set("file", new Blob([rootStale]), "objects.yaml");
    form.set("rootCA", new Blob([clusterCa]), "ca.crt");
    const res = await SELF.fetch(`http://certaudit.test/v1/audit?at=${AT}`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    const r = (await res.json()) as any;
    // make.sh: demo's kube-root-ca.crt is the old CA, the others the cluster CA (openssl fingerprints in test/core).
    expect(verdicts(r, "root-ca-configmap")).toEqual([
      "ConfigMap default/kube-root-ca.crt holds",
      "ConfigMap demo/kube-root-ca.crt broken",
      "ConfigMap kube-system/kube-root-ca.crt holds",
    ]);
    const wrong = new FormData();
    wrong.set("pem", new Blob([clusterCa]), "ca.crt");
    wrong.set("rootCA", new Blob([clusterCa]), "ca.crt");
    const bad = await SELF.fetch(`http://certaudit.test/v1/audit?at=${AT}`, { method: "POST", body: wrong });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe("input.bad-option");
  });

  it("private keys posted in Secrets are used for the key-pair edge and never echoed", async () => {
    for (const yaml of [base, aggregation]) {
      const res = await post(yaml, "application/yaml");
      const text = await res.text();
      const secrets = keyMaterial(yaml);
      expect(secrets.length).toBeGreaterThan(20);
      for (const s of secrets) expect(text).not.toContain(s);
      expect(text).not.toMatch(/PRIVATE KEY|hunter2|pw-test-only|test-only-token/);
      const r = JSON.parse(text);
      expect(r.findings.filter((f: any) => f.code === "input.private-key-uploaded")).toHaveLength(1);
      expect(verdicts(r, "key-pair").map((v) => v.split(" ").pop())).toEqual(["holds"]);
    }
  });

  it.each([
    [
      "a List whose YAML is cut short",
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  data: [\n",
      "application/yaml",
    ],
    ["a JSON List of numbers", '{"apiVersion":"v1","kind":"List","items":[1,2]}', "application/json"],
    ["a JSON List that is not JSON", '{"apiVersion":"v1","kind":"List","items":[', "application/json"],
    [
      "an alias bomb",
      `apiVersion: v1\nkind: List\na: &a [x,x,x,x,x,x,x,x,x]\n${Array.from({ length: 12 }, (_, i) => `b${i}: &b${i} [${`*${i ? `b${i - 1}` : "a"},`.repeat(9)}]`).join("\n")}\nitems: *b11\n`,
      "application/yaml",
    ],
  ])("%s: a problem document with a code, not a 500", async (_n, body, type) => {
    const res = await post(body, type);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as { code: string }).code).toMatch(/^[a-z]+\.[a-z-]+$/);
  });

  it.each([
    [
      "fields of the wrong types",
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  type: kubernetes.io/tls\n  metadata: 7\n  data: {tls.crt: 5, tls.key: [1]}\n- apiVersion: apiregistration.k8s.io/v1\n  kind: APIService\n  metadata: {name: [x]}\n  spec: {service: {name: 3}, caBundle: '%%%', insecureSkipTLSVerify: 'yes'}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: kube-root-ca.crt, namespace: a}\n  data: {ca.crt: 12}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: extension-apiserver-authentication, namespace: kube-system}\n  data: {client-ca-file: 'not pem', requestheader-allowed-names: '[1'}\n",
    ],
    [
      "a caBundle that is not base64 and a tls.crt that is no certificate",
      base.replace(/caBundle: .*/g, "caBundle: '!!'").replace(/tls\.crt: .*/, "tls.crt: aGVsbG8="),
    ],
  ])("%s: a 200 report whose findings say what could not be read", async (_n, body) => {
    const r = await report(body);
    expect(r.verdict).not.toBe("pass");
    expect(r.findings.length).toBeGreaterThan(0);
  });

  it("names with slashes and dots stay one path segment each: no object reads another's files", async () => {
    const yaml = base
      .replace("name: demo-webhook-tls", "name: ../../webhooks/demo-webhook")
      .replace("namespace: demo\n  type", "namespace: /etc\n  type");
    const r = await report(yaml);
    expect(r.input.parts.every((p: string) => !p.split("/").includes(".."))).toBe(true);
    expect(verdicts(r, "key-pair")).toEqual(["Secret /etc/../../webhooks/demo-webhook tls.key holds"]);
    expect(verdicts(r, "tls-secret")).toEqual(["Secret /etc/../../webhooks/demo-webhook tls.crt holds"]);
  });
});
