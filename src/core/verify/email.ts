// The expected e-mail peer of a leaf, as `openssl verify -verify_email` checks it (OpenSSL 3
// crypto/x509/v3_utl.c do_x509_check with GEN_EMAIL, equal_email): the address must equal an
// rfc822Name SAN, the local part byte for byte and the domain without regard to ASCII case
// (RFC 5280 4.2.1.6 / 7.5); only when the certificate has no rfc822Name SAN is the subject's
// emailAddress attribute compared instead. Go's crypto/x509 Verify has no such option.
import { attributeValues } from "../x509/names.ts";
import type { Cert } from "../x509/cert.ts";

const EMAIL_ADDRESS = "1.2.840.113549.1.9.1";

/** `a@b` with a non-empty local part and domain split at the last `@`, or null. */
function split(address: string): { local: string; domain: string } | null {
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1) return null;
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

function equalEmail(presented: string, wanted: string): boolean {
  const p = split(presented);
  const w = split(wanted);
  return p !== null && w !== null && p.local === w.local && p.domain.toLowerCase() === w.domain.toLowerCase();
}

/** The addresses compared: rfc822Name SANs, or the subject's emailAddress when there is none. */
export function presentedEmails(leaf: Cert): string[] {
  const sans = (leaf.subjectAltNames ?? []).filter((n) => n.type === "email").map((n) => n.value);
  return sans.length > 0 ? sans : attributeValues(leaf.subjectRdns, EMAIL_ADDRESS);
}

export function leafMatchesEmail(leaf: Cert, email: string): boolean {
  return presentedEmails(leaf).some((p) => equalEmail(p, email));
}
