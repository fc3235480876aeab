// What the web form shows, derived from a Report and nothing else: words for the verdicts and
// relations, the issuance tree, the expiry timeline. Pure and DOM-free, so the same code runs in
// the Worker (server-rendered page) and in the page (client render); no check is re-done here.
import type { CaRelation, CertificateJson, ChainJson, ContextJson, OpenQuestion, Report, Verdict } from "../../core/report/types.ts";
import { clusterHeadline } from "./cluster-model.ts";
import { trustStore, trustStoreHeadline } from "./store.ts";

export type Tone = "ok" | "warn" | "bad" | "unknown";

export const VERDICT_WORDS: Record<Verdict, { icon: string; word: string; tone: Tone }> = {
  pass: { icon: "✔", word: "Pass", tone: "ok" },
  warn: { icon: "⚠", word: "Warn", tone: "warn" },
  fail: { icon: "✖", word: "Fail", tone: "bad" },
};

/** True when every context's three questions were decided and each answer is yes. */
function everyCredentialWorks(r: Report): boolean {
  return (
    r.contexts.length > 0 && r.contexts.every((c) => c.clientAccepted === true && c.serverTrusted === true && c.client.keyMatches === true)
  );
}

/**
 * The sentence under the verdict. It claims only what was checked: "these credentials work"
 * only when both verdicts and the key match were decided and all are yes; otherwise it says
 * how many questions are open (listed beside it).
 */
export function headline(r: Report): string {
  if (r.findings.some((f) => f.code === "input.nothing-audited")) return "Nothing was audited: no certificate in the input could be read.";
  if (r.cluster) return clusterHeadline(r);
  const store = trustStore(r);
  if (store) return trustStoreHeadline(store);
  const open = r.summary.openQuestions;
  const openText = open ? ` ${open} question${open === 1 ? " is" : "s are"} still open (below).` : "";
  if (r.verdict === "fail")
    return r.contexts.length
      ? `Something here will make kubectl or the API server refuse the connection.${openText}`
      : "Something here is wrong; see the findings.";
  if (everyCredentialWorks(r))
    return r.verdict === "pass"
      ? "These credentials work: the API server accepts the client certificate, kubectl trusts the server, and the key matches."
      : "These credentials work, but something needs attention.";
  const found = r.verdict === "warn" ? "Something needs attention." : "No problem found in what was checked.";
  return `${found}${openText}`;
}

const SETTLE_WORDS: Record<NonNullable<OpenQuestion["settledBy"]>, string> = {
  clientCA: "add the API server's --client-ca-file under “Client CA bundle”",
  serverCertificate: "add the API server's certificate under “API server certificate”",
  clusterCA: "embed the cluster CA (kubectl config view --raw --flatten)",
  clientCertificate: "embed the client certificate (kubectl config view --raw --flatten)",
  clientKey: "audit in this browser, so the key is used without being uploaded",
  cluster: "add the cluster the context names",
};

/** An open question as the form shows it: why it is open and what settles it. */
export function openQuestionText(q: OpenQuestion): string {
  return `${q.reason}${q.settledBy ? `; to settle it, ${SETTLE_WORDS[q.settledBy]}` : ""}.`;
}

export const RELATION_WORDS: Record<CaRelation, { title: string; tone: Tone; glyph: string }> = {
  "same-certificate": { title: "One CA for both sides: the client certificate chains to the cluster CA", tone: "ok", glyph: "=" },
  "same-key": { title: "Same CA key, re-issued CA certificate", tone: "ok", glyph: "≈" },
  "cross-signed": { title: "Cross-signed: the cluster CA vouches for the client's CA", tone: "ok", glyph: "⇄" },
  different: { title: "Two different CAs: one for the server, another for clients", tone: "warn", glyph: "≠" },
  "same-name-different-key": { title: "Rotated CA: same name, different key", tone: "bad", glyph: "≠" },
  unknown: { title: "No client CA to compare", tone: "unknown", glyph: "?" },
};

export interface Decision {
  tone: Tone;
  icon: string;
  word: string;
  /** Why, or what to supply when not decided. */
  note: string | null;
}

