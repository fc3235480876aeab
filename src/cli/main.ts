// The certaudit command line: a thin client over the same Report as the API. It reads files,
// asks the core (or a deployed service) for a report, renders it and picks an exit code.
//
// Options are parsed with Node's built-in util.parseArgs (Node >= 18.3): no dependency to ship
// in the bundled bin, strict mode rejects unknown options, and it covers everything needed here
// (long options with values, booleans, positionals, `-` as a positional).
import { parseArgs } from "node:util";
import { InputProblem } from "../core/errors.ts";
import { dirname, resolve } from "node:path";
import { internalMessage, runAudit, parseWarnDays, parseAt, problemOf, type AuditJob, type Transport } from "./client.ts";
import { isDirectory } from "./cluster.ts";
import { auditDirectoryJob, auditObjectsJob } from "./cluster-job.ts";
import { CLUSTER_FORMATS, isClusterFormat, renderClusterOutput } from "./cluster-output.ts";
import { objectsText } from "./objects.ts";
import { rootCaOf } from "./root-ca.ts";
import type { Report } from "../core/report/types.ts";
import { inspectCertificates } from "./inspect.ts";
import { KubeconfigFileError, defaultPaths, loadFromPaths, loadKubeconfigs, readLocal, type LoadedKubeconfig } from "./kubeconfig-files.ts";
import { probeServers } from "./live-servers.ts";
import { openIfPkcs12, p12Password, Pkcs12Error } from "./pkcs12.ts";
import { renderOpenMetrics } from "../core/report/openmetrics.ts";
import { renderJunit } from "../core/report/junit.ts";
import { inert } from "../core/text/inert.ts";
import { safeJson } from "./escape.ts";
import { cliSubtle } from "./subtle.ts";
import { useNodeBase64 } from "./base64.ts";
import {
  COLOUR,
  exitCode,
  FAIL_ON,
  PLAIN,
  renderMarkdown,
  renderSarif,
  renderTable,
  useColour,
  type FailOn,
  type FileResult,
} from "./render.ts";

export const VERSION: string = process.env.CERTAUDIT_VERSION ?? "0.0.0-dev";

