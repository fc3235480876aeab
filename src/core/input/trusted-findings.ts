// A `-----BEGIN TRUSTED CERTIFICATE-----` block: the certificate is audited like any other, and
// its OpenSSL trust settings are shown in an input.trusted-certificate finding.
import type { PemBlock } from "../encoding/pem.ts";
import { purposeName, splitTrustedCertificate, TrustedCertError } from "../encoding/trusted-cert.ts";
import type { Findings } from "../findings/index.ts";

/** The certificate DER of a TRUSTED CERTIFICATE block (null, with a finding, when unreadable). */
export function trustedCertificateDer(b: PemBlock, where: string, findings: Findings): Uint8Array | null {
  let split: ReturnType<typeof splitTrustedCertificate>;
  try {
    split = splitTrustedCertificate(b.der!);
  } catch (e) {
    if (!(e instanceof TrustedCertError)) throw e;
    findings.add("input.bad-pem-block", `The ${b.label} block at ${where} (line ${b.line}) cannot be read: ${e.message}.`, { path: where });
    return null;
  }
  const t = split.trust;
  const parts = t
    ? [
        `trusted for ${t.trusted.length ? t.trusted.map(purposeName).join(", ") : "no purpose"}`,
        `rejected for ${t.rejected.length ? t.rejected.map(purposeName).join(", ") : "no purpose"}`,
        ...(t.alias !== null ? [`alias ${JSON.stringify(t.alias)}`] : []),
      ]
    : ["no trust settings"];
  findings.add("input.trusted-certificate", `${where} is OpenSSL's TRUSTED CERTIFICATE form: ${parts.join("; ")}.`, { path: where });
  return split.cert;
}
