// Files of the upload that no component loads are named in the assumptions, not passed over while the
// report says it is complete. kubeadm makes etcd/healthcheck-client.{crt,key} (certlist.go
// KubeadmCertEtcdHealthcheck, for etcdctl) and front-proxy-ca.key, and no static Pod flag names them
// (manifests.go getAPIServerCommand / getControllerManagerCommand, etcd/local.go getEtcdCommand): the
// test reads the fixture's manifests as text to confirm that, outside our flag reader.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { auditControlPlane } from "../../src/core/cluster/index.ts";
import { uploadableTree } from "../../src/core/cluster/keyless-tree.ts";
import { KUBEADM_AT, KUBEADM_DIR, kubeadmTree, nodeTree } from "./helpers/kubeadm-tree.ts";

const notChecked = async (tree: Map<string, Uint8Array>) => {
  const r = await auditControlPlane(tree, { at: KUBEADM_AT, subtle: crypto.subtle });
  const line = r.assumptions.find((a) => a.startsWith("not checked"));
  return line ? line.slice(line.indexOf(": ") + 2).split(", ") : [];
};

it("base: the etcd healthcheck-client pair and front-proxy-ca.key are said to be unchecked, and they are in no manifest", async () => {
  const named = await notChecked(kubeadmTree("base"));
  expect(named).toEqual(
    expect.arrayContaining(["pki/etcd/healthcheck-client.crt", "pki/etcd/healthcheck-client.key", "pki/front-proxy-ca.key"]),
  );
  const manifests = readdirSync(join(KUBEADM_DIR, "base/manifests"))
    .map((f) => readFileSync(join(KUBEADM_DIR, "base/manifests", f), "utf8"))
    .join("\n");
  for (const p of named) {
    expect(() => readFileSync(join(KUBEADM_DIR, "base", p))).not.toThrow();
    expect(manifests).not.toContain(`/etc/kubernetes/${p}`);
  }
  // Every file a manifest flag names is not among them.
  for (const m of manifests.matchAll(/=\/etc\/kubernetes\/(\S+\.(?:crt|key|pub))/g)) expect(named).not.toContain(m[1]);
});

it("a copy of a file read (the dated client pem kubelet-client-current.pem links to, read through kubelet-finalized's kubelet.conf) is not listed", async () => {
  const pki = join(KUBEADM_DIR, "kubelet/base/pki");
  const dated = readdirSync(pki).find((f) => /^kubelet-client-\d{4}-/.test(f))!;
  expect(readFileSync(join(pki, dated)).equals(readFileSync(join(pki, "kubelet-client-current.pem")))).toBe(true);
  expect(await notChecked(nodeTree("kubelet-finalized", "base"))).not.toContain(`var/lib/kubelet/pki/${dated}`);
});

it("uploaded without keys (each key as its public key's SHA-256, as the CLI and the form send it): the same files are named", async () => {
  const tree = kubeadmTree("base");
  const { files } = await uploadableTree(tree, crypto.subtle);
  expect([...files.keys()].some((p) => p.endsWith(".key.pubsha256"))).toBe(true);
  expect(await notChecked(files)).toEqual(await notChecked(tree));
});
