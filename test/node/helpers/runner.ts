// Runs a JavaScript action the way the GitHub Actions runner runs `uses: ./`, and reads what it
// wrote the way the runner reads it. Each step follows the runner's source (actions/runner):
//
// - inputs: ActionRunner.RunAsync merges the defaults from action.yml into the step's `with:`
//   ("Merge the default inputs from the definition") and warns about inputs action.yml does not
//   declare; Handler.AddInputsToEnvironment exports each as
//   `INPUT_{name.Replace(' ', '_').ToUpperInvariant()}` (hyphens kept: INPUT_CLIENT-CA).
// - files: FileCommandManager.InitializeFiles creates empty GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
//   files per step; SetOutputFileCommand reads GITHUB_OUTPUT with the key-value reader of
//   SetEnvFileCommand.ProcessCommand (NAME=VALUE, or NAME<<DELIMITER ... DELIMITER).
// - stdout: read line by line as .NET's StreamReader.ReadLine splits (LF, CR or CRLF end a line);
//   ActionCommandManager.TryProcessCommand tries ActionCommand.TryParseV2 (`::command k=v,k=v::data`
//   at the start after TrimStart, UnescapeProperty %0D %0A %3A %2C %25, UnescapeData %0D %0A %25)
//   and then the legacy ActionCommand.TryParse (`##[command k=v;k=v]data` anywhere in the line,
//   Unescape %3B %0D %0A %5D %25).
// - node: `runs.using: node24` runs `runs.main` with Node 24 (here node_modules/.bin/node, the
//   Node 24 devDependency), working directory GITHUB_WORKSPACE.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
}

export interface StepResult {
  exitCode: number | null;
  /** Every stdout line that is a registered workflow command, parsed. */
  commands: WorkflowCommand[];
  /** The other stdout lines (the log). */
  log: string[];
  outputs: Record<string, string>;
  summary: string;
  stderr: string;
  env: Record<string, string>;
}

/** Commands the runner registers (ActionCommandManager's extensions; enough for these tests). */
const REGISTERED = new Set([
  "error",
  "warning",
  "notice",
  "debug",
  "add-mask",
  "group",
  "endgroup",
  "echo",
  "add-matcher",
  "remove-matcher",
  "stop-commands",
  "set-output",
  "save-state",
  "add-path",
  "set-env",
]);

/** ActionCommand.TryParseV2, line by line. */
export function parseCommand(line: string, registered: Set<string> = REGISTERED): WorkflowCommand | null {
  const message = line.trimStart();
  if (!message.startsWith("::")) return null;
  const end = message.indexOf("::", 2);
  if (end < 0) return null;
  const info = message.slice(2, end);
  const space = info.indexOf(" ");
  const command = space < 0 ? info : info.slice(0, space);
  if (!registered.has(command)) return null;
  const properties: Record<string, string> = {};
  if (space > 0)
    for (const prop of info
      .slice(space + 1)
      .trim()
      .split(",")
      .filter(Boolean)) {
      const eq = prop.indexOf("=");
      if (eq <= 0 || eq === prop.length - 1) continue; // Split('=', 2, RemoveEmptyEntries) must give 2 parts
      properties[prop.slice(0, eq).toLowerCase()] = unescape(prop.slice(eq + 1), [
        ["%0D", "\r"],
        ["%0A", "\n"],
        ["%3A", ":"],
        ["%2C", ","],
        ["%25", "%"],
      ]);
    }
  return {
    command,
    properties,
    data: unescape(message.slice(end + 2), [
      ["%0D", "\r"],
      ["%0A", "\n"],
      ["%25", "%"],
    ]),
  };
}

/** ActionCommand.TryParse (the legacy form): the `##[` prefix anywhere in the line. */
export function parseCommandV1(line: string, registered: Set<string> = REGISTERED): WorkflowCommand | null {
  const prefix = line.indexOf("##[");
  if (prefix < 0) return null;
  const rb = line.indexOf("]", prefix);
  if (rb < 0) return null;
  const info = line.slice(prefix + 3, rb);
  const space = info.indexOf(" ");
  const command = space < 0 ? info : info.slice(0, space);
  if (!registered.has(command)) return null;
  const map: [string, string][] = [
    ["%3B", ";"],
    ["%0D", "\r"],
    ["%0A", "\n"],
    ["%5D", "]"],
    ["%25", "%"],
  ];
  const properties: Record<string, string> = {};
  if (space > 0)
    for (const prop of info
      .slice(space + 1)
      .split(";")
      .filter(Boolean)) {
      const eq = prop.indexOf("=");
      if (eq <= 0 || eq === prop.length - 1) continue;
      properties[prop.slice(0, eq).toLowerCase()] = unescape(prop.slice(eq + 1), map);
    }
  return { command, properties, data: unescape(line.slice(rb + 1), map) };
}

