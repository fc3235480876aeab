// Per-certificate rules, by position in the path (leaf, intermediate CA, trust anchor) and by
// profile. Each returns the first failure or null. The "go" profile keeps only what Go's
// crypto/x509 enforces (parser.go at parse time, verify.go isValid at verification time).
import { children, readTlv } from "../encoding/der.ts";
import type { Anomaly, Cert } from "../x509/cert.ts";
import { formatIp, parseGeneralName } from "../x509/names.ts";
import { OID } from "../x509/oids.ts";
import type { ChainCode } from "../findings/chain.ts";
import { isValidDnsName, isValidMailbox } from "./hostname.ts";
import { checkConstraintsWellFormed } from "./names.ts";
import type { Failure, Profile } from "./types.ts";

const who = (c: Cert) => c.subject || "(empty subject)";
const fail = (code: ChainCode, c: Cert, message: string): Failure => ({ code, message: `${who(c)}: ${message}`, certificate: c.id });

/** Anomalies that make a certificate unusable, per profile. */
const FATAL_ANOMALIES: Record<Profile, Anomaly[]> = {
  // RFC 5280 4.1.2.2 (serial positive, at most 20 octets), 4.2 (no duplicate extensions),
  // 4.1.1.2 (signature fields identical), 4.1.2.5 (time encodings), 4.1.2.1 (extensions need v3).
  // X.690 10.1 / RFC 5280 4.2: nothing may follow an extension's value; X.501: an RDN is never empty.
  rfc5280: ["duplicate-extension", "tbs-signature-mismatch", "bad-validity-encoding", "negative-serial", "zero-serial", "serial-too-long", "v1-with-extensions", "bad-extension-value", "extension-trailing-data", "empty-rdn"],
  webpki: ["duplicate-extension", "tbs-signature-mismatch", "bad-validity-encoding", "negative-serial", "zero-serial", "serial-too-long", "v1-with-extensions", "bad-extension-value", "extension-trailing-data", "empty-rdn"],
  // Go parser.go rejects duplicate extensions, mismatched inner/outer signature algorithms,
  // negative serials (since Go 1.23, GODEBUG x509negativeserial) and extensions it cannot
  // decode; it accepts zero and over-long serials and GeneralizedTime before 2050 (RFC 5280 does not).
  go: ["duplicate-extension", "tbs-signature-mismatch", "negative-serial", "v1-with-extensions", "bad-extension-value"],
};

/**
 * Serial-number rules are not applied to trust anchors: RFC 5280 6.1.1 (d) takes the anchor's
 * name and key as given, and real roots break them (Starfield Root G2 has serial 0).
 */
const SERIAL_ANOMALIES: Anomaly[] = ["zero-serial", "serial-too-long", "negative-serial"];

const ANOMALY_TEXT: Record<Anomaly, string> = {
  "duplicate-extension": "an extension appears twice (RFC 5280 4.2)",
  "tbs-signature-mismatch": "the signature algorithm inside the certificate differs from the outer one (RFC 5280 4.1.1.2)",
  "bad-validity-encoding": "a validity time is not encoded as RFC 5280 4.1.2.5 requires",
  "negative-serial": "the serial number is negative (RFC 5280 4.1.2.2)",
  "zero-serial": "the serial number is zero (RFC 5280 4.1.2.2: positive integer)",
  "serial-too-long": "the serial number is longer than 20 octets (RFC 5280 4.1.2.2)",
  "v1-with-extensions": "a version 1/2 certificate carries extensions (RFC 5280 4.1.2.9)",
  "empty-subject-no-san": "the subject is empty and there is no subjectAltName (RFC 5280 4.1.2.6)",
  "bad-extension-value": "an extension value cannot be decoded",
  "extension-trailing-data": "bytes follow an extension's value (not DER)",
  "empty-rdn": "a name holds an empty RDN (X.501: an RDN has at least one attribute)",
  "unique-ids": "issuer/subject unique identifiers are present",
};

const ext = (c: Cert, oid: string) => c.extensions.find((e) => e.oid === oid);

/** Go's parser reports a critical nameConstraints with forms it does not implement as unhandled. */
function goUnhandledNameConstraints(c: Cert): boolean {
  const e = ext(c, OID.nameConstraints);
  if (!e?.critical || !c.nameConstraints) return false;
  return [...c.nameConstraints.permitted, ...c.nameConstraints.excluded].some((g) => g.type !== "dns" && g.type !== "ip" && g.type !== "email" && g.type !== "uri");
}

