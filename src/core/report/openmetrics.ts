// A Report as OpenMetrics text (https://prometheus.io/docs/specs/om/open_metrics_spec/), for
// node_exporter's textfile collector and Prometheus. Pure: the CLI and the Worker both call it.
//
// Per-certificate metrics use the names and labels of enix/x509-certificate-exporter
// (docs/metrics.md: x509_cert_not_after, x509_cert_not_before, x509_cert_expired,
// x509_cert_expires_in_seconds; labels serial_number (decimal), subject_CN, issuer_CN, filepath,
// filename, embedded_kind, embedded_key, discriminator), so its alert rules and dashboards work.
// What the exporter has no metric for is certaudit_*. Every family is a gauge, so the text is
// also valid Prometheus text format 0.0.4 (what the textfile collector reads). Times are the
// report's own (validationTime), never a clock. Labels carry names, never key material or tokens.
import type { CertificateJson, ContextJson, Report } from "./types.ts";

export const OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/** One audited input: its report, or why it could not be audited. */
export interface MetricsInput {
  /** The file as given (CLI), or "" (API). */
  file: string;
  report?: Report;
  problem?: { code: string; message: string };
}

type Labels = Record<string, string>;
interface Family {
  name: string;
  help: string;
  samples: { labels: Labels; value: number }[];
}

/** OpenMetrics label value escaping: backslash, double quote and line feed. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** The RFC 4514 attribute value of `type` (first occurrence), unescaped as far as a label needs. */
export function dnAttribute(dn: string, type: string): string {
  let i = 0;
  while (i < dn.length) {
    let j = i;
    let value = "";
    let escaped = false;
    for (; j < dn.length; j++) {
      const c = dn[j]!;
      if (escaped) {
        value += c;
        escaped = false;
      } else if (c === "\\") escaped = true;
      else if (c === "," || c === "+") break;
      else value += c;
    }
    const eq = value.indexOf("=");
    if (eq > 0 && value.slice(0, eq) === type) return value.slice(eq + 1);
    i = j + 1;
  }
  return "";
}

/** The serial number in decimal, as the exporter labels it (the report has the encoded hex). */
export function serialDecimal(hex: string): string {
  if (!/^[0-9a-fA-F]+$/.test(hex)) return hex;
  return BigInt(`0x${hex}`).toString(10);
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function basename(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] ?? p;
}

/** ca, server, client or other, from what the report says each certificate is used as. */
function roleOf(c: CertificateJson, r: Report): string {
  if (r.contexts.some((x) => x.client.certificate === c.id)) return "client";
  if (r.chains.some((ch) => ch.purpose === "server" && ch.leaf === c.id)) return "server";
  if (c.isCA) return "ca";
  return "other";
}

function contextsOf(c: CertificateJson, r: Report): string[] {
  const uses = (x: ContextJson) => x.clusterCA.includes(c.id) || x.client.certificate === c.id || x.client.chain.includes(c.id);
  return r.contexts
    .filter(uses)
    .map((x) => x.name)
    .sort();
}

/** The exporter's embedded_kind / embedded_key for a kubeconfig source path. */
function embedded(path: string): { kind: string; key: string } {
  const m = /^(clusters|users)\[.*\]\.([a-z-]+)(\[\d+\])?$/.exec(path);
  if (!m) return { kind: "", key: "" };
  return { kind: m[1] === "clusters" ? "cluster" : "user", key: m[2]! };
}

const bool = (v: boolean | null) => (v === null ? null : v ? 1 : 0);

