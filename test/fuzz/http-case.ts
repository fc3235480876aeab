// One materialised case as an HTTP request to the Worker, and the rules its answer must keep: never
// a 5xx; a 200 is a report (or verify result) that holds every invariant; anything else is a
// problem+json whose detail quotes no secret and no JavaScript error text. Runtime-neutral: the
// caller passes the fetch (SELF.fetch inside workerd) and the schema validators.
import { encodeCase, type Materialised } from "./arb-case.ts";
import { checkProblem, checkReport, checkVerifyResult } from "./invariants.ts";
import type { Validators } from "./run-case.ts";

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

const text = (v: string | Uint8Array) => (typeof v === "string" ? v : new TextDecoder().decode(v));

/** The request a client would send for this case: raw body, JSON envelope, or multipart form. */
export function toRequest(m: Materialised): { path: string; init: RequestInit } {
  if (m.target === "verify")
    return { path: "/v1/verify", init: { method: "POST", body: JSON.stringify(m.req), headers: { "content-type": "application/json" } } };
  const q = `?at=${encodeURIComponent(m.at)}${m.warnDays !== undefined ? `&warn_days=${m.warnDays}` : ""}`;
  const fields = Object.keys(m.input);
  const doc = m.input.document;
  if (doc !== undefined && fields.length === 1) {
    const type =
      typeof doc === "string" ? (/-----BEGIN/.test(doc) ? "application/x-pem-file" : "application/yaml") : "application/octet-stream";
    return { path: `/v1/audit${q}`, init: { method: "POST", body: doc as BodyInit, headers: { "content-type": type } } };
  }
  if (doc !== undefined) {
    const form = new FormData();
    for (const [k, v] of Object.entries(m.input)) form.set(k, typeof v === "string" ? v : new Blob([v as Uint8Array<ArrayBuffer>]));
    return { path: `/v1/audit${q}`, init: { method: "POST", body: form } };
  }
  const envelope: Record<string, unknown> = { at: m.at, ...(m.warnDays !== undefined ? { warnDays: m.warnDays } : {}) };
  for (const [k, v] of Object.entries(m.input)) envelope[k] = text(v);
  return { path: "/v1/audit", init: { method: "POST", body: JSON.stringify(envelope), headers: { "content-type": "application/json" } } };
}

export async function runHttpCase(
  m: Materialised,
  fetch: Fetch,
  validators: Validators,
  alwaysSecret: string[],
  clientId: string,
): Promise<{ failure: string | null; status: number }> {
  const { path, init } = toRequest(m);
  const secrets = [...m.secrets, ...alwaysSecret];
  const inputText = encodeCase(m);
  const res = await fetch(`http://certaudit.test${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string> | undefined), "CF-Connecting-IP": clientId },
  });
  const body = await res.text();
  if (res.status >= 500) return { failure: `HTTP ${res.status}: ${body.slice(0, 300)}`, status: res.status };
  if (res.status === 200) {
    const json = JSON.parse(body) as unknown;
    return {
      failure:
        m.target === "verify"
          ? checkVerifyResult(json, validators.verifyResult, secrets, inputText)
          : checkReport(json, validators.report, secrets, inputText),
      status: 200,
    };
  }
  if (res.headers.get("content-type") !== "application/problem+json")
    return { failure: `HTTP ${res.status} without problem+json`, status: res.status };
  const p = JSON.parse(body) as { detail?: string };
  return { failure: checkProblem(p.detail ?? "", secrets, inputText) ?? checkSecrets(body, secrets), status: res.status };
}

function checkSecrets(body: string, secrets: string[]): string | null {
  for (const s of secrets) if (body.includes(s)) return `the problem document contains the secret ${s.slice(0, 12)}…`;
  return null;
}
