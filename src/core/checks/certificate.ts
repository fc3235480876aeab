// Checks of one certificate on its own: algorithms, key strength, encoding anomalies,
// unknown critical extensions, and role-specific rules (server certificates need SANs).
import type { Findings } from "../findings/index.ts";
import { anomalyWithTools } from "../x509/anomaly-text.ts";
import { goParseRefusal } from "../keys/go-keypair.ts";
import type { Cert } from "../x509/cert.ts";
import { WEBCRYPTO_CURVES, WEBCRYPTO_HASHES, WEBCRYPTO_KEYS } from "../x509/supported.ts";

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
  if ((k.algorithm === "RSA" || k.algorithm === "RSA-PSS") && (k.bits ?? 0) < 2048)
    findings.add("cert.weak-rsa-key", `"${cert.subject}" has a ${k.bits}-bit RSA key.`, where);
  const unsupportedKey = !WEBCRYPTO_KEYS.has(k.algorithm) || (k.algorithm === "EC" && !Object.hasOwn(WEBCRYPTO_CURVES, k.curve ?? ""));
  // Hashes WebCrypto cannot compute (SHA-224); MD5/MD2 have their own finding above.
  const unsupportedHash = !!sa.hash && !WEBCRYPTO_HASHES.has(sa.hash) && sa.hash !== "MD5" && sa.hash !== "MD2";
  if (unsupportedKey || unsupportedHash || sa.key === "unknown" || sa.key === "DSA" || sa.key === "Ed448")
    findings.add(
      "cert.unsupported-algorithm",
      `"${cert.subject}" uses ${unsupportedKey ? `a ${k.algorithm}${k.curve ? ` ${k.curve}` : ""} key` : `the ${sa.name} signature algorithm`}.`,
      where,
    );
  const keyError = goParseRefusal(cert);
  const goErrors = keyError ? [...cert.goParseErrors, keyError] : cert.goParseErrors;
  if (goErrors.length)
    findings.add(
      "cert.go-unparseable",
      `"${cert.subject}": Go's x509.ParseCertificate refuses it (${goErrors.join("; ")}), so kubectl and kube-apiserver will not load it.`,
      where,
    );
  if (cert.anomalies.length)
    findings.add("cert.malformed", `"${cert.subject}": ${cert.anomalies.map(anomalyWithTools).join("; ")}.`, where);
  if (cert.unhandledCritical.length)
    findings.add(
      "cert.unknown-critical-extension",
      `"${cert.subject}" has critical extension(s) ${cert.unhandledCritical.join(", ")}.`,
      where,
    );
  if (role === "server" && !cert.subjectAltNames?.length)
    findings.add("cert.no-san", `The server certificate "${cert.subject}" has no subjectAltName.`, where);
  if ((role === "server" || role === "client") && cert.selfIssued && cert.basicConstraints?.ca !== true)
    findings.add("cert.self-signed-leaf", `"${cert.subject}" is self-signed.`, where);
  const lifetimeDays = (cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000;
  if ((role === "server" || role === "client") && lifetimeDays > 825)
    findings.add("cert.long-validity", `"${cert.subject}" is valid for ${Math.round(lifetimeDays)} days.`, where);
}