export function renderOpenMetrics(inputs: MetricsInput[]): string {
  const fam = new Map<string, Family>();
  const add = (name: string, help: string, labels: Labels, value: number | null) => {
    const f = fam.get(name) ?? { name, help, samples: [] };
    fam.set(name, f);
    if (value !== null) f.samples.push({ labels, value });
  };
  const declare = (name: string, help: string) => add(name, help, {}, null);
  // Families in a fixed order, declared even when they have no sample (the HELP still documents them).
  declare("x509_cert_not_after", "Unix time of the certificate's notAfter (as x509-certificate-exporter).");
  declare("x509_cert_not_before", "Unix time of the certificate's notBefore (as x509-certificate-exporter).");
  declare("x509_cert_expired", "1 when the certificate is expired at the validation time, else 0 (as x509-certificate-exporter).");
  declare(
    "x509_cert_expires_in_seconds",
    "Seconds from the validation time to notAfter, negative once expired (as x509-certificate-exporter).",
  );
  declare(
    "certaudit_context_client_accepted",
    "1 when kube-apiserver would accept the context's client certificate, 0 when not; absent when undecided.",
  );
  declare("certaudit_context_server_trusted", "1 when kubectl would trust the context's API server, 0 when not; absent when undecided.");
  declare("certaudit_context_key_matches", "1 when the context's client key matches its certificate, 0 when not; absent when undecided.");
  declare(
    "certaudit_context_ca_relation",
    "1 for the relation between the cluster CA and the client certificate's issuer (relation label).",
  );
  declare("certaudit_context_verdict", "1 for the context's verdict (verdict label: pass, warn, fail), 0 for the others.");
  declare("certaudit_verdict", "1 for the report's verdict (verdict label: pass, warn, fail), 0 for the others.");
  declare("certaudit_findings", "Findings in the report, by severity.");
  declare("certaudit_validation_time_seconds", "Unix time the report was validated at.");
  declare("certaudit_audit_errors", "Inputs that could not be audited (unreadable or not a kubeconfig or certificate).");

  let errors = 0;
  for (const input of inputs) {
    const filepath = input.file;
    const file = { filepath, filename: filepath ? basename(filepath) : "" };
    if (!input.report) {
      errors++;
      continue;
    }
    const r = input.report;
    const at = seconds(r.validationTime);
    for (const c of r.certificates) {
      const source = c.sources[0]?.path ?? "";
      const e = embedded(source);
      const labels: Labels = {
        serial_number: serialDecimal(c.serialNumber),
        subject_CN: dnAttribute(c.subject, "CN"),
        issuer_CN: dnAttribute(c.issuer, "CN"),
        ...file,
        embedded_kind: e.kind,
        embedded_key: e.key,
        discriminator: c.id.slice("sha256:".length, "sha256:".length + 16),
        role: roleOf(c, r),
        context: contextsOf(c, r).join(","),
        source,
      };
      add("x509_cert_not_after", "", labels, seconds(c.notAfter));
      add("x509_cert_not_before", "", labels, seconds(c.notBefore));
      add("x509_cert_expired", "", labels, c.expiry === "expired" ? 1 : 0);
      add("x509_cert_expires_in_seconds", "", labels, seconds(c.notAfter) - at);
    }
    for (const x of r.contexts) {
      const labels: Labels = { ...file, context: x.name, cluster: x.cluster ?? "", user: x.user ?? "" };
      add("certaudit_context_client_accepted", "", labels, bool(x.clientAccepted));
      add("certaudit_context_server_trusted", "", labels, bool(x.serverTrusted));
      add("certaudit_context_key_matches", "", labels, bool(x.client.keyMatches));
      add("certaudit_context_ca_relation", "", { ...labels, relation: x.caIdentity.relation }, 1);
      for (const v of ["pass", "warn", "fail"]) add("certaudit_context_verdict", "", { ...labels, verdict: v }, x.verdict === v ? 1 : 0);
    }
    for (const v of ["pass", "warn", "fail"]) add("certaudit_verdict", "", { ...file, verdict: v }, r.verdict === v ? 1 : 0);
    add("certaudit_findings", "", { ...file, severity: "error" }, r.summary.errors);
    add("certaudit_findings", "", { ...file, severity: "warning" }, r.summary.warnings);
    add("certaudit_findings", "", { ...file, severity: "info" }, r.summary.infos);
    add("certaudit_validation_time_seconds", "", file, at);
  }
  add("certaudit_audit_errors", "", {}, errors);

  const lines: string[] = [];
  for (const f of fam.values()) {
    lines.push(`# TYPE ${f.name} gauge`, `# HELP ${f.name} ${escapeHelp(f.help)}`);
    for (const s of f.samples) {
      const ls = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
      lines.push(`${f.name}${ls.length ? `{${ls.join(",")}}` : ""} ${s.value}`);
    }
  }
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}
