// Renderers shared by the CLI and the GitHub Action. They only present a Report (terminal
// table, Markdown, SARIF, workflow commands); every judgement in them comes from the core.
import { CATALOGUE, isFindingCode } from "../core/findings/index.ts";
import type { Finding, FindingDef, Severity } from "../core/findings/types.ts";
import type { CertificateJson, Report } from "../core/report/types.ts";
import { CLI_WORDS, openQuestionLines, passQualifier, type SettleWords } from "./open-questions.ts";
import { daysWords, time } from "./words.ts";

export type FailOn = "error" | "warning" | "never";
export const FAIL_ON: readonly FailOn[] = ["error", "warning", "never"];

/** One audited file: its report, or the problem that stopped it being audited. */
export interface FileResult {
  /** As given on the command line / matched by the glob ("-" for stdin). */
  file: string;
  /** The file's text, when it is text (used to place findings on lines). */
  text?: string | null;
  report?: Report;
  problem?: { code: string; message: string };
  /** --live: the probe of the current context's server (the first of probes). */
  live?: LiveResult;
  /** --live: one probe per distinct server. */
  probes?: LiveResult[];
  /** Inlined *-data field pointer -> the local file it was read from (CLI). */
  readFrom?: Record<string, string>;
}

/** What --live saw on the wire (see live.ts). */
export interface LiveResult {
  /** The first context that uses this server. */
  context: string;
  /** Every context that uses this server (URL host and port, tls-server-name, proxy-url): the ones this chain decides. */
  contexts: string[];
  server: string;
  /** PEM certificates in the order the server sent them (leaf first). */
  presentedChain: { subject: string; issuer: string; notAfter: string; pem: string }[];
  /** How the chain was read: the raw TLS 1.2 Certificate message, or Node's peer chain. */
  chainSource: "tls1.2-certificate-message" | "node-peer-certificate" | "none";
  /** CertificateRequest.certificate_authorities, or null when it could not be read. */
  acceptableClientCANames: string[] | null;
  /** Whether the server asked for a client certificate at all (null: unknown). */
  clientCertificateRequested: boolean | null;
  notes: string[];
  handshake: {
    ok: boolean;
    protocol: string | null;
    /** Node's own check of the server against certificate-authority-data. */
    nodeAuthorized: boolean | null;
    nodeAuthorizationError: string | null;
    /** HTTP status of GET /version with the context's client certificate. */
    httpStatus: number | null;
    error: string | null;
  };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
const SEVERITIES: Severity[] = ["error", "warning", "info"];

/** True when the report has a finding at or above the threshold. */
export function failsThreshold(report: Report, failOn: FailOn): boolean {
  if (failOn === "never") return false;
  const min = SEVERITY_RANK[failOn];
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= min);
}

/** Exit code over several files: 2 if any could not be audited, else 1 if any fails, else 0. */
export function exitCode(results: FileResult[], failOn: FailOn): 0 | 1 | 2 {
  if (results.some((r) => !r.report)) return 2;
  return results.some((r) => r.report && failsThreshold(r.report, failOn)) ? 1 : 0;
}

export function sortedCertificates(report: Report): CertificateJson[] {
  return [...report.certificates].sort((a, b) => a.notAfter.localeCompare(b.notAfter) || a.subject.localeCompare(b.subject));
}

/** Findings the surfaces show as open questions instead (contexts[].openQuestions), in their own words. */
const SHOWN_AS_OPEN_QUESTIONS = new Set(["kubeconfig.client-verdict-undecided", "kubeconfig.server-verdict-undecided"]);

/** The findings a surface lists, worst first: all but those shown as open questions. */
export function findingsBySeverity(report: Report): Finding[] {
  return report.findings.filter((f) => !SHOWN_AS_OPEN_QUESTIONS.has(f.code)).sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

const tri = (v: boolean | null): string => (v === null ? "?" : v ? "yes" : "no");
const day = (iso: string): string => iso.slice(0, 10);
const certRole = (c: CertificateJson): string => (c.isCA ? "CA" : "leaf");
const where = (c: CertificateJson): string => c.sources.map((s) => s.path).join(", ");

// ---------------------------------------------------------------------------------------------
// Terminal table

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

const ansi = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
export const COLOUR: Style = { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), yellow: ansi(33, 39), green: ansi(32, 39), cyan: ansi(36, 39) };
const id = (s: string) => s;
export const PLAIN: Style = { bold: id, dim: id, red: id, yellow: id, green: id, cyan: id };

/** Colour only for a terminal, and never when NO_COLOR is set to a non-empty value (no-color.org). */
export function useColour(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && !(env.NO_COLOR !== undefined && env.NO_COLOR !== "") && env.TERM !== "dumb";
}

