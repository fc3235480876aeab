// Gets a Report for one input, either from the core in this process (local, the default) or
// from a deployed certaudit (POST {endpoint}/v1/audit with the JSON envelope). Shared by the CLI
// and the Action. Nothing here judges certificates: that is the core's job, wherever it runs.
import { audit, type AuditInput, type FileError } from "../core/audit.ts";
import { frameCertificate } from "../core/encoding/der.ts";
import { encodeBase64 } from "../core/encoding/pem.ts";
import { InputProblem } from "../core/errors.ts";
import { bytesToText, KUBECONFIG_KEY } from "../core/input/detect.ts";
import { stripSecrets } from "../core/input/redact.ts";
import type { Report } from "../core/report/types.ts";

export interface AuditJob {
  /** The kubeconfig or PEM/DER bundle. */
  main: Uint8Array;
  clientCA?: Uint8Array | undefined;
  serverCertificate?: Uint8Array | string | undefined;
  /** ISO 8601 validation time as given by the user (validated here in local mode, by the service otherwise). */
  at?: string | undefined;
  warnDays?: number | undefined;
  /** Chains seen by --live, each for the contexts that use that server (local audits only). */
  serverCertificates?: { contexts: string[]; certificate: string }[] | undefined;
  /** Why the input could not be read here, e.g. its YAML error (said when an upload is refused). */
  readError?: string | undefined;
  /** Files the kubeconfig names that could not be read (local audits only). */
  fileErrors?: FileError[] | undefined;
}

export interface Transport {
  /** Base URL of a deployed certaudit; undefined = audit locally. */
  endpoint?: string | undefined;
  token?: string | undefined;
  /** Upload private keys, tokens and passwords too (so the service can check the key match). */
  sendSecrets?: boolean | undefined;
  subtle: SubtleCrypto;
  fetch?: typeof fetch;
  /** The core's audit for local mode (default: the bundled core); tests inject a fault. */
  audit?: typeof audit;
  userAgent?: string;
}

export interface Problem {
  code: string;
  message: string;
}

/** `bug` holds what was thrown when the problem is a bug (code `internal`): for CERTAUDIT_DEBUG only, never printed otherwise. */
export type Outcome =
  | { report: Report; stripped: string[]; problem?: undefined; bug?: undefined }
  | { problem: Problem; bug?: unknown; report?: undefined; stripped?: undefined };

/** What the CLI and the Action say about a bug: the error's class, never its message (it can quote the input). */
export function internalMessage(e: unknown): string {
  const kind = e instanceof Error && /^[A-Za-z]{1,40}$/.test(e.name) ? e.name : typeof e === "object" ? "Error" : typeof e;
  return `certaudit failed on this input; this is a bug in certaudit (${kind}), not a problem with the file. Please report it; CERTAUDIT_DEBUG=1 prints the stack trace (it may quote the input)`;
}

/** The same rule as the API's `at` (src/http/app.ts). */
export function parseAt(value: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim()))
    throw new InputProblem("input.bad-option", 400, "at must be an ISO 8601 time such as 2026-12-01T00:00:00Z");
  const d = new Date(value.trim());
  if (Number.isNaN(d.getTime())) throw new InputProblem("input.bad-option", 400, "at is not a real date");
  return d;
}

export function parseWarnDays(value: string): number {
  if (!/^\d{1,4}$/.test(value.trim()) || Number(value) > 3650)
    throw new InputProblem("input.bad-option", 400, "warn-days must be a whole number of days from 0 to 3650");
  return Number(value);
}

/** An InputProblem as one message: its position is added only when the message does not already say it. */
export function problemOf(e: InputProblem): Problem {
  const at = e.line !== undefined ? `line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ""}` : "";
  return { code: e.code, message: at && !e.message.includes(at) ? `${e.message} (${at})` : e.message };
}

export async function runAudit(job: AuditJob, t: Transport): Promise<Outcome> {
  try {
    if (t.endpoint) {
      const fe = job.fileErrors?.[0];
      if (fe)
        return {
          problem: {
            code: "cli.unreadable",
            message: `${fe.path} names ${fe.file}, which cannot be read (${fe.reason}); nothing was uploaded`,
          },
        };
      return await remote(job, t);
    }
    const input: AuditInput = { document: job.main };
    if (job.clientCA) input.clientCA = job.clientCA;
    if (job.serverCertificate) input.serverCertificate = job.serverCertificate;
    if (job.serverCertificates?.length) input.serverCertificates = job.serverCertificates;
    const report = await (t.audit ?? audit)(input, {
      at: job.at ? parseAt(job.at) : new Date(),
      subtle: t.subtle,
      local: true,
      ...(job.warnDays !== undefined ? { warnDays: job.warnDays } : {}),
      ...(job.fileErrors?.length ? { fileErrors: job.fileErrors } : {}),
    });
    return { report, stripped: [] };
  } catch (e) {
    // Only InputProblem is the input's fault; anything else is a bug and says so.
    if (e instanceof InputProblem) return { problem: problemOf(e) };
    return { problem: { code: "internal", message: internalMessage(e) }, bug: e };
  }
}

