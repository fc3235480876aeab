// Go decides: every certificate edge of every kubeadm variant, at the fixtures' validation time and
// after the leaves expire, verified by Go's crypto/x509 (test/oracles/edges, stdlib only) with the
// verifier's key usage and host name, must get the verdict the report gives. The edges are written
// here from kubeadm's layout (make.sh) and the kubeconfigs as the yaml package reads them, not from
// certaudit's readers.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { auditControlPlane, type ClusterJson } from "../../src/core/cluster/index.ts";
import { runGoOracle } from "./helpers/go-oracle.ts";
import { KUBEADM_AT, KUBEADM_DIR, KUBEADM_VARIANTS, kubeadmTree } from "./helpers/kubeadm-tree.ts";

interface GoEdge {
  name: string;
  chain: string[];
  roots: string;
  usage: "server" | "client" | "any";
  host: string;
  at: string;
}
type Edge = ClusterJson["edges"][number];

const KUBECONFIGS: [string, string][] = [
  ["admin.conf", "kubectl (admin.conf)"],
  ["super-admin.conf", "kubectl (super-admin.conf)"],
  ["controller-manager.conf", "kube-controller-manager"],
  ["scheduler.conf", "kube-scheduler"],
  ["kubelet.conf", "kubelet"],
];
const POD_NAMES = [
  "kubernetes",
  "kubernetes.default",
  "kubernetes.default.svc",
  "kubernetes.default.svc.cluster.local",
  "10.96.0.1",
  "192.168.56.10",
];

/**
 * What the controller-manager's CSR signer would issue in this variant: a kubelet client
 * certificate signed with --cluster-signing-key-file under --cluster-signing-cert-file's name,
 * the leaf alone (as status.certificate carries it).
 */
async function signedLeaf(v: string): Promise<string> {
  const base = v === "signing-ca-untrusted" ? "pki/cluster-signing-ca" : "pki/ca";
  const ca = new x509.X509Certificate(readFileSync(join(KUBEADM_DIR, v, `${base}.crt`), "utf8"));
  const pkcs8 = createPrivateKey(readFileSync(join(KUBEADM_DIR, v, `${base}.key`), "utf8")).export({ format: "der", type: "pkcs8" });
  const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const signingKey = await crypto.subtle.importKey("pkcs8", pkcs8, alg, false, ["sign"]);
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: "0a",
    issuer: ca.subjectName,
    subject: "CN=system:node:cp-2, O=system:nodes",
    notBefore: new Date("2025-09-01T00:00:00Z"),
    notAfter: new Date("2030-01-01T00:00:00Z"),
    signingAlgorithm: alg,
    publicKey: keys.publicKey,
    signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(["1.3.6.1.5.5.7.3.2"]),
    ],
  });
  return leaf.toString("pem");
}
const SIGNED = Object.fromEntries(await Promise.all(KUBEADM_VARIANTS.map(async (v) => [v, await signedLeaf(v)] as const)));

