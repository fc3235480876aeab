// The certaudit command line: a thin client over the same Report as the API. It reads files,
// asks the core (or a deployed service) for a report, renders it and picks an exit code.
//
// Options are parsed with Node's built-in util.parseArgs (Node >= 18.3): no dependency to ship
// in the bundled bin, strict mode rejects unknown options, and it covers everything needed here
// (long options with values, booleans, positionals, `-` as a positional).
import { readFileSync } from "node:fs";
import { webcrypto } from "node:crypto";
import { parseArgs } from "node:util";
import { InputProblem } from "../core/errors.ts";
import { internalMessage, runAudit, parseWarnDays, parseAt, type Transport } from "./client.ts";
import { goLive, liveTarget } from "./live.ts";
import { COLOUR, exitCode, FAIL_ON, PLAIN, renderMarkdown, renderSarif, renderTable, useColour, type FailOn, type FileResult } from "./render.ts";

export const VERSION: string = process.env.CERTAUDIT_VERSION ?? "0.0.0-dev";

export const USAGE = `Usage: certaudit [options] FILE...   (FILE "-" reads standard input)

Audits kubeconfigs and PEM/DER certificate bundles and prints a trust report.
Locally by default; with --endpoint, by a deployed certaudit service.

Options:
  --format FORMAT       table (default), json, sarif or markdown
  --fail-on LEVEL       exit 1 on findings at or above: error (default), warning, never
  --warn-days N         warn this many days before expiry (default 30)
  --at TIME             validation time, ISO 8601 (default now)
  --client-ca FILE      the API server's --client-ca-file, to decide clientAccepted
  --server-cert FILE    the chain the API server presents, to decide serverTrusted
  --live                connect to the kubeconfig's API server (current context, or --context)
                        and audit the chain it presents
  --context NAME        the context for --live
  --endpoint URL        POST to URL/v1/audit instead of auditing locally
  --token TOKEN         sent as Authorization: Bearer (or set CERTAUDIT_TOKEN)
  --send-secrets        upload private keys, tokens and passwords too (default: stripped)
  -h, --help            this help
  -v, --version         the version

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on;
2 bad usage, unreadable input, or input that cannot be audited; 3 a bug in certaudit
(here or in the --endpoint service; CERTAUDIT_DEBUG=1 prints the stack). The worst file wins.
`;

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  env: Record<string, string | undefined>;
  readStdin(): Promise<Uint8Array>;
  fetch?: typeof fetch;
  /** The core's audit (default: the bundled core); tests inject a fault. */
  audit?: Transport["audit"];
}

/** The stack of a bug, only when CERTAUDIT_DEBUG is set: it may quote the input. */
function debugStack(e: unknown, io: Pick<Io, "stderr" | "env">): void {
  if (!io.env.CERTAUDIT_DEBUG) return;
  io.stderr.write(`certaudit: CERTAUDIT_DEBUG: ${e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e)}\n`);
}

/** main() itself threw: a bug. One clear line (no error text), the stack only with CERTAUDIT_DEBUG; exit 3. */
export function crashed(e: unknown, io: Pick<Io, "stderr" | "env">): number {
  io.stderr.write(`certaudit: error [internal]: ${internalMessage(e)}\n`);
  debugStack(e, io);
  return 3;
}

const FORMATS = ["table", "json", "sarif", "markdown"] as const;
type Format = (typeof FORMATS)[number];

class Usage extends Error {}

