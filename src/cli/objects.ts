// `certaudit objects.yaml` / `kubectl get secrets,validatingwebhookconfigurations,... -A -o yaml | certaudit -`:
// Kubernetes objects audited edge by edge (core/cluster/audit-objects.ts), always locally: the
// Secrets carry private keys, and nothing leaves the machine.
import { looksLikeObjects, objectsReport } from "../core/cluster/index.ts";
import type { Report } from "../core/report/types.ts";

const decoder = new TextDecoder("utf-8", { fatal: false });

/** The report of the bytes when they are a List (or YAML stream) of Secrets and webhook configurations; else null. */
export async function auditObjectsInput(raw: Uint8Array, at: Date, subtle: SubtleCrypto, warnDays?: number): Promise<Report | null> {
  const text = decoder.decode(raw);
  if (!looksLikeObjects(text)) return null;
  return objectsReport(text, { at, subtle, ...(warnDays !== undefined ? { warnDays } : {}) });
}