class Unsafe extends Error {}

/** What goes into one envelope field: text with secrets stripped, or base64 of a DER certificate. */
function uploadable(data: Uint8Array | string, what: string, sendSecrets: boolean, removed: string[]): string {
  const text = typeof data === "string" ? data : bytesToText(data);
  if (text === null) {
    const bytes = data as Uint8Array;
    // Binary: only a DER certificate may leave (a DER private key must not).
    if (!sendSecrets) {
      try {
        frameCertificate(bytes);
      } catch {
        throw new Unsafe(`${what} is binary data that is not a DER certificate (a DER private key?)`);
      }
    }
    return encodeBase64(bytes);
  }
  if (sendSecrets) return text;
  // Allow-list: only what stripSecrets knows to be public leaves; text it cannot read does not.
  const s = stripSecrets(text, what);
  if (!s.complete)
    throw new Unsafe(
      `${what} could not be read well enough to strip its secrets${s.problem ? ` (${s.problem.code}: ${s.problem.message})` : ""}`,
    );
  removed.push(...s.removed.map((r) => (what === "the input" ? r : `${what}: ${r}`)));
  return s.text;
}

async function remote(job: AuditJob, t: Transport): Promise<Outcome> {
  const removed: string[] = [];
  const envelope: Record<string, unknown> = {};
  try {
    const main = uploadable(job.main, "the input", t.sendSecrets === true, removed);
    envelope[main.trimStart().startsWith("{") || KUBECONFIG_KEY.test(main) ? "kubeconfig" : "pem"] = main;
    if (job.clientCA) envelope.clientCA = uploadable(job.clientCA, "client CA", t.sendSecrets === true, removed);
    if (job.serverCertificate)
      envelope.serverCertificate = uploadable(job.serverCertificate, "server certificate", t.sendSecrets === true, removed);
  } catch (e) {
    if (e instanceof Unsafe)
      return {
        problem: {
          code: "cli.unsafe-upload",
          message: `${e.message}${job.readError ? ` (${job.readError})` : ""}: not uploaded (audit locally without an endpoint, or pass --send-secrets / send-secrets: true)`,
        },
      };
    throw e;
  }
  if (job.at) envelope.at = job.at;
  if (job.warnDays !== undefined) envelope.warnDays = job.warnDays;

  let url: URL;
  try {
    url = new URL(`${t.endpoint!.replace(/\/+$/, "")}/v1/audit`);
  } catch {
    return { problem: { code: "cli.bad-endpoint", message: "the endpoint is not a URL" } };
  }
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, application/problem+json",
    "user-agent": t.userAgent ?? "certaudit-cli",
  };
  if (t.token) headers.authorization = `Bearer ${t.token}`;
  let res: Response;
  try {
    res = await (t.fetch ?? fetch)(url, { method: "POST", headers, body: JSON.stringify(envelope) });
  } catch (e) {
    // undici puts the reason in `cause`: a socket error (ECONNREFUSED ...), a TLS error
    // (UNABLE_TO_VERIFY_LEAF_SIGNATURE: ...), or a refusal such as "bad port".
    const c = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = c
      ? c.code && c.message && !c.message.includes(c.code)
        ? `${c.code}: ${c.message}`
        : (c.message ?? c.code)
      : (e as Error).message;
    return { problem: { code: "cli.endpoint-unreachable", message: `POST ${url.origin}${url.pathname} failed${why ? ` (${why})` : ""}` } };
  }
  return serviceOutcome(res, removed);
}

/** The service's answer: a report, its problem document, or an answer that is neither. Shared with directory uploads. */
export async function serviceOutcome(res: Response, removed: string[]): Promise<Outcome> {
  const body = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(body);
  } catch {
    /* not JSON */
  }
  const obj = json && typeof json === "object" ? (json as Record<string, unknown>) : null;
  if (res.ok && obj && typeof obj.schemaVersion === "string" && Array.isArray(obj.findings))
    return { report: obj as unknown as Report, stripped: removed };
  if (obj && typeof obj.code === "string") {
    const instance = typeof obj.instance === "string" ? `, ${obj.instance}` : "";
    return {
      problem: {
        code: obj.code,
        message: `${typeof obj.detail === "string" ? obj.detail : "the service refused the input"} (HTTP ${res.status}${instance})`,
      },
    };
  }
  return {
    problem: { code: "cli.endpoint-error", message: `the service answered HTTP ${res.status} without a report or problem document` },
  };
}
