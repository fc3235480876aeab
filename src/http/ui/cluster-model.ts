// The control-plane diagram (issue 12), derived from the report's `cluster` section only: every
// component the edges name becomes a box (kube-apiserver in the middle, the others in a column on
// either side), and the edges between two boxes become one line per relation, coloured by what
// the report decided. Green only when every edge of that line holds; red when one is broken; grey
// when one was not decided (rule of this phase: a diagram says only what was checked and is true).
// An edge whose two ends are the same box (a key and its certificate, etcd's peers) is a check
// listed inside that box. Each end's box comes from the edge's fromNode/toNode (the component or
// object, as data: core/cluster/nodes.ts); a report without them falls back to reading the names.
// Pure and DOM-free, so the Worker and the page draw the same picture.
import type { Report } from "../../core/report/types.ts";

type Cluster = NonNullable<Report["cluster"]>;
export type ClusterEdge = Cluster["edges"][number];
export type EdgeTone = "ok" | "bad" | "unknown";

export const EDGE_WORDS: Record<ClusterEdge["verdict"], { tone: EdgeTone; icon: string; word: string }> = {
  holds: { tone: "ok", icon: "✔", word: "holds" },
  broken: { tone: "bad", icon: "✖", word: "broken" },
  unknown: { tone: "unknown", icon: "?", word: "not decided" },
};

interface BoxName {
  id: string;
  label: string;
  sub: string | null;
  side: "hub" | "left" | "right";
}

/** "ValidatingWebhookConfiguration" → "Validating webhook": what fits in a box. */
const kindWords = (kind: string) => kind.replace(/WebhookConfiguration$/, " webhook").replace(/CertificateSigningRequest/, "CSR");

/** The box of each component the report's nodes name (core/cluster/nodes.ts); kube-apiserver is the hub. */
const COMPONENT_BOXES: Record<string, BoxName> = {
  "kube-apiserver": { id: "kube-apiserver", label: "kube-apiserver", sub: null, side: "hub" },
  etcd: { id: "etcd", label: "etcd", sub: null, side: "right" },
  kubectl: { id: "admin", label: "Admin kubeconfigs", sub: null, side: "left" },
  "kube-controller-manager": { id: "kube-controller-manager", label: "kube-controller-manager", sub: null, side: "left" },
  "kube-scheduler": { id: "kube-scheduler", label: "kube-scheduler", sub: null, side: "left" },
  kubelet: { id: "kubelet", label: "kubelet", sub: null, side: "left" },
  pods: { id: "pods", label: "Pods (in-cluster)", sub: null, side: "right" },
  "extension-apiservers": { id: "aggregation", label: "Aggregated APIs", sub: null, side: "right" },
};

/** Objects whose box goes in the left column (they call out through kube-apiserver); the rest go right. */
const LEFT_KINDS = new Set(["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService"]);

type Node = NonNullable<ClusterEdge["fromNode"]>;

/** The box of a node: a known component's, a component of its own, or an object's (kind, then its name). */
function nodeBox(n: Node): BoxName {
  if (n.type === "component") return COMPONENT_BOXES[n.id] ?? { id: `component ${n.id}`, label: n.id, sub: null, side: "right" };
  return { id: `${n.kind} ${n.name}`, label: kindWords(n.kind), sub: n.name, side: LEFT_KINDS.has(n.kind) ? "left" : "right" };
}

/**
 * Reports without nodes (made before they were added): which node an end's name belongs to, by
 * the component, kubeconfig or object it names. A file path names none.
 */
