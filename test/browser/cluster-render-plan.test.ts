// The form's renewal plan: a line due at the validation time reads "now" (an edge broken now,
// repaired as its finding says), a later one "before <date>". rotated-etcd-ca's etcd client is
// broken now by openssl verify (etcd's --trusted-ca-file, TLS client purpose, at the validation
// time); base's holds, and its renewal is due before the date openssl reads.
import { describe, expect, it } from "vitest";
import { controlPlaneReport } from "../../src/core/cluster/index.ts";
import { renderReport } from "../../src/http/ui/report.tsx";
import { KUBEADM_AT, kubeadmTree } from "../core/helpers/kubeadm-tree.ts";
import { needTool } from "../node/helpers/tools.ts";
import { etcdClientAccepted, notAfter } from "./openssl-edges.ts";

const plan = async (variant: string) => {
  const html = renderReport(await controlPlaneReport(kubeadmTree(variant), { at: KUBEADM_AT, subtle: crypto.subtle }));
  const list = /<ol class="renewals">(.*?)<\/ol>/s.exec(html)![1]!;
  return [...list.matchAll(/<li>(.*?)<\/li>/gs)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, "")
      .replace(/\s+/g, " ")
      .trim(),
  );
};

describe("the form's renewal plan", () => {
  it("rotated-etcd-ca: the etcd client's repair is due now", async (ctx) => {
    needTool(ctx, "openssl");
    expect(etcdClientAccepted("rotated-etcd-ca")).toBe(false);
    const lines = await plan("rotated-etcd-ca");
    const etcd = lines.filter((l) => l.includes("kubeadm certs renew apiserver-etcd-client"));
    expect(etcd).toHaveLength(1);
    expect(etcd[0]).toMatch(/^now: /);
  });

  it("base: the etcd client's renewal is due before its notAfter", async (ctx) => {
    needTool(ctx, "openssl");
    expect(etcdClientAccepted("base")).toBe(true);
    const day = notAfter("base", "pki/apiserver-etcd-client.crt").slice(0, 10);
    const lines = await plan("base");
    expect(lines.some((l) => l.startsWith("now"))).toBe(false);
    expect(lines).toContain(`before ${day}: kubeadm certs renew apiserver-etcd-client, then restart kube-apiserver`);
  });
});
