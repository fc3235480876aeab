// The CertificateSigningRequests of `kubectl get csr -o yaml | certaudit -`, one line each: the
// status as kubectl prints it, the signer, who asked, what is requested, and what was found.
import type { ClusterJson } from "../core/cluster/index.ts";
import type { Style } from "./render.ts";

type Csr = NonNullable<ClusterJson["csrs"]>[number];

/** ANSI colour codes, to measure what a row shows. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, "g");
/** The width a cell shows on a terminal (without its colour codes). */
export const shown = (s: string) => s.replace(ANSI, "").length;

function requested(c: Csr): string {
  if (!c.request) return "(unreadable)";
  const r = c.request;
  const sans = [...r.dnsNames, ...r.ipAddresses, ...r.emails, ...r.uris];
  return [`CN=${r.commonName ?? ""}`, ...r.organizations.map((o) => `O=${o}`), ...(sans.length ? [`SAN ${sans.join(",")}`] : [])].join(" ");
}

function verdict(c: Csr, s: Style): string {
  const worst = c.findings.some((f) => f.severity === "error")
    ? "error"
    : c.findings.some((f) => f.severity === "warning")
      ? "warning"
      : null;
  if (!worst) return c.signerRules.judged ? s.green("ok") : s.dim("not judged");
  const codes = c.findings.filter((f) => f.severity !== "info").map((f) => f.code.replace(/^cluster\.csr-/, ""));
  return worst === "error" ? s.red(codes.join(", ")) : s.yellow(codes.join(", "));
}

export function renderCsrs(csrs: Csr[], s: Style): string[] {
  const rows = csrs.map((c) => [verdict(c, s), c.status, c.name, c.signerName ?? "(none)", c.username ?? "?", requested(c)]);
  const heads = ["check", "status", "name", "signer", "requester"];
  const widths = heads.map((h, i) => Math.max(h.length, ...rows.map((r) => shown(r[i]!))));
  const line = (r: string[]) =>
    `  ${r
      .slice(0, 5)
      .map((v, i) => v + " ".repeat(Math.max(0, widths[i]! - shown(v))))
      .join("  ")}  ${r[5]}`;
  return [s.bold("Certificate signing requests"), line([...heads, "requested"]), ...rows.map(line)];
}
