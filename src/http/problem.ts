// RFC 9457 problem details. Only InputProblem's own words reach the client; any other error
// is a bug, answered with a generic 500 that carries no message or stack.
import { InputProblem } from "../core/errors.ts";

const TITLES: Record<number, string> = {
  400: "The input cannot be read",
  404: "Not found",
  405: "Method not allowed",
  413: "The body is too large",
  415: "Unsupported media type",
  422: "Nothing to audit",
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
}

export function toProblem(err: unknown): ProblemJson {
  if (err instanceof InputProblem) {
    const p: ProblemJson = { type: `urn:certaudit:problem:${err.code}`, title: TITLES[err.status] ?? "Bad request", status: err.status, detail: err.message, code: err.code };
    if (err.line !== undefined) p.line = err.line;
    if (err.column !== undefined) p.column = err.column;
    if (err.pointer !== undefined) p.pointer = err.pointer;
    return p;
  }
  return { type: "urn:certaudit:problem:internal", title: TITLES[500]!, status: 500, detail: "certaudit failed on this input; this is a bug. The input was not stored.", code: "internal" };
}

export function problemResponse(err: unknown): Response {
  const p = toProblem(err);
  if (p.status === 500) console.error("certaudit internal error", err instanceof Error ? err.name : typeof err);
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}
