// Real TLS handshakes (Node's tls, OpenSSL underneath) decide the control-plane edges that etcd
// does not: each kubeconfig → kube-apiserver (serving chain and name; client certificate against
// --client-ca-file), Pods → kube-apiserver for the in-cluster names, kube-apiserver → kubelet, the
// front proxy's chain and etcd peers. The files are the kubeadm layout of make.sh, read here with
// the yaml package (not certaudit's readers). Node validates at the real time, so the report is
// computed at the real time too. TLS 1.2 so the server judges the client before the client
// reports success. Where kubeadm certificates are concerned, OpenSSL and Go agree (no
// tools-disagree case is in these fixtures).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { auditControlPlane, type ClusterJson } from "../../src/core/cluster/index.ts";
import { KUBEADM_DIR, KUBEADM_VARIANTS, kubeadmTree } from "../core/helpers/kubeadm-tree.ts";
import { handshake } from "./helpers/tls-pair.ts";

const file = (v: string, p: string) => readFileSync(join(KUBEADM_DIR, v, p), "utf8");
function kubeconfigParts(v: string, name: string) {
  const kc = parse(file(v, name));
  const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
  return {
    ca: b64(kc.clusters[0].cluster["certificate-authority-data"]),
    server: new URL(kc.clusters[0].cluster.server).hostname,
    cert: b64(kc.users[0].user["client-certificate-data"]),
    key: b64(kc.users[0].user["client-key-data"]),
  };
}
const edge = (r: ClusterJson, relation: string, from: string) => {
  const e = r.edges.find((x) => x.relation === relation && x.from === from);
  if (!e) throw new Error(`no ${relation} edge from ${from}`);
  return e;
};
const has = (e: ClusterJson["edges"][number], code: string) => e.findings.some((f) => f.code === code);
const KUBECONFIGS: [string, string][] = [
  ["admin.conf", "kubectl (admin.conf)"],
  ["super-admin.conf", "kubectl (super-admin.conf)"],
  ["controller-manager.conf", "kube-controller-manager"],
  ["scheduler.conf", "kube-scheduler"],
  ["kubelet.conf", "kubelet"],
];

describe("real TLS handshakes agree with the control-plane edges", () => {
  for (const v of KUBEADM_VARIANTS) {
    it(v, { timeout: 60_000 }, async () => {
      const r = await auditControlPlane(kubeadmTree(v), { at: new Date(), subtle: crypto.subtle });
      const apiserver = { cert: file(v, "pki/apiserver.crt"), key: file(v, "pki/apiserver.key") };
      let checked = 0;
      for (const [conf, who] of KUBECONFIGS) {
        const kc = kubeconfigParts(v, conf);
        const serving = await handshake(apiserver, { ca: kc.ca, host: kc.server });
        expect(serving.ok, `${conf} serving: ${serving.why}`).toBe(edge(r, "serving", who).verdict === "holds");
        const client = await handshake({ ...apiserver, clientCa: file(v, "pki/ca.crt") }, { cert: kc.cert, key: kc.key });
        expect(client.ok, `${conf} client: ${client.why}`).toBe(!has(edge(r, "client", who), "cluster.client-refused"));
        checked += 2;
      }
      // Pods: kube-root-ca.crt (--root-ca-file pki/ca.crt) and the names they use (kubeadm: cluster.local, 10.96.0.0/12).
      const pods = edge(r, "root-ca", "Pods (kube-root-ca.crt)");
      const names = [
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
        "10.96.0.1",
        "192.168.56.10",
      ];
      const results = await Promise.all(names.map((host) => handshake(apiserver, { ca: file(v, "pki/ca.crt"), host })));
      expect(
        results.every((x) => x.ok),
        results.map((x, i) => `${names[i]}: ${x.why}`).join("; "),
      ).toBe(pods.verdict === "holds");
      // kube-apiserver → kubelet (kubeadm's kubelet clientCAFile is pki/ca.crt).
      const kubelet = await handshake(
        { ...apiserver, clientCa: file(v, "pki/ca.crt") },
        { cert: file(v, "pki/apiserver-kubelet-client.crt"), key: file(v, "pki/apiserver-kubelet-client.key") },
      );
      expect(kubelet.ok, kubelet.why).toBe(edge(r, "client", "kube-apiserver (kubelet client)").verdict === "holds");
      // The front proxy's chain (the allowed-names rule is the API server's, not TLS's).
      const fp = await handshake(
        { ...apiserver, clientCa: file(v, "pki/front-proxy-ca.crt") },
        { cert: file(v, "pki/front-proxy-client.crt"), key: file(v, "pki/front-proxy-client.key") },
      );
      expect(fp.ok, fp.why).toBe(!has(edge(r, "front-proxy", "kube-apiserver (front proxy)"), "cluster.front-proxy-refused"));
      // etcd peers: the peer certificate as the server (for the advertised peer address) and as the client.
      const peer = { cert: file(v, "pki/etcd/peer.crt"), key: file(v, "pki/etcd/peer.key") };
      const p = await handshake(
        { ...peer, clientCa: file(v, "pki/etcd/ca.crt") },
        { ...peer, ca: file(v, "pki/etcd/ca.crt"), host: "192.168.56.10" },
      );
      expect(p.ok, p.why).toBe(edge(r, "etcd-peer", "etcd (peer)").verdict === "holds");
      checked += 4;
      expect(checked).toBe(14);
    });
  }
});
