// Step 3: the checks of each certificate on its own (expiry, algorithms, encoding, role
// rules), sources listed twice, and certificates that outlive their verified issuer.
import { checkCertificate } from "../checks/certificate.ts";
import { checkExpiry, checkOutlivesIssuer, verifiedIssuance } from "../checks/expiry.ts";
import { roleWord } from "./roles.ts";
import type { AuditRun } from "./run.ts";

export function checkEachCertificate(run: AuditRun, warnDays: number): void {
  const { findings, store, roles, at } = run;
  for (const { cert, sources } of store.all()) {
    const r = roles.get(cert.id) ?? { role: "other" as const, path: sources[0] ?? "" };
    checkExpiry(cert, at, warnDays, findings, r.path, roleWord(r.role));
    checkCertificate(cert, findings, r.path, r.role);
    if (sources.length > 1 && new Set(sources.map((s) => s.replace(/\[\d+\]$/, ""))).size < sources.length)
      findings.add("input.duplicate-certificate", `"${cert.subject}" appears at ${sources.join(", ")}.`, { certificate: cert.id });
  }
  for (const ch of run.chains) checkOutlivesIssuer(verifiedIssuance(ch.result), findings);
}