/** Go's question for each edge, and how to read the report's answer to the same question. */
function questions(v: string, at: string): { go: GoEdge[]; report: (edges: Edge[]) => boolean }[] {
  const f = (p: string) => readFileSync(join(KUBEADM_DIR, v, p), "utf8");
  const find = (edges: Edge[], relation: string, from: string) => edges.find((e) => e.relation === relation && e.from === from)!;
  const noCode = (e: Edge, code: string) => !e.findings.some((x) => x.code === code);
  const q = (name: string, leaf: string, roots: string, usage: GoEdge["usage"], host = "") => ({
    name,
    chain: [leaf],
    roots,
    usage,
    host,
    at,
  });
  const out: { go: GoEdge[]; report: (edges: Edge[]) => boolean }[] = [];
  for (const [conf, who] of KUBECONFIGS) {
    const kc = parse(f(conf));
    const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
    const ca = b64(kc.clusters[0].cluster["certificate-authority-data"]);
    const host = new URL(kc.clusters[0].cluster.server).hostname;
    out.push({
      go: [q(`${conf} serving`, f("pki/apiserver.crt"), ca, "server", host)],
      report: (e) => find(e, "serving", who).verdict === "holds",
    });
    out.push({
      go: [q(`${conf} client`, b64(kc.users[0].user["client-certificate-data"]), f("pki/ca.crt"), "client")],
      report: (e) => noCode(find(e, "client", who), "cluster.client-refused"),
    });
  }
  out.push({
    go: POD_NAMES.map((n) => q(`pods ${n}`, f("pki/apiserver.crt"), f("pki/ca.crt"), "server", n)),
    report: (e) => find(e, "root-ca", "Pods (kube-root-ca.crt)").verdict === "holds",
  });
  out.push({
    go: [q("kubelet client", f("pki/apiserver-kubelet-client.crt"), f("pki/ca.crt"), "client")],
    report: (e) => find(e, "client", "kube-apiserver (kubelet client)").verdict === "holds",
  });
  out.push({
    go: [q("etcd client", f("pki/apiserver-etcd-client.crt"), f("pki/etcd/ca.crt"), "client")],
    report: (e) => find(e, "etcd-client", "kube-apiserver (etcd client)").verdict === "holds",
  });
  out.push({
    go: [q("etcd serving", f("pki/etcd/server.crt"), f("pki/etcd/ca.crt"), "server", "127.0.0.1")],
    report: (e) => find(e, "etcd-serving", "etcd (https://127.0.0.1:2379)").verdict === "holds",
  });
  out.push({
    go: [
      q("peer server", f("pki/etcd/peer.crt"), f("pki/etcd/ca.crt"), "server", "192.168.56.10"),
      q("peer client", f("pki/etcd/peer.crt"), f("pki/etcd/ca.crt"), "client"),
    ],
    report: (e) => find(e, "etcd-peer", "etcd (peer)").verdict === "holds",
  });
  out.push({
    go: [q("front proxy", f("pki/front-proxy-client.crt"), f("pki/front-proxy-ca.crt"), "client")],
    report: (e) => noCode(find(e, "front-proxy", "kube-apiserver (front proxy)"), "cluster.front-proxy-refused"),
  });
  out.push({
    go: [q("a certificate the CSR signer issues", SIGNED[v]!, f("pki/ca.crt"), "client")],
    report: (e) => find(e, "signing", "kube-controller-manager (CSR signer)").verdict === "holds",
  });
  return out;
}

const TIMES = [KUBEADM_AT, new Date("2027-09-01T00:00:00Z")];
const stamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

describe("Go's crypto/x509 agrees with every certificate edge", () => {
  // One `go run` for every question (compiling the oracle is the slow part).
  const cases = TIMES.flatMap((when) =>
    KUBEADM_VARIANTS.map((v) => ({
      v,
      when,
      qs: questions(v, stamp(when)).map((x) => ({ ...x, go: x.go.map((g) => ({ ...g, name: `${v}@${stamp(when)}: ${g.name}` })) })),
    })),
  );
  let answers: Map<string, { valid: boolean; error?: string }> | null | undefined;
  const ask = () => {
    if (answers === undefined) {
      const list = runGoOracle<{ name: string; valid: boolean; error?: string }[]>(
        "edges",
        cases.flatMap((c) => c.qs.flatMap((x) => x.go)),
      );
      answers = list ? new Map(list.map((a) => [a.name, a])) : null;
    }
    return answers;
  };
  for (const c of cases) {
    it(`${c.v} at ${stamp(c.when).slice(0, 10)}`, { timeout: 120_000 }, async (ctx) => {
      const byName = ask();
      if (!byName) return ctx.skip();
      const r = await auditControlPlane(kubeadmTree(c.v), { at: c.when, subtle: crypto.subtle });
      for (const x of c.qs) {
        const go = x.go.map((g) => ({ name: g.name, ...byName.get(g.name)! }));
        expect(x.report(r.edges), go.map((g) => `${g.name}: ${g.valid ? "valid" : g.error}`).join("; ")).toBe(go.every((g) => g.valid));
      }
    });
  }
});
