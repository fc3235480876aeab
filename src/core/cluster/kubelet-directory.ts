// What a kubelet's directory (/var/lib/kubelet) is and what of it is read, one rule for every
// surface: the CLI recognises a local directory by it (src/cli/directories.ts), the API and the
// form an uploaded folder (src/http/kubelet-placement.ts). It is recognised by its content: a
// config.yaml that is a KubeletConfiguration, or the kubelet's own files in pki/. Only
// config.yaml, kubeadm-flags.env and pki/ are read: pods/ holds the Pods' Secret volumes.

/** Where the kubelet's directory goes in a tree (kubelet.conf and config.yaml name it so). */
export const KUBELET_TREE_ROOT = "var/lib/kubelet";

/** The files of the kubelet's directory that are read, besides pki/. */
export const KUBELET_TOP_FILES = ["config.yaml", "kubeadm-flags.env"] as const;

/** Files in pki/ that only a kubelet writes (its serving pair and its rotated certificates). */
const KUBELET_OWN_PKI = ["kubelet.crt", "kubelet-client-current.pem", "kubelet-server-current.pem"];

const dec = new TextDecoder("utf-8", { fatal: false });

/**
 * Is this a kubelet's directory? `read` gives a file's bytes by its path relative to the
 * directory (undefined when absent), `has` whether a file is there.
 */
export function isKubeletDirectory(read: (rel: string) => Uint8Array | undefined, has: (rel: string) => boolean): boolean {
  const config = read("config.yaml");
  if (config && /^kind:\s*KubeletConfiguration\s*$/m.test(dec.decode(config))) return true;
  return KUBELET_OWN_PKI.some((f) => has(`pki/${f}`));
}

/** Is this path (relative to the kubelet's directory) one that is read? */
export function keptInKubeletDirectory(rel: string): boolean {
  return (KUBELET_TOP_FILES as readonly string[]).includes(rel) || rel.startsWith("pki/");
}
