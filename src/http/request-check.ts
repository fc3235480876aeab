// The JSON request envelopes checked without zod at run time, so the Worker bundle carries no
// zod (docs/performance.md). The rules are those of AuditRequestSchema and VerifyRequestSchema
// in src/core/report/schema.ts (the published schemas stay generated from zod), and the first
// problem is reported with zod's path and words; test/core/request-check.test.ts runs both on
// the same inputs and fails when they part.
import type { z } from "zod";
import type { AuditRequestSchema, VerifyRequestSchema } from "../core/report/schema.ts";

type Rule =
  | { kind: "string"; max: number; pattern?: RegExp }
  | { kind: "int"; min: number; max: number }
  | { kind: "enum"; values: readonly string[] };
interface Envelope {
  fields: Record<string, Rule & { required?: true }>;
}

const PEM_TEXT: Rule = { kind: "string", max: 4 * 1024 * 1024 };
const PROFILES = ["go", "rfc5280", "webpki", "kubernetes"] as const;

export const AUDIT_REQUEST: Envelope = {
  fields: {
    kubeconfig: PEM_TEXT,
    pem: PEM_TEXT,
    clientCA: PEM_TEXT,
    serverCertificate: PEM_TEXT,
    at: { kind: "string", max: Number.POSITIVE_INFINITY },
    warnDays: { kind: "int", min: 0, max: 3650 },
  },
};

export const VERIFY_REQUEST: Envelope = {
  fields: {
    certificate: { ...PEM_TEXT, required: true },
    intermediates: PEM_TEXT,
    trustAnchors: { ...PEM_TEXT, required: true },
    at: { kind: "string", max: Number.POSITIVE_INFINITY },
    serverName: { kind: "string", max: 253 },
    email: { kind: "string", max: 320, pattern: /^[^@\s]+@[^@\s]+$/ },
    purpose: { kind: "enum", values: ["server", "client", "any"] },
    maxDepth: { kind: "int", min: 0, max: 32 },
    profile: { kind: "enum", values: PROFILES },
    crls: PEM_TEXT,
  },
};

export interface Issue {
  path: string[];
  code: string;
  message: string;
}

/** zod's name for the type of a JSON value. */
const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : v === undefined ? "undefined" : typeof v);

function checkValue(rule: Rule, v: unknown): Omit<Issue, "path"> | null {
  switch (rule.kind) {
    case "string":
      if (typeof v !== "string") return { code: "invalid_type", message: `Invalid input: expected string, received ${typeName(v)}` };
      if (v.length > rule.max) return { code: "too_big", message: `Too big: expected string to have <=${rule.max} characters` };
      if (rule.pattern && !rule.pattern.test(v))
        return { code: "invalid_format", message: `Invalid string: must match pattern ${rule.pattern}` };
      return null;
    case "int":
      if (typeof v !== "number") return { code: "invalid_type", message: `Invalid input: expected number, received ${typeName(v)}` };
      if (!Number.isInteger(v)) return { code: "invalid_type", message: "Invalid input: expected int, received number" };
      if (v < rule.min) return { code: "too_small", message: `Too small: expected number to be >=${rule.min}` };
      if (v > rule.max) return { code: "too_big", message: `Too big: expected number to be <=${rule.max}` };
      return null;
    case "enum":
      return typeof v === "string" && rule.values.includes(v)
        ? null
        : { code: "invalid_value", message: `Invalid option: expected one of ${rule.values.map((x) => JSON.stringify(x)).join("|")}` };
  }
}

/** The first problem zod would report for `body` against the envelope, or null when it passes. */
export function firstIssue(env: Envelope, body: unknown): Issue | null {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { path: [], code: "invalid_type", message: `Invalid input: expected object, received ${typeName(body)}` };
  const o = body as Record<string, unknown>;
  for (const [name, rule] of Object.entries(env.fields)) {
    if (!Object.hasOwn(o, name)) {
      if (rule.required) return { path: [name], code: "invalid_type", message: "Invalid input: expected string, received undefined" };
      continue;
    }
    const problem = checkValue(rule, o[name]);
    if (problem) return { path: [name], ...problem };
  }
  const unknown = Object.keys(o).filter((k) => !Object.hasOwn(env.fields, k));
  if (unknown.length)
    return {
      path: [],
      code: "unrecognized_keys",
      message: `Unrecognized key${unknown.length > 1 ? "s" : ""}: ${unknown.map((k) => JSON.stringify(k)).join(", ")}`,
    };
  return null;
}

export type AuditRequestBody = z.infer<typeof AuditRequestSchema>;
export type VerifyRequestBody = z.infer<typeof VerifyRequestSchema>;

type Checked<T> = { success: true; data: T } | { success: false; error: { issues: Issue[] } };
const checker =
  <T>(env: Envelope) =>
  (body: unknown): Checked<T> => {
    const issue = firstIssue(env, body);
    return issue ? { success: false, error: { issues: [issue] } } : { success: true, data: body as T };
  };

/** Drop-in for `AuditRequestSchema.safeParse` (first issue only, which is all the API reports). */
export const checkAuditRequest = checker<AuditRequestBody>(AUDIT_REQUEST);
export const checkVerifyRequest = checker<VerifyRequestBody>(VERIFY_REQUEST);