const visible = (s: string) => s.replace(/\x1b\[\d+m/g, "").length;
function grid(rows: string[][], indent = "  "): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows.map((r) => indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visible(cell)))).join("  ").trimEnd()).join("\n");
}

function verdictWord(v: Report["verdict"], st: Style): string {
  return v === "fail" ? st.red(st.bold("FAIL")) : v === "warn" ? st.yellow(st.bold("WARN")) : st.green(st.bold("PASS"));
}
function sevWord(s: Severity, st: Style): string {
  return s === "error" ? st.red("error") : s === "warning" ? st.yellow("warning") : st.dim("info");
}
function verdictCell(v: Report["verdict"], st: Style): string {
  return v === "fail" ? st.red("fail") : v === "warn" ? st.yellow("warn") : st.green("pass");
}
function triCell(v: boolean | null, st: Style): string {
  return v === null ? st.dim("?") : v ? st.green("yes") : st.red("no");
}

export function renderTable(result: FileResult, st: Style = PLAIN, words: SettleWords = CLI_WORDS): string {
  const out: string[] = [];
  if (!result.report) {
    // The reason is on standard error (one line per problem); it is not repeated here.
    out.push(`${st.bold(result.file)}: ${st.red("not audited")} [${result.problem?.code ?? "error"}] (the reason is on standard error)`);
    return out.join("\n") + "\n";
  }
  const r = result.report;
  const qualifier = passQualifier(r);
  out.push(`${st.bold(result.file)}: ${verdictWord(r.verdict, st)}${qualifier ? ` (${qualifier})` : ""}  ${st.dim(`(${r.input.kind}, at ${time(r.validationTime)}, warn ${r.warnDays} days; ${r.summary.errors} errors, ${r.summary.warnings} warnings, ${r.summary.infos} infos)`)}`);
  out.push("");
  const open = openQuestionLines(r, words);
  if (open.length) {
    out.push(st.bold("Open questions") + st.dim(" (not decided from this input)"));
    for (const line of open) out.push(`  ? ${line}`);
    out.push("");
  }
  if (r.certificates.length) {
    out.push(st.bold("Certificates") + st.dim(" (by expiry)"));
    const rows = [["NOT AFTER", "EXPIRY", "STATUS", "ROLE", "SUBJECT", "ISSUER", "WHERE"].map(st.dim)];
    for (const c of sortedCertificates(r)) {
      const words = daysWords(c);
      const daysCell = c.expiry === "expired" || c.expiry === "not-yet-valid" ? st.red(words) : c.expiry === "expiring" ? st.yellow(words) : words;
      const status = c.expiry === "valid" ? st.green("valid") : c.expiry === "expiring" ? st.yellow("expiring") : st.red(c.expiry);
      rows.push([time(c.notAfter), daysCell, status, certRole(c), c.subject, c.issuer, readFromOf(result, where(c))]);
    }
    out.push(grid(rows));
    out.push("");
  }
  if (r.contexts.length) {
    out.push(st.bold("Contexts") + st.dim(" (* = current)"));
    const rows = [["", "CONTEXT", "VERDICT", "CA RELATION", "CLIENT ACCEPTED", "SERVER TRUSTED", "SERVER"].map(st.dim)];
    for (const c of r.contexts) rows.push([c.current ? "*" : " ", c.name, verdictCell(c.verdict, st), c.caIdentity.relation, triCell(c.clientAccepted, st), triCell(c.serverTrusted, st), c.server ?? ""]);
    out.push(grid(rows));
    out.push("");
  }
  for (const live of result.probes ?? (result.live ? [result.live] : [])) out.push(renderLive(live, st), "");
  out.push(st.bold("Findings") + st.dim(" (by severity)"));
  const listed = findingsBySeverity(r);
  if (!listed.length) out.push("  none");
  for (const f of listed) {
    const place = [f.context ? `context ${f.context}` : "", f.path ? readFromOf(result, f.path) : ""].filter(Boolean).join(", ");
    out.push(`  ${sevWord(f.severity, st)}${" ".repeat(8 - f.severity.length)}${st.bold(f.code)}${place ? st.dim(`  (${place})`) : ""}`);
    out.push(`           ${f.message}`);
  }
  return out.join("\n") + "\n";
}

/** A report path, with the local file it was read from when the CLI inlined one (`..., read from FILE`). */
function readFromOf(result: FileResult, path: string): string {
  const hit = Object.entries(result.readFrom ?? {}).find(([p]) => path === p || path.startsWith(`${p}[`) || path.split(", ").some((x) => x === p || x.startsWith(`${p}[`)));
  return hit ? `${path}, read from ${hit[1]}` : path;
}