const yes = (note: string | null = null): Decision => ({ tone: "ok", icon: "✔", word: "Yes", note });
const no = (note: string | null = null): Decision => ({ tone: "bad", icon: "✖", word: "No", note });
const undecided = (note: string): Decision => ({ tone: "unknown", icon: "?", word: "Not decided", note });

export interface CertIndex {
  byId: Map<string, CertificateJson>;
  name(id: string | null | undefined): string;
}

/** The most telling part of a distinguished name: its CN, else the whole name. */
export function shortName(subject: string): string {
  const m = /(?:^|,\s*)CN=((?:[^,\\]|\\.)*)/.exec(subject);
  return m?.[1]?.trim() || subject || "(empty name)";
}

export function indexCertificates(report: Report): CertIndex {
  const byId = new Map(report.certificates.map((c) => [c.id, c] as const));
  return { byId, name: (id) => (id ? (byId.get(id) ? shortName(byId.get(id)!.subject) : `${id.slice(7, 19)}…`) : "—") };
}

export function hasPart(report: Report, part: string): boolean {
  return report.input.parts.includes(part);
}

export function serverDecision(report: Report, ctx: ContextJson, chain: ChainJson | undefined): Decision {
  if (ctx.serverTrusted === true)
    return yes(ctx.clusterCA.length === 0 ? "TLS verification is switched off (insecure-skip-tls-verify)." : null);
  if (ctx.serverTrusted === false) return no(chain?.go?.reason ? (chain.reasonMessage ?? chain.go.reason) : (chain?.reasonMessage ?? null));
  if (!ctx.cluster) return undecided("the context names no cluster.");
  if (!hasPart(report, "serverCertificate"))
    return undecided("supply the API server certificate (its --tls-cert-file) under “API server certificate”.");
  if (ctx.clusterCA.length === 0)
    return undecided("the cluster has no certificate-authority-data, so kubectl would use the system trust store.");
  return undecided("see the findings.");
}

export function clientDecision(report: Report, ctx: ContextJson): Decision {
  if (ctx.clientAccepted === true) return yes();
  if (ctx.clientAccepted === false)
    return no(ctx.client.keyMatches === false ? "client-key-data does not belong to the certificate." : null);
  if (!ctx.client.certificate) {
    const how = ctx.client.authMethods.length
      ? `this user authenticates with ${ctx.client.authMethods.join(", ")}, not a client certificate.`
      : "this user has no client certificate.";
    return undecided(how);
  }
  if (!hasPart(report, "clientCA")) return undecided("supply the API server's --client-ca-file under “Client CA bundle”.");
  return undecided("see the findings.");
}

export function keyDecision(ctx: ContextJson): Decision {
  if (ctx.client.keyMatches === true) return yes("client-key-data is the certificate's private key.");
  if (ctx.client.keyMatches === false) return no("client-key-data is not the certificate's private key.");
  return undecided(ctx.client.certificate ? "no readable client-key-data (removed before upload, or absent)." : "no client certificate.");
}

/** The chains of one context: the API server's and the client's. */
export function contextChains(report: Report, ctx: ContextJson): { server?: ChainJson; client?: ChainJson } {
  const serverLeaf = report.certificates.find((c) => c.sources.some((s) => s.path === "serverCertificate[0]"))?.id;
  const server = serverLeaf
    ? report.chains.find((ch) => ch.purpose === "server" && ch.leaf === serverLeaf && ch.role.includes(`clusters[${ctx.cluster}]`))
    : undefined;
  const client = ctx.client.certificate
    ? report.chains.find((ch) => ch.purpose === "client" && ch.leaf === ctx.client.certificate && ch.role.includes(`users[${ctx.user}]`))
    : undefined;
  const out: { server?: ChainJson; client?: ChainJson } = {};
  if (server) out.server = server;
  if (client) out.client = client;
  return out;
}

/** The order of the context cards: the current context first, then what fails, warns, passes. */
export function orderedContexts(report: Report): ContextJson[] {
  const rank = { fail: 0, warn: 1, pass: 2 } as const;
  return report.contexts
    .map((c, i) => ({ c, i }))
    .sort((a, b) => Number(b.c.current) - Number(a.c.current) || rank[a.c.verdict] - rank[b.c.verdict] || a.i - b.i)
    .map((x) => x.c);
}

