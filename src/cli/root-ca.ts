// --root-ca FILE: the cluster CA that every kube-root-ca.crt must hold. FILE is a PEM file
// (kube-controller-manager's --root-ca-file, e.g. /etc/kubernetes/pki/ca.crt), or a kubeconfig:
// then the CA of its current context's cluster (certificate-authority-data, or the
// certificate-authority file relative to the kubeconfig, as kubectl reads it), which is the CA
// kubectl verifies the API server with, as Pods do with kube-root-ca.crt.
import { dirname, resolve } from "node:path";
import { decodeBase64 } from "../core/encoding/pem.ts";
import { Findings } from "../core/findings/index.ts";
import { readKubeconfig } from "../core/input/kubeconfig.ts";
import { parseYaml } from "../core/input/yaml.ts";

const decoder = new TextDecoder("utf-8", { fatal: false });

/** The CA's PEM and where it came from; a string is why it cannot be had. */
export function rootCaOf(bytes: Uint8Array, path: string, readFile: (p: string) => Uint8Array): { pem: Uint8Array; from: string } | string {
  const text = decoder.decode(bytes);
  if (!/^clusters\s*:/m.test(text)) return { pem: bytes, from: path };
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return `${path} looks like a kubeconfig but cannot be read`;
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return `${path} is not a kubeconfig`;
  const kc = readKubeconfig(doc as Record<string, unknown>, new Findings());
  const ctx = kc.contexts.find((c) => c.name === kc.currentContext) ?? kc.contexts[0];
  const cluster = kc.clusters.find((c) => c.name === ctx?.cluster);
  if (cluster?.caData) {
    const pem = decodeBase64(cluster.caData);
    return pem
      ? { pem, from: `${path} (certificate-authority-data of cluster ${cluster.name})` }
      : `${path}: certificate-authority-data is not base64`;
  }
  if (cluster?.caFile)
    return { pem: readFile(resolve(dirname(path), cluster.caFile)), from: `${path} (certificate-authority ${cluster.caFile})` };
  return `${path}: the current context's cluster has no certificate-authority`;
}
