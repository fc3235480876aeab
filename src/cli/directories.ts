// `certaudit /etc/kubernetes /var/lib/kubelet`: several directories of one node, each placed in the
// tree where the flags and config files name it, so their absolute paths resolve:
// - the kubelet's directory (it holds a KubeletConfiguration config.yaml or the kubelet's pki/
//   files) goes to /var/lib/kubelet, where kubeadm's kubelet.conf and config.yaml point; only its
//   config.yaml, kubeadm-flags.env and pki/ are read (pods/ holds the Pods' Secret volumes: never read);
// - the first other directory is /etc/kubernetes (paths relative to it, as `certaudit DIR` always was);
// - any further directory keeps its own absolute path (a flag naming /etc/custom/ca.crt finds it).
// Links are followed as the components follow them: kubelet-client-current.pem is read as the file
// it points to (and uploaded with --endpoint as a regular file of that content).
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { isKubeletDirectory, KUBELET_TOP_FILES, KUBELET_TREE_ROOT } from "../core/cluster/kubelet-directory.ts";
import { readTree } from "./cluster.ts";

/** A kubelet root directory, by the content rule every surface uses (core/cluster/kubelet-directory.ts). */
export function looksLikeKubeletDir(dir: string): boolean {
  const file = (rel: string) => {
    const p = join(dir, rel);
    return existsSync(p) && statSync(p).isFile();
  };
  return isKubeletDirectory(
    (rel) => (file(rel) ? new Uint8Array(readFileSync(join(dir, rel))) : undefined),
    (rel) => existsSync(join(dir, rel)),
  );
}

/** The kubelet directory's files that are read (config.yaml, kubeadm-flags.env, pki/), as var/lib/kubelet/... */
function kubeletFiles(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const name of KUBELET_TOP_FILES) {
    const file = join(dir, name);
    if (existsSync(file) && statSync(file).isFile()) out.set(`${KUBELET_TREE_ROOT}/${name}`, new Uint8Array(readFileSync(file)));
  }
  const pki = join(dir, "pki");
  if (existsSync(pki) && statSync(pki).isDirectory())
    for (const [p, b] of readTree(pki)) out.set(`${KUBELET_TREE_ROOT}/pki/${p.replace(/\\/g, "/")}`, b);
  return out;
}

/** The directories as one tree (see the head of this file); `roots` are resolved against `cwd`. */
export function readDirectories(roots: string[], cwd: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let kubernetesDir = false;
  for (const root of roots.map((r) => resolve(cwd, r))) {
    let files: Map<string, Uint8Array>;
    if (looksLikeKubeletDir(root)) files = kubeletFiles(root);
    else if (!kubernetesDir) {
      kubernetesDir = true;
      files = readTree(root);
    } else {
      const prefix = root
        .replace(/\\/g, "/")
        .replace(/^[A-Za-z]:/, "")
        .replace(/^\/+/, "");
      files = new Map([...readTree(root)].map(([p, b]) => [`${prefix}/${p.replace(/\\/g, "/")}`, b]));
    }
    for (const [p, b] of files) out.set(p, b);
  }
  return out;
}
