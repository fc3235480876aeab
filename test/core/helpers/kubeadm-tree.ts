// The kubeadm fixtures (test/fixtures/kubeadm/make.sh) as the core takes them: relative path → bytes.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const KUBEADM_DIR = fileURLToPath(new URL("../../fixtures/kubeadm/", import.meta.url));
export const KUBEADM_VARIANTS = [
  "base",
  "expired-etcd-client",
  "rotated-etcd-ca",
  "signing-ca-untrusted",
  "front-proxy-cn",
  "sa-mismatch",
  "no-service-ip-san",
  "peer-other-ca",
  "peer-server-only",
] as const;
/** Inside every fixture's validity (leaves 2025-09-01 .. 2027-08-20; make.sh). */
export const KUBEADM_AT = new Date("2026-11-01T00:00:00Z");

export function kubeadmTree(variant: string): Map<string, Uint8Array> {
  const root = join(KUBEADM_DIR, variant);
  const out = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), new Uint8Array(readFileSync(p)));
    }
  };
  walk(root);
  return out;
}

/** A copy of a fixture tree with one file's text edited (or the file removed when `edit` returns null). */
export function editTree(variant: string, path: string, edit: (text: string) => string | null): Map<string, Uint8Array> {
  const t = kubeadmTree(variant);
  const text = new TextDecoder().decode(t.get(path) ?? new Uint8Array());
  const next = edit(text);
  if (next === null) t.delete(path);
  else t.set(path, new TextEncoder().encode(next));
  return t;
}

/** The kubelet's directories of make-node.sh (test/fixtures/kubeadm/kubelet/NAME, laid out as /var/lib/kubelet). */
export const KUBELET_VARIANTS = ["base", "client-ca-other", "serving-bootstrap"] as const;

/** A control-plane fixture with a kubelet directory under var/lib/kubelet/, as `certaudit DIR /var/lib/kubelet` reads them. */
export function nodeTree(variant: string, kubelet: string): Map<string, Uint8Array> {
  const t = kubeadmTree(variant);
  for (const [p, b] of kubeadmTree(`kubelet/${kubelet}`)) t.set(`var/lib/kubelet/${p}`, b);
  return t;
}