/** A card shown folded: not the current context and nothing wrong in what was checked. */
export function foldedContext(ctx: ContextJson): boolean {
  return !ctx.current && ctx.verdict === "pass";
}

// ---- issuance tree -----------------------------------------------------------------------

export interface TreeNode {
  cert: CertificateJson;
  /** How the link to the parent is known: a verified chain, or only the issuer name and key id. */
  link: "chain" | "name" | null;
  /** Other issuers this certificate also chains to (cross-signing, duplicate CAs). */
  alsoUnder: string[];
  /** For a node placed by name: what the report's chains say about it (the context card says the same). */
  note: string | null;
  children: TreeNode[];
}

export function issuanceTree(report: Report): TreeNode[] {
  const parents = new Map<string, string[]>();
  const addParent = (child: string, parent: string) => {
    if (child === parent) return;
    const list = parents.get(child) ?? [];
    if (!list.includes(parent)) list.push(parent);
    parents.set(child, list);
  };
  for (const ch of report.chains) for (let i = 0; i + 1 < ch.path.length; i++) addParent(ch.path[i]!, ch.path[i + 1]!);
  const linkKind = new Map<string, "chain" | "name">();
  for (const id of parents.keys()) linkKind.set(id, "chain");
  for (const c of report.certificates) {
    if (parents.has(c.id) || c.selfSigned) continue;
    const cand = report.certificates.find(
      (p) => p.id !== c.id && p.subject === c.issuer && (!c.authorityKeyId || !p.subjectKeyId || p.subjectKeyId === c.authorityKeyId),
    );
    if (cand) {
      addParent(c.id, cand.id);
      linkKind.set(c.id, "name");
    }
  }
  const byId = new Map(report.certificates.map((c) => [c.id, c] as const));
  const nodes = new Map<string, TreeNode>();
  for (const c of report.certificates)
    nodes.set(c.id, { cert: c, link: linkKind.get(c.id) ?? null, alsoUnder: [], children: [], note: null });
  const roots: TreeNode[] = [];
  // Attach each certificate under its first parent unless that would make a cycle.
  const ancestorOf = (a: string, b: string): boolean => {
    const seen = new Set<string>();
    let cur: string | undefined = b;
    while (cur && !seen.has(cur)) {
      if (cur === a) return true;
      seen.add(cur);
      cur = placed.get(cur);
    }
    return false;
  };
  const placed = new Map<string, string>();
  for (const c of report.certificates) {
    const node = nodes.get(c.id)!;
    const ps = (parents.get(c.id) ?? []).filter((p) => byId.has(p));
    const parent = ps.find((p) => !ancestorOf(c.id, p));
    if (parent) {
      placed.set(c.id, parent);
      nodes.get(parent)!.children.push(node);
      node.alsoUnder = ps.filter((p) => p !== parent);
    } else {
      node.link = null;
      roots.push(node);
    }
  }
  const order = (a: TreeNode, b: TreeNode) => Number(b.cert.isCA) - Number(a.cert.isCA) || a.cert.subject.localeCompare(b.cert.subject);
  const sortAll = (list: TreeNode[]) => {
    list.sort(order);
    for (const n of list) sortAll(n.children);
  };
  sortAll(roots);
  for (const node of nodes.values()) if (node.link === "name") node.note = nameLinkNote(report, node.cert);
  return roots;
}

/**
 * Why a certificate hangs under its issuer by name only. When the report built a chain for it
 * that stopped at the certificate itself (it failed there), say that chain's verdict, as the
 * context card does; only when no chain starts at it, say so.
 */
