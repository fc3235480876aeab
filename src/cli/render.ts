// Renderers shared by the CLI and the GitHub Action. They only present a Report (terminal
// table, Markdown, SARIF, workflow commands); every judgement in them comes from the core.
import { CATALOGUE, isFindingCode } from "../core/findings/index.ts";
import type { Finding, FindingDef, Severity } from "../core/findings/types.ts";
import type { CertificateJson, Report } from "../core/report/types.ts";
import { compareTimes } from "../core/report/time-order.ts";
import { certificateFile, place, type InputFiles, type Placement } from "./locate.ts";
import { CLI_WORDS, openQuestionLines, passQualifier, type SettleWords } from "./open-questions.ts";
import { daysWords, time } from "./words.ts";
import { inert, inertDeep } from "../core/text/inert.ts";
import { escData, escProp, mdCode, mdFence, mdText, pathUri, sarifText } from "./escape.ts";
import { edgesMarkdown } from "./render-edges.ts";

export { locate } from "./locate.ts";

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
  /** The files given for clientCA / serverCertificate: findings about them are placed there. */
  inputFiles?: InputFiles;
  /** --live: one probe per distinct server. */
  probes?: LiveResult[];
  /** Inlined *-data field pointer -> the local file it was read from (CLI). */
  readFrom?: Record<string, string>;
  /** A control-plane directory's files (relative path → bytes), to place findings on them. */
  tree?: ReadonlyMap<string, Uint8Array>;
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
/** 3 a bug (problem code `internal`, here or in the service), 2 not audited, 1 findings at or above failOn, 0 otherwise. */
export function exitCode(results: FileResult[], failOn: FailOn): 0 | 1 | 2 | 3 {
  if (results.some((r) => r.problem?.code === "internal")) return 3;
  if (results.some((r) => !r.report)) return 2;
  return results.some((r) => r.report && failsThreshold(r.report, failOn)) ? 1 : 0;
}

export function sortedCertificates(report: Report): CertificateJson[] {
  return [...report.certificates].sort((a, b) => compareTimes(a.notAfter, b.notAfter) || a.subject.localeCompare(b.subject));
}

/** Findings the surfaces show as open questions instead (contexts[].openQuestions), in their own words. */
const SHOWN_AS_OPEN_QUESTIONS = new Set(["kubeconfig.client-verdict-undecided", "kubeconfig.server-verdict-undecided"]);

/** The findings a surface lists, worst first: all but those shown as open questions. */
export function findingsBySeverity(report: Report): Finding[] {
  return report.findings
    .filter((f) => !SHOWN_AS_OPEN_QUESTIONS.has(f.code))
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
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
export const COLOUR: Style = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  red: ansi(31, 39),
  yellow: ansi(33, 39),
  green: ansi(32, 39),
  cyan: ansi(36, 39),
};
const id = (s: string) => s;
export const PLAIN: Style = { bold: id, dim: id, red: id, yellow: id, green: id, cyan: id };

/** Colour only for a terminal, and never when NO_COLOR is set to a non-empty value (no-color.org). */
export function useColour(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && !(env.NO_COLOR !== undefined && env.NO_COLOR !== "") && env.TERM !== "dumb";
}

const visible = (s: string) => s.replace(/\x1b\[\d+m/g, "").length;
function grid(rows: string[][], indent = "  "): string {
  const widths: number[] = [];
  for (const r of rows)
    r.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visible(cell));
    });
  return rows
    .map(
      (r) =>
        indent +
        r
          .map((cell, i) => (i === r.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visible(cell))))
          .join("  ")
          .trimEnd(),
    )
    .join("\n");
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

