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
import { readTree } from "./cluster.ts";

const KUBELET_ROOT = "var/lib/kubelet";
const KUBELET_FILES = ["kubelet.crt", "kubelet-client-current.pem", "kubelet-server-current.pem"];

/** A kubelet root directory: config.yaml is a KubeletConfiguration, or pki/ holds the kubelet's own files. */
export function looksLikeKubeletDir(dir: string): boolean {
  const config = join(dir, "config.yaml");
  if (existsSync(config) && statSync(config).isFile() && /^kind:\s*KubeletConfiguration\s*$/m.test(readFileSync(config, "utf8")))
    return true;
  return KUBELET_FILES.some((f) => existsSync(join(dir, "pki", f)));
}

/** The kubelet directory's config.yaml and pki/, as var/lib/kubelet/... */
function kubeletFiles(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const name of ["config.yaml", "kubeadm-flags.env"]) {
    const file = join(dir, name);
    if (existsSync(file) && statSync(file).isFile()) out.set(`${KUBELET_ROOT}/${name}`, new Uint8Array(readFileSync(file)));
  }
  const pki = join(dir, "pki");
  if (existsSync(pki) && statSync(pki).isDirectory())
    for (const [p, b] of readTree(pki)) out.set(`${KUBELET_ROOT}/pki/${p.replace(/\\/g, "/")}`, b);
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
