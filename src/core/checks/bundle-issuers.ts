// Which certificates of a bundle issue another one of it: p issues c when c's issuer name is p's
// subject (same DER length, same RFC 4514 text) and they are different certificates. Indexed by
// subject text, so a bundle of N certificates costs O(N) rather than N² comparisons.
import type { Cert } from "../x509/cert.ts";

export function issuersWithin(all: readonly Cert[]): Set<string> {
  const bySubject = new Map<string, Cert[]>();
  for (const p of all) {
    const list = bySubject.get(p.subject);
    if (list) list.push(p);
    else bySubject.set(p.subject, [p]);
  }
  const out = new Set<string>();
  for (const c of all)
    for (const p of bySubject.get(c.issuer) ?? []) if (p.id !== c.id && c.frame.issuer.length === p.frame.subject.length) out.add(p.id);
  return out;
}
