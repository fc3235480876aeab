// The one entry point: audit(input, options) -> Report. Pure: the clock, the limits and
// WebCrypto come in through `options`; nothing here touches the network, files or globals.
// The pipeline: read the input (audit/inputs.ts); analyse the kubeconfig's contexts
// (audit/kubeconfig.ts) or the bundle's chains (audit/bundle.ts); check each certificate
// (audit/certificates.ts); assemble the report (report/assemble.ts).
import { analyseBundle } from "./audit/bundle.ts";
import { checkEachCertificate } from "./audit/certificates.ts";
import { chainRunner } from "./audit/chain-runner.ts";
import { readInput } from "./audit/inputs.ts";
import { analyseKubeconfig } from "./audit/kubeconfig.ts";
import { Roles } from "./audit/roles.ts";
import type { AuditRun } from "./audit/run.ts";
import type { AuditInput, AuditOptions } from "./audit/types.ts";
import { DEFAULT_LIMITS, DEFAULT_WARN_DAYS } from "./defaults.ts";
import { InputProblem } from "./errors.ts";
import { countBySeverity, Findings } from "./findings/index.ts";
import type { Kubeconfig } from "./input/kubeconfig.ts";
import { CertStore, type Limits } from "./input/store.ts";
import { buildReport, type ContextRecord } from "./report/assemble.ts";
import type { Report } from "./report/types.ts";
import { DEFAULT_PROFILE } from "./verify/profile-names.ts";
import { SignatureVerifier } from "./x509/signature.ts";

export type { AuditInput, AuditOptions, FileError, InputData } from "./audit/types.ts";
export { DEFAULT_LIMITS, DEFAULT_WARN_DAYS };

/** Why the input gave no certificate, as far as the input itself tells. */
function nothingAuditedDetail(kubeconfig: Kubeconfig | null): string {
  if (!kubeconfig) return "The input holds no certificate that could be read";
  const refs = [...kubeconfig.clusters.filter((c) => c.caFile && !c.caData), ...kubeconfig.users.filter((u) => u.certFile && !u.certData)]
    .length;
  if (refs)
    return `The kubeconfig holds no readable certificate data; ${refs} certificate(s) are file references whose content was not part of the input`;
  return "The kubeconfig holds no readable certificate-authority-data or client-certificate-data";
}

export async function audit(input: AuditInput, options: AuditOptions): Promise<Report> {
  const at = options.at;
  if (!(at instanceof Date) || Number.isNaN(at.getTime()))
    throw new InputProblem("input.bad-option", 400, "the validation time is not a valid date");
  const warnDays = options.warnDays ?? DEFAULT_WARN_DAYS;
  if (!Number.isFinite(warnDays) || warnDays < 0 || warnDays > 3650)
    throw new InputProblem("input.bad-option", 400, "warnDays must be a number of days from 0 to 3650");
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const findings = new Findings();
  const store = new CertStore(options.subtle, findings, limits, { keysUploaded: options.local !== true });
  const verifier = new SignatureVerifier(options.subtle, limits.maxSignatureChecks);

  const read = await readInput(input, options, store, findings);
  const run: AuditRun = {
    at,
    profile: options.profile ?? DEFAULT_PROFILE,
    findings,
    store,
    verifier,
    roles: new Roles(),
    chains: [],
    runChain: chainRunner(limits, at, verifier, findings),
  };

  let contexts: ContextRecord[] = [];
  if (read.kubeconfig) contexts = await analyseKubeconfig(run, read.kubeconfig, read, limits);
  else await analyseBundle(run, read);

  checkEachCertificate(run, warnDays);
  if (store.all().length === 0) findings.add("input.nothing-audited", nothingAuditedDetail(read.kubeconfig), {});

  const report = buildReport({
    at,
    warnDays,
    kind: read.kind,
    parts: read.parts,
    store,
    chains: run.chains,
    contexts,
    findings: findings.list,
    roles: run.roles.byId,
  });
  const counts = countBySeverity(report.findings);
  report.summary = { ...report.summary, ...counts };
  return report;
}
