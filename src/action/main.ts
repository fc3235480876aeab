// The certaudit GitHub Action (action.yml, `runs: using: node24`), bundled to
// action/dist/index.mjs. A thin client like the CLI: it expands the globs, asks the core (or a
// deployed service) for one Report per file and publishes them as outputs, a job summary,
// workflow-command annotations and, optionally, SARIF.
//
// It reads INPUT_* variables and appends to the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files
// itself instead of using @actions/core: those are a handful of documented lines, and it keeps
// the committed bundle small and free of a dependency that would need tracking.
import { randomBytes, webcrypto } from "node:crypto";
import { appendFileSync, globSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, matchesGlob, relative, resolve } from "node:path";
import { InputProblem } from "../core/errors.ts";
import { withoutUserinfo } from "../core/input/userinfo.ts";
import { parseAt, parseWarnDays, runAudit, type Transport } from "../cli/client.ts";
import { ACTION_WORDS } from "../cli/open-questions.ts";
import { earliestExpiry, exitCode, FAIL_ON, overallVerdict, renderMarkdown, renderSarif, workflowCommands, type FailOn, type FileResult } from "../cli/render.ts";

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
  const delim = `certaudit_${randomBytes(8).toString("hex")}`;
  appendFileSync(file, `${name}<<${delim}\n${value}\n${delim}\n`);
}

const esc = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

/** Expands newline-separated globs (a line starting with ! excludes) relative to the workspace. */
export function expandGlobs(patterns: string, cwd: string): { files: string[]; unmatched: string[] } {
  const lines = patterns.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const include = lines.filter((l) => !l.startsWith("!"));
  const exclude = lines.filter((l) => l.startsWith("!")).map((l) => l.slice(1).trim());
  const files = new Set<string>();
  const unmatched: string[] = [];
  for (const p of include) {
    const hits = globSync(p, { cwd }).filter((f) => {
      try {
        return statSync(resolve(cwd, f)).isFile();
      } catch {
        return false;
      }
    });
    if (!hits.length) unmatched.push(p);
    for (const h of hits) files.add(h.replace(/\\/g, "/"));
  }
  return { files: [...files].filter((f) => !exclude.some((x) => matchesGlob(f, x))).sort(), unmatched };
}


/** Runs the action; returns 0 (pass), 1 (findings at or above fail-on) or 2 (could not audit). */
export async function run(env: Env, out: { write(s: string): unknown } = process.stdout): Promise<number> {
  const log = (s: string) => out.write(s.endsWith("\n") ? s : s + "\n");
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const token = input(env, "token");
  if (token) log(`::add-mask::${token}`);

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
    if (!input(env, "files")) throw new InputProblem("input.bad-option", 400, "files is empty: give newline-separated globs of kubeconfigs and PEM bundles");
  } catch (e) {
    log(`::error title=certaudit::${esc(e instanceof InputProblem ? `[${e.code}] ${e.message}` : String(e))}`);
    return 2;
  }

  const readAux = (name: string): Uint8Array | undefined => {
    const p = input(env, name);
    if (!p) return undefined;
    try {
      return new Uint8Array(readFileSync(resolve(workspace, p)));
    } catch (e) {
      throw new Error(`${name}: cannot read ${p} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
  };
  let clientCA: Uint8Array | undefined;
  let serverCertificate: Uint8Array | undefined;
  try {
    clientCA = readAux("client-ca");
    serverCertificate = readAux("server-certificate");
  } catch (e) {
    log(`::error title=certaudit::${esc(`[cli.unreadable] ${(e as Error).message}`)}`);
    return 2;
  }

  const { files, unmatched } = expandGlobs(input(env, "files"), workspace);
  for (const u of unmatched) log(`::warning title=certaudit::${esc(`no file matches ${u}`)}`);
  if (!files.length) {
    log(`::error title=certaudit::${esc("[cli.no-files] no file matches the files globs")}`);
    return 2;
  }

  const transport: Transport = { endpoint, token: token || undefined, sendSecrets, subtle: webcrypto.subtle as unknown as SubtleCrypto, userAgent: `certaudit-action/${VERSION}` };
  const notes: string[] = [];
  // The endpoint as shown: its userinfo, if any, is a credential (core/input/userinfo.ts).
  const shown = endpoint ? withoutUserinfo(endpoint) : "";
  if (!endpoint) notes.push("Audited locally by the bundled certaudit core; nothing was uploaded.");
  else if (sendSecrets) notes.push(`Uploaded to ${shown} with secrets (send-secrets: true): the key-match check ran on the server.`);
  else notes.push(`Uploaded to ${shown} with private keys, tokens and passwords stripped (only fields known to be public left): the key-match check could not run.`);

  const results: FileResult[] = [];
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(resolve(workspace, file)));
    } catch (e) {
      results.push({ file, problem: { code: "cli.unreadable", message: `cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})` } });
      continue;
    }
    let text: string | null = null;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      /* binary */
    }
    const o = await runAudit({ main: bytes, clientCA, serverCertificate, at, warnDays }, transport);
    if (o.problem) results.push({ file, text, problem: o.problem });
    else {
      results.push({ file, text, report: o.report });
      if (endpoint && o.stripped.length) log(`certaudit: ${file}: stripped before upload: ${o.stripped.join(", ")}`);
    }
    log(`certaudit: ${file}: ${o.report ? o.report.verdict : `not audited [${o.problem.code}] ${o.problem.message}`}`);
  }

  for (const line of workflowCommands(results)) log(line);

  const reportPath = join(env.RUNNER_TEMP || tmpdir(), `certaudit-report-${randomBytes(4).toString("hex")}.json`);
  writeFileSync(reportPath, JSON.stringify(results.map((r) => ({ file: r.file, ...(r.report ? { report: r.report } : {}), ...(r.problem ? { problem: r.problem } : {}) })), null, 2) + "\n");

  const sarifInput = input(env, "sarif-file");
  if (sarifInput) {
    const sarifPath = isAbsolute(sarifInput) ? sarifInput : resolve(workspace, sarifInput);
    mkdirSync(dirname(sarifPath), { recursive: true });
    writeFileSync(sarifPath, JSON.stringify(renderSarif(results, { version: VERSION, uri: (f) => relative(workspace, resolve(workspace, f)).replace(/\\/g, "/") }), null, 2) + "\n");
    log(`certaudit: SARIF written to ${sarifInput}`);
  }

  const verdict = overallVerdict(results);
  const earliest = earliestExpiry(results);
  setOutput(env, "verdict", verdict);
  setOutput(env, "earliest-expiry", earliest?.notAfter ?? "");
  setOutput(env, "days-left", earliest ? String(earliest.daysRemaining) : "");
  setOutput(env, "report", reportPath);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, renderMarkdown(results, { notes, words: ACTION_WORDS }) + "\n");

  const code = exitCode(results, failOn);
  if (code === 1) log(`::error title=certaudit::${esc(`findings at or above fail-on: ${failOn} (verdict ${verdict})`)}`);
  if (code === 2) log(`::error title=certaudit::${esc("some files could not be audited")}`);
  if (code === 3) log(`::error title=certaudit::${esc("certaudit hit a bug on some files (problem code internal); please report it")}`);
  return code;
}
