// Turns the audit's working state into the published report (see types.ts: a contract).
import type { ContextAnalysis } from "../checks/context.ts";
import { daysRemaining, effectiveExpiry, expiryStatus, iso } from "../checks/expiry.ts";
import { countBySeverity, type Finding } from "../findings/index.ts";
import type { CertStore } from "../input/store.ts";
import type { ChainRecord } from "./chain-record.ts";
import { compareTimes } from "./time-order.ts";
import type { Cert } from "../x509/cert.ts";
import {
  SCHEMA_VERSION,
  type CertificateJson,
  type ChainJson,
  type ContextJson,
  type InputKind,
  type OpenQuestion,
  type Report,
  type Verdict,
} from "./types.ts";

export function verdictOf(findings: Finding[]): Verdict {
  const c = countBySeverity(findings);
  return c.errors ? "fail" : c.warnings ? "warn" : "pass";
}

export function certificateJson(cert: Cert, sources: string[], at: Date, warnDays: number): CertificateJson {
  return {
    id: cert.id,
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    notBefore: iso(cert.notBefore),
    notAfter: iso(cert.notAfter),
    daysRemaining: daysRemaining(cert, at),
    expiry: expiryStatus(cert, at, warnDays),
    isCA: cert.basicConstraints?.ca === true,
    pathLen: cert.basicConstraints?.pathLen ?? null,
    selfSigned: cert.selfIssued,
    version: cert.version,
    publicKey: { ...cert.publicKey },
    signatureAlgorithm: cert.signatureAlgorithm.name,
    keyUsage: cert.keyUsage ?? null,
    extendedKeyUsage: cert.extendedKeyUsage ?? null,
    subjectAltNames: (cert.subjectAltNames ?? []).map((n) => ({ type: n.type, value: n.value })),
    subjectKeyId: cert.subjectKeyId ?? null,
    authorityKeyId: cert.authorityKeyId?.keyId ?? null,
    sources: sources.map((path) => ({ path })),
  };
}

export function chainJson(r: ChainRecord): ChainJson {
  const res = r.result;
  const eff = effectiveExpiry(res.path);
  const out: ChainJson = {
    leaf: res.path[0]?.id ?? "",
    path: res.path.map((c) => c.id),
    anchor: res.anchor?.id ?? null,
    purpose: r.purpose,
    valid: res.valid,
    status: res.status,
    reason: res.reason?.code ?? null,
    reasonMessage: res.reason?.message ?? null,
    effectiveExpiry: eff ? iso(eff.notAfter) : null,
    role: r.role,
  };
  if (r.profile) out.profile = r.profile;
  if (r.go) out.go = { valid: r.go.valid, reason: r.go.reason?.code ?? null };
  if (r.strict)
    out.rfc5280 = { valid: r.strict.valid, reason: r.strict.reason?.code ?? null, reasonMessage: r.strict.reason?.message ?? null };
  if (res.rejected.length) out.rejected = res.rejected.slice(0, 20);
  return out;
}

function belongsTo(f: Finding, ctx: ContextAnalysis): boolean {
  if (f.context) return f.context === ctx.json.name;
  if (f.certificate && ctx.certificates.has(f.certificate)) return true;
  return !!f.path && ctx.paths.some((p) => f.path === p || f.path!.startsWith(`${p}.`) || f.path!.startsWith(`${p}[`));
}

/** A context as analysed, with the questions it leaves open. */
export type ContextRecord = ContextAnalysis & { open: OpenQuestion[] };

export interface BuildInput {
  at: Date;
  warnDays: number;
  kind: InputKind;
  parts: string[];
  store: CertStore;
  chains: ChainRecord[];
  contexts: ContextRecord[];
  findings: Finding[];
  roles: Map<string, { role: string; path: string }>;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export function buildReport(b: BuildInput): Report {
  const certificates = b.store
    .all()
    .map(({ cert, sources }) => certificateJson(cert, sources, b.at, b.warnDays))
    .sort((x, y) => compareTimes(x.notAfter, y.notAfter));
  const findings = [...b.findings].sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity]);
  const contexts: ContextJson[] = b.contexts.map((c) => ({
    ...c.json,
    openQuestions: c.open,
    verdict: verdictOf(findings.filter((f) => belongsTo(f, c))),
  }));
  const earliest = certificates[0] ?? null;
  const openQuestions = contexts.reduce((n, c) => n + c.openQuestions.length, 0);
  return {
    schemaVersion: SCHEMA_VERSION,
    validationTime: iso(b.at),
    warnDays: b.warnDays,
    input: { kind: b.kind, parts: b.parts },
    verdict: verdictOf(findings),
    summary: {
      certificates: certificates.length,
      ...countBySeverity(findings),
      earliestExpiry: earliest?.notAfter ?? null,
      earliestExpiryCertificate: earliest?.id ?? null,
      openQuestions,
      complete: certificates.length > 0 && openQuestions === 0,
    },
    certificates,
    chains: b.chains.map(chainJson),
    contexts,
    findings,
  };
}
