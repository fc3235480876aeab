// The control-plane diagram and edge table without a browser (issue 12), on the kubeadm fixtures
// (test/fixtures/kubeadm/make.sh). Expectations come from outside our code: openssl verify decides
// the API server → etcd client edge (etcd's --trusted-ca-file, TLS client purpose, at the
// validation time) and openssl reads the date it breaks; the fixture README documents the
// outage of each variant ("base: every edge holds", checked by real etcd and Go in
// test/node/etcd-oracle.test.ts and test/core/cluster-go.test.ts). The colour rule is checked on
// every variant and on a tree with files missing: green only where every edge of a line holds.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { controlPlaneReport, objectsReport } from "../../src/core/cluster/index.ts";
import type { Report } from "../../src/core/report/types.ts";
import { clusterDiagram, clusterHeadline } from "../../src/http/ui/cluster-model.ts";
import { renderReport } from "../../src/http/ui/report.tsx";
import { editTree, KUBEADM_AT, KUBEADM_VARIANTS, kubeadmTree } from "../core/helpers/kubeadm-tree.ts";
import { needTool } from "../node/helpers/tools.ts";
import { KUBEADM, etcdClientAccepted as opensslEtcdClient, notAfter, OBJECTS, webhooksAccepted } from "./openssl-edges.ts";

type Edge = NonNullable<Report["cluster"]>["edges"][number];
const report = (tree: Map<string, Uint8Array>): Promise<Report> => controlPlaneReport(tree, { at: KUBEADM_AT, subtle: crypto.subtle });

