// The Worker checks the JSON envelopes without zod (src/http/request-check.ts); the published
// schemas are the zod ones (src/core/report/schema.ts). Both run on the same bodies here: the same
// verdict, and the same first problem (path and words), which is what the API reports.
import { describe, expect, it } from "vitest";
import { AuditRequestSchema, VerifyRequestSchema } from "../../src/core/report/schema.ts";
import { AUDIT_REQUEST, checkAuditRequest, checkVerifyRequest, VERIFY_REQUEST } from "../../src/http/request-check.ts";

const VALUES: unknown[] = [
  undefined,
  null,
  true,
  0,
  -1,
  1,
  1.5,
  -1.5,
  31,
  32,
  33,
  3650,
  3651,
  1e9,
  "",
  "x",
  "go",
  "server",
  "any",
  "kubernetes",
  "2026-01-01T00:00:00Z",
  "jane@example.com",
  "jane@@example.com",
  "no-at-sign",
  " jane@example.com",
  `${"a".repeat(310)}@example.com`,
  "a".repeat(253),
  "a".repeat(254),
  "a".repeat(4 * 1024 * 1024),
  "a".repeat(4 * 1024 * 1024 + 1),
  [],
  ["x"],
  {},
  { a: 1 },
];

function bodies(fields: string[], required: Record<string, string>): unknown[] {
  const out: unknown[] = [
    null,
    [],
    "x",
    1,
    true,
    {},
    required,
    { ...required, extra: 1 },
    { ...required, a: 1, b: 2 },
    { extra: 1 },
    { __proto__: null, ...required },
  ];
  for (const f of fields)
    for (const v of VALUES) {
      const b: Record<string, unknown> = { ...required };
      if (v === undefined) delete b[f];
      else b[f] = v;
      out.push(b, { ...b, zzz: 1 });
    }
  // Two bad fields at once: the first in the schema's order is reported.
  for (const f of fields) for (const g of fields) if (f !== g) out.push({ ...required, [f]: 1.5, [g]: null });
  return out;
}

const first = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; code: string; message: string }[] } }) =>
  r.success ? null : { path: r.error!.issues[0]!.path.map(String), code: r.error!.issues[0]!.code, message: r.error!.issues[0]!.message };

describe("request envelopes without zod", () => {
  it("name the same fields as the zod schemas", () => {
    expect(Object.keys(AUDIT_REQUEST.fields)).toEqual(Object.keys(AuditRequestSchema.shape));
    expect(Object.keys(VERIFY_REQUEST.fields)).toEqual(Object.keys(VerifyRequestSchema.shape));
  });
  it("audit request: the same first problem as zod on every body", () => {
    const all = bodies(Object.keys(AUDIT_REQUEST.fields), {});
    for (const b of all)
      expect(first(checkAuditRequest(b)), JSON.stringify(b)?.slice(0, 80)).toEqual(first(AuditRequestSchema.safeParse(b)));
  });
  it("verify request: the same first problem as zod on every body", () => {
    const all = [
      ...bodies(Object.keys(VERIFY_REQUEST.fields), { certificate: "c", trustAnchors: "t" }),
      ...bodies(["certificate", "trustAnchors"], {}),
    ];
    for (const b of all)
      expect(first(checkVerifyRequest(b)), JSON.stringify(b)?.slice(0, 80)).toEqual(first(VerifyRequestSchema.safeParse(b)));
  });
});
