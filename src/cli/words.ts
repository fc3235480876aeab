// How the CLI says times and remaining days: one time format everywhere (ISO 8601 UTC to the
// second, as the report's findings write it), and an expired certificate reads "expired N days
// ago", never "-N days left".
import type { CertificateJson } from "../core/report/types.ts";

/** `2026-06-20T00:00:00Z`: the report's own format, milliseconds dropped. */
export const time = (iso: string): string => iso.replace(/\.\d+Z$/, "Z");

const n = (k: number, word: string) => `${k} ${word}${k === 1 ? "" : "s"}`;

/** "19 days left", "expired 396 days ago", "valid from 2026-07-01T00:00:00Z". */
export function daysWords(c: Pick<CertificateJson, "daysRemaining" | "expiry" | "notBefore">): string {
  if (c.expiry === "not-yet-valid") return `not valid before ${time(c.notBefore)}`;
  if (c.expiry === "expired" || c.daysRemaining < 0) return `expired ${n(Math.max(1, -c.daysRemaining), "day")} ago`;
  return `${n(c.daysRemaining, "day")} left`;
}
