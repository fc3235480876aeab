// A broken edge's line in the renewal plan is due now and names the repair its finding names,
// never a renewal dated at the certificate's notAfter (which would say: wait until then). The
// edges are broken now by openssl's word: `openssl verify -purpose sslclient|sslserver` of the
// presented certificate against the CA the verifying component trusts (etcd's --trusted-ca-file
// and --peer-trusted-ca-file, kubeadm's etcd/local.go: both pki/etcd/ca.crt), at the audit time;
// the dates come from openssl -enddate.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { auditControlPlane } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { KUBEADM_AT, KUBEADM_DIR, kubeadmTree } from "./helpers/kubeadm-tree.ts";

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");
const at = KUBEADM_AT.toISOString().replace(".000Z", "Z");
const attime = String(Math.floor(KUBEADM_AT.getTime() / 1000));
const file = (variant: string, path: string) => join(KUBEADM_DIR, variant, path);
const verifies = (variant: string, purpose: string, cert: string) =>
  spawnSync("openssl", ["verify", "-attime", attime, "-purpose", purpose, "-CAfile", file(variant, "pki/etcd/ca.crt"), file(variant, cert)])
    .status === 0;
const notAfter = (variant: string, cert: string) =>
  new Date(
    /notAfter=(.*)/.exec(
      spawnSync("openssl", ["x509", "-noout", "-enddate", "-in", file(variant, cert)], { encoding: "utf8" }).stdout,
    )![1]!,
  )
    .toISOString()
    .replace(".000Z", "Z");

withOpenssl("a broken edge's plan line is due now with its finding's repair", () => {
  it.each([
    ["rotated-etcd-ca", "pki/apiserver-etcd-client.crt", ["sslclient"], "kubeadm certs renew apiserver-etcd-client"],
    ["peer-other-ca", "pki/etcd/peer.crt", ["sslclient", "sslserver"], "kubeadm certs renew etcd-peer"],
  ])("%s: %s", async (variant, cert, purposes, renew) => {
    for (const p of purposes) expect(verifies(variant, p, cert)).toBe(false);
    const r = await auditControlPlane(kubeadmTree(variant), { at: KUBEADM_AT, subtle: crypto.subtle });
    const lines = r.renewals.filter((x) => x.command.includes(renew));
    // One line, due at the validation time, quoting the command the broken edge's finding names.
    expect(lines).toHaveLength(1);
    expect(lines[0]!.before).toBe(at);
    const broken = r.edges.filter((e) => e.verdict === "broken");
    expect(broken.some((e) => e.findings.some((f) => f.message.includes(`\`${renew}\``)))).toBe(true);
    expect(lines[0]!.command).toContain(`\`${renew}\``);
    // No line waits for the certificate's notAfter.
    expect(r.renewals.some((x) => x.before === notAfter(variant, cert) && x.command.includes(renew))).toBe(false);
  });

  it("peer-other-ca: the repair says what a renewal cannot fix (kubeadm renewal/manager.go certToConfig keeps the usages)", async () => {
    const r = await auditControlPlane(kubeadmTree("peer-other-ca"), { at: KUBEADM_AT, subtle: crypto.subtle });
    const line = r.renewals.find((x) => x.before === at)!;
    expect(line.command).toContain("kubeadm init phase certs etcd-peer");
    expect(line.command).toContain("restart the etcd static Pod");
  });

  it("base: nothing is broken (openssl verifies the etcd client), so no line is due now", async () => {
    expect(verifies("base", "sslclient", "pki/apiserver-etcd-client.crt")).toBe(true);
    const r = await auditControlPlane(kubeadmTree("base"), { at: KUBEADM_AT, subtle: crypto.subtle });
    expect(r.renewals.filter((x) => x.before === at)).toEqual([]);
    const line = r.renewals.find((x) => x.command === "kubeadm certs renew apiserver-etcd-client")!;
    expect(line.before).toBe(notAfter("base", "pki/apiserver-etcd-client.crt"));
  });
});
