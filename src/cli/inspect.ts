// `certaudit inspect FILE`: every certificate in the input field by field (what
// `openssl x509 -text` and `step certificate inspect` show: names, serial, validity with days,
// key, SANs, usages, constraints, key identifiers, every extension with its criticality,
// SHA-256 and SHA-1 fingerprints), each followed by the audit's findings about it.
import { createHash } from "node:crypto";
import { decodeBase64, scanPem } from "../core/encoding/pem.ts";
import { bytesToText, detect } from "../core/input/detect.ts";
import { parseCertificate, type Cert } from "../core/x509/cert.ts";
import { EKU_NAMES } from "../core/x509/oids.ts";
import type { CertificateJson, Report } from "../core/report/types.ts";
import { inert } from "../core/text/inert.ts";
import { safeJson } from "./escape.ts";
import { findingsBySeverity, type FileResult } from "./render.ts";
import { daysWords, time } from "./words.ts";

const EXTENSION_NAMES: Record<string, string> = {
  "2.5.29.14": "Subject Key Identifier",
  "2.5.29.15": "Key Usage",
  "2.5.29.17": "Subject Alternative Name",
  "2.5.29.18": "Issuer Alternative Name",
  "2.5.29.19": "Basic Constraints",
  "2.5.29.30": "Name Constraints",
  "2.5.29.31": "CRL Distribution Points",
  "2.5.29.32": "Certificate Policies",
  "2.5.29.33": "Policy Mappings",
  "2.5.29.35": "Authority Key Identifier",
  "2.5.29.36": "Policy Constraints",
  "2.5.29.37": "Extended Key Usage",
  "2.5.29.54": "Inhibit anyPolicy",
  "1.3.6.1.5.5.7.1.1": "Authority Information Access",
  "1.3.6.1.5.5.7.1.11": "Subject Information Access",
  "1.3.6.1.4.1.11129.2.4.2": "CT Precertificate SCTs",
  "1.3.6.1.4.1.11129.2.4.3": "CT Precertificate Poison",
};

const colons = (hex: string) => hex.toUpperCase().match(/../g)?.join(":") ?? "";
const digest = (alg: "sha256" | "sha1", der: Uint8Array) => createHash(alg).update(der).digest("hex");

/** Every DER certificate in the input: PEM blocks, DER, and a kubeconfig's *-data fields. */
function certificatesIn(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const fromText = (text: string) => {
    for (const b of scanPem(text).blocks) if (b.label === "CERTIFICATE" && b.der) out.push(b.der);
  };
  const d = detect(bytes, "input");
  if (d.kind === "der") out.push(d.der);
  else if (d.kind === "pem") fromText(d.text);
  else {
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) {
          if (typeof x === "string" && k.endsWith("-data")) {
            const raw = decodeBase64(x);
            const text = raw ? bytesToText(raw) : null;
            if (text) fromText(text);
          } else walk(x);
        }
    };
    walk(d.doc);
  }
  return out;
}