function aiaWellFormed(c: Cert): boolean {
  const e = ext(c, OID.authorityInfoAccess);
  if (!e) return true;
  try {
    const v = e.value;
    const top = readTlv(v, 0);
    if (top.tag !== 0x30) return false;
    const items = children(v, top);
    if (items.length === 0) return false;
    for (const ad of items) {
      const [m, loc, extra] = children(v, ad);
      if (ad.tag !== 0x30 || !m || m.tag !== 0x06 || !loc || extra) return false;
      parseGeneralName(v, loc);
    }
    return true;
  } catch {
    return false;
  }
}

/** Rules for every certificate on the path, whatever its position. */
export function checkCommon(c: Cert, profile: Profile, anchor = false): Failure | null {
  // parser.go: x509.ParseCertificate fails, so Go never sees the certificate; each error is also a DER or RFC 5280 violation.
  const goError = c.goParseErrors[0];
  if (goError) return fail("chain.malformed-certificate", c, `Go cannot parse it: ${goError}`);
  for (const a of c.anomalies) if (FATAL_ANOMALIES[profile].includes(a) && !(anchor && SERIAL_ANOMALIES.includes(a))) return fail("chain.malformed-certificate", c, ANOMALY_TEXT[a]);
  const unhandled = [...c.unhandledCritical];
  if (profile === "go" && goUnhandledNameConstraints(c)) unhandled.push(`${OID.nameConstraints} (directoryName/otherName forms)`);
  if (unhandled.length) return fail("chain.unhandled-critical-extension", c, `unhandled critical extension ${unhandled.join(", ")} (RFC 5280 4.2)`);
  if (profile === "go") {
    // parser.go processExtensions: "x509: authority/subject key identifier incorrectly marked critical".
    if (ext(c, OID.authorityKeyIdentifier)?.critical) return fail("chain.malformed-certificate", c, "authorityKeyIdentifier is marked critical (Go refuses to parse it)");
    if (ext(c, OID.subjectKeyIdentifier)?.critical) return fail("chain.malformed-certificate", c, "subjectKeyIdentifier is marked critical (Go refuses to parse it)");
    // parser.go parsePublicKey: only P-224, P-256, P-384 and P-521 curves parse.
    const k = c.publicKey;
    if (k.algorithm === "EC" && !["P-224", "P-256", "P-384", "P-521"].includes(k.curve ?? "")) return fail("chain.malformed-certificate", c, `EC key on curve ${k.curve ?? "?"}, which Go cannot parse ("x509: unsupported elliptic curve")`);
    return null;
  }
  if (!aiaWellFormed(c)) return fail("chain.malformed-certificate", c, "the authorityInfoAccess extension is malformed (RFC 5280 4.2.2.1)");
  const aki = ext(c, OID.authorityKeyIdentifier);
  if (aki?.critical) return fail("chain.extension-nonconformant", c, "authorityKeyIdentifier must not be critical (RFC 5280 4.2.1.1)");
  const ski = ext(c, OID.subjectKeyIdentifier);
  if (ski?.critical) return fail("chain.extension-nonconformant", c, "subjectKeyIdentifier must not be critical (RFC 5280 4.2.1.2)");
  const pc = ext(c, OID.policyConstraints);
  if (pc && !pc.critical) return fail("chain.extension-nonconformant", c, "policyConstraints must be critical (RFC 5280 4.2.1.11)");
  if (c.frame.issuer.length <= 2) return fail("chain.extension-nonconformant", c, "the issuer name is empty (RFC 5280 4.1.2.4)");
  if (profile === "webpki" && c.version !== 3) return fail("chain.malformed-certificate", c, `version ${c.version} certificate; the Web PKI requires v3 (CA/B BR 7.1.1)`);
  return null;
}

/** RFC 5280 4.1.2.5 / 6.1.3 (a)(2): notBefore <= t <= notAfter, both inclusive, at one-second granularity. */
export function checkValidity(c: Cert, atMs: number): Failure | null {
  if (atMs < c.notBefore.getTime()) return fail("chain.cert-not-yet-valid", c, `not valid before ${c.notBefore.toISOString().replace(".000Z", "Z")}`);
  if (atMs > c.notAfter.getTime()) return fail("chain.cert-expired", c, `expired at ${c.notAfter.toISOString().replace(".000Z", "Z")}`);
  return null;
}

