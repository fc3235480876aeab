// Checks of one certificate on its own: algorithms, key strength, encoding anomalies,
// unknown critical extensions, and role-specific rules (server certificates need SANs).
import type { Findings } from "../findings/index.ts";
import type { Cert } from "../x509/cert.ts";

const ANOMALY_TEXT: Record<string, string> = {
  "duplicate-extension": "an extension appears twice (Go refuses to parse it)",
  "tbs-signature-mismatch": "the two signature algorithm fields differ",
  "bad-validity-encoding": "a validity time is not encoded as RFC 5280 requires (UTCTime through 2049, GeneralizedTime from 2050, seconds and Z present, no offset or fraction)",
  "generalized-time-before-2050": "a validity time before 2050 is encoded as GeneralizedTime, where RFC 5280 4.1.2.5 asks CAs for UTCTime (Go, OpenSSL and RFC 5280 path validation read it: NIST PKITS 4.2.4 is valid)",
  "negative-serial": "the serial number is negative (Go 1.23+ refuses it)",
  "zero-serial": "the serial number is zero (RFC 5280 4.1.2.2 asks for a positive one; Go accepts zero, and serial rules do not apply to a trust anchor, RFC 5280 6.1.1 (d))",
  "serial-too-long": "the serial number is longer than 20 octets",
  "v1-with-extensions": "a version 1 certificate carries extensions",
  "empty-subject-no-san": "the subject is empty and there is no subjectAltName",
  "bad-extension-value": "an extension value cannot be decoded",
  "extension-trailing-data": "bytes follow an extension's value, which DER does not allow (Go and OpenSSL ignore them)",
  "empty-rdn": "a name holds an empty RDN, which X.501 and RFC 5280 4.1.2.4 do not allow (Go and OpenSSL read it)",
  "unique-ids": "it carries issuer/subject unique identifiers",
};

export function checkCertificate(cert: Cert, findings: Findings, path: string, role: "server" | "client" | "ca" | "other"): void {
  const where = { certificate: cert.id, path };
  const sa = cert.signatureAlgorithm;
  // A self-signed root's own signature is not checked by Go or OpenSSL, so its hash does not matter.
  const rootSelf = cert.selfIssued && cert.basicConstraints?.ca === true;
  if (!rootSelf) {
    if (sa.hash === "SHA-1") findings.add("cert.sha1-signature", `"${cert.subject}" is signed with ${sa.name}.`, where);
    if (sa.hash === "MD5" || sa.hash === "MD2") findings.add("cert.md5-signature", `"${cert.subject}" is signed with ${sa.name}.`, where);
  }
  const k = cert.publicKey;
  if ((k.algorithm === "RSA" || k.algorithm === "RSA-PSS") && (k.bits ?? 0) < 2048) findings.add("cert.weak-rsa-key", `"${cert.subject}" has a ${k.bits}-bit RSA key.`, where);
  const unsupportedKey = !["RSA", "RSA-PSS", "EC", "Ed25519"].includes(k.algorithm) || (k.algorithm === "EC" && !["P-256", "P-384", "P-521"].includes(k.curve ?? ""));
  // Hashes WebCrypto cannot compute (SHA-224); MD5/MD2 have their own finding above.
  const unsupportedHash = !!sa.hash && !["SHA-1", "SHA-256", "SHA-384", "SHA-512", "MD5", "MD2"].includes(sa.hash);
  if (unsupportedKey || unsupportedHash || sa.key === "unknown" || sa.key === "DSA" || sa.key === "Ed448")
    findings.add("cert.unsupported-algorithm", `"${cert.subject}" uses ${unsupportedKey ? `a ${k.algorithm}${k.curve ? ` ${k.curve}` : ""} key` : `the ${sa.name} signature algorithm`}.`, where);
  if (cert.goParseErrors.length)
    findings.add("cert.go-unparseable", `"${cert.subject}": Go's x509.ParseCertificate refuses it (${cert.goParseErrors.join("; ")}), so kubectl and kube-apiserver will not load it.`, where);
  if (cert.anomalies.length) findings.add("cert.malformed", `"${cert.subject}": ${cert.anomalies.map((a) => ANOMALY_TEXT[a] ?? a).join("; ")}.`, where);
  if (cert.unhandledCritical.length) findings.add("cert.unknown-critical-extension", `"${cert.subject}" has critical extension(s) ${cert.unhandledCritical.join(", ")}.`, where);
  if (role === "server" && !cert.subjectAltNames?.length) findings.add("cert.no-san", `The server certificate "${cert.subject}" has no subjectAltName.`, where);
  if ((role === "server" || role === "client") && cert.selfIssued && cert.basicConstraints?.ca !== true) findings.add("cert.self-signed-leaf", `"${cert.subject}" is self-signed.`, where);
  const lifetimeDays = (cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000;
  if ((role === "server" || role === "client") && lifetimeDays > 825) findings.add("cert.long-validity", `"${cert.subject}" is valid for ${Math.round(lifetimeDays)} days.`, where);
}
