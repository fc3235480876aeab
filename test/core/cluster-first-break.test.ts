// The report's firstBreak: which edge breaks first, and when (cluster-schema.ts firstBreak).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { auditControlPlane } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { KUBEADM_AT, KUBEADM_DIR, kubeadmTree } from "./helpers/kubeadm-tree.ts";

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");
const openssl = (...args: string[]) => {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  return `${r.stdout}${r.stderr}`;
};

// firstBreak.at is when the first edge breaks. openssl says when each is refused: apiserver-etcd-client.crt of
// rotated-etcd-ca does not verify against etcd's --trusted-ca-file (so etcd refuses it now, though openssl
// -enddate puts its notAfter at 2027-08-20); expired-etcd-client's expired on its -enddate, before the validation time.
withOpenssl("firstBreak.at: when the first edge breaks", () => {
  const pki = (variant: string, file: string) => join(KUBEADM_DIR, variant, "pki", file);
  const enddate = (crt: string) =>
    new Date(
      openssl("x509", "-in", crt, "-noout", "-enddate")
        .replace(/^notAfter=/, "")
        .trim(),
    );
  const verifies = (variant: string) =>
    spawnSync("openssl", [
      "verify",
      "-purpose",
      "sslclient",
      "-attime",
      String(KUBEADM_AT.getTime() / 1000),
      "-CAfile",
      pki(variant, "etcd/ca.crt"),
      pki(variant, "apiserver-etcd-client.crt"),
    ]).status === 0;
  const first = async (variant: string) => {
    const r = await auditControlPlane(kubeadmTree(variant), { at: KUBEADM_AT, subtle: crypto.subtle });
    return { edge: r.edges[r.firstBreak!.edge]!, at: r.firstBreak!.at };
  };

  it("rotated-etcd-ca: the etcd client, broken now although its certificate runs until its notAfter", async () => {
    expect(verifies("rotated-etcd-ca")).toBe(false);
    expect(enddate(pki("rotated-etcd-ca", "apiserver-etcd-client.crt")).getTime()).toBeGreaterThan(KUBEADM_AT.getTime());
    const { edge, at } = await first("rotated-etcd-ca");
    expect(edge.relation).toBe("etcd-client");
    expect(at).toBe(KUBEADM_AT.toISOString().replace(".000Z", "Z"));
  });

  it("expired-etcd-client: the etcd client, broken since its notAfter", async () => {
    const end = enddate(pki("expired-etcd-client", "apiserver-etcd-client.crt"));
    expect(end.getTime()).toBeLessThan(KUBEADM_AT.getTime());
    const { edge, at } = await first("expired-etcd-client");
    expect(edge.relation).toBe("etcd-client");
    expect(at).toBe(end.toISOString().replace(".000Z", "Z"));
  });

  it("base: nothing broken, the first notAfter (openssl -enddate of apiserver.crt)", async () => {
    expect(verifies("base")).toBe(true);
    const { at } = await first("base");
    expect(at).toBe(enddate(pki("base", "apiserver.crt")).toISOString().replace(".000Z", "Z"));
  });
});
