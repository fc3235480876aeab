// A control-plane directory as the core sees it: relative path → bytes. Paths named in flags
// (absolute, under /etc/kubernetes/ as kubeadm writes them) are mapped onto the uploaded tree.
export type ControlPlaneTree = ReadonlyMap<string, Uint8Array>;

/** kubeadm's directory (kubeadmconstants.KubernetesDir); an upload of it is rooted here. */
export const KUBERNETES_DIR = "/etc/kubernetes/";

/** A tree with its paths relative to /etc/kubernetes ("pki/ca.crt", "manifests/etcd.yaml"). */
export function normalizeTree(files: Iterable<[string, Uint8Array]>): ControlPlaneTree {
  const out = new Map<string, Uint8Array>();
  for (const [p, bytes] of files) out.set(treePath(p), bytes);
  return out;
}

/** Where a path a flag names lives in the upload: /etc/kubernetes/x → x; another absolute path keeps its place from the root. */
export function treePath(path: string): string {
  let p = path.replace(/\\/g, "/");
  if (p.startsWith(KUBERNETES_DIR)) p = p.slice(KUBERNETES_DIR.length);
  else if (p.startsWith("etc/kubernetes/")) p = p.slice("etc/kubernetes/".length);
  while (p.startsWith("./")) p = p.slice(2);
  return p.replace(/^\/+/, "");
}

const decoder = new TextDecoder("utf-8", { fatal: false });

export function fileText(tree: ControlPlaneTree, path: string): string | null {
  const b = tree.get(treePath(path));
  return b ? decoder.decode(b) : null;
}
