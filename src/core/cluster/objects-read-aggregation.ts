// The objects of the aggregation layer and of the cluster CA that a wider `kubectl get ... -A -o
// yaml` prints: APIServices (apiregistration.k8s.io/v1: spec.service, spec.caBundle,
// spec.insecureSkipTLSVerify), the `kube-root-ca.crt` ConfigMap of each namespace (data `ca.crt`,
// published by kube-controller-manager's root-ca-cert-publisher from --root-ca-file) and
// `kube-system/extension-apiserver-authentication` (written by kube-apiserver: client-ca-file,
// requestheader-client-ca-file, requestheader-allowed-names). Their certificates become files of
// the tree (`apiservices/<name>/caBundle`, `configmaps/<ns>/<name>/<key>`).
import { decodeBase64 } from "../encoding/pem.ts";

export const AGGREGATION_KINDS = ["APIService", "ConfigMap"];

export interface ApiService {
  name: string;
  /** null for a local APIService (served by kube-apiserver itself). */
  service: { name: string; namespace: string } | null;
  insecure: boolean;
  /** cert-manager.io/inject-ca-from: `<namespace>/<certificate>`. */
  injectFrom: string | null;
  /** Tree path of the decoded caBundle; null when it has none. */
  caBundle: string | null;
}

export interface RootCa {
  namespace: string;
  /** Tree path of data `ca.crt`; null when the ConfigMap has none. */
  path: string | null;
}

export interface ExtensionAuth {
  /** Tree paths of client-ca-file and requestheader-client-ca-file (null when absent). */
  clientCa: string | null;
  requestHeaderCa: string | null;
  /** requestheader-allowed-names as kube-apiserver writes it (a JSON array); null when absent or unreadable. */
  allowedNames: string[] | null;
}

export interface AggregationObjects {
  apiServices: ApiService[];
  rootCas: RootCa[];
  extensionAuth: ExtensionAuth | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const encoder = new TextEncoder();
/** A name as one tree path segment: Kubernetes names hold no "/", but the input may ("a/b" must not be "a" then "b"). */
export const seg = (s: string): string => encodeURIComponent(s);

function allowedNames(text: string | null): string[] | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((n) => typeof n === "string") ? v : null;
  } catch {
    return null;
  }
}

/**
 * Reads an APIService or one of the two ConfigMaps into `out` and the tree; false for an object
 * of these kinds that is not audited (any other ConfigMap), so the caller names it as skipped.
 */
export function readAggregationObject(item: Obj, tree: Map<string, Uint8Array>, out: AggregationObjects): boolean {
  const meta = isObj(item.metadata) ? item.metadata : {};
  const name = str(meta.name) ?? "?";
  const namespace = str(meta.namespace) ?? "default";
  if (item.kind === "APIService") {
    const spec = isObj(item.spec) ? item.spec : {};
    const svc = isObj(spec.service) ? spec.service : null;
    const bundle = str(spec.caBundle);
    const path = `apiservices/${seg(name)}/caBundle`;
    if (bundle !== null && bundle !== "") tree.set(path, decodeBase64(bundle) ?? encoder.encode("(not base64)"));
    const annotations = isObj(meta.annotations) ? meta.annotations : {};
    out.apiServices.push({
      name,
      service: svc ? { name: str(svc.name) ?? "?", namespace: str(svc.namespace) ?? "default" } : null,
      insecure: spec.insecureSkipTLSVerify === true,
      injectFrom: str(annotations["cert-manager.io/inject-ca-from"]),
      caBundle: bundle === null || bundle === "" ? null : path,
    });
    return true;
  }
  if (item.kind !== "ConfigMap") return true;
  const data = isObj(item.data) ? item.data : {};
  const file = (key: string): string | null => {
    const v = str(data[key]);
    if (v === null) return null;
    const path = `configmaps/${seg(namespace)}/${seg(name)}/${key}`;
    tree.set(path, encoder.encode(v));
    return path;
  };
  if (name === "kube-root-ca.crt") {
    out.rootCas.push({ namespace, path: file("ca.crt") });
    return true;
  }
  if (name === "extension-apiserver-authentication" && namespace === "kube-system") {
    out.extensionAuth = {
      clientCa: file("client-ca-file"),
      requestHeaderCa: file("requestheader-client-ca-file"),
      allowedNames: allowedNames(str(data["requestheader-allowed-names"])),
    };
    return true;
  }
  return false;
}