/** CA/B BR 6.1.5 and 7.1.3.1 key rules for the Web PKI profile. */
export function checkKey(c: Cert, profile: Profile): Failure | null {
  if (profile !== "webpki") return null;
  const k = c.publicKey;
  if (k.algorithm === "RSA" || k.algorithm === "RSA-PSS") {
    if (!k.bits || k.bits < 2048) return fail("chain.weak-key", c, `RSA key of ${k.bits ?? "?"} bits; at least 2048 are required`);
    if (k.bits % 8 !== 0) return fail("chain.weak-key", c, `RSA modulus of ${k.bits} bits is not a multiple of 8`);
    return null;
  }
  if (k.algorithm === "EC") {
    if (k.curve !== "P-256" && k.curve !== "P-384" && k.curve !== "P-521") return fail("chain.weak-key", c, `EC key on curve ${k.curve ?? "?"}; only named P-256, P-384 and P-521 are allowed`);
    return null;
  }
  if (k.algorithm === "Ed25519") return null;
  return fail("chain.weak-key", c, `${k.algorithm} keys are not allowed`);
}

/**
 * Signatures over SHA-1 or MD5 are refused in every profile: Go since 1.18 (verify.go /
 * x509.go checkSignature: "insecure algorithm"), CA/B BR 7.1.3.2, RFC 9155. A trust anchor's
 * own signature is never checked, so SHA-1 self-signed roots still work, as in Go.
 */
export function insecureSignature(child: Cert): Failure | null {
  const h = child.signatureAlgorithm.hash;
  if (h === "SHA-1" || h === "MD5" || h === "MD2") return fail("chain.insecure-signature-algorithm", child, `signed with ${child.signatureAlgorithm.name}, an insecure algorithm`);
  return null;
}

/** CA/B BR 7.1.4.3: each CN must repeat a SAN value byte for byte (IPs in canonical text form). */
function cnProblem(leaf: Cert): string | null {
  const sans = leaf.subjectAltNames ?? [];
  for (const rdn of leaf.subjectRdns)
    for (const a of rdn) {
      if (a.oid !== OID.commonName) continue;
      const ok = sans.some((g) => (g.type === "dns" && g.value === a.value) || (g.type === "ip" && formatIp(g.raw) === a.value));
      if (!ok) return `the Common Name "${a.value}" is not one of the subject alternative names`;
    }
  return null;
}

function sanProblem(c: Cert, allowWildcard: boolean): string | null {
  for (const g of c.subjectAltNames ?? []) {
    if (g.type === "dns" && !isValidDnsName(g.value, allowWildcard)) return `dNSName "${g.value}" is not a valid host name`;
    if (g.type === "ip" && g.raw.length !== 4 && g.raw.length !== 16) return `iPAddress of ${g.raw.length} octets`;
    if (g.type === "email" && !isValidMailbox(g.value)) return `rfc822Name "${g.value}" is not a mailbox`;
  }
  return null;
}

/** Rules for the end-entity certificate. */
export function checkLeaf(leaf: Cert, profile: Profile): Failure | null {
  const common = checkCommon(leaf, profile);
  if (common) return common;
  const key = checkKey(leaf, profile);
  if (key) return key;
  if (profile === "go") return null;
  if (ext(leaf, OID.nameConstraints)) return fail("chain.name-constraints-invalid", leaf, "nameConstraints must only appear in CA certificates (RFC 5280 4.2.1.10)");
  const ca = leaf.basicConstraints?.ca === true;
  if (leaf.keyUsage?.includes("keyCertSign") && !ca) return fail("chain.extension-nonconformant", leaf, "keyUsage keyCertSign without basicConstraints cA (RFC 5280 4.2.1.3)");
  if (profile === "webpki" && ca) return fail("chain.leaf-is-ca", leaf, "the end-entity certificate has basicConstraints cA=TRUE");
  // v1/v2 certificates cannot carry extensions; the AKI rule is for v3 (RFC 5280 4.2: "in v3 certificates").
  if (!leaf.selfIssued && leaf.version === 3) {
    if (!leaf.authorityKeyId?.keyId) return fail("chain.extension-nonconformant", leaf, "authorityKeyIdentifier with keyIdentifier is missing (RFC 5280 4.2.1.1)");
  }
  const san = ext(leaf, OID.subjectAltName);
  if (leaf.subjectRdns.length === 0 && (!san || !san.critical)) return fail("chain.invalid-san", leaf, "the subject is empty, so subjectAltName must be present and critical (RFC 5280 4.2.1.6)");
  if (profile === "webpki") {
    if (!san) return fail("chain.invalid-san", leaf, "no subjectAltName; the Web PKI requires one (CA/B BR 7.1.2.7.12)");
    if (san.critical && leaf.subjectRdns.length > 0) return fail("chain.invalid-san", leaf, "subjectAltName must not be critical when the subject is not empty (CA/B BR 7.1.2.7.12)");
    const cn = cnProblem(leaf);
    if (cn) return fail("chain.cn-not-in-san", leaf, cn);
  }
  const bad = sanProblem(leaf, true);
  if (bad) return fail("chain.invalid-san", leaf, bad);
  return null;
}