export const USAGE = `Usage: certaudit [options] [FILE...]   (FILE "-" reads standard input)
       certaudit inspect [options] FILE   (every certificate in FILE, field by field)
       certaudit [options] DIR [DIR...]   (a kubeadm control plane, e.g. /etc/kubernetes: every trust edge;
                                           add /var/lib/kubelet for the kubelet's config.yaml and pki/)
       kubectl get secrets,configmaps,validatingwebhookconfigurations,mutatingwebhookconfigurations,apiservices,csr
         -A -o yaml | certaudit [options] -   (Kubernetes objects: every trust edge; with --endpoint,
         uploaded without secrets: private keys as their public key's SHA-256, other values dropped)

Audits kubeconfigs and PEM/DER certificate bundles and prints a trust report.
Locally by default; with --endpoint, by a deployed certaudit service.
Without FILE: the kubeconfig kubectl would use ($KUBECONFIG, merged as kubectl merges it,
else ~/.kube/config). Files a kubeconfig names (certificate-authority, client-certificate,
client-key, tokenFile) are read relative to the kubeconfig's own directory, as kubectl does.

Options:
  --format FORMAT       table (default), json, sarif, markdown, openmetrics or junit
  --fail-on LEVEL       exit 1 on findings at or above: error (default), warning, never
  --warn-days N         warn this many days before expiry (default 30)
  --at TIME             validation time, ISO 8601 (default now)
  --client-ca FILE      the API server's --client-ca-file, to decide clientAccepted
  --server-cert FILE    the chain the API server presents, to decide serverTrusted
  --root-ca FILE        with Kubernetes objects: the cluster CA every kube-root-ca.crt must hold:
                        kube-controller-manager's --root-ca-file (/etc/kubernetes/pki/ca.crt), or a
                        kubeconfig (its current cluster's certificate authority); issued CSR
                        certificates of the kubernetes.io/* signers must chain to it
  --kubeconfig FILE     audit this kubeconfig instead of $KUBECONFIG / ~/.kube/config
  --context NAME        audit only this context (its cluster and user), as kubectl --context
  --live                connect to each distinct API server of the kubeconfig (at most 20, in
                        parallel) and audit the chain each presents for the contexts using it
  --endpoint URL        POST to URL/v1/audit instead of auditing locally
  --token TOKEN         sent as Authorization: Bearer (or set CERTAUDIT_TOKEN)
  --send-secrets        upload private keys, tokens and passwords too (default: stripped)
  --p12-password-file FILE  the password of a PKCS#12 (.p12/.pfx) FILE, its first line (or set
                        CERTAUDIT_P12_PASSWORD; never on the command line); decrypted locally
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
  /** Resolves relative FILEs and standard input's file references (default process.cwd()). */
  cwd?: string;
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

const FORMATS = ["table", "json", "sarif", "markdown", "openmetrics", "junit"] as const;
type Format = (typeof FORMATS)[number];

class Usage extends Error {}

function readFile(path: string): Uint8Array {
  try {
    return readLocal(path);
  } catch (e) {
    throw new KubeconfigFileError("cli.unreadable", `${path}: ${(e as Error).message}`);
  }
}

export async function main(argv: string[], raw: Io): Promise<number> {
  useNodeBase64(); // core's clean base64 by Node's decoder (base64.ts)
  // Every message on standard error quotes input (file names, names, YAML positions): each line
  // is written inert, so no ESC, CR or bidi character from the input reaches the terminal.
  const io: Io = { ...raw, stderr: { write: (s: string) => raw.stderr.write(s.split("\n").map(inert).join("\n")) } };
  /** One whole line: a line break inside it came from the input and is shown escaped. */
  const say = (line: string) => io.stderr.write(`${inert(line)}\n`);
  const err = (code: string, msg: string) => io.stderr.write(`certaudit: error [${code}]: ${inert(msg)}\n`);
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
        "root-ca": { type: "string" },
        live: { type: "boolean" },
        context: { type: "string" },
        kubeconfig: { type: "string" },
        endpoint: { type: "string" },
        token: { type: "string" },
        "send-secrets": { type: "boolean" },
        "p12-password-file": { type: "string" },
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

  let inspect = false;
  if (files[0] === "inspect") {
    inspect = true;
    files = files.slice(1);
  }
  let format: Format;
  let failOn: FailOn;
  let warnDays: number | undefined;
  try {
    format = (values.format as Format | undefined) ?? "table";
    if (!FORMATS.includes(format)) throw new Usage(`--format must be one of ${FORMATS.join(", ")}`);
    failOn = (values["fail-on"] as FailOn | undefined) ?? "error";
    if (!FAIL_ON.includes(failOn)) throw new Usage(`--fail-on must be one of ${FAIL_ON.join(", ")}`);
    if (inspect && files.length !== 1) throw new Usage("inspect takes one FILE (see certaudit --help)");
    if (inspect && format !== "table" && format !== "json") throw new Usage("inspect prints table or json");
    if (files.length && values.kubeconfig !== undefined) throw new Usage("give FILE or --kubeconfig FILE, not both");
    if (files.filter((f) => f === "-").length > 1) throw new Usage("standard input (-) can be read only once");
    if (values.live && values["server-cert"]) throw new Usage("--live and --server-cert both give the server's chain; use one");
    if (values.live && values.endpoint) throw new Usage("--live audits locally; it does not go with --endpoint");
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
  let rootCa: Uint8Array | undefined;
  const cwd0 = io.cwd ?? process.cwd();
  try {
    if (values["root-ca"]) {
      const path = String(values["root-ca"]);
      const ca = rootCaOf(readFile(path), resolve(cwd0, path), readFile);
      if (typeof ca === "string") throw new Error(ca);
      rootCa = ca.pem;
      if (ca.from !== resolve(cwd0, path)) say(`certaudit: note: --root-ca: the cluster CA of ${ca.from}`);
    }
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
    subtle: cliSubtle(), // Node's WebCrypto, SHA digests synchronous (subtle.ts)
    userAgent: `certaudit-cli/${VERSION}`,
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(io.audit ? { audit: io.audit } : {}),
  };
  const context = values.context as string | undefined;
  const cwd = io.cwd ?? process.cwd();

  // Directories: a kubeadm control plane (/etc/kubernetes) and the kubelet's /var/lib/kubelet,
  // audited edge by edge (cluster-job.ts, directories.ts).
  const style = useColour(io.stdout, io.env) ? COLOUR : PLAIN;
  const clusterExit = (report: Report) => {
    const fails = report.findings.some((f) => f.severity === "error" || (failOn === "warning" && f.severity === "warning"));
    return failOn !== "never" && fails ? 1 : 0;
  };
  if (!inspect && files.length >= 1 && files.every((f) => f !== "-" && isDirectory(resolve(cwd, f)))) {
    if (rootCa) {
      err("cli.usage", "--root-ca goes with Kubernetes objects; a directory's cluster CA is its --root-ca-file");
      return 2;
    }
    if (!isClusterFormat(format)) {
      err("cli.usage", `a directory is printed as ${CLUSTER_FORMATS.join(", ")} (openmetrics and junit do not take one yet)`);
      return 2;
    }
    // With --endpoint, uploaded without its private keys: each is replaced by its public key's SHA-256 (directory-upload.ts).
    const { outcome: got, tree } = await auditDirectoryJob(files, cwd, { at: values.at as string | undefined, warnDays }, transport);
    if (!got.report) {
      err(got.problem.code, `${files.join(" ")}: ${got.problem.message}`);
      if (got.bug !== undefined) debugStack(got.bug, io);
      return got.problem.code === "internal" ? 3 : 2;
    }
    const output = { file: files.join(" "), text: null, report: got.report, tree };
    io.stdout.write(renderClusterOutput(format, output, { version: VERSION, style }));
    return clusterExit(got.report);
  }

  // Kubernetes objects (Secrets, webhooks, APIServices, ConfigMaps, CSRs): locally, or uploaded without secrets (cluster-job.ts).
  let stdin: Uint8Array | undefined;
  if (!inspect && files.length === 1) {
    let raw: Uint8Array | null = null;
    if (files[0] === "-") {
      stdin = await io.readStdin();
      raw = stdin;
    } else
      try {
        raw = readFile(files[0]!);
      } catch (e) {
        if (!(e instanceof KubeconfigFileError)) throw e; // unreadable: the file's own job reports it
      }
    // Objects in a format without a cluster rendering: said before anything is audited or uploaded.
    if (raw && !isClusterFormat(format) && objectsText(raw) !== null) {
      err("cli.usage", `${files[0]}: Kubernetes objects are printed as ${CLUSTER_FORMATS.join(", ")} (${format} does not take them yet)`);
      return 2;
    }
    const got = raw ? await auditObjectsJob(raw, { at: values.at as string | undefined, warnDays, rootCa }, transport) : null;
    if (got?.problem) {
      err(got.problem.code, `${files[0]}: ${got.problem.message}`);
      if (got.bug !== undefined) debugStack(got.bug, io);
      return got.problem.code === "internal" ? 3 : 2;
    }
    if (got?.report && isClusterFormat(format)) {
      const sent = got.sent;
      if (sent?.removed.length)
        say(
          `certaudit: ${files[0]}: sent without its secrets: ${sent.keys} private key(s) as their public key's SHA-256, ${sent.dropped} other Secret value(s) dropped (--send-secrets uploads them)`,
        );
      const text = decodeText(raw!);
      io.stdout.write(renderClusterOutput(format, { file: files[0]!, text, report: got.report }, { version: VERSION, style }));
      return clusterExit(got.report);
    }
  }

  if (rootCa) {
    err(
      "cli.usage",
      `--root-ca goes with Kubernetes objects (kubectl get secrets,configmaps,... -A -o yaml), as ${CLUSTER_FORMATS.join(", ")}`,
    );
    return 2;
  }

  // What to audit: the FILEs, each on its own; else the kubeconfig kubectl would use.
  type Loaded = { bytes: Uint8Array; kc: LoadedKubeconfig | null; readError?: string; pkcs12?: boolean };
  const readP12 = async (raw: Uint8Array) => {
    try {
      return await openIfPkcs12(raw, () => p12Password(values["p12-password-file"] as string | undefined, io.env, readFile));
    } catch (e) {
      if (e instanceof Pkcs12Error) throw new KubeconfigFileError(e.code, `PKCS#12: ${e.message}`);
      throw e;
    }
  };
  type Job = { file: string; load: () => Promise<Loaded> };
  const jobs: Job[] = files.map((file) => ({
    file,
    load: async () => {
      const raw = file === "-" ? (stdin ?? (await io.readStdin())) : readFile(file);
      const { bytes, pkcs12 } = await readP12(raw);
      if (pkcs12) return { bytes, kc: null, pkcs12 };
      let kc: LoadedKubeconfig | null;
      try {
        kc = loadKubeconfigs([{ label: file, bytes, dir: file === "-" ? cwd : dirname(resolve(cwd, file)) }], context);
      } catch (e) {
        // A deployed certaudit judges what it cannot read here (or the upload is refused as unsafe).
        if (transport.endpoint && e instanceof InputProblem && context === undefined)
          return { bytes, kc: null, readError: `${e.code}: ${problemOf(e).message}` };
        throw e;
      }
      return { bytes: kc?.document ?? bytes, kc };
    },
  }));
  if (!files.length) {
    let paths: string[];
    let explicit = false;
    try {
      if (values.kubeconfig !== undefined) {
        paths = [String(values.kubeconfig)];
        explicit = true;
      } else paths = defaultPaths(io.env).paths;
    } catch (e) {
      err((e as KubeconfigFileError).code ?? "cli.usage", (e as Error).message);
      return 2;
    }
    jobs.push({
      file: paths.join(":"),
      load: async () => {
        const kc = loadFromPaths(
          paths.map((p) => resolve(cwd, p)),
          { explicit, context },
        );
        for (const m of kc.missing) say(`certaudit: note: ${m} does not exist (skipped, as kubectl skips it)`);
        return { bytes: kc.document, kc };
      },
    });
  }

  const results: FileResult[] = [];
  const bugs: unknown[] = [];
  const inputs: Uint8Array[] = [];
  let liveFailed = false;
  for (const { file, load } of jobs) {
    let bytes: Uint8Array;
    let kc: LoadedKubeconfig | null;
    let readError: string | undefined;
    let pkcs12: boolean | undefined;
    try {
      ({ bytes, kc, readError, pkcs12 } = await load());
    } catch (e) {
      const problem =
        e instanceof InputProblem ? problemOf(e) : e instanceof KubeconfigFileError ? { code: e.code, message: e.message } : null;
      if (!problem) throw e;
      results.push({ file, problem: { ...problem, message: problem.message.replace(`${file}: `, "") } });
      continue;
    }
    inputs.push(bytes);
    const text = kc ? kc.text : pkcs12 ? null : decodeText(bytes);
    const result: FileResult = { file, text, ...(kc?.readFrom.size ? { readFrom: Object.fromEntries(kc.readFrom) } : {}) };
    const job: AuditJob = {
      main: bytes,
      clientCA,
      serverCertificate: serverCert,
      at: values.at as string | undefined,
      warnDays,
      readError,
      ...(kc?.fileErrors.length ? { fileErrors: kc.fileErrors } : {}),
    };
    if (values.live) {
      if (!kc) {
        results.push({ ...result, problem: { code: "input.not-kubeconfig", message: "--live needs a kubeconfig" } });
        continue;
      }
      const run = await probeServers(bytes);
      result.probes = run.probes.map((p) => p.live);
      if (run.probes[0]) result.live = run.probes[0].live;
      const seen = run.probes.filter((p) => p.chainPem);
      for (const p of run.probes.filter((p) => !p.chainPem)) {
        liveFailed = true;
        say(
          `certaudit: error [cli.live-no-chain]: ${file}: no certificate seen from ${p.live.server} (contexts ${p.live.contexts.join(", ")}): ${p.live.handshake.error ?? "the handshake failed"}`,
        );
      }
      for (const u of run.unprobed) say(`certaudit: note: ${file}: context ${u.context} was not probed: ${u.reason}`);
      if (!seen.length) {
        results.push({
          ...result,
          problem: {
            code: "cli.live-no-chain",
            message: run.probes.length ? "no server presented a certificate" : "no context has an https server to connect to",
          },
        });
        continue;
      }
      for (const p of seen) inputs.push(new TextEncoder().encode(p.chainPem!));
      job.serverCertificates = seen.map((p) => ({ contexts: p.live.contexts, certificate: p.chainPem! }));
    }
    const outcome = await runAudit(job, transport);
    if (outcome.problem) {
      result.problem = outcome.problem;
      if (outcome.bug !== undefined) bugs.push(outcome.bug);
    } else {
      result.report = outcome.report;
      if (transport.endpoint && outcome.stripped.length)
        say(
          `certaudit: ${file}: stripped before upload: ${outcome.stripped.join(", ")} (the key-match check could not run; --send-secrets uploads them)`,
        );
      if (transport.endpoint && transport.sendSecrets)
        say(`certaudit: ${file}: secrets were uploaded; the key-match check ran on the server`);
    }
    results.push(result);
  }

  if (inspect) {
    const r = results[0]!;
    if (r.problem) {
      err(r.problem.code, `${r.file}: ${r.problem.message}`);
      return 2;
    }
    const inspected = await inspectCertificates(
      r,
      [...inputs, ...(clientCA ? [clientCA] : []), ...(serverCert ? [serverCert] : [])],
      format === "json" ? "json" : "text",
    );
    io.stdout.write(inspected);
    return exitCode(results, failOn);
  }

  for (const r of results) if (r.problem) err(r.problem.code, `${r.file}: ${r.problem.message}`);
  for (const b of bugs) debugStack(b, io);

  if (format === "json") {
    if (results.length === 1 && !values.live) {
      if (results[0]!.report) io.stdout.write(`${safeJson(results[0]!.report, 2)}\n`);
    } else {
      const arr = results.map((r) => ({
        file: r.file,
        ...(r.report ? { report: r.report } : {}),
        ...(r.problem ? { problem: r.problem } : {}),
        ...(r.live ? { live: r.live, probes: r.probes } : {}),
        ...(r.readFrom ? { readFrom: r.readFrom } : {}),
      }));
      io.stdout.write(`${safeJson(arr, 2)}\n`);
    }
  } else if (format === "sarif") {
    io.stdout.write(`${safeJson(renderSarif(results, { version: VERSION }), 2)}\n`);
  } else if (format === "openmetrics") {
    io.stdout.write(renderOpenMetrics(results));
  } else if (format === "junit") {
    io.stdout.write(renderJunit(results, failOn));
  } else if (format === "markdown") {
    io.stdout.write(`${renderMarkdown(results)}\n`);
  } else {
    const style = useColour(io.stdout, io.env) ? COLOUR : PLAIN;
    io.stdout.write(results.map((r) => renderTable(r, style)).join("\n"));
  }
  return liveFailed ? 2 : exitCode(results, failOn);
}

function decodeText(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