const NAMES: [RegExp, (m: RegExpExecArray) => Node][] = [
  [/^kube-apiserver\b/, () => ({ type: "component", id: "kube-apiserver" })],
  [/^etcd\b/, () => ({ type: "component", id: "etcd" })],
  [/^(kubectl \()?(super-)?admin\.conf\b/, () => ({ type: "component", id: "kubectl" })],
  [/^(kube-controller-manager|controller-manager\.conf)\b/, () => ({ type: "component", id: "kube-controller-manager" })],
  [/^(kube-scheduler|scheduler\.conf)\b/, () => ({ type: "component", id: "kube-scheduler" })],
  [/^kubelet\b/, () => ({ type: "component", id: "kubelet" })],
  [/^Pods\b/, () => ({ type: "component", id: "pods" })],
  [/^extension API servers\b/, () => ({ type: "component", id: "extension-apiservers" })],
  [
    /^(ValidatingWebhookConfiguration|MutatingWebhookConfiguration|APIService|Secret|Service|ConfigMap|CertificateSigningRequest) (\S+)/,
    (m) => ({ type: "object", kind: m[1]!, name: m[2]! }),
  ],
];

function boxName(end: string): BoxName | null {
  for (const [test, node] of NAMES) {
    const m = test.exec(end);
    if (m) return nodeBox(node(m));
  }
  return null;
}

/** An end's box: from the report's node when it has one, else from the end's name. */
const endBox = (node: ClusterEdge["fromNode"], end: string) => (node ? nodeBox(node) : boxName(end));

/** Both ends' boxes: a file path takes the box of the other end; two unknown names make a box of their own. */
function endsOf(e: ClusterEdge): [BoxName, BoxName] {
  const a = endBox(e.fromNode, e.from);
  const b = endBox(e.toNode, e.to);
  const other = (s: string): BoxName => {
    const name = s.replace(/\s+(\(|--).*$/, "");
    return { id: `other ${name}`, label: name, sub: null, side: "right" };
  };
  if (a && b) return [a, b];
  if (a) return [a, a];
  if (b) return [b, b];
  const o = other(e.to);
  return [o, o];
}

/** Several edges of one relation between two boxes, drawn as one line. */
export interface EdgeGroup {
  relation: ClusterEdge["relation"];
  /** Indices into cluster.edges. */
  edges: number[];
  tone: EdgeTone;
  icon: string;
  /** "serving ×2 · until 2027-08-20" */
  label: string;
  /** The first edge to break is in this group. */
  first: boolean;
}

export interface CBox {
  id: string;
  label: string;
  sub: string | null;
  /** A webhook's Services, as the edges' checks name them (the host <service>.<namespace>.svc verified). */
  services: string[];
  side: "hub" | "left" | "right";
  /** Checks within the box (both ends in it). */
  checks: EdgeGroup[];
  /** Lines to the hub (or another box), one per relation. */
  lines: { to: string; group: EdgeGroup }[];
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ClusterDiagram {
  width: number;
  height: number;
  boxes: CBox[];
  /** Every line: from box `a` (at its y offset) to box `b`. */
  lines: { a: CBox; b: CBox; y: number; group: EdgeGroup }[];
  counts: Record<ClusterEdge["verdict"], number>;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);

/** When an edge breaks, in words: the date a broken edge broke (or "now"), the date a holding one will. */
export function breakWords(e: Pick<ClusterEdge, "verdict" | "breaksAt">, validationTime: string): string {
  const d = day(e.breaksAt);
  if (e.verdict === "broken") return d && e.breaksAt! <= validationTime ? `broken since ${d}` : "broken now";
  if (e.verdict === "unknown") return d ? `not decided (certificate valid until ${d})` : "not decided";
  return d ? `until ${d}` : "no expiry";
}

function group(cluster: Cluster, indices: number[], validationTime: string): EdgeGroup {
  const edges = indices.map((i) => cluster.edges[i]!);
  const verdict = edges.some((e) => e.verdict === "broken") ? "broken" : edges.some((e) => e.verdict === "unknown") ? "unknown" : "holds";
  // The date the line shows is the one of its worst edge that breaks first (edges are sorted by that already).
  const lead = edges.find((e) => e.verdict === verdict) ?? edges[0]!;
  const w = EDGE_WORDS[verdict];
  // A line of several edges says how many of them are what its colour says, when not all are.
  const same = edges.filter((e) => e.verdict === verdict).length;
  const count = edges.length > 1 ? ` ×${edges.length}${same < edges.length ? ` (${same} ${w.word})` : ""}` : "";
  const firstIndex = cluster.firstBreak?.edge;
  return {
    relation: edges[0]!.relation,
    edges: indices,
    tone: w.tone,
    icon: w.icon,
    label: `${edges[0]!.relation}${count} · ${breakWords(lead, validationTime)}`,
    first: firstIndex !== undefined && indices.includes(firstIndex),
  };
}

const BOX_W = 200;
const GAP = 330;
const HUB_X = BOX_W + GAP;
const LINE_STEP = 22;
const FIRST_EXTRA = 14;
const SUB_STEP = 16;
/** How a webhook edge names the host it verified (objects.ts): "… the caBundle for <service>.<namespace>.svc". */
const SERVICE_HOST = /the caBundle for ([a-z0-9-]+)\.([a-z0-9-]+)\.svc\b/;
const CHECK_STEP = 17;
const HEAD = 40;
const SPACING = 22;

/** The diagram of a report's cluster section; null when the report has none. */
export function clusterDiagram(report: Report): ClusterDiagram | null {
  const cluster = report.cluster;
  if (!cluster) return null;
  const names = new Map<string, BoxName>();
  const pairs = new Map<string, number[]>();
  const hubName: BoxName = { id: "kube-apiserver", label: "kube-apiserver", sub: null, side: "hub" };
  names.set(hubName.id, hubName);
  cluster.edges.forEach((e, i) => {
    const [a, b] = endsOf(e);
    names.set(a.id, names.get(a.id) ?? a);
    names.set(b.id, names.get(b.id) ?? b);
    // The hub is always the second end, so a box's lines all run to it.
    const [p, q] = a.side === "hub" ? [b, a] : [a, b];
    const key = JSON.stringify([p.id, q.id, e.relation]);
    pairs.set(key, [...(pairs.get(key) ?? []), i]);
  });
  for (const c of cluster.components) {
    const n = boxName(c.name);
    if (n && !names.has(n.id)) names.set(n.id, n);
  }
  const boxes = new Map<string, CBox>();
  for (const n of names.values()) boxes.set(n.id, { ...n, services: [], checks: [], lines: [], x: 0, y: 0, w: BOX_W, h: 0 });
  for (const [key, indices] of pairs) {
    const [p, q] = JSON.parse(key) as [string, string];
    const g = group(cluster, indices, report.validationTime);
    const box = boxes.get(p)!;
    if (p === q) box.checks.push(g);
    else box.lines.push({ to: q, group: g });
    for (const i of indices) {
      const m = SERVICE_HOST.exec(cluster.edges[i]!.detail);
      const svc = m ? `Service ${m[2]}/${m[1]}` : null;
      if (svc && !box.services.includes(svc)) box.services.push(svc);
    }
  }
  // Columns: kubeadm's components where the names put them; the rest evens the two columns out.
  const cols: Record<"left" | "right", CBox[]> = { left: [], right: [] };
  const hub = boxes.get("kube-apiserver")!;
  for (const b of boxes.values()) if (b !== hub) cols[b.side === "hub" ? "left" : b.side].push(b);
  // The line of the first edge to break carries a second label under it ("first to break").
  const linesHeight = (b: CBox) => b.lines.reduce((h, l) => h + LINE_STEP + (l.group.first ? FIRST_EXTRA : 0), 0);
  const head = (b: CBox) => HEAD + (b.sub ? SUB_STEP : 0) + b.services.length * SUB_STEP;
  for (const b of boxes.values()) b.h = Math.max(head(b) + b.checks.length * CHECK_STEP + 10, 16 + linesHeight(b), 56);
  const place = (list: CBox[], x: number) => {
    let y = 10;
    for (const b of list) {
      b.x = x;
      b.y = y;
      y += b.h + SPACING;
    }
    return y;
  };
  const leftEnd = place(cols.left, 10);
  const rightEnd = place(cols.right, HUB_X + BOX_W + GAP);
  hub.x = HUB_X;
  hub.y = 10;
  hub.h = Math.max(hub.h, leftEnd - SPACING - 10, rightEnd - SPACING - 10);
  const lines: ClusterDiagram["lines"] = [];
  for (const b of boxes.values()) {
    let y = b.y + 22;
    for (const l of b.lines) {
      lines.push({ a: b, b: boxes.get(l.to)!, y, group: l.group });
      y += LINE_STEP + (l.group.first ? FIRST_EXTRA : 0);
    }
  }
  const counts = { holds: 0, broken: 0, unknown: 0 };
  for (const e of cluster.edges) counts[e.verdict] += 1;
  return {
    width: HUB_X * 2 + BOX_W + 20,
    height: Math.max(hub.y + hub.h, leftEnd, rightEnd) + 10,
    boxes: [...boxes.values()],
    lines,
    counts,
  };
}

/** The headline of a control-plane or objects report: what is broken, what was not decided, what breaks first. */
export function clusterHeadline(report: Report): string {
  const c = report.cluster!;
  const n = c.edges.length;
  const counts = { holds: 0, broken: 0, unknown: 0 };
  for (const e of c.edges) counts[e.verdict] += 1;
  const first = c.firstBreak ? c.edges[c.firstBreak.edge] : undefined;
  const firstWords = first
    ? ` First to break: ${first.from} → ${first.to} (${first.relation}), ${breakWords(first, report.validationTime)}.`
    : "";
  const undecided = counts.unknown ? ` ${counts.unknown} could not be decided (see the table).` : "";
  if (n === 0) return "No trust edge could be checked: see the findings.";
  if (counts.broken) return `${counts.broken} of ${n} trust edges ${counts.broken === 1 ? "is" : "are"} broken.${firstWords}${undecided}`;
  if (counts.unknown) return `No broken edge among the ${counts.holds} of ${n} that were decided.${undecided}${firstWords}`;
  return `All ${n} trust edges hold at the validation time.${firstWords}`;
}
