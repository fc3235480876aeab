// A tar of the kubelet's directory that does not start at / (GNU tar, as a user would run it):
// `tar -C /var/lib -czf - kubelet`, `tar -C /var/lib/kubelet -czf - config.yaml pki` and
// `tar -czf - -C /etc kubernetes -C /var/lib kubelet` all place the kubelet's files at
// /var/lib/kubelet, as `certaudit /etc/kubernetes /var/lib/kubelet` does (src/cli/directories.ts:
// the directory recognised by its config.yaml or its pki/ files). Expectation: the local audit of
// the same directories, and the fixture's own files (make-node.sh).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { readDirectories } from "../../src/cli/directories.ts";
import { controlPlaneReport } from "../../src/core/cluster/index.ts";
import { KUBEADM_DIR } from "../core/helpers/kubeadm-tree.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { postAudit } from "./helpers/post-audit.ts";

const AT = "2026-11-01T00:00:00Z";
const haveTar = toolWorks("tar", ["--version"]);
const withTar = describeWithTool("tar", haveTar, "apt-get install tar");

function nodeRoot(cp: string, kubelet: string): string {
  const root = mkdtempSync(join(tmpdir(), "certaudit-place-"));
  cpSync(join(KUBEADM_DIR, cp), join(root, "etc/kubernetes"), { recursive: true });
  cpSync(join(KUBEADM_DIR, "kubelet", kubelet), join(root, "var/lib/kubelet"), { recursive: true, verbatimSymlinks: true });
  // A Pod's Secret volume: never read, locally or uploaded.
  mkdirSync(join(root, "var/lib/kubelet/pods/p1/volumes"), { recursive: true });
  writeFileSync(join(root, "var/lib/kubelet/pods/p1/volumes/token"), "pod-secret-test-only");
  return root;
}
const tar = (args: string[]) => {
  const r = spawnSync("tar", ["--dereference", "--hard-dereference", "-czf", "-", ...args], { maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return new Uint8Array(r.stdout);
};
const post = (body: Uint8Array) => postAudit(body as Uint8Array<ArrayBuffer>, "application/gzip", AT);
const verdicts = (j: any) => j.cluster.edges.map((e: any) => `${e.relation} ${e.from} → ${e.to}: ${e.verdict}`);
const paths = (j: any) => j.cluster.files.map((f: any) => f.path) as string[];
const kubeletAssumed = (j: any) => j.cluster.assumptions.some((a: string) => a.startsWith("the kubelet runs with kubeadm's"));

withTar("a kubelet directory in a tar that does not start at / is placed by its content", () => {
  it("tar -C /etc kubernetes -C /var/lib kubelet: the edges the local directories give", async () => {
    const root = nodeRoot("kubelet-ca", "base");
    const r = await post(tar(["-C", join(root, "etc"), "kubernetes", "-C", join(root, "var/lib"), "kubelet"]));
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const local = await controlPlaneReport(readDirectories([join(root, "etc/kubernetes"), join(root, "var/lib/kubelet")], "/"), {
      at: new Date(AT),
      subtle: crypto.subtle,
    });
    expect(verdicts(r.json)).toEqual(verdicts(local));
    expect(paths(r.json)).toContain("var/lib/kubelet/pki/kubelet.crt");
    expect(kubeletAssumed(r.json)).toBe(false);
    // kubelet-ca refuses the self-signed kubelet.crt (make-node.sh): found only if the kubelet's file was placed.
    expect(r.json.cluster.edges.find((e: any) => e.relation === "kubelet-serving").verdict).toBe("broken");
    expect(JSON.stringify(r.json)).not.toContain("pods/");
  });

  it("tar -C /var/lib kubelet (the one top folder kubelet/) and tar -C /var/lib/kubelet config.yaml pki (no top folder)", async () => {
    const root = nodeRoot("base", "base");
    for (const args of [
      ["-C", join(root, "var/lib"), "kubelet"],
      ["-C", join(root, "var/lib/kubelet"), "config.yaml", "kubeadm-flags.env", "pki"],
      ["-C", join(root, "var/lib/kubelet"), "."],
    ]) {
      const r = await post(tar(args));
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(paths(r.json)).toContain("var/lib/kubelet/pki/kubelet.crt");
      expect(paths(r.json).filter((p) => !p.startsWith("var/lib/kubelet/"))).toEqual([]);
      expect(kubeletAssumed(r.json)).toBe(false);
    }
  });

  it("a control plane alone (tar -C /etc kubernetes) is still read as /etc/kubernetes", async () => {
    const root = nodeRoot("base", "base");
    const r = await post(tar(["-C", join(root, "etc"), "kubernetes"]));
    expect(r.status).toBe(200);
    expect(paths(r.json)).toContain("pki/ca.crt");
    expect(kubeletAssumed(r.json)).toBe(true);
  });
});
