// Per-certificate rules, by position in the path (leaf, intermediate CA, trust anchor). Each
// check is named; which ones run, in which order, is the profile's table (profiles/*.ts). Each
// entry point returns the first failure or null.
import { children, readTlv } from "../encoding/der.ts";
import type { Anomaly, Cert } from "../x509/cert.ts";
import { ANOMALY_TEXT } from "../x509/anomaly-text.ts";
import { goParseRefusal } from "../keys/go-keypair.ts";
import { goSignatureRefusal } from "../x509/go-signature.ts";
import { formatIp, parseGeneralName } from "../x509/names.ts";
import { OID } from "../x509/oids.ts";
import type { ChainCode } from "../findings/chain.ts";
import { isValidDnsName, isValidMailbox } from "./hostname.ts";
import { checkConstraintsWellFormed } from "./names.ts";
import { rulesOf } from "./profiles/index.ts";
import type { CaCheck, CertificateCheck, LeafCheck } from "./profiles/rules.ts";
import type { Failure, Profile } from "./types.ts";

const who = (c: Cert) => c.subject || "(empty subject)";
const fail = (code: ChainCode, c: Cert, message: string): Failure => ({ code, message: `${who(c)}: ${message}`, certificate: c.id });

/**
 * Serial-number rules are not applied to trust anchors: RFC 5280 6.1.1 (d) takes the anchor's
 * name and key as given, and real roots break them (Starfield Root G2 has serial 0).
 */
const SERIAL_ANOMALIES: Anomaly[] = ["zero-serial", "serial-too-long", "negative-serial"];

const ext = (c: Cert, oid: string) => c.extensions.find((e) => e.oid === oid);