export function renderTable(input: FileResult, st: Style = PLAIN, words: SettleWords = CLI_WORDS): string {
  // Input-derived text is made inert before any colour is added (the file's text is not shown).
  const result: FileResult = { ...inertDeep({ ...input, text: undefined }), text: input.text };
  const out: string[] = [];
  if (!result.report) {
    // The reason is on standard error (one line per problem); it is not repeated here.
    out.push(`${st.bold(result.file)}: ${st.red("not audited")} [${result.problem?.code ?? "error"}] (the reason is on standard error)`);
    return `${out.join("\n")}\n`;
  }
  const r = result.report;
  const qualifier = passQualifier(r);
  out.push(
    `${st.bold(result.file)}: ${verdictWord(r.verdict, st)}${qualifier ? ` (${qualifier})` : ""}  ${st.dim(`(${r.input.kind}, at ${time(r.validationTime)}, warn ${r.warnDays} days; ${r.summary.errors} errors, ${r.summary.warnings} warnings, ${r.summary.infos} infos)`)}`,
  );
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
      const daysCell =
        c.expiry === "expired" || c.expiry === "not-yet-valid" ? st.red(words) : c.expiry === "expiring" ? st.yellow(words) : words;
      const status = c.expiry === "valid" ? st.green("valid") : c.expiry === "expiring" ? st.yellow("expiring") : st.red(c.expiry);
      rows.push([time(c.notAfter), daysCell, status, certRole(c), c.subject, c.issuer, readFromOf(result, where(c))]);
    }
    out.push(grid(rows));
    out.push("");
  }
  if (r.contexts.length) {
    out.push(st.bold("Contexts") + st.dim(" (* = current)"));
    const rows = [["", "CONTEXT", "VERDICT", "CA RELATION", "CLIENT ACCEPTED", "SERVER TRUSTED", "SERVER"].map(st.dim)];
    for (const c of r.contexts)
      rows.push([
        c.current ? "*" : " ",
        c.name,
        verdictCell(c.verdict, st),
        c.caIdentity.relation,
        triCell(c.clientAccepted, st),
        triCell(c.serverTrusted, st),
        c.server ?? "",
      ]);
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
  return `${out.join("\n")}\n`;
}

/** A report path, with the local file it was read from when the CLI inlined one (`..., read from FILE`). */
function readFromOf(result: FileResult, path: string): string {
  const hit = Object.entries(result.readFrom ?? {}).find(
    ([p]) => path === p || path.startsWith(`${p}[`) || path.split(", ").some((x) => x === p || x.startsWith(`${p}[`)),
  );
  return hit ? `${path}, read from ${hit[1]}` : path;
}

