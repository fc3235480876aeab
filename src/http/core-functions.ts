// The core functions the HTTP routes call, and the audit run for a parsed request.
import { audit } from "../core/audit.ts";
import { InputProblem } from "../core/errors.ts";
import { controlPlaneReport, objectsReport } from "../core/cluster/index.ts";
import { objectsDocument } from "./objects.ts";
import type { Report } from "../core/report/types.ts";
import { verifyCertificate } from "../core/verify-chain.ts";
import type { ParsedAuditRequest } from "./request.ts";

/**
 * The core functions the routes call. The Worker uses the real ones; createApp takes others so
 * a test can make the core throw and see a bug answered as one (a 500 without its text).
 */
export interface CoreFunctions {
  audit: typeof audit;
  verifyCertificate: typeof verifyCertificate;
}
export const CORE: CoreFunctions = { audit, verifyCertificate };

/** Runs the audit for a parsed request: now by default, the Worker's WebCrypto. Shared with the form. */
export function auditRequest(req: ParsedAuditRequest, core: Pick<CoreFunctions, "audit"> = CORE): Promise<Report> {
  const options = {
    at: req.at ?? new Date(),
    subtle: crypto.subtle,
    ...(req.warnDays !== undefined ? { warnDays: req.warnDays } : {}),
  };
  // A directory (tar, tar.gz, multipart `files`) is a control plane, as `certaudit DIR` reads it.
  if (req.tree) return controlPlaneReport(req.tree, { ...options, keysUploaded: true });
  // Kubernetes objects (a List or YAML stream of Secrets, webhooks, APIServices, ConfigMaps), as `certaudit FILE` reads them.
  const objects = objectsDocument(req.input);
  if (objects !== null) return objectsReport(objects, { ...options, keysUploaded: true, ...(req.rootCA ? { rootCa: req.rootCA } : {}) });
  if (req.rootCA) throw new InputProblem("input.bad-option", 400, "rootCA goes with Kubernetes objects (kubectl get ... -A -o yaml)");
  return core.audit(req.input, options);
}