/** Go's parser reports a critical nameConstraints with forms it does not implement as unhandled. */
function goUnhandledNameConstraints(c: Cert): boolean {
  const e = ext(c, OID.nameConstraints);
  if (!e?.critical || !c.nameConstraints) return false;
  return [...c.nameConstraints.permitted, ...c.nameConstraints.excluded].some(
    (g) => g.type !== "dns" && g.type !== "ip" && g.type !== "email" && g.type !== "uri",
  );
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

/** The checks a profile may list for every certificate (profiles/rules.ts CertificateCheck). */
const CERTIFICATE_CHECKS: Record<CertificateCheck, (c: Cert) => Failure | null> = {
  // parser.go processExtensions: "x509: authority/subject key identifier incorrectly marked critical".
  "go-aki-not-critical": (c) =>
    ext(c, OID.authorityKeyIdentifier)?.critical
      ? fail("chain.malformed-certificate", c, "authorityKeyIdentifier is marked critical (Go refuses to parse it)")
      : null,
  "go-ski-not-critical": (c) =>
    ext(c, OID.subjectKeyIdentifier)?.critical
      ? fail("chain.malformed-certificate", c, "subjectKeyIdentifier is marked critical (Go refuses to parse it)")
      : null,
  // parser.go parsePublicKey: only P-224, P-256, P-384 and P-521 curves parse.
  "go-ec-curve": (c) => {
    const k = c.publicKey;
    if (k.algorithm === "EC" && !GO_CURVES.includes(k.curve ?? ""))
      return fail(
        "chain.malformed-certificate",
        c,
        `EC key on curve ${k.curve ?? "?"}, which Go cannot parse ("x509: unsupported elliptic curve")`,
      );
    return null;
  },
  // parser.go parsePublicKey: RSA parameters other than NULL, EC parameters that are not a named
  // curve, points elliptic.Unmarshal does not read (compressed, off the curve), Ed25519 parameters:
  // x509.ParseCertificate fails, so Go never sees the certificate (keys/go-keypair.ts).
  "go-public-key": (c) => {
    const refused = goParseRefusal(c);
    return refused ? fail("chain.malformed-certificate", c, `Go cannot parse it: ${refused}`) : null;
  },
  "aia-well-formed": (c) =>
    aiaWellFormed(c) ? null : fail("chain.malformed-certificate", c, "the authorityInfoAccess extension is malformed (RFC 5280 4.2.2.1)"),
  "aki-not-critical": (c) =>
    ext(c, OID.authorityKeyIdentifier)?.critical
      ? fail("chain.extension-nonconformant", c, "authorityKeyIdentifier must not be critical (RFC 5280 4.2.1.1)")
      : null,
  "ski-not-critical": (c) =>
    ext(c, OID.subjectKeyIdentifier)?.critical
      ? fail("chain.extension-nonconformant", c, "subjectKeyIdentifier must not be critical (RFC 5280 4.2.1.2)")
      : null,
  "policy-constraints-critical": (c) => {
    const pc = ext(c, OID.policyConstraints);
    return pc && !pc.critical ? fail("chain.extension-nonconformant", c, "policyConstraints must be critical (RFC 5280 4.2.1.11)") : null;
  },
  "issuer-not-empty": (c) =>
    c.frame.issuer.length <= 2 ? fail("chain.extension-nonconformant", c, "the issuer name is empty (RFC 5280 4.1.2.4)") : null,
  "v3-only": (c) =>
    c.version !== 3
      ? fail("chain.malformed-certificate", c, `version ${c.version} certificate; the Web PKI requires v3 (CA/B BR 7.1.1)`)
      : null,
  "cabf-key": (c) => cabfKey(c),
};

const GO_CURVES = ["P-224", "P-256", "P-384", "P-521"];

/** Rules for every certificate on the path, whatever its position. */
export function checkCommon(c: Cert, profile: Profile, anchor = false): Failure | null {
  const rules = rulesOf(profile);
  // parser.go: x509.ParseCertificate fails, so Go never sees the certificate; each error is also a DER or RFC 5280 violation.
  const goError = c.goParseErrors[0];
  if (goError) return fail("chain.malformed-certificate", c, `Go cannot parse it: ${goError}`);
  for (const a of c.anomalies)
    if (rules.fatalAnomalies.includes(a) && !(anchor && SERIAL_ANOMALIES.includes(a)))
      return fail("chain.malformed-certificate", c, ANOMALY_TEXT[a].text);
  const unhandled = [...c.unhandledCritical];
  if (rules.nameConstraintFormsUnhandled && goUnhandledNameConstraints(c))
    unhandled.push(`${OID.nameConstraints} (directoryName/otherName forms)`);
  if (unhandled.length)
    return fail("chain.unhandled-critical-extension", c, `unhandled critical extension ${unhandled.join(", ")} (RFC 5280 4.2)`);
  for (const check of rules.certificateChecks) {
    const f = CERTIFICATE_CHECKS[check](c);
    if (f) return f;
  }
  return null;
}

/** RFC 5280 4.1.2.5 / 6.1.3 (a)(2): notBefore <= t <= notAfter, both inclusive, at one-second granularity. */
export function checkValidity(c: Cert, atMs: number): Failure | null {
  if (atMs < c.notBefore.getTime())
    return fail("chain.cert-not-yet-valid", c, `not valid before ${c.notBefore.toISOString().replace(".000Z", "Z")}`);
  if (atMs > c.notAfter.getTime()) return fail("chain.cert-expired", c, `expired at ${c.notAfter.toISOString().replace(".000Z", "Z")}`);
  return null;
}

/** CA/B BR 6.1.5 and 7.1.3.1 key rules for the Web PKI profile. */
function cabfKey(c: Cert): Failure | null {
  const k = c.publicKey;
  if (k.algorithm === "RSA" || k.algorithm === "RSA-PSS") {
    if (!k.bits || k.bits < 2048) return fail("chain.weak-key", c, `RSA key of ${k.bits ?? "?"} bits; at least 2048 are required`);
    if (k.bits % 8 !== 0) return fail("chain.weak-key", c, `RSA modulus of ${k.bits} bits is not a multiple of 8`);
    return null;
  }
  if (k.algorithm === "EC") {
    if (k.curve !== "P-256" && k.curve !== "P-384" && k.curve !== "P-521")
      return fail("chain.weak-key", c, `EC key on curve ${k.curve ?? "?"}; only named P-256, P-384 and P-521 are allowed`);
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
  if (h === "SHA-1" || h === "MD5" || h === "MD2")
    return fail("chain.insecure-signature-algorithm", child, `signed with ${child.signatureAlgorithm.name}, an insecure algorithm`);
  return null;
}

const pssText = (c: Cert) => {
  const p = c.signatureAlgorithm.pss;
  return p ? ` (${p.hash}, MGF1 with ${p.mgfHash}, salt ${p.saltLength} bytes)` : "";
};

/**
 * Under a profile whose signatureAlgorithms is "go": what Go's checkSignature refuses before any
 * arithmetic for `child` signed by `issuer` (x509/go-signature.ts), as a failure; null when Go goes
 * on to verify. A key-type mismatch is left to the verifier, which refuses it as invalid.
 */
export function goUnimplementedSignature(child: Cert, issuer: Cert): Failure | null {
  const refused = goSignatureRefusal(child.signatureAlgorithm, issuer.spkiAlgorithm.oid);
  if (refused?.valid !== null) return null;
  return fail(
    "chain.algorithm-unimplemented",
    child,
    `signed with ${child.signatureAlgorithm.name}${pssText(child)} by the ${issuer.publicKey.algorithm} key of ${issuer.subject || "(empty subject)"}; Go: "${refused.why}"`,
  );
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

/** The checks a profile may list for the end-entity certificate (profiles/rules.ts LeafCheck). */
const LEAF_CHECKS: Record<LeafCheck, (leaf: Cert) => Failure | null> = {
  "no-name-constraints": (leaf) =>
    ext(leaf, OID.nameConstraints)
      ? fail("chain.name-constraints-invalid", leaf, "nameConstraints must only appear in CA certificates (RFC 5280 4.2.1.10)")
      : null,
  "keycertsign-needs-ca": (leaf) =>
    leaf.keyUsage?.includes("keyCertSign") && leaf.basicConstraints?.ca !== true
      ? fail("chain.extension-nonconformant", leaf, "keyUsage keyCertSign without basicConstraints cA (RFC 5280 4.2.1.3)")
      : null,
  "not-ca": (leaf) =>
    leaf.basicConstraints?.ca === true ? fail("chain.leaf-is-ca", leaf, "the end-entity certificate has basicConstraints cA=TRUE") : null,
  // v1/v2 certificates cannot carry extensions; the AKI rule is for v3 (RFC 5280 4.2: "in v3 certificates").
  "aki-present": (leaf) =>
    !leaf.selfIssued && leaf.version === 3 && !leaf.authorityKeyId?.keyId
      ? fail("chain.extension-nonconformant", leaf, "authorityKeyIdentifier with keyIdentifier is missing (RFC 5280 4.2.1.1)")
      : null,
  "empty-subject-critical-san": (leaf) => {
    const san = ext(leaf, OID.subjectAltName);
    if (leaf.subjectRdns.length === 0 && !san?.critical)
      return fail("chain.invalid-san", leaf, "the subject is empty, so subjectAltName must be present and critical (RFC 5280 4.2.1.6)");
    return null;
  },
  "san-present": (leaf) =>
    ext(leaf, OID.subjectAltName)
      ? null
      : fail("chain.invalid-san", leaf, "no subjectAltName; the Web PKI requires one (CA/B BR 7.1.2.7.12)"),
  "san-not-critical-with-subject": (leaf) =>
    ext(leaf, OID.subjectAltName)?.critical && leaf.subjectRdns.length > 0
      ? fail("chain.invalid-san", leaf, "subjectAltName must not be critical when the subject is not empty (CA/B BR 7.1.2.7.12)")
      : null,
  "cn-in-san": (leaf) => {
    const cn = cnProblem(leaf);
    return cn ? fail("chain.cn-not-in-san", leaf, cn) : null;
  },
  "san-well-formed": (leaf) => {
    const bad = sanProblem(leaf, true);
    return bad ? fail("chain.invalid-san", leaf, bad) : null;
  },
};

/** Rules for the end-entity certificate. */
export function checkLeaf(leaf: Cert, profile: Profile): Failure | null {
  const common = checkCommon(leaf, profile);
  if (common) return common;
  for (const check of rulesOf(profile).leafChecks) {
    const f = LEAF_CHECKS[check](leaf);
    if (f) return f;
  }
  return null;
}

/** Ends the CA checks with a pass (profiles/rules.ts "v1-anchor-accepted"). */
const ACCEPT = "accept";

/** The checks a profile may list for an issuer (profiles/rules.ts CaCheck); `anchor` is true for the trust anchor. */
const CA_CHECKS: Record<CaCheck, (c: Cert, profile: Profile, anchor: boolean) => Failure | null | typeof ACCEPT> = {
  // verify.go isValid: `if certType == intermediateCertificate && (!c.BasicConstraintsValid || !c.IsCA)`.
  "go-intermediate-is-ca": (c, _p, anchor) =>
    !anchor && !c.basicConstraints?.ca ? fail("chain.issuer-not-ca", c, "is not a CA (basicConstraints cA is not set)") : null,
  // x509.go CheckSignatureFrom, applied to every parent, roots included: a v3 parent needs
  // basicConstraints, a present basicConstraints needs cA, and a keyUsage with any bit set needs
  // keyCertSign ("x509: invalid signature: parent certificate cannot sign this kind of certificate").
  // Unlike RFC 5280, a v1/v2 root without basicConstraints and a keyUsage with no bits are accepted.
  "go-parent-can-sign": (c) => {
    const bc = c.basicConstraints;
    if ((c.version === 3 && !bc) || (bc && !bc.ca))
      return fail(
        "chain.issuer-not-ca",
        c,
        "cannot sign certificates: basicConstraints is missing or cA is FALSE (Go: parent certificate cannot sign this kind of certificate)",
      );
    return null;
  },
  "go-parent-keycertsign": (c) =>
    c.keyUsage && c.keyUsage.length > 0 && !c.keyUsage.includes("keyCertSign")
      ? fail(
          "chain.missing-keycertsign",
          c,
          "keyUsage does not include keyCertSign (Go: parent certificate cannot sign this kind of certificate)",
        )
      : null,
  // A v1/v2 trust anchor cannot say it is a CA; being a trust anchor is the "out-of-band"
  // verification RFC 5280 6.1.4 (k) allows (OpenSSL and Go accept v1 roots too).
  "v1-anchor-accepted": (c, _p, anchor) => (anchor && c.version < 3 ? ACCEPT : null),
  "has-basic-constraints": (c) =>
    c.basicConstraints
      ? null
      : fail("chain.issuer-not-ca", c, "has no basicConstraints extension, so it cannot issue certificates (RFC 5280 6.1.4 (k))"),
  "is-ca": (c) =>
    c.basicConstraints && !c.basicConstraints.ca
      ? fail("chain.issuer-not-ca", c, "basicConstraints cA is FALSE, so it cannot issue certificates (RFC 5280 6.1.4 (k))")
      : null,
  "basic-constraints-critical": (c) => {
    const bc = ext(c, OID.basicConstraints);
    return bc && !bc.critical
      ? fail("chain.extension-nonconformant", c, "basicConstraints must be critical in a CA certificate (RFC 5280 4.2.1.9)")
      : null;
  },
  keycertsign: (c) =>
    c.keyUsage && !c.keyUsage.includes("keyCertSign")
      ? fail("chain.missing-keycertsign", c, "keyUsage does not include keyCertSign (RFC 5280 6.1.4 (n))")
      : null,
  "subject-not-empty": (c) =>
    c.subjectRdns.length === 0 ? fail("chain.extension-nonconformant", c, "a CA must have a non-empty subject (RFC 5280 4.1.2.6)") : null,
  "has-ski": (c) =>
    c.subjectKeyId ? null : fail("chain.extension-nonconformant", c, "a CA must have a subjectKeyIdentifier (RFC 5280 4.2.1.2)"),
  // Also for a non-self-issued anchor (a cross-signed CA used as trust anchor: x509-limbo rfc5280::aki::cross-signed-root-missing-aki).
  "has-aki": (c) =>
    !c.selfIssued && !c.authorityKeyId?.keyId
      ? fail("chain.extension-nonconformant", c, "authorityKeyIdentifier with keyIdentifier is missing (RFC 5280 4.2.1.1)")
      : null,
  // CA/B BR 7.1.2.1.3: a root's AKI, if present, holds only keyIdentifier, equal to its SKI.
  "root-aki-is-ski": (c, _p, anchor) => {
    const a = c.authorityKeyId;
    if (!anchor || !a) return null;
    if (!a.keyId || a.issuer || a.serial)
      return fail("chain.extension-nonconformant", c, "a root's authorityKeyIdentifier may only hold keyIdentifier (CA/B BR 7.1.2.1.3)");
    if (a.keyId !== c.subjectKeyId)
      return fail(
        "chain.extension-nonconformant",
        c,
        "a root's authorityKeyIdentifier must equal its subjectKeyIdentifier (CA/B BR 7.1.2.1.3)",
      );
    return null;
  },
  "name-constraints-well-formed": (c, profile) => {
    const nc = checkConstraintsWellFormed(c, profile);
    return nc ? { ...nc, certificate: c.id } : null;
  },
};

/**
 * Rules for a certificate used as an issuer. `anchor` is true for the trust anchor. Path length,
 * depth and name constraints are checked by the path builder.
 */
export function checkCa(c: Cert, profile: Profile, anchor: boolean): Failure | null {
  const common = checkCommon(c, profile, anchor);
  if (common) return common;
  for (const check of rulesOf(profile).caChecks) {
    const f = CA_CHECKS[check](c, profile, anchor);
    if (f === ACCEPT) return null;
    if (f) return f;
  }
  return null;
}