/** The edge tables' rows of the rendered report (folded or not), as text with tags removed. */
function rows(html: string): string[] {
  const bodies = [...html.matchAll(/<table class="edges">.*?<tbody>(.*?)<\/tbody>/gs)].map((m) => m[1]!);
  const text = (row: string) =>
    row
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  return bodies.flatMap((body) => [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((m) => text(m[1]!)));
}

describe("the control-plane diagram and its edge table", () => {
  it("expired-etcd-client: the API server → etcd client edge is red with the date openssl reads, and is called out first", async (ctx) => {
    needTool(ctx, "openssl");
    expect(opensslEtcdClient("expired-etcd-client")).toBe(false);
    const date = notAfter("expired-etcd-client", "pki/apiserver-etcd-client.crt");
    const r = await report(kubeadmTree("expired-etcd-client"));
    const d = clusterDiagram(r)!;
    const etcd = d.lines.filter((l) => l.group.relation === "etcd-client");
    expect(etcd).toHaveLength(1);
    expect(etcd[0]!.a.label).toBe("etcd");
    expect(etcd[0]!.b.label).toBe("kube-apiserver");
    expect(etcd[0]!.group.tone).toBe("bad");
    expect(etcd[0]!.group.label).toBe(`etcd-client · broken since ${date}`);
    expect(etcd[0]!.group.first).toBe(true);
    const html = renderReport(r);
    expect(html).toMatch(
      new RegExp(`etcd-client · broken since ${date}</text><text [^>]*class="cline-label cline-first">▲ first to break`),
    );
    const row = rows(html).find((t) => t.startsWith("kube-apiserver (etcd client) etcd etcd-client"));
    expect(row).toContain("✖ broken · first to break");
    expect(row).toContain(date);
    expect(clusterHeadline(r)).toBe(
      `1 of ${r.cluster!.edges.length} trust edges is broken. First to break: kube-apiserver (etcd client) → etcd (etcd-client), broken since ${date}.`,
    );
    const callout = /<p class="first-break bad" id="first-break">(.*?)<\/p>/s.exec(html)?.[1]?.replace(/<[^>]+>/g, "") ?? "";
    expect(callout).toContain(`kube-apiserver (etcd client) → etcd (etcd-client), broken since ${date}.`);
    expect(callout).toContain("kubeadm certs renew apiserver-etcd-client");
  });

  it("base: openssl accepts the etcd client; every line and row is green, none red or grey", async (ctx) => {
    needTool(ctx, "openssl");
    expect(opensslEtcdClient("base")).toBe(true);
    const r = await report(kubeadmTree("base"));
    const d = clusterDiagram(r)!;
    expect(d.lines.length).toBeGreaterThan(10);
    expect(d.lines.every((l) => l.group.tone === "ok")).toBe(true);
    expect(d.boxes.flatMap((b) => b.checks).every((g) => g.tone === "ok")).toBe(true);
    const html = renderReport(r);
    expect(rows(html)).toHaveLength(r.cluster!.edges.length);
    expect(rows(html).every((t) => t.includes("✔ holds"))).toBe(true);
    expect(html).not.toMatch(/class="(cline|erow|ccheck) (bad|unknown)/);
    // Boxes for kubeadm's components (certlist.go's users of the certificates), kube-apiserver among them.
    expect(d.boxes.map((b) => b.label).sort()).toEqual(
      [
        "Admin kubeconfigs",
        "Aggregated APIs",
        "Pods (in-cluster)",
        "etcd",
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
        "kubelet",
      ].sort(),
    );
    // The first to break is the earliest notAfter openssl reads among the leaves (all renewed together).
    expect(clusterHeadline(r)).toContain(`until ${notAfter("base", "pki/apiserver.crt")}`);
  });

  it("rotated-etcd-ca: red where openssl refuses the etcd client, green where it does not", async (ctx) => {
    needTool(ctx, "openssl");
    const r = await report(kubeadmTree("rotated-etcd-ca"));
    const line = clusterDiagram(r)!.lines.find((l) => l.group.relation === "etcd-client")!;
    expect(line.group.tone).toBe(opensslEtcdClient("rotated-etcd-ca") ? "ok" : "bad");
    expect(opensslEtcdClient("rotated-etcd-ca")).toBe(false);
    // Broken by an untrusted CA, not by a date: the line says it is broken now, not since when.
    expect(line.group.label).toBe("etcd-client · broken now");
  });

  it("green only for holds: on every variant, and with files missing (undecided edges are grey, never green)", async () => {
    const trees = KUBEADM_VARIANTS.map((v) => kubeadmTree(v));
    const partial = kubeadmTree("base");
    for (const f of ["pki/etcd/ca.crt", "pki/front-proxy-ca.crt", "manifests/etcd.yaml", "scheduler.conf"]) partial.delete(f);
    trees.push(partial);
    let grey = 0;
    for (const t of trees) {
      const r = await report(t);
      const d = clusterDiagram(r)!;
      const edges = r.cluster!.edges;
      for (const g of [...d.lines.map((l) => l.group), ...d.boxes.flatMap((b) => b.checks)]) {
        const verdicts = g.edges.map((i) => edges[i]!.verdict);
        const expected = verdicts.includes("broken") ? "bad" : verdicts.includes("unknown") ? "unknown" : "ok";
        expect(g.tone).toBe(expected);
        if (g.tone === "unknown") grey += 1;
      }
      // Every edge is drawn exactly once (on a line or as a check in a box).
      const drawn = [...d.lines.map((l) => l.group), ...d.boxes.flatMap((b) => b.checks)].flatMap((g) => g.edges).sort((a, b) => a - b);
      expect(drawn).toEqual(edges.map((_, i) => i));
    }
    expect(grey).toBeGreaterThan(0);
  });
});

describe("a line of several edges", () => {
  it("says how many are broken when not all are: super-admin.conf trusting the etcd CA (openssl: it did not sign apiserver.crt)", async (ctx) => {
    needTool(ctx, "openssl");
    const dir = join(KUBEADM, "base");
    const etcdCa = readFileSync(join(dir, "pki/etcd/ca.crt"));
    const verify = spawnSync("openssl", [
      "verify",
      "-attime",
      String(KUBEADM_AT.getTime() / 1000),
      "-CAfile",
      join(dir, "pki/etcd/ca.crt"),
      join(dir, "pki/apiserver.crt"),
    ]);
    expect(verify.status).not.toBe(0);
    const tree = editTree("base", "super-admin.conf", (t) =>
      t.replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${etcdCa.toString("base64")}`),
    );
    const r = await report(tree);
    const line = clusterDiagram(r)!.lines.find((l) => l.a.label === "Admin kubeconfigs" && l.group.relation === "serving")!;
    expect(line.group.edges).toHaveLength(2);
    expect(line.group.tone).toBe("bad");
    expect(line.group.label).toBe("serving ×2 (1 broken) · broken now");
  });
});

describe("Kubernetes objects as a diagram", () => {
  for (const variant of ["base", "ca-renewed"]) {
    it(`${variant}: one box per webhook configuration and Secret; each webhook line green exactly where openssl accepts the caBundle`, async (ctx) => {
      needTool(ctx, "openssl");
      const text = readFileSync(join(OBJECTS, variant, "objects.yaml"), "utf8");
      const accepted = webhooksAccepted(text);
      expect(accepted).toHaveLength(2);
      const r = await objectsReport(text, { at: KUBEADM_AT, subtle: crypto.subtle });
      const d = clusterDiagram(r)!;
      expect(d.boxes.map((b) => `${b.label} ${b.sub ?? ""}`.trim()).sort()).toEqual([
        "Mutating webhook demo-webhook",
        "Secret demo/demo-webhook-tls",
        "Validating webhook demo-webhook",
        "kube-apiserver",
      ]);
      // Each webhook box names the Service its clientConfig calls (the fixture's demo/demo-webhook).
      for (const b of d.boxes.filter((x) => x.label.endsWith("webhook"))) expect(b.services).toEqual(["Service demo/demo-webhook"]);
      const hooks = d.lines.filter((l) => l.group.relation === "webhook");
      expect(hooks).toHaveLength(2);
      // The fixture's two webhooks call the same Service with the same caBundle: openssl answers alike.
      for (const l of hooks) expect(l.group.tone).toBe(accepted.every(Boolean) ? "ok" : "bad");
      expect(accepted.every(Boolean)).toBe(variant === "base");
    });
  }
});

describe("boxes from the edges' nodes (fromNode/toNode)", () => {
  /** What the diagram draws, without coordinates: each box and its lines and checks. */
  const shape = (r: Report) =>
    clusterDiagram(r)!.boxes.map((b) => ({
      box: [b.id, b.label, b.sub, b.side],
      lines: b.lines.map((l) => [l.to, l.group.relation, l.group.edges]),
      checks: b.checks.map((g) => [g.relation, g.edges]),
    }));
  const edit = (r: Report, f: (e: Edge, i: number) => Partial<Edge>): Report => ({
    ...r,
    cluster: { ...r.cluster!, edges: r.cluster!.edges.map((e, i) => ({ ...e, ...f(e, i) })) },
  });

  it("the nodes decide the boxes: with every from/to replaced by a name no reader knows, the diagram is the same; without nodes (an older report), the names give it", async () => {
    const reports = [
      await report(kubeadmTree("base")),
      await objectsReport(readFileSync(join(OBJECTS, "base", "objects.yaml"), "utf8"), { at: KUBEADM_AT, subtle: crypto.subtle }),
      await objectsReport(readFileSync(join(OBJECTS, "aggregation", "objects.yaml"), "utf8"), { at: KUBEADM_AT, subtle: crypto.subtle }),
    ];
    for (const r of reports) {
      // A kube-root-ca.crt comparison's reference names no object (relations.ts: presents "none").
      expect(r.cluster!.edges.every((e) => e.fromNode && (e.toNode || e.relation === "root-ca-configmap"))).toBe(true);
      const opaque = edit(r, (_, i) => ({ from: `end ${i}a`, to: `end ${i}b` }));
      expect(shape(opaque)).toEqual(shape(r));
      const older = edit(r, () => ({ fromNode: undefined, toNode: undefined }));
      expect(shape(older)).toEqual(shape(r));
    }
    // The aggregation fixture's three kube-root-ca.crt (make.sh): each a box whose comparison is a check inside it, no line.
    const configMaps = clusterDiagram(reports[2]!)!.boxes.filter((b) => b.id.startsWith("ConfigMap "));
    expect(configMaps.map((b) => b.sub).sort()).toEqual([
      "default/kube-root-ca.crt",
      "demo/kube-root-ca.crt",
      "kube-system/kube-root-ca.crt",
    ]);
    for (const b of configMaps) expect([b.lines, b.checks.map((g) => g.relation)]).toEqual([[], ["root-ca-configmap"]]);
  });

  it("an edge of a kind this page has no name reader for (an APIService) gets the box its node names, not a box of its own name", async () => {
    const r = await report(kubeadmTree("base"));
    const extra = {
      ...r.cluster!.edges[0]!,
      from: "v1beta1.metrics.k8s.io caBundle",
      to: "the aggregator",
      fromNode: { type: "object" as const, kind: "APIService", name: "v1beta1.metrics.k8s.io" },
      toNode: { type: "component" as const, id: "kube-apiserver" },
    };
    const withNodes: Report = { ...r, cluster: { ...r.cluster!, edges: [...r.cluster!.edges, extra] } };
    const d = clusterDiagram(withNodes)!;
    const box = d.boxes.find((b) => b.id === "APIService v1beta1.metrics.k8s.io");
    expect(box && [box.label, box.sub, box.side]).toEqual(["APIService", "v1beta1.metrics.k8s.io", "left"]);
    expect(box!.lines.map((l) => [l.to, l.group.edges])).toEqual([["kube-apiserver", [r.cluster!.edges.length]]]);
    // The same edge without nodes: the names alone put it in a generic box.
    const { fromNode: _a, toNode: _b, ...bare } = extra;
    const old = clusterDiagram({ ...r, cluster: { ...r.cluster!, edges: [...r.cluster!.edges, bare] } })!;
    expect(old.boxes.some((b) => b.id.startsWith("APIService"))).toBe(false);
    expect(old.boxes.some((b) => b.id === "other the aggregator")).toBe(true);
  });
});