function readFile(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${path}: cannot read (${code ?? "error"})`);
  }
}

export async function main(argv: string[], io: Io): Promise<number> {
  const err = (code: string, msg: string) => io.stderr.write(`certaudit: error [${code}]: ${msg}\n`);
  let values: Record<string, string | boolean | undefined>;
  let files: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: "string" },
        "fail-on": { type: "string" },
        "warn-days": { type: "string" },
        at: { type: "string" },
        "client-ca": { type: "string" },
        "server-cert": { type: "string" },
        live: { type: "boolean" },
        context: { type: "string" },
        endpoint: { type: "string" },
        token: { type: "string" },
        "send-secrets": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
    values = parsed.values as Record<string, string | boolean | undefined>;
    files = parsed.positionals;
  } catch (e) {
    err("cli.usage", `${(e as Error).message.split("\n")[0]} (see certaudit --help)`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout.write(`certaudit ${VERSION}\n`);
    return 0;
  }

  let format: Format;
  let failOn: FailOn;
  let warnDays: number | undefined;
  try {
    format = (values.format as Format | undefined) ?? "table";
    if (!FORMATS.includes(format)) throw new Usage(`--format must be one of ${FORMATS.join(", ")}`);
    failOn = (values["fail-on"] as FailOn | undefined) ?? "error";
    if (!FAIL_ON.includes(failOn)) throw new Usage(`--fail-on must be one of ${FAIL_ON.join(", ")}`);
    if (!files.length) throw new Usage("no FILE given (use - for standard input; see certaudit --help)");
    if (files.filter((f) => f === "-").length > 1) throw new Usage("standard input (-) can be read only once");
    if (values.context !== undefined && !values.live) throw new Usage("--context goes with --live");
    if (values.live && values["server-cert"]) throw new Usage("--live and --server-cert both give the server's chain; use one");
    if (values["send-secrets"] && !values.endpoint) throw new Usage("--send-secrets goes with --endpoint (a local audit uploads nothing)");
    if (values.endpoint && !/^https?:\/\//i.test(String(values.endpoint))) throw new Usage("--endpoint must be an http(s) URL");
    warnDays = values["warn-days"] !== undefined ? parseWarnDays(String(values["warn-days"])) : undefined;
    if (values.at !== undefined) parseAt(String(values.at));
  } catch (e) {
    if (e instanceof InputProblem) err(e.code, e.message);
    else err("cli.usage", (e as Error).message);
    return 2;
  }

  let clientCA: Uint8Array | undefined;
  let serverCert: Uint8Array | undefined;
  try {
    if (values["client-ca"]) clientCA = readFile(String(values["client-ca"]));
    if (values["server-cert"]) serverCert = readFile(String(values["server-cert"]));
  } catch (e) {
    err("cli.unreadable", (e as Error).message);
    return 2;
  }

  const transport: Transport = {
    endpoint: values.endpoint as string | undefined,
    token: (values.token as string | undefined) ?? io.env.CERTAUDIT_TOKEN,
    sendSecrets: values["send-secrets"] === true,
    subtle: webcrypto.subtle as unknown as SubtleCrypto,
    userAgent: `certaudit-cli/${VERSION}`,
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(io.audit ? { audit: io.audit } : {}),
  };

  const results: FileResult[] = [];
  const bugs: unknown[] = [];
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = file === "-" ? await io.readStdin() : readFile(file);
    } catch (e) {
      results.push({ file, problem: { code: "cli.unreadable", message: (e as Error).message } });
      continue;
    }
    const text = (() => {
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        return null;
      }
    })();
    const result: FileResult = { file, text };
    let serverCertificate: Uint8Array | string | undefined = serverCert;
    if (values.live) {
      try {
        const target = liveTarget(bytes, values.context as string | undefined);
        const live = await goLive(target);
        result.live = live.live;
        if (!live.serverCertificatePem) {
          results.push({ ...result, problem: { code: "cli.live-no-chain", message: `no certificate seen from ${live.live.server}: ${live.live.handshake.error ?? "the handshake failed"}` } });
          continue;
        }
        serverCertificate = live.serverCertificatePem;
      } catch (e) {
        const p = e instanceof InputProblem ? { code: e.code, message: e.message } : { code: "cli.live", message: (e as Error).message };
        results.push({ ...result, problem: p });
        continue;
      }
    }
    const outcome = await runAudit({ main: bytes, clientCA, serverCertificate, at: values.at as string | undefined, warnDays }, transport);
    if (outcome.problem) {
      result.problem = outcome.problem;
      if (outcome.bug !== undefined) bugs.push(outcome.bug);
    } else {
      result.report = outcome.report;
      if (transport.endpoint && outcome.stripped.length)
        io.stderr.write(`certaudit: ${file}: stripped before upload: ${outcome.stripped.join(", ")} (the key-match check could not run; --send-secrets uploads them)\n`);
      if (transport.endpoint && transport.sendSecrets) io.stderr.write(`certaudit: ${file}: secrets were uploaded; the key-match check ran on the server\n`);
    }
    results.push(result);
  }

  for (const r of results) if (r.problem) err(r.problem.code, `${r.file}: ${r.problem.message}`);
  for (const b of bugs) debugStack(b, io);

  if (format === "json") {
    if (results.length === 1 && !values.live) {
      if (results[0]!.report) io.stdout.write(JSON.stringify(results[0]!.report, null, 2) + "\n");
    } else {
      const arr = results.map((r) => ({ file: r.file, ...(r.report ? { report: r.report } : {}), ...(r.problem ? { problem: r.problem } : {}), ...(r.live ? { live: r.live } : {}) }));
      io.stdout.write(JSON.stringify(arr, null, 2) + "\n");
    }
  } else if (format === "sarif") {
    io.stdout.write(JSON.stringify(renderSarif(results, { version: VERSION }), null, 2) + "\n");
  } else if (format === "markdown") {
    io.stdout.write(renderMarkdown(results) + "\n");
  } else {
    const style = useColour(io.stdout, io.env) ? COLOUR : PLAIN;
    io.stdout.write(results.map((r) => renderTable(r, style)).join("\n"));
  }
  return exitCode(results, failOn);
}
