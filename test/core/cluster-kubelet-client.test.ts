// The kubelet → kube-apiserver edge verifies the certificate the kubelet really presents. With
// rotateCertificates on (make-node.sh's config.yaml), client-go's certificate manager picks it
// (k8s.io/client-go util/certificate/certificate_manager.go getCurrentCertificateOrBootstrap:
// `currentCert, err := store.Current()` is returned while `time.Now().Before(currentCert.Leaf.NotAfter)`;
// a NoCertKeyError or an expired pair falls back to the bootstrap PEM, kubelet.conf's data; any other
// store error is returned, so the kubelet does not start). store.Current() reads
// /var/lib/kubelet/pki/kubelet-client-current.pem (certificate_store.go fileStore.Current).
// The CN must be the node's own name: the Node authorizer and NodeRestriction admission tie
// system:node:<name> to its own Node object (plugin/pkg/auth/authorizer/node/node_authorizer.go,
// plugin/pkg/admission/noderestriction/admission.go). Expectations: openssl fingerprints,
// openssl verify -purpose sslclient against the cluster CA, openssl -enddate.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { auditControlPlane, type ClusterJson } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { KUBEADM_AT, KUBEADM_DIR, kubeadmTree, nodeTree } from "./helpers/kubeadm-tree.ts";

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");
const PEM = "var/lib/kubelet/pki/kubelet-client-current.pem";
const FLAGS = "var/lib/kubelet/kubeadm-flags.env";
const CA = join(KUBEADM_DIR, "base/pki/ca.crt");
const enc = new TextEncoder();
const dec = new TextDecoder();

const openssl = (args: string[], input?: string) => spawnSync("openssl", args, { encoding: "utf8", input });
/** openssl's SHA-256 fingerprint of the first certificate in a PEM text, as the report writes it. */
const fingerprint = (pem: string) =>
  `sha256:${/Fingerprint=([0-9A-F:]+)/
    .exec(openssl(["x509", "-noout", "-fingerprint", "-sha256"], pem).stdout)![1]!
    .replaceAll(":", "")
    .toLowerCase()}`;
const verifiesClient = (pem: string) => {
  const d = mkdtempSync(join(tmpdir(), "kc-"));
  writeFileSync(join(d, "c.pem"), pem);
  return openssl(["verify", "-purpose", "sslclient", "-CAfile", CA, join(d, "c.pem")]).status === 0;
};
const embedded = (t: Map<string, Uint8Array>) =>
  Buffer.from(/client-certificate-data: (\S+)/.exec(dec.decode(t.get("kubelet.conf")))![1]!, "base64").toString();
const kubeletEdge = (r: ClusterJson) => r.edges.find((e) => e.from === "kubelet" && e.relation === "client")!;
const audit = (t: Map<string, Uint8Array>, at = KUBEADM_AT) => auditControlPlane(t, { at, subtle: crypto.subtle });
/** A self-signed client pair for the node (not issued by the cluster CA), valid for `days`. */
const selfSigned = (days: number) => {
  const d = mkdtempSync(join(tmpdir(), "kc-"));
  const r = openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    join(d, "k"),
    "-out",
    join(d, "c"),
    "-subj",
    "/O=system:nodes/CN=system:node:cp-1",
    "-days",
    String(days),
    "-addext",
    "extendedKeyUsage=clientAuth",
  ]);
  expect(r.status).toBe(0);
  return readFileSync(join(d, "c"), "utf8") + readFileSync(join(d, "k"), "utf8");
};

withOpenssl("the kubelet's client certificate: kubelet-client-current.pem first, kubelet.conf's as the fallback", () => {
  it("base + kubelet/base: the edge verifies the pem the kubelet presents, not kubelet.conf's embedded certificate", async () => {
    const t = nodeTree("base", "base");
    const pem = dec.decode(t.get(PEM));
    expect(fingerprint(pem)).not.toBe(fingerprint(embedded(t)));
    const e = kubeletEdge(await audit(t));
    expect(e.certificate).toBe(fingerprint(pem));
    expect(e.detail).toContain(`presents ${PEM}`);
    expect(e.verdict === "holds").toBe(verifiesClient(pem));
  });

  it("a pem the cluster CA did not issue: broken, though kubelet.conf's own certificate would be accepted", async () => {
    const t = nodeTree("base", "base");
    const pem = selfSigned(30);
    t.set(PEM, enc.encode(pem));
    expect(verifiesClient(pem)).toBe(false);
    expect(verifiesClient(embedded(t))).toBe(true);
    const r = await audit(t);
    const e = kubeletEdge(r);
    expect(e.certificate).toBe(fingerprint(pem));
    expect(e.verdict).toBe("broken");
    expect(e.findings.map((f) => f.code)).toContain("cluster.client-refused");
  });

  it("no pem: kubelet.conf's certificate, named as the bootstrap pair", async () => {
    const t = nodeTree("base", "base");
    t.delete(PEM);
    const e = kubeletEdge(await audit(t));
    expect(e.certificate).toBe(fingerprint(embedded(t)));
    expect(e.detail).toContain("bootstrap pair");
    expect(e.verdict === "holds").toBe(verifiesClient(embedded(t)));
  });

  it("an expired pem: kubelet.conf's certificate (the date from openssl -enddate)", async () => {
    const t = nodeTree("base", "base");
    const pem = selfSigned(1);
    t.set(PEM, enc.encode(pem));
    const end = new Date(/notAfter=(.*)/.exec(openssl(["x509", "-noout", "-enddate"], pem).stdout)![1]!);
    const e = kubeletEdge(await audit(t, new Date(end.getTime() + 86_400_000)));
    expect(e.certificate).toBe(fingerprint(embedded(t)));
    expect(e.detail).toContain("expired");
  });

  it("a pem that cannot be loaded: the kubelet does not start (no fallback)", async () => {
    const t = nodeTree("base", "base");
    t.set(PEM, enc.encode("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"));
    expect(openssl(["x509", "-noout"], dec.decode(t.get(PEM))).status).not.toBe(0);
    const r = await audit(t);
    const e = kubeletEdge(r);
    expect(e.verdict).toBe("broken");
    expect(e.findings.map((f) => f.code)).toContain("cluster.file-unreadable");
    // One reason, said once: Go's tls.X509KeyPair stops at the certificate block it cannot load.
    expect(r.findings.filter((f) => f.code === "cluster.file-unreadable" && f.path === PEM)).toHaveLength(1);
  });

  it("rotateCertificates off: kubelet.conf's own certificate", async () => {
    const t = nodeTree("base", "base");
    t.set(FLAGS, enc.encode(dec.decode(t.get(FLAGS)).replace('ARGS="', 'ARGS="--rotate-certificates=false ')));
    expect(kubeletEdge(await audit(t)).certificate).toBe(fingerprint(embedded(t)));
  });
});

