// An uploaded directory tree whose kubelet directory did not arrive at var/lib/kubelet/:
// `tar -C /var/lib -czf - kubelet`, `tar -C /var/lib/kubelet -czf - .`, or
// `tar -czf - -C /etc kubernetes -C /var/lib kubelet`. The kubelet's directory is recognised by its
// content, by the rule the CLI uses too (src/core/cluster/kubelet-directory.ts), and placed at
// var/lib/kubelet/, where kubelet.conf and config.yaml point, with only the files that rule keeps.
import { isKubeletDirectory, KUBELET_TREE_ROOT, keptInKubeletDirectory } from "../core/cluster/kubelet-directory.ts";

type Tree = Map<string, Uint8Array>;

/** A kubelet root directory's tree (paths relative to it). */
export function looksLikeKubeletTree(files: Tree): boolean {
  return isKubeletDirectory(
    (p) => files.get(p),
    (p) => files.has(p),
  );
}

function asKubelet(files: Tree): Tree {
  return new Map([...files].filter(([p]) => keptInKubeletDirectory(p)).map(([p, b]) => [`${KUBELET_TREE_ROOT}/${p}`, b]));
}

/**
 * The tree with a misplaced kubelet directory moved to var/lib/kubelet/; `rest` places what
 * remains (the single top folder stripped, as before). A tree already rooted at / is left alone.
 */
export function placeKubeletDirectory(files: Tree, rest: (t: Tree) => Tree): Tree {
  const tops = new Map<string, Tree>();
  for (const [p, b] of files) {
    const i = p.indexOf("/");
    const top = i < 0 ? "" : p.slice(0, i);
    if (!tops.has(top)) tops.set(top, new Map());
    tops.get(top)!.set(i < 0 ? p : p.slice(i + 1), b);
  }
  if (tops.has("etc") || tops.has("var")) return rest(files);
  // The kubelet's directory itself at the root of the upload.
  if (!tops.has("manifests") && looksLikeKubeletTree(files)) return asKubelet(files);
  const out: Tree = new Map();
  const other: Tree = new Map();
  for (const [top, sub] of tops) {
    if (top !== "" && top !== "pki" && top !== "manifests" && looksLikeKubeletTree(sub)) for (const [p, b] of asKubelet(sub)) out.set(p, b);
    else for (const [p, b] of sub) other.set(top === "" ? p : `${top}/${p}`, b);
  }
  for (const [p, b] of rest(other)) out.set(p, b);
  return out;
}