function nameLinkNote(report: Report, cert: CertificateJson): string {
  const own = report.chains.filter((ch) => ch.leaf === cert.id);
  if (!own.length) return "placed under its issuer by name and key id; no chain in the report starts at this certificate";
  const words = own.map((ch) =>
    (ch.go?.valid ?? ch.valid)
      ? `its ${ch.purpose} chain (${ch.role}) ends at the certificate itself`
      : `its ${ch.purpose} chain (${ch.role}) does not verify${ch.reasonMessage ? `: ${ch.reasonMessage}` : ch.reason ? ` (${ch.reason})` : ""}`,
  );
  return `placed under its issuer by name and key id, because ${words.join("; ")}`;
}

// ---- expiry timeline ---------------------------------------------------------------------

export interface TimelineRow {
  cert: CertificateJson;
  /** Position in thousandths of the axis width. */
  x: number;
  width: number;
  status: { icon: string; word: string; tone: Tone };
}

export interface Timeline {
  start: string;
  end: string;
  /** Where the validation time falls, in thousandths. */
  at: number;
  rows: TimelineRow[];
  ticks: { x: number; label: string }[];
}

export const AXIS = 1000;

export function expiryStatus(c: CertificateJson): TimelineRow["status"] {
  switch (c.expiry) {
    case "expired":
      return { icon: "✖", word: `expired ${-c.daysRemaining} day${c.daysRemaining === -1 ? "" : "s"} ago`, tone: "bad" };
    case "not-yet-valid":
      return { icon: "✖", word: "not valid yet", tone: "bad" };
    case "expiring":
      return { icon: "⚠", word: `expires in ${c.daysRemaining} day${c.daysRemaining === 1 ? "" : "s"}`, tone: "warn" };
    default:
      return { icon: "✔", word: `${c.daysRemaining} days left`, tone: "ok" };
  }
}

export function timeline(report: Report): Timeline | null {
  if (report.certificates.length === 0) return null;
  const at = Date.parse(report.validationTime);
  let lo = at;
  let hi = at;
  for (const c of report.certificates) {
    lo = Math.min(lo, Date.parse(c.notBefore));
    hi = Math.max(hi, Date.parse(c.notAfter));
  }
  const pad = Math.max((hi - lo) * 0.02, 86400000);
  lo -= pad;
  hi += pad;
  const pos = (t: number) => Math.round(((t - lo) / (hi - lo)) * AXIS * 10) / 10;
  const rows = [...report.certificates]
    .sort((a, b) => Date.parse(a.notAfter) - Date.parse(b.notAfter))
    .map((c) => {
      const x = pos(Date.parse(c.notBefore));
      return { cert: c, x, width: Math.max(pos(Date.parse(c.notAfter)) - x, 2), status: expiryStatus(c) };
    });
  const ticks: Timeline["ticks"] = [];
  const y0 = new Date(lo).getUTCFullYear() + 1;
  const y1 = new Date(hi).getUTCFullYear();
  const step = Math.max(1, Math.ceil((y1 - y0 + 1) / 8));
  for (let y = y0; y <= y1; y += step) ticks.push({ x: pos(Date.UTC(y, 0, 1)), label: String(y) });
  return { start: new Date(lo).toISOString().slice(0, 10), end: new Date(hi).toISOString().slice(0, 10), at: pos(at), rows, ticks };
}

// ---- findings ----------------------------------------------------------------------------

export const SEVERITIES = [
  { key: "error", title: "Errors", icon: "✖", tone: "bad" },
  { key: "warning", title: "Warnings", icon: "⚠", tone: "warn" },
  { key: "info", title: "Notes", icon: "ℹ", tone: "unknown" },
] as const;

export function day(iso: string): string {
  return iso.slice(0, 10);
}

/** The report as a download link that needs no script and no request. */
export function jsonHref(report: Report): string {
  return `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(report, null, 2)).replace(/'/g, "%27")}`;
}

/** The form field a problem's JSON pointer refers to (where to show its message). */
export function problemField(pointer: string | undefined): "document" | "clientCA" | "serverCertificate" | "at" | "warnDays" {
  if (!pointer) return "document";
  if (pointer.startsWith("/clientCA")) return "clientCA";
  if (pointer.startsWith("/serverCertificate")) return "serverCertificate";
  if (/^(\/at|\?at)/.test(pointer)) return "at";
  if (/^(\/warn|\?warn)/.test(pointer)) return "warnDays";
  return "document";
}
