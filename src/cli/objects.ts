// `certaudit objects.yaml` / `kubectl get secrets,configmaps,...,apiservices -A -o yaml | certaudit -`:
// Kubernetes objects audited edge by edge (core/cluster/audit-objects.ts), locally; with
// --endpoint they are uploaded without their secrets (objects-upload.ts).
import { looksLikeObjects, objectsReport } from "../core/cluster/index.ts";
import type { Report } from "../core/report/types.ts";

const decoder = new TextDecoder("utf-8", { fatal: false });

/** The text of the bytes when they are a List (or YAML stream, or JSON) of Kubernetes objects certaudit reads; else null. */
export function objectsText(raw: Uint8Array): string | null {
  const text = decoder.decode(raw);
  return looksLikeObjects(text) ? text : null;
}

export function objectsReportOf(text: string, at: Date, subtle: SubtleCrypto, warnDays?: number, rootCa?: Uint8Array): Promise<Report> {
  return objectsReport(text, { at, subtle, ...(warnDays !== undefined ? { warnDays } : {}), ...(rootCa ? { rootCa } : {}) });
}