export function renderLive(raw: LiveResult, st: Style = PLAIN): string {
  const live = inertDeep(raw);
  const ctxs = live.contexts?.length ? live.contexts : [live.context];
  const out: string[] = [st.bold("Live") + st.dim(` (${ctxs.length === 1 ? "context" : "contexts"} ${ctxs.join(", ")} -> ${live.server})`)];
  const h = live.handshake;
  out.push(
    `  handshake: ${h.ok ? st.green("ok") : st.red("failed")}${h.protocol ? ` ${h.protocol}` : ""}${h.error ? ` (${h.error})` : ""}; Node trusts the server with certificate-authority-data: ${h.nodeAuthorized === null ? "?" : h.nodeAuthorized ? "yes" : `no (${h.nodeAuthorizationError ?? "unknown"})`}; GET /version: ${h.httpStatus ?? "no answer"}`,
  );
  out.push(`  presented chain (${live.chainSource}):`);
  if (!live.presentedChain.length) out.push("    none");
  live.presentedChain.forEach((c, i) => {
    out.push(`    ${i}. ${c.subject}  ${st.dim(`issuer ${c.issuer}, not after ${time(c.notAfter)}`)}`);
  });
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

// Input is Markdown text (mdText) or a code span (mdCode) here, never raw: see escape.ts.
const md = mdText;
const code = (s: string) => mdCode(s, { table: true });
const VERDICT_MD: Record<Report["verdict"], string> = { pass: "✅ pass", warn: "⚠️ warn", fail: "❌ fail" };
const SEV_MD: Record<Severity, string> = { error: "❌ error", warning: "⚠️ warning", info: "ℹ️ info" };

export function overallVerdict(results: FileResult[]): Report["verdict"] | "error" {
  if (results.some((r) => !r.report)) return "error";
  const v = results.map((r) => r.report!.verdict);
  return v.includes("fail") ? "fail" : v.includes("warn") ? "warn" : "pass";
}

export interface MarkdownOptions {
  title?: string;
  notes?: string[];
  words?: SettleWords;
  /** Globs that matched no file (the Action's `files` input). */
  unmatched?: string[];
  /** For some of them, why nothing was audited (e.g. only directories that are not control planes). */
  unmatchedWhy?: Record<string, string>;
}

export function renderMarkdown(results: FileResult[], opts: MarkdownOptions = {}): string {
  const out: string[] = [];
  const overall = results.length ? overallVerdict(results) : "error";
  out.push(
    `## ${opts.title ?? "certaudit"}: ${!results.length ? "❌ nothing audited" : overall === "error" ? "❌ not audited" : VERDICT_MD[overall]}`,
    "",
  );
  if (!results.length) out.push("No file matched the `files` input, so nothing was audited and this is not a pass.", "");
  if (opts.unmatched?.length) {
    out.push(`Patterns that matched no file (relative to the workspace):`, "");
    for (const u of opts.unmatched) out.push(`- ${mdCode(u)}${opts.unmatchedWhy?.[u] ? `: ${mdText(opts.unmatchedWhy[u])}` : ""}`);
    out.push("");
  }
  // Certificates under the file they came from: an input's own file when only it holds them.
  const certs: { c: CertificateJson; file: string }[] = [];
  const seenCert = new Set<string>();
  for (const r of results)
    for (const c of r.report?.certificates ?? []) {
      const file = certificateFile(r, c);
      if (file !== r.file && seenCert.has(`${c.id}|${file}`)) continue;
      seenCert.add(`${c.id}|${file}`);
      certs.push({ c, file });
    }
  certs.sort((a, b) => compareTimes(a.c.notAfter, b.c.notAfter) || a.c.subject.localeCompare(b.c.subject));
  const earliest = certs[0];
  if (earliest)
    out.push(
      `Earliest expiry: **${time(earliest.c.notAfter)}** (${daysWords(earliest.c)}) — ${md(earliest.c.subject)} in ${mdCode(earliest.file)}`,
      "",
    );
  // Notes are the caller's Markdown (the Action escapes what it quotes in them).
  for (const n of opts.notes ?? []) out.push(`> ${n.replace(/\r?\n/g, " ")}`, "");
  if (results.length) {
    out.push("| File | Verdict | Certificates | Errors | Warnings | Infos |", "| --- | --- | ---: | ---: | ---: | ---: |");
    for (const r of results) {
      if (!r.report)
        out.push(`| ${code(r.file)} | ❌ not audited: ${code(r.problem?.code ?? "error")} ${md(r.problem?.message ?? "")} | | | | |`);
      else
        out.push(
          `| ${code(r.file)} | ${VERDICT_MD[r.report.verdict]}${r.report.summary.openQuestions ? ` (${r.report.summary.openQuestions} open)` : ""} | ${r.report.summary.certificates} | ${r.report.summary.errors} | ${r.report.summary.warnings} | ${r.report.summary.infos} |`,
        );
    }
    out.push("");
  }
  if (certs.length) {
    out.push(
      "### Certificates by expiry",
      "",
      "| Days left | Not after | Status | Subject | Issuer | File | Where |",
      "| ---: | --- | --- | --- | --- | --- | --- |",
    );
    for (const { c, file } of certs)
      out.push(
        `| ${md(String(c.daysRemaining))} | ${md(day(c.notAfter))} | ${md(c.expiry)}${c.isCA ? " (CA)" : ""} | ${md(c.subject)} | ${md(c.issuer)} | ${code(file)} | ${code(where(c))} |`,
      );
    out.push("");
  }
  const contexts = results.flatMap((r) => (r.report ? r.report.contexts.map((c) => ({ c, file: r.file })) : []));
  if (contexts.length) {
    out.push(
      "### Contexts",
      "",
      "| File | Context | Verdict | CA relation | Client accepted | Server trusted | Server |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const { c, file } of contexts)
      out.push(
        `| ${code(file)} | ${md(c.name)}${c.current ? " (current)" : ""} | ${VERDICT_MD[c.verdict]} | ${md(c.caIdentity.relation)} | ${tri(c.clientAccepted)} | ${tri(c.serverTrusted)} | ${code(c.server ?? "")} |`,
      );
    out.push("");
  }
  out.push(...edgesMarkdown(results));
  const open = results.flatMap((r) =>
    r.report ? openQuestionLines(r.report, opts.words ?? CLI_WORDS, md).map((line) => ({ line, file: r.file })) : [],
  );
  if (open.length) {
    out.push(
      "### Open questions",
      "",
      "Not decided from this input; a pass does not answer them.",
      "",
      "| File | Question |",
      "| --- | --- |",
    );
    // The line is Markdown already: its context name and reason escaped (md), certaudit's words as written.
    for (const { line, file } of open) out.push(`| ${code(file)} | ${line} |`);
    out.push("");
  }
  for (const r of results)
    for (const live of r.probes ?? (r.live ? [r.live] : [])) {
      const body = renderLive(live);
      out.push("### Live", "", mdFence(body), body, mdFence(body), "");
    }
  if (!results.length) return out.join("\n");
  const findings = placedFindings(results);
  out.push("### Findings by severity", "");
  if (!findings.length) out.push("None.", "");
  for (const sev of SEVERITIES) {
    const list = findings.filter((x) => x.f.severity === sev);
    if (!list.length) continue;
    out.push(`#### ${SEV_MD[sev]} (${list.length})`, "", "| Code | File | Line | Where | Message |", "| --- | --- | ---: | --- | --- |");
    for (const p of list)
      out.push(
        `| ${code(p.f.code)} | ${code(p.at.file)} | ${p.at.line} | ${[p.f.context ? `context ${md(p.f.context)}` : "", p.f.path ? code(p.f.path) : ""].filter(Boolean).join(", ")} | ${md(placedMessage(p))} |`,
      );
    out.push("");
  }
  return out.join("\n");
}

export function earliestExpiry(results: FileResult[]): (CertificateJson & { file: string }) | null {
  let best: (CertificateJson & { file: string }) | null = null;
  for (const r of results)
    for (const c of r.report?.certificates ?? []) if (!best || c.notAfter < best.notAfter) best = { ...c, file: r.file };
  return best;
}

// ---------------------------------------------------------------------------------------------
// Findings placed on their files (locate.ts), shared by annotations, the summary and SARIF.

export interface PlacedFinding {
  f: Finding;
  result: FileResult;
  at: Placement;
}

/**
 * The findings of every result on the file and line they are about. A finding about an input
 * file shared by every audit (client-ca, server-certificate) is kept once, unless it is about one
 * context (then it names the kubeconfig too). `all` keeps the open-question findings.
 */
export function placedFindings(results: FileResult[], opts: { all?: boolean } = {}): PlacedFinding[] {
  const out: PlacedFinding[] = [];
  const seen = new Set<string>();
  for (const result of results) {
    if (!result.report) continue;
    for (const f of opts.all ? result.report.findings : findingsBySeverity(result.report)) {
      const at = place(result, f);
      if (at.input) {
        const key = [
          f.code,
          at.file,
          at.line,
          f.context ? result.file : "",
          f.context ?? "",
          f.path ?? "",
          f.certificate ?? "",
          f.message,
        ].join("\u0000");
        if (seen.has(key)) continue;
        seen.add(key);
      }
      out.push({ f, result, at });
    }
  }
  return out;
}

/** A finding's message where it is placed: on an input file, it names the kubeconfig and context. */
function placedMessage(p: PlacedFinding): string {
  return p.at.input && p.f.context ? `${p.result.file}, context ${p.f.context}: ${p.f.message}` : p.f.message;
}

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands (::error file=...,line=...::message)

// Escaping in escape.ts (escData, escProp). The file property stays exact, so the annotation lands
// on that file; titles and messages are shown, so they are inert too.
const shownData = (s: string) => escData(inert(s));
const shownProp = (s: string) => escProp(inert(s));

/**
 * GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (actions/toolkit,
 * docs/problem-matchers.md, "Limitations"; the rest are dropped in the order printed).
 */
export const ANNOTATIONS_PER_KIND = 10;

type Kind = "error" | "warning" | "notice";

export interface AnnotationPlan {
  /** The workflow commands, errors first. */
  commands: string[];
  /** Findings not annotated (infos always, errors and warnings over the budget); the summary lists them. */
  folded: Record<Severity, number>;
}

/**
 * The annotations for a step: files that could not be audited and error findings first, then
 * warnings, each kind within its budget (ANNOTATIONS_PER_KIND less `reserve`, the caller's own
 * commands of that kind), taking each file's findings in turn so that every file with an error
 * or a warning shows one. Infos are folded into the job summary; when anything is folded, one
 * notice says how much and where it is.
 */
export function annotations(results: FileResult[], opts: { reserve?: Partial<Record<Kind, number>> } = {}): AnnotationPlan {
  const budget = (k: Kind) => Math.max(0, ANNOTATIONS_PER_KIND - (opts.reserve?.[k] ?? 0));
  const commands: string[] = [];
  const folded: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let errors = 0;
  for (const r of results) {
    if (r.report) continue;
    if (errors++ >= budget("error")) continue;
    commands.push(
      `::error file=${escProp(r.file)},title=${shownProp(`certaudit: ${r.problem?.code ?? "error"}`)}::${shownData(r.problem?.message ?? "not audited")}`,
    );
  }
  const placed = placedFindings(results);
  for (const sev of ["error", "warning"] as const) {
    let used = sev === "error" ? errors : 0;
    for (const p of roundRobinByFile(placed.filter((x) => x.f.severity === sev))) {
      if (used++ >= budget(sev)) {
        folded[sev]++;
        continue;
      }
      const title = isFindingCode(p.f.code) ? `${p.f.code}: ${CATALOGUE[p.f.code].title}` : p.f.code;
      commands.push(`::${sev} file=${escProp(p.at.file)},line=${p.at.line},title=${shownProp(title)}::${shownData(placedMessage(p))}`);
    }
  }
  folded.info = placed.filter((x) => x.f.severity === "info").length;
  const total = folded.error + folded.warning + folded.info;
  if (total && budget("notice") > 0) {
    const parts = (
      [
        ["error", "error"],
        ["warning", "warning"],
        ["info", "note"],
      ] as const
    )
      .filter(([k]) => folded[k])
      .map(([k, w]) => `${folded[k]} ${w}${folded[k] === 1 ? "" : "s"}`);
    commands.push(
      `::notice title=${escProp("certaudit: more in the job summary")}::${escData(`${total} finding${total === 1 ? " is" : "s are"} not annotated (${parts.join(", ")}): GitHub shows ${ANNOTATIONS_PER_KIND} annotations of each kind per step and certaudit annotates errors and warnings only. The job summary lists every finding.`)}`,
    );
  }
  return { commands, folded };
}

/** The first finding of every file, then the second of every file, ...: a tight budget still marks each file. */
function roundRobinByFile(list: PlacedFinding[]): PlacedFinding[] {
  const byFile = new Map<string, PlacedFinding[]>();
  for (const p of list) byFile.set(p.at.file, [...(byFile.get(p.at.file) ?? []), p]);
  const out: PlacedFinding[] = [];
  for (let i = 0; out.length < list.length; i++) for (const group of byFile.values()) if (group[i]) out.push(group[i]!);
  return out;
}

/** The annotations within GitHub's per-step budget (see annotations()). */
export function workflowCommands(results: FileResult[]): string[] {
  return annotations(results).commands;
}

// ---------------------------------------------------------------------------------------------
// SARIF 2.1.0

export interface SarifOptions {
  version: string;
  /** Turns a result's file into the artifact URI (relative to the repository root for GitHub). */
  uri?: (file: string) => string;
  /** Tool notifications besides the files that could not be audited (a glob that matched nothing). */
  notifications?: { level: "error" | "warning" | "note"; id: string; text: string }[];
}

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/** FNV-1a, 64-bit, hex: a stable fingerprint without needing a crypto API. */
function fnv64(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(s)) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, "0");
}