/**
 * Rules for a certificate used as an issuer. `anchor` is true for the trust anchor. Path length,
 * depth and name constraints are checked by the path builder.
 */
export function checkCa(c: Cert, profile: Profile, anchor: boolean): Failure | null {
  const common = checkCommon(c, profile, anchor);
  if (common) return common;
  const key = checkKey(c, profile);
  if (key) return key;
  const bc = c.basicConstraints;
  if (profile === "go") {
    // verify.go isValid: `if certType == intermediateCertificate && (!c.BasicConstraintsValid || !c.IsCA)`.
    if (!anchor && (!bc || !bc.ca)) return fail("chain.issuer-not-ca", c, "is not a CA (basicConstraints cA is not set)");
    // x509.go CheckSignatureFrom, applied to every parent, roots included: a v3 parent needs
    // basicConstraints, a present basicConstraints needs cA, and a keyUsage with any bit set needs
    // keyCertSign ("x509: invalid signature: parent certificate cannot sign this kind of certificate").
    // Unlike RFC 5280, a v1/v2 root without basicConstraints and a keyUsage with no bits are accepted.
    if ((c.version === 3 && !bc) || (bc && !bc.ca)) return fail("chain.issuer-not-ca", c, "cannot sign certificates: basicConstraints is missing or cA is FALSE (Go: parent certificate cannot sign this kind of certificate)");
    if (c.keyUsage && c.keyUsage.length > 0 && !c.keyUsage.includes("keyCertSign")) return fail("chain.missing-keycertsign", c, "keyUsage does not include keyCertSign (Go: parent certificate cannot sign this kind of certificate)");
    const ncGo = checkConstraintsWellFormed(c, profile);
    if (ncGo) return { ...ncGo, certificate: c.id };
    return null;
  }
  // A v1/v2 trust anchor cannot say it is a CA; being a trust anchor is the "out-of-band"
  // verification RFC 5280 6.1.4 (k) allows (OpenSSL and Go accept v1 roots too).
  if (anchor && c.version < 3) return null;
  if (!bc) return fail("chain.issuer-not-ca", c, "has no basicConstraints extension, so it cannot issue certificates (RFC 5280 6.1.4 (k))");
  if (!bc.ca) return fail("chain.issuer-not-ca", c, "basicConstraints cA is FALSE, so it cannot issue certificates (RFC 5280 6.1.4 (k))");
  if (!ext(c, OID.basicConstraints)!.critical) return fail("chain.extension-nonconformant", c, "basicConstraints must be critical in a CA certificate (RFC 5280 4.2.1.9)");
  if (c.keyUsage && !c.keyUsage.includes("keyCertSign")) return fail("chain.missing-keycertsign", c, "keyUsage does not include keyCertSign (RFC 5280 6.1.4 (n))");
  if (c.subjectRdns.length === 0) return fail("chain.extension-nonconformant", c, "a CA must have a non-empty subject (RFC 5280 4.1.2.6)");
  if (!c.subjectKeyId) return fail("chain.extension-nonconformant", c, "a CA must have a subjectKeyIdentifier (RFC 5280 4.2.1.2)");
  // Also for a non-self-issued anchor (a cross-signed CA used as trust anchor: x509-limbo rfc5280::aki::cross-signed-root-missing-aki).
  if (!c.selfIssued && !c.authorityKeyId?.keyId) return fail("chain.extension-nonconformant", c, "authorityKeyIdentifier with keyIdentifier is missing (RFC 5280 4.2.1.1)");
  if (anchor && profile === "webpki" && c.authorityKeyId) {
    const a = c.authorityKeyId;
    // CA/B BR 7.1.2.1.3: a root's AKI, if present, holds only keyIdentifier, equal to its SKI.
    if (!a.keyId || a.issuer || a.serial) return fail("chain.extension-nonconformant", c, "a root's authorityKeyIdentifier may only hold keyIdentifier (CA/B BR 7.1.2.1.3)");
    if (a.keyId !== c.subjectKeyId) return fail("chain.extension-nonconformant", c, "a root's authorityKeyIdentifier must equal its subjectKeyIdentifier (CA/B BR 7.1.2.1.3)");
  }
  const nc = checkConstraintsWellFormed(c, profile);
  if (nc) return { ...nc, certificate: c.id };
  return null;
}
