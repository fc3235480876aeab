// The certaudit GitHub Action (action.yml, `runs: using: node24`), bundled to
// action/dist/index.mjs. A thin client like the CLI: it expands the globs, asks the core (or a
// deployed service) for one Report per file and publishes them as outputs, a job summary,
// workflow-command annotations and, optionally, SARIF.
//
// It reads INPUT_* variables and appends to the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files
// itself instead of using @actions/core: those are a handful of documented lines, and it keeps
// the committed bundle small and free of a dependency that would need tracking.
import { randomBytes, webcrypto } from "node:crypto";
import { appendFileSync, globSync, mkdirSync, readFileSync, statSync, writeFileSync, type Stats } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, matchesGlob, relative, resolve } from "node:path";
import { InputProblem } from "../core/errors.ts";
import { inert } from "../core/text/inert.ts";
import { withoutUserinfo } from "../core/input/userinfo.ts";
import { parseAt, parseWarnDays, runAudit, type Transport } from "../cli/client.ts";
import { ACTION_WORDS } from "../cli/open-questions.ts";
import { edgeOutputs } from "../cli/render-edges.ts";
import { isDirectory } from "../cli/cluster.ts";
import { auditDirectoryJob, auditObjectsJob } from "../cli/cluster-job.ts";
import { openIfPkcs12, p12Password, Pkcs12Error } from "../cli/pkcs12.ts";
import type { InputFiles } from "../cli/locate.ts";
import { escData, logLine, mdCode, mdText, outputEntry, safeJson } from "../cli/escape.ts";
import {
  annotations,
  earliestExpiry,
  exitCode,
  FAIL_ON,
  overallVerdict,
  renderMarkdown,
  renderSarif,
  type FailOn,
  type FileResult,
  type SarifOptions,
} from "../cli/render.ts";

const VERSION: string = process.env.CERTAUDIT_VERSION ?? "0.0.0-dev";

type Env = Record<string, string | undefined>;

/** As @actions/core's getInput: INPUT_ + the name upper-cased, spaces as underscores (hyphens kept). */
export function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

function bool(env: Env, name: string, dflt: boolean): boolean {
  const v = input(env, name).toLowerCase();
  if (v === "") return dflt;
  if (["true", "yes", "1", "on"].includes(v)) return true;
  if (["false", "no", "0", "off"].includes(v)) return false;
  throw new InputProblem("input.bad-option", 400, `${name} must be true or false`);
}

function setOutput(env: Env, name: string, value: string): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) {
    process.stdout.write(`${name}=${value}\n`);
    return;
  }
  // A random delimiter the value does not contain (escape.ts outputEntry).
  appendFileSync(
    file,
    outputEntry(name, value, () => `certaudit_${randomBytes(16).toString("hex")}`),
  );
}

const esc = escData;

/** kubeadm's layout of /etc/kubernetes: a directory matched by a wildcard is audited only when it has it. */
const isControlPlane = (dir: string) => ["pki", "manifests"].some((d) => isDirectory(join(dir, d)));
const GLOB_MAGIC = /[*?[\]{}]/;

/**
 * Expands newline-separated globs (a line starting with ! excludes) relative to the workspace.
 * A directory is a kubeadm control plane to audit as a whole (as `certaudit DIR`): one named by a
 * line without wildcards, or one a wildcard matched that holds `pki/` or `manifests/`; the files
 * and directories inside an audited directory are part of its audit, not audited again.
 */
export function expandGlobs(
  patterns: string,
  cwd: string,
): { files: string[]; directories: string[]; unmatched: string[]; notControlPlanes: Map<string, string[]> } {
  const lines = patterns
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const include = lines.filter((l) => !l.startsWith("!"));
  const exclude = lines.filter((l) => l.startsWith("!")).map((l) => l.slice(1).trim());
  const files = new Set<string>();
  const dirs = new Set<string>();
  const unmatched: string[] = [];
  /** Per unmatched pattern, the directories it matched that are not control planes (no pki/ or manifests/). */
  const notControlPlanes = new Map<string, string[]>();
  for (const p of include) {
    let hit = false;
    const skippedDirs: string[] = [];
    for (const h of globSync(p, { cwd })) {
      const path = h.replace(/\\/g, "/").replace(/\/+$/, "");
      let st: Stats;
      try {
        st = statSync(resolve(cwd, path));
      } catch {
        continue;
      }
      if (st.isFile()) files.add(path);
      else if (st.isDirectory() && (!GLOB_MAGIC.test(p) || isControlPlane(resolve(cwd, path)))) dirs.add(path);
      else {
        if (st.isDirectory()) skippedDirs.push(path);
        continue;
      }
      hit = true;
    }
    if (!hit) unmatched.push(p);
    if (!hit && skippedDirs.length) notControlPlanes.set(p, skippedDirs.sort());
  }
  const kept = (f: string) => !exclude.some((x) => matchesGlob(f, x));
  const directories = [...dirs].filter(kept).sort();
  // The outermost directory is the control plane; what is inside it is part of its audit.
  const inside = (f: string) => directories.some((d) => f !== d && (d === "." || f.startsWith(`${d}/`)));
  return {
    files: [...files].filter((f) => kept(f) && !inside(f)).sort(),
    directories: directories.filter((d) => !inside(d)),
    unmatched,
    notControlPlanes,
  };
}