function rows(c: CertificateJson, cert: Cert | undefined, readFrom: Record<string, string>): [string, string][] {
  const r: [string, string][] = [];
  const from = c.sources.map((s) => {
    const file = Object.entries(readFrom).find(([p]) => s.path.startsWith(p))?.[1];
    return file ? `${s.path} (read from ${file})` : s.path;
  });
  r.push(["Where", from.join("; ")]);
  r.push(["Subject", c.subject || "(empty)"]);
  r.push(["Issuer", c.issuer || "(empty)"]);
  r.push(["Serial", `${colons(c.serialNumber).toLowerCase()} (${BigInt(`0x${c.serialNumber || "0"}`).toString()})`]);
  r.push(["Version", String(c.version)]);
  r.push(["Not before", time(c.notBefore)]);
  r.push(["Not after", `${time(c.notAfter)}  (${daysWords(c)})`]);
  const pk = c.publicKey;
  r.push(["Public key", `${pk.algorithm}${pk.curve ? ` ${pk.curve}` : ""}${pk.bits ? ` ${pk.bits} bits` : ""}`]);
  r.push(["Signature", c.signatureAlgorithm]);
  const crit = (oid: string) => (cert?.extensions.find((e) => e.oid === oid)?.critical ? "  (critical)" : "");
  r.push([
    "Basic constraints",
    cert?.basicConstraints
      ? `CA:${cert.basicConstraints.ca ? "TRUE" : "FALSE"}${cert.basicConstraints.pathLen !== undefined ? `, pathlen:${cert.basicConstraints.pathLen}` : ""}${crit("2.5.29.19")}`
      : "none",
  ]);
  r.push(["Key usage", c.keyUsage ? `${c.keyUsage.join(", ")}${crit("2.5.29.15")}` : "none"]);
  r.push([
    "Extended key usage",
    c.extendedKeyUsage ? `${c.extendedKeyUsage.map((e) => EKU_NAMES[e] ?? e).join(", ")}${crit("2.5.29.37")}` : "none",
  ]);
  r.push([
    "Subject alt names",
    c.subjectAltNames.length ? c.subjectAltNames.map((s) => `${s.type.toUpperCase()}:${s.value}`).join(", ") : "none",
  ]);
  r.push(["Subject key id", c.subjectKeyId ? colons(c.subjectKeyId) : "none"]);
  r.push(["Authority key id", c.authorityKeyId ? colons(c.authorityKeyId) : "none"]);
  if (cert) {
    r.push(["Extensions", cert.extensions.length ? `${cert.extensions.length}` : "none"]);
    for (const e of cert.extensions) r.push(["", `${EXTENSION_NAMES[e.oid] ?? "unknown"} (${e.oid})${e.critical ? "  critical" : ""}`]);
    r.push(["SHA-256 fingerprint", colons(digest("sha256", cert.der))]);
    r.push(["SHA-1 fingerprint", colons(digest("sha1", cert.der))]);
  } else r.push(["SHA-256 fingerprint", colons(c.id.replace(/^sha256:/, ""))]);
  return r;
}

async function parsedById(sources: Uint8Array[]): Promise<Map<string, Cert>> {
  const sha = async (d: Uint8Array) => new Uint8Array(createHash("sha256").update(d).digest());
  const map = new Map<string, Cert>();
  for (const src of sources)
    for (const der of (() => {
      try {
        return certificatesIn(src);
      } catch {
        return [];
      }
    })()) {
      try {
        const c = await parseCertificate(der, sha);
        map.set(c.id, c);
      } catch {
        /* the audit reports unreadable certificates */
      }
    }
  return map;
}

/** The inspect view of every certificate in the report (text), or the report's certificates with extensions and fingerprints (json). */
export async function inspectCertificates(result: FileResult, inputs: Uint8Array[], mode: "text" | "json"): Promise<string> {
  const report = result.report as Report;
  const parsed = await parsedById(inputs);
  const readFrom = result.readFrom ?? {};
  if (mode === "json") {
    const list = report.certificates.map((c) => {
      const p = parsed.get(c.id);
      return {
        ...c,
        ...(p
          ? {
              extensions: p.extensions.map((e) => ({ oid: e.oid, name: EXTENSION_NAMES[e.oid] ?? null, critical: e.critical })),
              fingerprints: { sha256: digest("sha256", p.der), sha1: digest("sha1", p.der) },
            }
          : {}),
        findings: findingsBySeverity(report).filter((f) => f.certificate === c.id),
      };
    });
    return `${safeJson(list, 2)}\n`;
  }
  const out: string[] = [];
  const n = report.certificates.length;
  if (!n) out.push(`${result.file}: no certificate to inspect`);
  report.certificates.forEach((c, i) => {
    out.push(`${result.file}: certificate ${i + 1} of ${n}`);
    const rs = rows(c, parsed.get(c.id), readFrom);
    const w = Math.max(...rs.map(([k]) => k.length));
    for (const [k, v] of rs) out.push(`  ${k ? `${k}:` : ""}${" ".repeat(w + 2 - (k ? k.length + 1 : 0))}${v}`);
    const fs = findingsBySeverity(report).filter(
      (f) =>
        f.certificate === c.id || c.sources.some((s) => f.path !== undefined && (s.path === f.path || s.path.startsWith(`${f.path}[`))),
    );
    out.push(`  Findings:${fs.length ? "" : " none"}`);
    for (const f of fs) out.push(`    ${f.severity} ${f.code}: ${f.message}`);
    out.push("");
  });
  // One entry per line: a line break, ESC or bidi character inside one came from the input.
  return out.map(inert).join("\n");
}
