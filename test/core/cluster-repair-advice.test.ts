// What a broken edge's finding tells the operator to run. `kubeadm certs renew <name>` re-signs a
// certificate with the CA on disk but keeps the attributes it finds: kubeadm
// cmd/kubeadm/app/phases/certs/renewal/manager.go certToConfig copies CommonName, Organization,
// the DNS and IP SANs and ExtKeyUsage from the old certificate, and the kubeadm reference for
// every `kubeadm certs renew <name>` says "extra attributes such as SANs will be based on the
// existing file/certificates". So for a wrong CN, a missing SAN or a missing usage the advice must
// name the command that writes a new certificate from kubeadm's specification
// (`kubeadm init phase certs <name>`, `kubeadm init phase kubeconfig <name>`), not a renewal alone.
// openssl confirms, outside our code, that each fixture's fault is such an attribute.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { auditControlPlane } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { editTree, KUBEADM_AT, KUBEADM_DIR, kubeadmTree } from "./helpers/kubeadm-tree.ts";

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");
const openssl = (...args: string[]) => {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  return `${r.stdout}${r.stderr}`;
};
const messages = async (tree: Map<string, Uint8Array>, code: string) =>
  (await auditControlPlane(tree, { at: KUBEADM_AT, subtle: crypto.subtle })).findings.filter((f) => f.code === code).map((f) => f.message);

withOpenssl("repair advice for a fault a renewal keeps", () => {
  it("front-proxy-cn: CN front-proxy is kept by a renewal, so init phase certs front-proxy-client", async () => {
    const crt = join(KUBEADM_DIR, "front-proxy-cn/pki/front-proxy-client.crt");
    expect(openssl("x509", "-in", crt, "-noout", "-subject")).toMatch(/CN\s*=\s*front-proxy\s*$/m);
    const [m] = await messages(kubeadmTree("front-proxy-cn"), "cluster.front-proxy-name-not-allowed");
    expect(m).toContain("kubeadm init phase certs front-proxy-client");
  });

  it("peer-server-only: serverAuth alone is kept by a renewal, so init phase certs etcd-peer", async () => {
    const crt = join(KUBEADM_DIR, "peer-server-only/pki/etcd/peer.crt");
    const eku = openssl("x509", "-in", crt, "-noout", "-ext", "extendedKeyUsage");
    expect(eku).toContain("TLS Web Server Authentication");
    expect(eku).not.toContain("TLS Web Client Authentication");
    const [m] = await messages(kubeadmTree("peer-server-only"), "cluster.etcd-peer-refused");
    expect(m).toContain("kubeadm init phase certs etcd-peer");
  });

  it("a kubeconfig host the API server's certificate lacks: init phase certs apiserver with certSANs", async () => {
    const host = "cp-lb.example.com";
    const crt = join(KUBEADM_DIR, "base/pki/apiserver.crt");
    expect(openssl("x509", "-in", crt, "-noout", "-checkhost", host)).toContain("does NOT match certificate");
    const tree = editTree("base", "scheduler.conf", (t) => t.replace("https://192.168.56.10:6443", `https://${host}:6443`));
    const [m] = await messages(tree, "cluster.serving-untrusted");
    expect(m).toContain(host);
    expect(m).toContain("apiServer.certSANs");
    expect(m).toContain("kubeadm init phase certs apiserver");
  });

  it("controller-manager.conf with the scheduler's identity: init phase kubeconfig, not a renewal", async () => {
    const scheduler = new TextDecoder().decode(kubeadmTree("base").get("scheduler.conf"));
    const user = (t: string, field: string) => new RegExp(`^\\s*${field}: (\\S+)$`, "m").exec(t)![1]!;
    const tree = editTree("base", "controller-manager.conf", (t) =>
      ["client-certificate-data", "client-key-data"].reduce((s, f) => s.replace(user(s, f), user(scheduler, f)), t),
    );
    const pem = Buffer.from(user(new TextDecoder().decode(tree.get("controller-manager.conf")), "client-certificate-data"), "base64");
    const subject = spawnSync("openssl", ["x509", "-noout", "-subject"], { input: pem, encoding: "utf8" }).stdout;
    expect(subject).toMatch(/CN\s*=\s*system:kube-scheduler/);
    const [m] = await messages(tree, "cluster.identity-wrong");
    expect(m).toContain("kubeadm init phase kubeconfig");
    expect(m).toContain("keeps the CN and O");
  });
});
