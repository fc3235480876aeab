// Which component or Kubernetes object each end of an edge is: the diagram's boxes, as data, so
// a reader of the report need not parse `from`/`to`. Derived in one place (newEdge) from the
// names the edge checks write; a check may set `fromNode`/`toNode` itself instead.

/** The programs (and users) on either end of a control plane's edges. */
export type ComponentId =
  | "kube-apiserver"
  | "kube-controller-manager"
  | "kube-scheduler"
  | "etcd"
  | "kubelet"
  | "kubectl"
  | "pods"
  | "extension-apiservers";

export type EdgeNode =
  | { type: "component"; id: ComponentId }
  /** name: `<namespace>/<name>` for a namespaced object, `<name>` for a cluster-scoped one. */
  | { type: "object"; kind: string; name: string };

/** How an end's name starts, for each component (edges-*.ts and identity.ts write these names). */
const COMPONENT_NAMES: [RegExp, ComponentId][] = [
  [/^kube-apiserver\b/, "kube-apiserver"],
  [/^kube-controller-manager\b/, "kube-controller-manager"],
  [/^kube-scheduler\b/, "kube-scheduler"],
  [/^etcd\b/, "etcd"],
  [/^kubelet\b/, "kubelet"],
  [/^kubectl\b/, "kubectl"],
  [/^Pods\b/, "pods"],
  [/^extension API servers\b/, "extension-apiservers"],
];

/** An object's end: its kind (a Kubernetes kind, capitalised) and name, e.g. "Secret demo/webhook-tls tls.crt". */
const OBJECT_NAME = /^([A-Z][A-Za-z]+) ([a-z0-9][-a-z0-9.]*(?:\/[a-z0-9][-a-z0-9.]*)?)(?:\s|$)/;

/** The node an end's name names; null for a file path or a name no check writes. */
export function nodeOf(end: string): EdgeNode | null {
  for (const [test, id] of COMPONENT_NAMES) if (test.test(end)) return { type: "component", id };
  const m = OBJECT_NAME.exec(end);
  return m ? { type: "object", kind: m[1]!, name: m[2]! } : null;
}

/** Both ends' nodes: an end that names none (a key file) belongs to the other end's node. */
export function nodesOf(from: string, to: string): { fromNode: EdgeNode | null; toNode: EdgeNode | null } {
  const a = nodeOf(from);
  const b = nodeOf(to);
  return { fromNode: a ?? b, toNode: b ?? a };
}
