// What each encoding anomaly (cert.ts Anomaly) means, in one wording for every place that
// names one: a chain's failure reason (verify/policy.ts) and the cert.malformed finding
// (checks/certificate.ts), which adds what the tools do with it.
import type { Anomaly } from "./cert.ts";

export const ANOMALY_TEXT: Record<Anomaly, { text: string; tools?: string }> = {
  "duplicate-extension": { text: "an extension appears twice (RFC 5280 4.2)", tools: "Go refuses to parse it" },
  "tbs-signature-mismatch": { text: "the signature algorithm inside the certificate differs from the outer one (RFC 5280 4.1.1.2)" },
  "bad-validity-encoding": {
    text: "a validity time is not encoded as RFC 5280 4.1.2.5 requires",
    tools: "UTCTime through 2049, GeneralizedTime from 2050, seconds and Z present, no offset or fraction",
  },
  "generalized-time-before-2050": {
    text: "a validity time before 2050 is a GeneralizedTime, where RFC 5280 4.1.2.5 asks CAs for UTCTime",
    tools: "Go, OpenSSL and RFC 5280 path validation read it: NIST PKITS 4.2.4 is valid",
  },
  "negative-serial": { text: "the serial number is negative (RFC 5280 4.1.2.2)", tools: "Go 1.23+ refuses it" },
  "zero-serial": {
    text: "the serial number is zero (RFC 5280 4.1.2.2: positive integer)",
    tools: "Go accepts zero, and serial rules do not apply to a trust anchor, RFC 5280 6.1.1 (d)",
  },
  "serial-too-long": { text: "the serial number is longer than 20 octets (RFC 5280 4.1.2.2)" },
  "v1-with-extensions": { text: "a version 1/2 certificate carries extensions (RFC 5280 4.1.2.9)" },
  "empty-subject-no-san": { text: "the subject is empty and there is no subjectAltName (RFC 5280 4.1.2.6)" },
  "bad-extension-value": { text: "an extension value cannot be decoded" },
  "extension-trailing-data": { text: "bytes follow an extension's value (not DER)", tools: "Go and OpenSSL ignore them" },
  "empty-rdn": { text: "a name holds an empty RDN (X.501: an RDN has at least one attribute)", tools: "Go and OpenSSL read it" },
  "unique-ids": { text: "issuer/subject unique identifiers are present" },
};

/** The anomaly with what the tools do about it, for a finding's message. */
export function anomalyWithTools(a: Anomaly): string {
  const t = ANOMALY_TEXT[a];
  return t.tools ? `${t.text} — ${t.tools}` : t.text;
}
