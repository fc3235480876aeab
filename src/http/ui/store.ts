// A PEM bundle of self-signed CA certificates and nothing else is a trust store (Debian's
// /etc/ssl/certs/ca-certificates.crt, a CA bundle file): it is audited as one. For each root
// the question is whether to keep it: expired and weak roots should be removed, the rest are
// fine or need a look. Derived from the report only.
import type { CertificateJson, Report } from "../../core/report/types.ts";

/** Findings that make a root too weak to keep (its key or algorithm, not its own signature). */
const WEAK = new Set(["cert.weak-rsa-key", "cert.md5-signature", "cert.sha1-signature", "cert.unsupported-algorithm"]);

export interface StoreEntry {
  cert: CertificateJson;
  /** The finding codes about this certificate, most severe first. */
  codes: string[];
}

export interface TrustStoreView {
  total: number;
  expired: StoreEntry[];
  weak: StoreEntry[];
  /** Kept, but a finding or the expiry window says to look at it. */
  attention: StoreEntry[];
  fine: StoreEntry[];
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

export function isTrustStore(r: Report): boolean {
  return (
    r.input.kind === "pem" &&
    r.contexts.length === 0 &&
    r.certificates.length >= 2 &&
    r.certificates.every((c) => c.isCA && c.selfSigned) &&
    !r.findings.some((f) => f.code.startsWith("key."))
  );
}

export function trustStore(r: Report): TrustStoreView | null {
  if (!isTrustStore(r)) return null;
  const view: TrustStoreView = { total: r.certificates.length, expired: [], weak: [], attention: [], fine: [] };
  for (const cert of r.certificates) {
    const about = r.findings.filter((f) => f.certificate === cert.id).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
    const entry = { cert, codes: [...new Set(about.map((f) => f.code))] };
    if (cert.expiry === "expired") view.expired.push(entry);
    else if (entry.codes.some((c) => WEAK.has(c))) view.weak.push(entry);
    else if (cert.expiry !== "valid" || about.some((f) => f.severity !== "info")) view.attention.push(entry);
    else view.fine.push(entry);
  }
  view.expired.sort((a, b) => a.cert.notAfter.localeCompare(b.cert.notAfter));
  return view;
}

const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;

/** The headline of a trust-store report: what to remove, what to look at, how many are fine. */
export function trustStoreHeadline(v: TrustStoreView): string {
  const remove = v.expired.length + v.weak.length;
  const first = `A trust store of ${n(v.total, "root certificate")}: `;
  const rm = remove
    ? `${n(remove, "root")} should be removed (${v.expired.length} expired, ${v.weak.length} weak)`
    : "none is expired or weak";
  const look = v.attention.length ? `, ${v.attention.length} need${v.attention.length === 1 ? "s" : ""} a look` : "";
  return `${first}${rm}${look}, ${v.fine.length} ${v.fine.length === 1 ? "is" : "are"} fine.`;
}
