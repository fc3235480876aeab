// The control-plane audit on the kubeadm fixtures (test/fixtures/kubeadm/make.sh). Each variant
// is built to break one edge, and the expectation is that edge: make.sh says what was changed, and
// the cited Go code says which verifier refuses it.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { auditControlPlane, controlPlaneReport } from "../../src/core/cluster/index.ts";
import { firstServiceIp } from "../../src/core/cluster/edges-serving.ts";
import { readStaticPodFlags } from "../../src/core/cluster/manifest.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { KUBEADM_AT, KUBEADM_VARIANTS, kubeadmTree } from "./helpers/kubeadm-tree.ts";

const plane = (tree: Map<string, Uint8Array>, at = KUBEADM_AT) => auditControlPlane(tree, { at, subtle: crypto.subtle });
const broken = (r: Awaited<ReturnType<typeof plane>>) =>
  r.edges
    .filter((e) => e.verdict !== "holds")
    .map((e) => `${e.relation}: ${e.from} → ${e.to}`)
    .sort();

/** The one edge (or pair) each variant breaks, as make.sh builds it. */
const EXPECTED: Record<(typeof KUBEADM_VARIANTS)[number], { broken: string[]; codes: string[] }> = {
  base: { broken: [], codes: [] },
  // etcd requires a client certificate valid now (Go crypto/tls verifyClientCertificate → x509 Verify).
  "expired-etcd-client": { broken: ["etcd-client: kube-apiserver (etcd client) → etcd"], codes: ["cluster.etcd-client-refused"] },
  // The new etcd CA did not sign apiserver-etcd-client.crt; --etcd-cafile is the new CA, which did sign server.crt.
  "rotated-etcd-ca": { broken: ["etcd-client: kube-apiserver (etcd client) → etcd"], codes: ["cluster.etcd-client-refused"] },
  "signing-ca-untrusted": {
    broken: ["signing: kube-controller-manager (CSR signer) → kube-apiserver --client-ca-file"],
    codes: ["cluster.signing-ca-untrusted"],
  },
  // k8s.io/apiserver x509 verifier: CN must be in --requestheader-allowed-names (front-proxy-client).
  "front-proxy-cn": {
    broken: ["front-proxy: kube-apiserver (front proxy) → extension API servers"],
    codes: ["cluster.front-proxy-name-not-allowed"],
  },
  "sa-mismatch": {
    broken: [
      "service-account: kube-apiserver --service-account-signing-key-file /etc/kubernetes/pki/sa.key → kube-apiserver (token authenticator)",
      "service-account: kube-controller-manager --service-account-private-key-file /etc/kubernetes/pki/sa.key → kube-apiserver (token authenticator)",
    ],
    codes: ["cluster.sa-key-mismatch"],
  },
  // Pods use the first service IP (10.96.0.1 for 10.96.0.0/12); the kubeconfigs use 192.168.56.10, still in the SANs.
  "no-service-ip-san": { broken: ["root-ca: Pods (kube-root-ca.crt) → kube-apiserver"], codes: ["cluster.in-cluster-name-missing"] },
  // make-node.sh: peer.crt from another etcd CA; peer.crt for serverAuth only while --peer-client-cert-auth (two real members: etcd-peers.test.ts).
  "peer-other-ca": { broken: ["etcd-peer: etcd (peer) → etcd (peer)"], codes: ["cluster.etcd-peer-refused"] },
  "peer-server-only": { broken: ["etcd-peer: etcd (peer) → etcd (peer)"], codes: ["cluster.etcd-peer-refused"] },
};

describe("kubeadm fixtures: the edges each variant breaks", () => {
  for (const variant of KUBEADM_VARIANTS) {
    it(variant, async () => {
      const r = await plane(kubeadmTree(variant));
      expect(broken(r)).toEqual(EXPECTED[variant].broken);
      expect([...new Set(r.findings.filter((f) => f.severity !== "info").map((f) => f.code))].sort()).toEqual(EXPECTED[variant].codes);
      // Every edge kubeadm's layout has is there: 5 kubeconfigs × (serving, client, key pair), Pods, kubelet client,
      // etcd client, etcd serving (one --etcd-servers URL), peers, front proxy, two service-account signers, signing CA, 7 key pairs,
      // and the kubelet's serving certificate → kube-apiserver (unverified: kubeadm sets no --kubelet-certificate-authority).
      expect(r.edges).toHaveLength(32);
      expect(r.components.every((c) => c.manifest !== null)).toBe(true);
    });
  }
});

