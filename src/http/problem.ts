// RFC 9457 problem details. Only InputProblem's own words reach the client; any other error
// is a bug, answered with a generic 500 that carries no message or stack, only an id that is
// also in the one log line the bug leaves.
import { InputProblem } from "../core/errors.ts";

const TITLES: Record<number, string> = {
  400: "The input cannot be read",
  401: "An API token is required",
  404: "Not found",
  405: "Method not allowed",
  413: "The body is too large",
  415: "Unsupported media type",
  422: "Nothing to audit",
  429: "Too many requests",
  500: "Internal error",
};

export interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  line?: number;
  column?: number;
  pointer?: string;
  /** RFC 9457 §3.1.5, on a 500 only: the id of this occurrence, also in the log line. */
  instance?: string;
}

/** The 500 answer's detail: the same words for every bug, so no error text can reach a user. */
export const INTERNAL_DETAIL = "certaudit failed on this input; this is a bug. The input was not stored.";

/**
 * The one log line for a bug: a fixed marker, the error's class name (TypeError, RangeError…)
 * and the id the client was given. Never the message or the stack: a TypeError's message names
 * what was read ("reading 'token'"), which can come from the input.
 */
export function logInternalError(err: unknown, instance: string): void {
  const kind = err instanceof Error ? err.name : typeof err;
  console.error(`certaudit internal error ${instance} (${/^[A-Za-z]{1,40}$/.test(kind) ? kind : "Error"})`);
}

/** A fresh id for one bug occurrence (RFC 9457 `instance`), shown to the client and logged. */
export const newInstance = (): string => `urn:uuid:${crypto.randomUUID()}`;

export function toProblem(err: unknown, instance?: string): ProblemJson {
  if (err instanceof InputProblem) {
    const p: ProblemJson = {
      type: `urn:certaudit:problem:${err.code}`,
      title: TITLES[err.status] ?? "Bad request",
      status: err.status,
      detail: err.message,
      code: err.code,
    };
    if (err.line !== undefined) p.line = err.line;
    if (err.column !== undefined) p.column = err.column;
    if (err.pointer !== undefined) p.pointer = err.pointer;
    return p;
  }
  const p: ProblemJson = {
    type: "urn:certaudit:problem:internal",
    title: TITLES[500]!,
    status: 500,
    detail: INTERNAL_DETAIL,
    code: "internal",
  };
  if (instance !== undefined) p.instance = instance;
  return p;
}

/** problem+json for any error; a bug (anything but InputProblem) is logged once, without its text. */
export function problemResponse(err: unknown): Response {
  const bug = !(err instanceof InputProblem);
  const instance = bug ? newInstance() : undefined;
  if (bug) logInternalError(err, instance!);
  const p = toProblem(err, instance);
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}