/** ActionCommandManager.TryProcessCommand: the V2 form, else the legacy one. */
export const parseRunnerLine = (line: string, registered: Set<string> = REGISTERED): WorkflowCommand | null =>
  parseCommand(line, registered) ?? parseCommandV1(line, registered);

/** The lines of a process's output as StreamReader.ReadLine reads them (CR, LF and CRLF each end one). */
export const runnerLines = (out: string): string[] => out.split(/\r\n|\r|\n/);

function unescape(s: string, map: [string, string][]): string {
  for (const [from, to] of map) s = s.split(from).join(to);
  return s;
}

/** SetEnvFileCommand.ProcessCommand's reader, as SetOutputFileCommand uses it (Linux: LF). */
export function parseKeyValueFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let index = 0;
  const readLine = (): string | null => {
    if (index >= text.length) return null;
    const lf = text.indexOf("\n", index);
    const line = lf < 0 ? text.slice(index) : text.slice(index, lf);
    index = lf < 0 ? text.length : lf + 1;
    return line;
  };
  for (let line = readLine(); line !== null; line = readLine()) {
    if (line === "") continue;
    const eq = line.indexOf("=");
    const heredoc = line.indexOf("<<");
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
    } else if (heredoc >= 0 && (eq < 0 || heredoc < eq)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (!name || !delimiter) throw new Error(`Invalid format '${line}'. Name must not be empty and delimiter must not be empty`);
      const value: string[] = [];
      for (let v = readLine(); v !== delimiter; v = readLine()) {
        if (v === null) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`);
        value.push(v);
      }
      out[name] = value.join("\n");
    } else {
      throw new Error(`Invalid format '${line}'`);
    }
  }
  return out;
}

export const NODE24 = join(import.meta.dirname, "../../../node_modules/.bin/node");

/** The major version of the Node that runs the action (the runner's node24 is Node 24). */
export function nodeMajor(node = NODE24): number {
  const v = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  return Number(/^v(\d+)\./.exec(v)?.[1] ?? 0);
}

/** `- uses: ./` with `with:` in a job whose workspace is `workspace`. */
export async function runUses(
  actionDir: string,
  withInputs: Record<string, string>,
  opts: { workspace: string; tmp: string },
): Promise<StepResult> {
  const def = parse(readFileSync(join(actionDir, "action.yml"), "utf8")) as {
    inputs?: Record<string, { default?: string }>;
    runs: { using: string; main: string };
  };
  if (def.runs.using !== "node24") throw new Error(`this emulation runs node24 actions, not ${def.runs.using}`);
  const declared = def.inputs ?? {};
  const unexpected = Object.keys(withInputs).filter((k) => !Object.keys(declared).some((d) => d.toLowerCase() === k.toLowerCase()));
  if (unexpected.length) throw new Error(`Unexpected input(s) '${unexpected.join("', '")}'`);
  const inputs: Record<string, string> = { ...withInputs };
  for (const [name, d] of Object.entries(declared)) if (!(name in inputs) && d.default !== undefined) inputs[name] = String(d.default);

  const dir = mkdtempSync(join(opts.tmp, "step-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_OUTPUT: join(dir, "set_output"),
    GITHUB_STEP_SUMMARY: join(dir, "step_summary"),
    RUNNER_TEMP: dir,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  writeFileSync(env.GITHUB_OUTPUT!, "");
  writeFileSync(env.GITHUB_STEP_SUMMARY!, "");

  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((res, rej) => {
    const p = spawn(NODE24, [join(actionDir, def.runs.main)], { cwd: opts.workspace, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("error", rej);
    p.on("close", (c) => res({ code: c, stdout: out, stderr: err }));
  });
  const commands: WorkflowCommand[] = [];
  const log: string[] = [];
  for (const line of runnerLines(stdout)) {
    const c = parseRunnerLine(line);
    if (c) commands.push(c);
    else if (line) log.push(line);
  }
  return {
    exitCode: code,
    commands,
    log,
    outputs: parseKeyValueFile(readFileSync(env.GITHUB_OUTPUT!, "utf8")),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8"),
    stderr,
    env,
  };
}