export function renderSarif(results: FileResult[], opts: SarifOptions): Record<string, unknown> {
  const toPath = opts.uri ?? ((f: string) => f.replace(/\\/g, "/").replace(/^\.\//, ""));
  // artifactLocation.uri is a URI reference: a file name is percent-encoded (escape.ts pathUri).
  const uri = (f: string) => pathUri(toPath(f));
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
    if (!r.report)
      notifications.push({
        level: "error",
        message: { text: sarifText(`${r.file}: ${r.problem?.code ?? "error"}: ${r.problem?.message ?? "not audited"}`) },
        descriptor: { id: r.problem?.code ?? "error" },
      });
  }
  for (const n of opts.notifications ?? [])
    notifications.push({ level: n.level, message: { text: sarifText(n.text) }, descriptor: { id: n.id } });
  for (const p of placedFindings(results, { all: true })) {
    const { f } = p;
    const artifact = uri(p.at.file === "-" ? "stdin" : p.at.file);
    const index = addRule(f.code);
    const logical = [
      f.context ? { name: f.context, kind: "module", fullyQualifiedName: `contexts[${f.context}]` } : null,
      // A control-plane directory's path is the file itself (the physical location).
      f.path && p.result.report?.input.kind !== "directory" ? { name: f.path, fullyQualifiedName: f.path, kind: "member" } : null,
    ].filter(Boolean);
    // On an input file shared by several kubeconfigs, a context's finding also names its kubeconfig.
    const owner = p.at.input && f.context ? [uri(p.result.file)] : [];
    sarifResults.push({
      ruleId: f.code,
      ruleIndex: index,
      level: LEVEL[f.severity],
      message: { text: sarifText(placedMessage(p)) },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: artifact }, region: { startLine: p.at.line } },
          ...(logical.length ? { logicalLocations: logical } : {}),
        },
      ],
      partialFingerprints: {
        "certauditFinding/v1": fnv64([f.code, artifact, f.context ?? "", f.path ?? "", f.certificate ?? "", ...owner].join("|")),
      },
      properties: {
        ...(f.certificate ? { certificate: f.certificate } : {}),
        ...(f.context ? { context: f.context } : {}),
        ...(f.path ? { path: f.path } : {}),
        ...(owner.length ? { kubeconfig: owner[0] } : {}),
      },
    });
  }
  const rules = ruleIds.map((code) => {
    const def: FindingDef | null = isFindingCode(code) ? CATALOGUE[code] : null;
    const title = def?.title ?? code;
    const advice = def?.advice ?? "";
    return {
      id: code,
      name: code
        .split(/[.-]/)
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(""),
      shortDescription: { text: title },
      fullDescription: { text: advice || title },
      help: {
        text: `${title}. ${advice}${def?.cite ? ` (${def.cite})` : ""}`,
        markdown: `**${title}.** ${advice}${def?.cite ? `\n\nSee ${def.cite}.` : ""}`,
      },
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
        invocations: [{ executionSuccessful: !notifications.some((n) => n.level === "error"), toolExecutionNotifications: notifications }],
        columnKind: "utf16CodeUnits",
      },
    ],
  };
}