export function renderLive(live: LiveResult, st: Style = PLAIN): string {
  const ctxs = live.contexts?.length ? live.contexts : [live.context];
  const out: string[] = [st.bold("Live") + st.dim(` (${ctxs.length === 1 ? "context" : "contexts"} ${ctxs.join(", ")} -> ${live.server})`)];
  const h = live.handshake;
  out.push(`  handshake: ${h.ok ? st.green("ok") : st.red("failed")}${h.protocol ? ` ${h.protocol}` : ""}${h.error ? ` (${h.error})` : ""}; Node trusts the server with certificate-authority-data: ${h.nodeAuthorized === null ? "?" : h.nodeAuthorized ? "yes" : `no (${h.nodeAuthorizationError ?? "unknown"})`}; GET /version: ${h.httpStatus ?? "no answer"}`);
  out.push(`  presented chain (${live.chainSource}):`);
  if (!live.presentedChain.length) out.push("    none");
  live.presentedChain.forEach((c, i) => out.push(`    ${i}. ${c.subject}  ${st.dim(`issuer ${c.issuer}, not after ${time(c.notAfter)}`)}`));
  if (live.clientCertificateRequested === false) out.push("  client certificate: not requested by the server");
  else if (live.acceptableClientCANames === null) out.push("  acceptable client CA names: not available");
  else if (!live.acceptableClientCANames.length) out.push("  acceptable client CA names: none announced (any CA)");
  else {
    out.push("  acceptable client CA names (CertificateRequest):");
    for (const n of live.acceptableClientCANames) out.push(`    - ${n}`);
  }
  for (const n of live.notes) out.push(st.dim(`  note: ${n}`));
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Markdown (job summary, --format markdown)

const md = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;");
const VERDICT_MD: Record<Report["verdict"], string> = { pass: "✅ pass", warn: "⚠️ warn", fail: "❌ fail" };
const SEV_MD: Record<Severity, string> = { error: "❌ error", warning: "⚠️ warning", info: "ℹ️ info" };

export function overallVerdict(results: FileResult[]): Report["verdict"] | "error" {
  if (results.some((r) => !r.report)) return "error";
  const v = results.map((r) => r.report!.verdict);
  return v.includes("fail") ? "fail" : v.includes("warn") ? "warn" : "pass";
}

export function renderMarkdown(results: FileResult[], opts: { title?: string; notes?: string[]; words?: SettleWords } = {}): string {
  const out: string[] = [];
  const overall = overallVerdict(results);
  out.push(`## ${opts.title ?? "certaudit"}: ${overall === "error" ? "❌ not audited" : VERDICT_MD[overall]}`, "");
  const earliest = earliestExpiry(results);
  if (earliest) out.push(`Earliest expiry: **${time(earliest.notAfter)}** (${daysWords(earliest)}) — ${md(earliest.subject)} in \`${md(earliest.file)}\``, "");
  for (const n of opts.notes ?? []) out.push(`> ${md(n)}`, "");
  out.push("| File | Verdict | Certificates | Errors | Warnings | Infos |", "| --- | --- | ---: | ---: | ---: | ---: |");
  for (const r of results) {
    if (!r.report) out.push(`| \`${md(r.file)}\` | ❌ not audited: \`${md(r.problem?.code ?? "error")}\` ${md(r.problem?.message ?? "")} | | | | |`);
    else out.push(`| \`${md(r.file)}\` | ${VERDICT_MD[r.report.verdict]}${r.report.summary.openQuestions ? ` (${r.report.summary.openQuestions} open)` : ""} | ${r.report.summary.certificates} | ${r.report.summary.errors} | ${r.report.summary.warnings} | ${r.report.summary.infos} |`);
  }
  out.push("");
  const certs = results.flatMap((r) => (r.report ? r.report.certificates.map((c) => ({ c, file: r.file })) : []));
  certs.sort((a, b) => a.c.notAfter.localeCompare(b.c.notAfter) || a.c.subject.localeCompare(b.c.subject));
  if (certs.length) {
    out.push("### Certificates by expiry", "", "| Days left | Not after | Status | Subject | Issuer | File | Where |", "| ---: | --- | --- | --- | --- | --- | --- |");
    for (const { c, file } of certs) out.push(`| ${c.daysRemaining} | ${day(c.notAfter)} | ${c.expiry}${c.isCA ? " (CA)" : ""} | ${md(c.subject)} | ${md(c.issuer)} | \`${md(file)}\` | ${md(where(c))} |`);
    out.push("");
  }
  const contexts = results.flatMap((r) => (r.report ? r.report.contexts.map((c) => ({ c, file: r.file })) : []));
  if (contexts.length) {
    out.push("### Contexts", "", "| File | Context | Verdict | CA relation | Client accepted | Server trusted | Server |", "| --- | --- | --- | --- | --- | --- | --- |");
    for (const { c, file } of contexts) out.push(`| \`${md(file)}\` | ${md(c.name)}${c.current ? " (current)" : ""} | ${VERDICT_MD[c.verdict]} | ${c.caIdentity.relation} | ${tri(c.clientAccepted)} | ${tri(c.serverTrusted)} | ${md(c.server ?? "")} |`);
    out.push("");
  }
  const open = results.flatMap((r) => (r.report ? openQuestionLines(r.report, opts.words ?? CLI_WORDS).map((line) => ({ line, file: r.file })) : []));
  if (open.length) {
    out.push("### Open questions", "", "Not decided from this input; a pass does not answer them.", "", "| File | Question |", "| --- | --- |");
    for (const { line, file } of open) out.push(`| \`${md(file)}\` | ${md(line)} |`);
    out.push("");
  }
  for (const r of results) for (const live of r.probes ?? (r.live ? [r.live] : [])) out.push("### Live", "", "```", renderLive(live), "```", "");
  const findings = results.flatMap((r) => (r.report ? findingsBySeverity(r.report).map((f) => ({ f, file: r.file })) : []));
  out.push("### Findings by severity", "");
  if (!findings.length) out.push("None.", "");
  for (const sev of SEVERITIES) {
    const list = findings.filter((x) => x.f.severity === sev);
    if (!list.length) continue;
    out.push(`#### ${SEV_MD[sev]} (${list.length})`, "", "| Code | File | Where | Message |", "| --- | --- | --- | --- |");
    for (const { f, file } of list) out.push(`| \`${f.code}\` | \`${md(file)}\` | ${md([f.context ? `context ${f.context}` : "", f.path ?? ""].filter(Boolean).join(", "))} | ${md(f.message)} |`);
    out.push("");
  }
  return out.join("\n");
}

export function earliestExpiry(results: FileResult[]): (CertificateJson & { file: string }) | null {
  let best: (CertificateJson & { file: string }) | null = null;
  for (const r of results) for (const c of r.report?.certificates ?? []) if (!best || c.notAfter < best.notAfter) best = { ...c, file: r.file };
  return best;
}

// ---------------------------------------------------------------------------------------------
// Placing a finding on a line of its file (for SARIF regions and ::error annotations).

/**
 * The 1-based line a finding's path points at: `users[NAME].FIELD`, `clusters[NAME].FIELD`,
 * `contexts[NAME]` in a YAML or JSON kubeconfig, `pem[i]` / `clientCA[i]` (the i-th PEM block).
 * Falls back to the context's entry, then line 1.
 */
export function locate(text: string | null | undefined, f: Pick<Finding, "path" | "context">): number {
  if (!text) return 1;
  const lines = text.split(/\r?\n/);
  const path = f.path ?? "";
  const block = /^(?:pem|document|der)\[(\d+)\]/.exec(path);
  if (block) {
    let n = -1;
    for (let i = 0; i < lines.length; i++) if (/-----BEGIN [A-Z0-9 ]+-----/.test(lines[i]!) && ++n === Number(block[1])) return i + 1;
    return 1;
  }
  const m = /^(clusters|users|contexts)\[(.*?)\](?:\.([A-Za-z-]+))?/.exec(path) ?? (f.context ? (["", "contexts", f.context, undefined] as const) : null);
  if (!m) return 1;
  const [, section, name, field] = m;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const sectionAt = lines.findIndex((l) => new RegExp(`^\\s*"?${section}"?\\s*:`).test(l));
  if (sectionAt < 0) return 1;
  const nameRe = new RegExp(`^\\s*(?:-\\s*)?"?name"?\\s*:\\s*["']?${esc(name ?? "")}["']?\\s*,?\\s*$`);
  let entry = -1;
  for (let i = sectionAt + 1; i < lines.length; i++) if (nameRe.test(lines[i]!)) { entry = i; break; }
  if (entry < 0) return sectionAt + 1;
  if (field) {
    // The entry's own field. In YAML the entry is the block from its `- ` line to the next item
    // at the same indentation (the name may come before or after the field); in JSON, a few
    // lines either side of the name.
    const fieldRe = new RegExp(`^\\s*(?:-\\s*)?"?${esc(field)}"?\\s*:`);
    let start = entry;
    while (start > sectionAt + 1 && !/^\s*- /.test(lines[start]!)) start--;
    const dash = /^(\s*)- /.exec(lines[start]!);
    if (dash) {
      const item = new RegExp(`^${dash[1]}- |^\\S`);
      for (let i = start; i < lines.length && (i === start || !item.test(lines[i]!)); i++) if (fieldRe.test(lines[i]!)) return i + 1;
    } else {
      for (let d = 0; d < 12; d++) for (const i of [entry + d, entry - d]) if (i > sectionAt && i < lines.length && fieldRe.test(lines[i]!)) return i + 1;
    }
  }
  return entry + 1;
}

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands (::error file=...,line=...::message)

const escData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escProp = (s: string) => escData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function workflowCommands(results: FileResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    if (!r.report) {
      out.push(`::error file=${escProp(r.file)},title=${escProp(`certaudit: ${r.problem?.code ?? "error"}`)}::${escData(r.problem?.message ?? "not audited")}`);
      continue;
    }
    for (const f of findingsBySeverity(r.report)) {
      const cmd = f.severity === "error" ? "error" : f.severity === "warning" ? "warning" : "notice";
      const title = isFindingCode(f.code) ? `${f.code}: ${CATALOGUE[f.code].title}` : f.code;
      out.push(`::${cmd} file=${escProp(r.file)},line=${locate(r.text, f)},title=${escProp(title)}::${escData(f.message)}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// SARIF 2.1.0

export interface SarifOptions {
  version: string;
  /** Turns a result's file into the artifact URI (relative to the repository root for GitHub). */
  uri?: (file: string) => string;
}

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/** FNV-1a, 64-bit, hex: a stable fingerprint without needing a crypto API. */
function fnv64(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(s)) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, "0");
}

export function renderSarif(results: FileResult[], opts: SarifOptions): Record<string, unknown> {
  const uri = opts.uri ?? ((f: string) => f.replace(/\\/g, "/").replace(/^\.\//, ""));
  const ruleIds: string[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (code: string) => {
    if (!ruleIndex.has(code)) {
      ruleIndex.set(code, ruleIds.length);
      ruleIds.push(code);
    }
    return ruleIndex.get(code)!;
  };
  const sarifResults: Record<string, unknown>[] = [];
  const notifications: Record<string, unknown>[] = [];
  for (const r of results) {
    const artifact = uri(r.file === "-" ? "stdin" : r.file);
    if (!r.report) {
      notifications.push({ level: "error", message: { text: `${r.file}: ${r.problem?.code ?? "error"}: ${r.problem?.message ?? "not audited"}` }, descriptor: { id: r.problem?.code ?? "error" } });
      continue;
    }
    for (const f of r.report.findings) {
      const index = addRule(f.code);
      const line = locate(r.text, f);
      const logical = [f.context ? { name: f.context, kind: "module", fullyQualifiedName: `contexts[${f.context}]` } : null, f.path ? { name: f.path, fullyQualifiedName: f.path, kind: "member" } : null].filter(Boolean);
      sarifResults.push({
        ruleId: f.code,
        ruleIndex: index,
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: artifact }, region: { startLine: line } }, ...(logical.length ? { logicalLocations: logical } : {}) }],
        partialFingerprints: { "certauditFinding/v1": fnv64([f.code, artifact, f.context ?? "", f.path ?? "", f.certificate ?? ""].join("|")) },
        properties: { ...(f.certificate ? { certificate: f.certificate } : {}), ...(f.context ? { context: f.context } : {}), ...(f.path ? { path: f.path } : {}) },
      });
    }
  }
  const rules = ruleIds.map((code) => {
    const def: FindingDef | null = isFindingCode(code) ? CATALOGUE[code] : null;
    const title = def?.title ?? code;
    const advice = def?.advice ?? "";
    return {
      id: code,
      name: code.split(/[.-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(""),
      shortDescription: { text: title },
      fullDescription: { text: advice || title },
      help: { text: `${title}. ${advice}${def?.cite ? ` (${def.cite})` : ""}`, markdown: `**${title}.** ${advice}${def?.cite ? `\n\nSee ${def.cite}.` : ""}` },
      defaultConfiguration: { level: LEVEL[def?.severity ?? "warning"] },
      properties: { tags: ["certificates", "kubernetes", "tls", code.split(".")[0]!] },
    };
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "certaudit", semanticVersion: opts.version, version: opts.version, rules } },
        automationDetails: { id: "certaudit/" },
        results: sarifResults,
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        columnKind: "utf16CodeUnits",
      },
    ],
  };
}
