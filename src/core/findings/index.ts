// The finding catalogue: every code the product can emit, one family per file.
import { CERT } from "./cert.ts";
import { CHAIN } from "./chain.ts";
import { CLUSTER } from "./cluster.ts";
import { CLUSTER_CSR } from "./cluster-csr.ts";
import { CHAIN_VERDICTS } from "./verdicts.ts";
import { ENGINE } from "./engine.ts";
import { IDENTITY } from "./identity.ts";
import { INPUT } from "./input.ts";
import { KEY } from "./key.ts";
import { KUBECONFIG } from "./kubeconfig.ts";
import type { Finding, FindingDef, Severity } from "./types.ts";

export type { Finding, FindingDef, Severity } from "./types.ts";

export const CATALOGUE = {
  ...INPUT,
  ...KUBECONFIG,
  ...CERT,
  ...CHAIN,
  ...CHAIN_VERDICTS,
  ...KEY,
  ...IDENTITY,
  ...ENGINE,
  ...CLUSTER,
  ...CLUSTER_CSR,
} as const;
export type FindingCode = keyof typeof CATALOGUE;

export function isFindingCode(code: string): code is FindingCode {
  return Object.hasOwn(CATALOGUE, code);
}

export interface Where {
  certificate?: string;
  context?: string;
  path?: string;
}

/** Collects findings, de-duplicating identical ones (same code, place and message). */
export class Findings {
  readonly list: Finding[] = [];
  private seen = new Set<string>();

  add(code: FindingCode, detail: string | null, where: Where = {}, severity?: Severity): Finding {
    const def: FindingDef = CATALOGUE[code];
    const sentence = detail ? (/[.!?)]$/.test(detail.trim()) ? detail.trim() : `${detail.trim()}.`) : `${def.title}.`;
    const message = `${sentence} ${def.advice}`;
    const f: Finding = { code, severity: severity ?? def.severity, message };
    if (where.certificate) f.certificate = where.certificate;
    if (where.context) f.context = where.context;
    if (where.path) f.path = where.path;
    const key = `${code}|${f.certificate ?? ""}|${f.context ?? ""}|${f.path ?? ""}|${message}`;
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.list.push(f);
    }
    return f;
  }
}

export function countBySeverity(list: Finding[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of list) {
    if (f.severity === "error") errors++;
    else if (f.severity === "warning") warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}