describe("flags and defaults", () => {
  it("without manifests, kubeadm's flags are assumed, said so, and the same edges hold", async () => {
    const t = kubeadmTree("base");
    for (const k of [...t.keys()]) if (k.startsWith("manifests/")) t.delete(k);
    const r = await plane(t);
    expect(r.findings.filter((f) => f.code === "cluster.defaults-assumed")).toHaveLength(4);
    expect(r.components.every((c) => c.manifest === null)).toBe(true);
    expect(r.edges.filter((e) => e.verdict !== "holds").map((e) => e.from)).toEqual([]);
    expect(r.assumptions.some((a) => a.includes("kube-apiserver runs with kubeadm's default flags"))).toBe(true);
  });

  it("an upload rooted at / (etc/kubernetes/...) maps flag paths the same way", async () => {
    const t = new Map([...kubeadmTree("expired-etcd-client")].map(([k, v]) => [`etc/kubernetes/${k}`, v]));
    expect(broken(await plane(t))).toEqual(EXPECTED["expired-etcd-client"].broken);
  });

  it("a flag naming another file is followed: --etcd-certfile pointed at the healthcheck client (valid, same etcd CA) repairs the edge", async () => {
    const t = kubeadmTree("expired-etcd-client");
    const m = new TextDecoder().decode(t.get("manifests/kube-apiserver.yaml")!);
    t.set(
      "manifests/kube-apiserver.yaml",
      new TextEncoder().encode(
        m
          .replace("apiserver-etcd-client.crt", "etcd/healthcheck-client.crt")
          .replace("apiserver-etcd-client.key", "etcd/healthcheck-client.key"),
      ),
    );
    expect(broken(await plane(t))).toEqual([]);
  });

  it("reads --name=value and --name value", () => {
    const r = readStaticPodFlags("spec:\n  containers:\n  - command: [etcd, --cert-file=/a.crt, --key-file, /a.key, --client-cert-auth]\n");
    expect("flags" in r && Object.fromEntries(r.flags)).toEqual({
      "cert-file": "/a.crt",
      "key-file": "/a.key",
      "client-cert-auth": "true",
    });
  });

  it("the first service IP is the range's network address + 1 (kube-apiserver's kubernetes Service)", () => {
    expect(firstServiceIp("10.96.0.0/12")).toBe("10.96.0.1");
    expect(firstServiceIp("172.20.0.0/16,fd00::/108")).toBe("172.20.0.1");
  });
});

describe("dates and the renewal plan", () => {
  it("the first edge to break is the expired etcd client, with kubeadm's renewal command and the Pod to restart", async () => {
    const r = await plane(kubeadmTree("expired-etcd-client"));
    const first = r.edges[r.firstBreak!.edge]!;
    expect(first.relation).toBe("etcd-client");
    expect(first.breaksAt).toBe("2026-09-01T00:00:00Z"); // make.sh: -enddate 20260901000000Z
    expect(r.renewals[0]).toEqual({
      command: "kubeadm certs renew apiserver-etcd-client",
      restart: "kube-apiserver",
      before: "2026-09-01T00:00:00Z",
    });
  });

  it("edges are sorted by breaksAt; on the base fixture the leaves bound them (2027-08-20) and the signing CA its own (2035-08-30)", async () => {
    const r = await plane(kubeadmTree("base"));
    const dates = r.edges.map((e) => e.breaksAt).filter((d): d is string => d !== null);
    expect(dates).toEqual([...dates].sort());
    expect(dates[0]).toBe("2027-08-20T00:00:00Z");
    expect(r.edges.find((e) => e.relation === "signing")!.breaksAt).toBe("2035-08-30T00:00:00Z");
  });

  it("after the leaves expire every certificate edge is broken", async () => {
    const r = await plane(kubeadmTree("base"), new Date("2027-09-01T00:00:00Z"));
    const chainEdges = r.edges.filter((e) => e.breaksAt && e.relation !== "signing");
    expect(chainEdges.length).toBeGreaterThan(10);
    expect(chainEdges.every((e) => e.verdict === "broken")).toBe(true);
  });
});

describe("the whole report", () => {
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(
    JSON.parse(readFileSync(new URL("../../schemas/report.schema.json", import.meta.url), "utf8")),
  );
  for (const variant of KUBEADM_VARIANTS) {
    it(`${variant}: validates against schemas/report.schema.json; verdict follows the findings`, async () => {
      const r = await controlPlaneReport(kubeadmTree(variant), { at: KUBEADM_AT, subtle: crypto.subtle });
      expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
      expect(r.verdict).toBe(variant === "base" ? "pass" : "fail");
      // The certificates the flags name (make.sh): 3 CAs, 6 pki leaves (apiserver, apiserver-kubelet-client,
      // apiserver-etcd-client, front-proxy-client, etcd server and peer; no flag names etcd/healthcheck-client),
      // 5 kubeconfig client certificates, and the extra signing CA of signing-ca-untrusted.
      expect(r.summary.certificates).toBe(variant === "signing-ca-untrusted" ? 15 : 14);
    });
  }
});

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");

withOpenssl("an unreadable service-account key", () => {
  // kube-apiserver and kube-controller-manager do not start with a signing key they cannot parse
  // (k8s.io/client-go/util/keyutil PrivateKeyFromFile: "data does not contain a valid RSA or ECDSA
  // private key", fatal in the option's validation): the edge is broken because the file is
  // unreadable, and nothing says the key is missing from sa.pub, which was never compared.
  it("an unreadable sa.key breaks both service-account edges as unreadable, not as a key missing from sa.pub", async () => {
    const t = kubeadmTree("base");
    const key = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
    expect(spawnSync("openssl", ["pkey", "-noout"], { input: key }).status, "openssl reads no key in it").not.toBe(0);
    t.set("pki/sa.key", new TextEncoder().encode(key));
    const r = await plane(t);
    const sa = r.edges.filter((e) => e.relation === "service-account");
    expect(sa.map((e) => [e.verdict, e.detail])).toEqual([
      ["broken", "/etc/kubernetes/pki/sa.key is unreadable"],
      ["broken", "/etc/kubernetes/pki/sa.key is unreadable"],
    ]);
    expect(r.findings.map((f) => f.code)).not.toContain("cluster.sa-key-mismatch");
    expect(r.findings.filter((f) => f.code === "cluster.file-unreadable").map((f) => f.path)).toEqual(["pki/sa.key"]);
  });
});