withOpenssl("the kubelet's CN is its own node's name", () => {
  const subjectCN = (pem: string) => /CN ?= ?(\S+)/.exec(openssl(["x509", "-noout", "-subject"], pem).stdout)![1]!;
  it("--hostname-override cp-2 while the certificate says system:node:cp-1: cluster.identity-wrong", async () => {
    const t = nodeTree("base", "base");
    expect(subjectCN(dec.decode(t.get(PEM)))).toBe("system:node:cp-1");
    t.set(FLAGS, enc.encode(dec.decode(t.get(FLAGS)).replace('ARGS="', 'ARGS="--hostname-override=cp-2 ')));
    const e = kubeletEdge(await audit(t));
    expect(e.verdict).toBe("broken");
    expect(e.findings.map((f) => f.code)).toContain("cluster.identity-wrong");
    expect(e.detail).toContain("CN=system:node:cp-2");
  });

  it("kubelet.conf's user system:node:cp-1 names the node: the CN matches", async () => {
    const t = nodeTree("base", "base");
    expect(dec.decode(t.get("kubelet.conf"))).toContain("user: system:node:cp-1");
    const e = kubeletEdge(await audit(t));
    expect(e.findings.map((f) => f.code)).not.toContain("cluster.identity-wrong");
    expect(e.detail).toContain("kubelet.conf's user system:node:cp-1");
  });

  it("no --hostname-override and a user that names no node: unknown, never a match", async () => {
    const t = nodeTree("base", "base");
    t.set("kubelet.conf", enc.encode(dec.decode(t.get("kubelet.conf")).replaceAll("system:node:cp-1", "kubelet")));
    const r = await audit(t);
    const e = kubeletEdge(r);
    expect(e.verdict).toBe("unknown");
    expect(e.detail).toContain("the name was not compared");
    expect(r.assumptions.some((a) => a.includes("node name is not known"))).toBe(true);
  });
});

withOpenssl("the kubelet-serving edge says whether the serving certificate was read", () => {
  // kubeadm sets no --kubelet-certificate-authority, so kube-apiserver verifies nothing
  // (pkg/kubelet/client/kubelet_client.go transportConfig: `if c.EnableHttps && !cfg.HasCA() { cfg.TLS.Insecure = true }`):
  // the edge holds either way; its words say whether kubelet.crt was in the upload.
  const serving = (r: ClusterJson) => r.edges.find((e) => e.relation === "kubelet-serving")!;
  const manifest = readFileSync(join(KUBEADM_DIR, "base/manifests/kube-apiserver.yaml"), "utf8");

  it("base alone: kubelet.crt not uploaded and not read", async () => {
    expect(manifest).not.toContain("--kubelet-certificate-authority");
    const e = serving(await audit(kubeadmTree("base")));
    expect(e.verdict).toBe("holds");
    expect(e.from).toBe("kubelet (serving, /var/lib/kubelet/pki/kubelet.crt not uploaded)");
    expect(e.detail).toContain("was not uploaded and not read");
  });

  it("base + kubelet/base: kubelet.crt read (openssl reads it)", async () => {
    const t = nodeTree("base", "base");
    expect(openssl(["x509", "-noout"], dec.decode(t.get("var/lib/kubelet/pki/kubelet.crt"))).status).toBe(0);
    const e = serving(await audit(t));
    expect(e.from).toBe("kubelet (serving, /var/lib/kubelet/pki/kubelet.crt)");
    expect(e.detail).toContain("/var/lib/kubelet/pki/kubelet.crt was read");
    expect(e.certificate).toBe(fingerprint(dec.decode(t.get("var/lib/kubelet/pki/kubelet.crt"))));
  });
});