/** Why a `files` pattern that matched only directories audited nothing; null when it matched none. */
function notControlPlaneReason(dirs: string[] | undefined): string | null {
  if (!dirs?.length) return null;
  const shown = dirs.slice(0, 5).join(", ") + (dirs.length > 5 ? ` and ${dirs.length - 5} more` : "");
  const which =
    dirs.length === 1
      ? `a directory (${shown}) but it is not a control-plane directory`
      : `directories (${shown}) but none is a control-plane directory`;
  return `matched ${which} (no pki/ or manifests/), so nothing was audited; name a directory without wildcards to audit it anyway, or match files`;
}

/** Why a `files` pattern audited nothing: no match at all, or only directories that are not control planes. */
export function unmatchedMessage(pattern: string, notControlPlanes: Map<string, string[]>): string {
  const reason = notControlPlaneReason(notControlPlanes.get(pattern));
  return reason ? `${pattern} ${reason}` : `no file matches ${pattern}`;
}

/**
 * The runner refuses a whole step summary over 1 MiB ("$GITHUB_STEP_SUMMARY upload aborted,
 * supports content up to a size of 1024k"; actions/runner FileCommandManager.cs,
 * CreateStepSummaryCommand). Past that, keep whole lines up to the limit and say where the rest is.
 */
export const SUMMARY_LIMIT = 1024 * 1024;

export function fitSummary(text: string, reportPath: string): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= SUMMARY_LIMIT) return text;
  const tail = `\n\n**Cut here**: the job summary is limited to 1 MiB. Every finding is in the \`report\` output (${reportPath}) and in the SARIF log.\n`;
  const room = SUMMARY_LIMIT - new TextEncoder().encode(tail).length - 1;
  const head = new TextDecoder().decode(bytes.slice(0, room)).replace(/\uFFFD$/, "");
  return head.slice(0, head.lastIndexOf("\n")) + tail;
}

const textOf = (bytes: Uint8Array): string | null => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null; // binary (DER)
  }
};

