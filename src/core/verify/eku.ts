// Extended key usage for the purpose of the path (RFC 5280 4.2.1.12), with Go's rule that an EKU
// on a CA restricts everything below it (crypto/x509 verify.go checkChainForKeyUsage: "EKUs on
// intermediates and roots constrain the leaf", nested) -- RFC 5280 itself says nothing about CA EKUs.
import type { Cert } from "../x509/cert.ts";
import { OID } from "../x509/oids.ts";
import type { Profile, Purpose } from "./types.ts";
import { rulesOf } from "./profiles/index.ts";

const PURPOSE_NAME: Record<Purpose, string | null> = { server: "serverAuth", client: "clientAuth", any: null };

export function purposeName(p: Purpose): string | null {
  return PURPOSE_NAME[p];
}

export interface EkuFailure {
  code: "chain.eku-mismatch";
  message: string;
}

function ekuExt(c: Cert) {
  return c.extensions.find((e) => e.oid === OID.extKeyUsage);
}

/** The leaf's own EKU. Absent = any purpose (RFC 5280, Go), except in the Web PKI profile. */
export function checkLeafEku(leaf: Cert, purpose: Purpose, profile: Profile): EkuFailure | null {
  const want = purposeName(purpose);
  const ext = ekuExt(leaf);
  const list = leaf.extendedKeyUsage;
  const who = leaf.subject || "(empty subject)";
  if (!ext || !list) {
    if (rulesOf(profile).eku.leafRequired && want)
      return {
        code: "chain.eku-mismatch",
        message: `${who} has no extendedKeyUsage; the Web PKI profile requires ${want} (CA/B BR 7.1.2.7.10)`,
      };
    return null;
  }
  if (rulesOf(profile).eku.leafNotCritical && ext.critical)
    return {
      code: "chain.eku-mismatch",
      message: `${who}: extendedKeyUsage must not be critical in the Web PKI profile (CA/B BR 7.1.2.7.10)`,
    };
  // Go (parser.go) treats an empty EKU sequence as no restriction; RFC 5280 makes it SIZE (1..MAX), so it is malformed.
  if (list.length === 0)
    return !rulesOf(profile).eku.emptyIsMalformed
      ? null
      : { code: "chain.eku-mismatch", message: `${who} has an empty extendedKeyUsage (RFC 5280 4.2.1.12: SIZE (1..MAX))` };
  if (rulesOf(profile).eku.leafAnyForbidden && list.includes("any"))
    return {
      code: "chain.eku-mismatch",
      message: `${who}: anyExtendedKeyUsage must not appear in a Web PKI end-entity certificate (CA/B BR 7.1.2.7.10)`,
    };
  if (!want) return null;
  if (list.includes(want) || list.includes("any")) return null;
  return { code: "chain.eku-mismatch", message: `${who} is for ${list.join(", ")}, not ${want}` };
}

/** A CA's EKU, if present, must allow the purpose (Go: nested EKU; CA/B BR 7.1.2.10.6 for the Web PKI). */
export function checkCaEku(ca: Cert, purpose: Purpose, profile: Profile, isAnchor: boolean): EkuFailure | null {
  const want = purposeName(purpose);
  const list = ca.extendedKeyUsage;
  const who = ca.subject || "(empty subject)";
  if (!list) return null;
  if (isAnchor && rulesOf(profile).eku.anchorForbidden)
    return {
      code: "chain.eku-mismatch",
      message: `${who}: a root CA must not have extendedKeyUsage in the Web PKI profile (CA/B BR 7.1.2.1.2)`,
    };
  if (!want || list.length === 0 || list.includes(want) || list.includes("any")) return null;
  return {
    code: "chain.eku-mismatch",
    message: `${who} restricts the certificates below it to ${list.join(", ")}, not ${want} (Go: "x509: certificate specifies an incompatible key usage")`,
  };
}