/** Runs the action; returns 0 (pass), 1 (findings at or above fail-on) or 2 (could not audit). */
export async function run(env: Env, out: { write(s: string): unknown } = process.stdout): Promise<number> {
  /** A workflow command, escaped by its maker. */
  const log = (s: string) => out.write(s.endsWith("\n") ? s : `${s}\n`);
  /** A plain log line that quotes input (file names, problem messages): see escape.ts logLine. */
  const say = (s: string) => out.write(`${logLine(s)}\n`);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const token = input(env, "token");
  if (token) log(`::add-mask::${esc(token)}`);

  const reportPath = join(env.RUNNER_TEMP || tmpdir(), `certaudit-report-${randomBytes(4).toString("hex")}.json`);
  const sarifInput = input(env, "sarif-file");
  const writeSarif = (results: FileResult[], notifications: SarifOptions["notifications"]) => {
    if (!sarifInput) return;
    const sarifPath = isAbsolute(sarifInput) ? sarifInput : resolve(workspace, sarifInput);
    mkdirSync(dirname(sarifPath), { recursive: true });
    writeFileSync(
      sarifPath,
      `${safeJson(
        renderSarif(results, {
          version: VERSION,
          notifications,
          uri: (f) => relative(workspace, resolve(workspace, f)).replace(/\\/g, "/"),
        }),
        2,
      )}\n`,
    );
    say(`certaudit: SARIF written to ${sarifInput}`);
  };
  const writeOutputs = (results: FileResult[]) => {
    writeFileSync(
      reportPath,
      `${safeJson(
        results.map((r) => ({ file: r.file, ...(r.report ? { report: r.report } : {}), ...(r.problem ? { problem: r.problem } : {}) })),
        2,
      )}\n`,
    );
    const earliest = earliestExpiry(results);
    setOutput(env, "verdict", results.length ? overallVerdict(results) : "error");
    setOutput(env, "earliest-expiry", earliest?.notAfter ?? "");
    setOutput(env, "days-left", earliest ? String(earliest.daysRemaining) : "");
    setOutput(env, "report", reportPath);
    const edges = edgeOutputs(results);
    setOutput(env, "broken-edges", edges.broken);
    setOutput(env, "first-break", edges.firstBreak);
  };
  const summary = (text: string) => {
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${fitSummary(text, reportPath)}\n`);
  };
  /** Nothing could be audited: say why everywhere a workflow looks (log, summary, outputs, SARIF). */
  const notAudited = (code: string, message: string): 2 => {
    log(`::error title=certaudit::${esc(inert(`[${code}] ${message}`))}`);
    writeOutputs([]);
    writeSarif([], [{ level: "error", id: code, text: message }]);
    summary(`## certaudit: ❌ not audited\n\n${mdCode(code)}: ${mdText(message)}\n`);
    return 2;
  };

  let failOn: FailOn;
  let warnDays: number;
  let sendSecrets: boolean;
  const at = input(env, "at") || undefined;
  const endpoint = input(env, "endpoint") || undefined;
  try {
    failOn = (input(env, "fail-on") || "error") as FailOn;
    if (!FAIL_ON.includes(failOn)) throw new InputProblem("input.bad-option", 400, `fail-on must be one of ${FAIL_ON.join(", ")}`);
    warnDays = parseWarnDays(input(env, "warn-days") || "30");
    sendSecrets = bool(env, "send-secrets", false);
    if (at) parseAt(at);
    if (endpoint && !/^https?:\/\//i.test(endpoint)) throw new InputProblem("input.bad-option", 400, "endpoint must be an http(s) URL");
    if (!input(env, "files"))
      throw new InputProblem("input.bad-option", 400, "files is empty: give newline-separated globs of kubeconfigs and PEM bundles");
  } catch (e) {
    if (e instanceof InputProblem) return notAudited(e.code, e.message);
    throw e;
  }

  const inputFiles: InputFiles = {};
  const readAux = (name: string, field: keyof InputFiles): Uint8Array | undefined => {
    const p = input(env, name);
    if (!p) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(resolve(workspace, p)));
    } catch (e) {
      throw new Error(`${name}: cannot read ${p} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    inputFiles[field] = { file: relative(workspace, resolve(workspace, p)).replace(/\\/g, "/"), text: textOf(bytes) };
    return bytes;
  };
  let clientCA: Uint8Array | undefined;
  let serverCertificate: Uint8Array | undefined;
  try {
    clientCA = readAux("client-ca", "clientCA");
    serverCertificate = readAux("server-certificate", "serverCertificate");
  } catch (e) {
    return notAudited("cli.unreadable", (e as Error).message);
  }

  const { files, directories, unmatched, notControlPlanes } = expandGlobs(input(env, "files"), workspace);
  const why = (u: string) => unmatchedMessage(u, notControlPlanes);
  for (const u of unmatched) log(`::warning title=certaudit::${esc(inert(why(u)))}`);
  const unmatchedNotes = unmatched.map((u) => ({ level: "warning" as const, id: "cli.no-match", text: why(u) }));
  const unmatchedWhy: Record<string, string> = {};
  for (const u of unmatched) {
    const reason = notControlPlaneReason(notControlPlanes.get(u));
    if (reason) unmatchedWhy[u] = reason;
  }
  if (!files.length && !directories.length) {
    const message = "no file matches the files globs";
    log(`::error title=certaudit::${esc(`[cli.no-files] ${message}`)}`);
    writeOutputs([]);
    writeSarif([], [{ level: "error", id: "cli.no-files", text: message }, ...unmatchedNotes]);
    summary(renderMarkdown([], { unmatched, unmatchedWhy }));
    return 2;
  }

  const transport: Transport = {
    endpoint,
    token: token || undefined,
    sendSecrets,
    subtle: webcrypto.subtle as unknown as SubtleCrypto,
    userAgent: `certaudit-action/${VERSION}`,
  };
  const notes: string[] = [];
  // The endpoint as shown: its userinfo, if any, is a credential (core/input/userinfo.ts).
  const shown = endpoint ? withoutUserinfo(endpoint) : "";
  if (!endpoint) notes.push("Audited locally by the bundled certaudit core; nothing was uploaded.");
  else if (sendSecrets)
    notes.push(`Uploaded to ${mdCode(shown)} with secrets (send-secrets: true): the key-match check ran on the server.`);
  else
    notes.push(
      `Uploaded to ${mdCode(shown)} with private keys, tokens and passwords stripped (only fields known to be public left): the key-match check could not run.`,
    );
  for (const [name, field] of [
    ["client-ca", "clientCA"],
    ["server-certificate", "serverCertificate"],
  ] as const)
    if (inputFiles[field])
      notes.push(`${name}: ${mdCode(inputFiles[field]!.file)}, audited with every file; its findings are listed under it.`);

  if (directories.length)
    notes.push(
      endpoint
        ? "Control-plane directories were uploaded without their private keys: each key was replaced by the SHA-256 of its public key, computed in the runner."
        : "Control-plane directories were audited as `certaudit DIR` audits them: every trust edge, as the Go component that verifies it.",
    );
  const results: FileResult[] = [];
  // A control-plane directory (cluster-job.ts): every trust edge, as `certaudit DIR`.
  for (const dir of directories) {
    const { outcome: o, tree } = await auditDirectoryJob([dir], workspace, { at, warnDays }, transport);
    results.push(o.report ? { file: dir, text: null, report: o.report, tree } : { file: dir, problem: o.problem });
    if (o.report && o.stripped.length) say(`certaudit: ${dir}: not uploaded as such: ${o.stripped.join(", ")}`);
    say(`certaudit: ${dir}: ${o.report ? `${o.report.verdict} (control plane)` : `not audited [${o.problem.code}] ${o.problem.message}`}`);
  }
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(resolve(workspace, file)));
    } catch (e) {
      results.push({ file, problem: { code: "cli.unreadable", message: `cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})` } });
      continue;
    }
    let pkcs12 = false;
    try {
      const passwordFile = input(env, "p12-password-file");
      ({ bytes, pkcs12 } = await openIfPkcs12(bytes, () =>
        p12Password(passwordFile ? resolve(workspace, passwordFile) : undefined, env, (p) => new Uint8Array(readFileSync(p))),
      ));
    } catch (e) {
      if (!(e instanceof Pkcs12Error) && !(e as NodeJS.ErrnoException).code) throw e;
      results.push({
        file,
        problem:
          e instanceof Pkcs12Error
            ? { code: e.code, message: `PKCS#12: ${e.message}` }
            : { code: "cli.unreadable", message: `p12-password-file: cannot read (${(e as NodeJS.ErrnoException).code})` },
      });
      continue;
    }
    const text = pkcs12 ? null : textOf(bytes);
    // Kubernetes objects: audited here, or with an endpoint uploaded without their secrets (cluster-job.ts).
    const objects = text === null ? null : await auditObjectsJob(bytes, { at, warnDays }, transport);
    if (objects) {
      results.push(objects.report ? { file, text, report: objects.report } : { file, text, problem: objects.problem });
      say(
        `certaudit: ${file}: ${objects.report ? `${objects.report.verdict} (Kubernetes objects${transport.endpoint ? ", uploaded without secrets" : ", audited in the runner"})` : `not audited [${objects.problem.code}] ${objects.problem.message}`}`,
      );
      continue;
    }
    const o = await runAudit({ main: bytes, clientCA, serverCertificate, at, warnDays }, transport);
    if (o.problem) results.push({ file, text, problem: o.problem, inputFiles });
    else {
      results.push({ file, text, report: o.report, inputFiles });
      if (endpoint && o.stripped.length) say(`certaudit: ${file}: stripped before upload: ${o.stripped.join(", ")}`);
    }
    say(`certaudit: ${file}: ${o.report ? o.report.verdict : `not audited [${o.problem.code}] ${o.problem.message}`}`);
  }

  const code = exitCode(results, failOn);
  // Our own closing ::error and the ::warning per unmatched glob count against GitHub's budget.
  const plan = annotations(results, { reserve: { error: code === 0 ? 0 : 1, warning: unmatched.length } });
  for (const line of plan.commands) log(line);
  const folded = plan.folded.error + plan.folded.warning + plan.folded.info;
  if (folded)
    notes.push(
      `${folded} finding${folded === 1 ? " is" : "s are"} not annotated on the files (GitHub shows 10 annotations of each kind per step, and notes are not annotated); every finding is in the tables below.`,
    );

  writeOutputs(results);
  writeSarif(results, unmatchedNotes);
  summary(renderMarkdown(results, { notes, words: ACTION_WORDS, unmatched, unmatchedWhy }));

  const verdict = overallVerdict(results);
  if (code === 1) log(`::error title=certaudit::${esc(`findings at or above fail-on: ${failOn} (verdict ${verdict})`)}`);
  if (code === 2) log(`::error title=certaudit::${esc("some files could not be audited")}`);
  if (code === 3) log(`::error title=certaudit::${esc("certaudit hit a bug on some files (problem code internal); please report it")}`);
  return code;
}
