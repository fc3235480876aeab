// Name constraints (RFC 5280 4.2.1.10, 6.1.3 (b)-(c), 6.1.4 (g)): whether a CA's constraints are
// well formed, and whether a certificate below it names only what the CA may sign for.
// Supported forms: dNSName, iPAddress (v4 and v6), rfc822Name, URI, directoryName; otherName and
// the rest are compared conservatively (a constrained type we cannot evaluate rejects).
import { bytesEqual, children, readTlv } from "../encoding/der.ts";
import type { Cert } from "../x509/cert.ts";
import { parseNameDer, type GeneralName, type NameAttribute, type RdnSequence } from "../x509/names.ts";
import { OID } from "../x509/oids.ts";
import { spend } from "./budget.ts";
import { isValidDnsName, isValidMailbox, parseIpv4 } from "./hostname.ts";
import type { Budget, Profile } from "./types.ts";
import { rulesOf } from "./profiles/index.ts";

export interface NameFailure {
  code: "chain.name-constraint-violation" | "chain.name-constraints-invalid";
  message: string;
}

const EMAIL_ATTR = "1.2.840.113549.1.9.1";

function nameConstraintsExt(c: Cert) {
  return c.extensions.find((e) => e.oid === OID.nameConstraints);
}

function contiguousMask(mask: Uint8Array): boolean {
  let zero = false;
  for (const b of mask)
    for (let bit = 7; bit >= 0; bit--) {
      if (b & (1 << bit)) {
        if (zero) return false;
      } else zero = true;
    }
  return true;
}

/** Checks a CA's nameConstraints extension itself; null when absent or acceptable. */
export function checkConstraintsWellFormed(ca: Cert, profile: Profile): NameFailure | null {
  const ext = nameConstraintsExt(ca);
  if (!ext) return null;
  const bad = (m: string): NameFailure => ({ code: "chain.name-constraints-invalid", message: `${ca.subject || "(empty subject)"}: ${m}` });
  if (!ca.nameConstraints) return bad("the nameConstraints extension cannot be parsed");
  if (rulesOf(profile).nameConstraints.wellFormed === "go") {
    // parser.go parseNameConstraintsExtension: "x509: empty name constraints extension" when
    // neither list has an entry; Go validates the forms as it parses and accepts ".example.com" for DNS.
    if (ca.nameConstraints.permitted.length === 0 && ca.nameConstraints.excluded.length === 0)
      return bad("nameConstraints has neither permitted nor excluded subtrees (Go: empty name constraints extension)");
    return null;
  }
  // RFC 5280 4.2.1.10: "Conforming CAs MUST mark this extension as critical". The Web PKI profile
  // (CA/B BR 7.1.2.5.2 allows non-critical for compatibility) does not insist.
  if (!ext.critical && rulesOf(profile).nameConstraints.mustBeCritical)
    return bad("nameConstraints must be marked critical (RFC 5280 4.2.1.10)");
  // "...either the permittedSubtrees field or the excludedSubtrees MUST be present", and each
  // GeneralSubtrees is SIZE (1..MAX).
  try {
    const v = ext.value;
    const top = readTlv(v, 0);
    const fields = children(v, top);
    if (fields.length === 0) return bad("nameConstraints has neither permitted nor excluded subtrees");
    for (const f of fields) if (children(v, f).length === 0) return bad("nameConstraints has an empty subtree list");
  } catch {
    return bad("the nameConstraints extension cannot be parsed");
  }
  for (const g of [...ca.nameConstraints.permitted, ...ca.nameConstraints.excluded]) {
    switch (g.type) {
      case "dns":
        // RFC 5280: a DNS constraint is a host name; a leading "." (used for URI and e-mail) or a
        // wildcard is not valid here. Go accepts the leading-period form.
        if (g.value !== "" && !isValidDnsName(g.value, false)) return bad(`DNS name constraint "${g.value}" is not a valid host name`);
        break;
      case "ip":
        if ((g.raw.length !== 8 && g.raw.length !== 32) || !contiguousMask(g.raw.subarray(g.raw.length / 2)))
          return bad(`IP name constraint ${g.value} is not an address and a contiguous mask`);
        break;
      case "email": {
        const v = g.value;
        const ok = v.includes("@") ? isValidMailbox(v) : isValidDnsName(v.startsWith(".") ? v.slice(1) : v, false);
        if (!ok) return bad(`e-mail name constraint "${v}" is not a mailbox, host or domain`);
        break;
      }
      case "uri": {
        const v = g.value;
        if (v !== "" && !isValidDnsName(v.startsWith(".") ? v.slice(1) : v, false))
          return bad(`URI name constraint "${v}" is not a host or domain`);
        break;
      }
    }
  }
  return null;
}

// ---- matching ------------------------------------------------------------------------------

/** RFC 5280 dNSName constraint: the name itself or any subdomain. Go also accepts ".example.com" = subdomains only. */
export function dnsInSubtree(name: string, constraint: string): boolean {
  const n = name.toLowerCase();
  const c = constraint.toLowerCase();
  if (c === "") return true;
  if (c.startsWith(".")) return n.endsWith(c) && n.length > c.length;
  return n === c || n.endsWith(`.${c}`);
}

/** For a wildcard SAN "*.base": may some name it matches fall inside the subtree? (CVE-2025-61727 defence.) */
function wildcardMayHit(base: string, constraint: string): boolean {
  if (dnsInSubtree(base, constraint) || dnsInSubtree(`x.${base}`, constraint)) return true;
  const c = constraint.toLowerCase().replace(/^\./, "");
  const dot = c.indexOf(".");
  return dot > 0 && c.slice(dot + 1) === base.toLowerCase();
}

function mailboxParts(addr: string): { local: string; domain: string } | null {
  const at = addr.lastIndexOf("@");
  if (at <= 0) return null;
  return { local: addr.slice(0, at), domain: addr.slice(at + 1) };
}

function emailInSubtree(addr: string, constraint: string): boolean {
  const m = mailboxParts(addr);
  if (!m) return false;
  if (constraint.includes("@")) {
    const c = mailboxParts(constraint);
    return !!c && c.local === m.local && c.domain.toLowerCase() === m.domain.toLowerCase();
  }
  if (constraint.startsWith(".")) return m.domain.toLowerCase().endsWith(constraint.toLowerCase());
  return m.domain.toLowerCase() === constraint.toLowerCase();
}

function uriHost(uri: string): string | null {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(uri);
  if (!m) return null;
  let auth = m[1]!;
  const at = auth.lastIndexOf("@");
  if (at >= 0) auth = auth.slice(at + 1);
  if (auth.startsWith("[")) return null; // IP literal: cannot satisfy a host constraint
  const colon = auth.indexOf(":");
  if (colon >= 0) auth = auth.slice(0, colon);
  if (auth === "" || parseIpv4(auth)) return null;
  return auth;
}

function uriInSubtree(uri: string, constraint: string, profile: Profile): boolean | null {
  const host = uriHost(uri);
  if (host === null) return null;
  // RFC 5280: "host" matches that host only, ".domain" any host below it. Go uses its DNS rule
  // (matchDomainConstraint) for URI hosts, so "example.com" also matches subdomains there.
  if (rulesOf(profile).nameConstraints.uriHost === "dns") return dnsInSubtree(host, constraint);
  if (constraint.startsWith(".")) return host.toLowerCase().endsWith(constraint.toLowerCase());
  return host.toLowerCase() === constraint.toLowerCase();
}

function ipInSubtree(ip: Uint8Array, constraint: Uint8Array): boolean {
  if (ip.length * 2 !== constraint.length) return false;
  const mask = constraint.subarray(ip.length);
  for (let i = 0; i < ip.length; i++) if ((ip[i]! & mask[i]!) !== (constraint[i]! & mask[i]!)) return false;
  return true;
}

function normalise(a: NameAttribute): string {
  return a.value.trim().replace(/\s+/g, " ").toLowerCase();
}

function rdnEqual(a: NameAttribute[], b: NameAttribute[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => y.oid === x.oid && normalise(x) === normalise(y)));
}

/** RFC 5280 4.2.1.10 / 7.1: the constraint's RDNs are a prefix of the name's. */
function dnInSubtree(name: RdnSequence, constraint: RdnSequence): boolean {
  if (constraint.length > name.length) return false;
  for (let i = 0; i < constraint.length; i++) if (!rdnEqual(name[i]!, constraint[i]!)) return false;
  return true;
}

interface Named {
  type: GeneralName["type"];
  value: string;
  raw: Uint8Array;
  rdns?: RdnSequence;
  /** Where the name came from, for messages. */
  from: string;
}

/** The names a certificate asserts that constraints apply to. */
function namesOf(c: Cert, profile: Profile): Named[] {
  const out: Named[] = [];
  for (const g of c.subjectAltNames ?? []) {
    const n: Named = { ...g, from: "SAN" };
    if (g.type === "dirName") {
      try {
        n.rdns = parseNameDer(g.raw);
      } catch {
        n.rdns = [];
      }
    }
    out.push(n);
  }
  if (rulesOf(profile).nameConstraints.subjectChecked) {
    // RFC 5280 6.1.3 (b): the subject name is checked against directoryName constraints, and
    // emailAddress attributes in it against rfc822Name constraints. Go checks SANs only.
    if (c.subjectRdns.length > 0)
      out.push({ type: "dirName", value: c.subject, raw: c.frame.subject, rdns: c.subjectRdns, from: "subject" });
    for (const rdn of c.subjectRdns)
      for (const a of rdn)
        if (a.oid === EMAIL_ATTR)
          out.push({ type: "email", value: a.value, raw: new TextEncoder().encode(a.value), from: "subject emailAddress" });
  }
  return out;
}

/** Does `n` fall inside subtree `g`? null = the pair cannot be evaluated (treated as a violation). */
function inSubtree(n: Named, g: GeneralName, excluded: boolean, profile: Profile): boolean | null {
  switch (n.type) {
    case "dns": {
      if (n.value.startsWith("*.")) {
        const base = n.value.slice(2);
        return excluded ? wildcardMayHit(base, g.value) : dnsInSubtree(base, g.value);
      }
      return dnsInSubtree(n.value, g.value);
    }
    case "ip":
      return ipInSubtree(n.raw, g.raw);
    case "email":
      return emailInSubtree(n.value, g.value);
    case "uri":
      return uriInSubtree(n.value, g.value, profile);
    case "dirName": {
      let c: RdnSequence;
      try {
        c = parseNameDer(g.raw);
      } catch {
        return null;
      }
      return dnInSubtree(n.rdns ?? [], c);
    }
    default:
      // otherName, registeredID, x400, ediParty: equal encodings match; anything else is unknown.
      return bytesEqual(n.raw, g.raw) ? true : n.type === "otherName" && otherNameType(n.raw) !== otherNameType(g.raw) ? false : null;
  }
}

function otherNameType(raw: Uint8Array): string {
  // content of [0] otherName: OID then [0] value; compare the OID bytes.
  try {
    const t = readTlv(raw, 0);
    return Array.from(raw.subarray(t.start, t.end)).join(",");
  } catch {
    return "";
  }
}

/** Go verify.go domainToReverseLabels: no empty labels, no trailing dot, bytes 33..126. */
function goDomainOk(d: string): boolean {
  if (d.length === 0) return false;
  return d.split(".").every((l) => l.length > 0 && /^[\x21-\x7e]+$/.test(l));
}

function syntaxOk(n: Named, profile: Profile): boolean {
  if (rulesOf(profile).nameConstraints.nameSyntax === "go") {
    if (n.type === "dns") return goDomainOk(n.value);
    if (n.type === "email") {
      const m = mailboxParts(n.value);
      return !!m && goDomainOk(m.domain);
    }
    if (n.type === "ip") return n.raw.length === 4 || n.raw.length === 16;
    return true;
  }
  switch (n.type) {
    case "dns":
      return isValidDnsName(n.value, true);
    case "ip":
      return n.raw.length === 4 || n.raw.length === 16;
    case "email":
      return isValidMailbox(n.value);
    default:
      return true;
  }
}

/**
 * Checks `subject`'s names against `ca`'s constraints. Spends the name-constraint budget
 * (throws BudgetExhausted when out). Returns null when every name is allowed.
 */
export function checkNamesAgainst(ca: Cert, subject: Cert, profile: Profile, budget: Budget): NameFailure | null {
  const nc = ca.nameConstraints;
  if (!nc || (nc.permitted.length === 0 && nc.excluded.length === 0)) return null;
  const who = subject.subject || "(empty subject)";
  for (const n of namesOf(subject, profile)) {
    const permitted = nc.permitted.filter((g) => g.type === n.type);
    const excluded = nc.excluded.filter((g) => g.type === n.type);
    if (permitted.length === 0 && excluded.length === 0) continue;
    if (!syntaxOk(n, profile))
      return {
        code: "chain.name-constraint-violation",
        message: `${who}: ${n.from} ${n.type} "${n.value}" is malformed and cannot be checked against ${ca.subject}'s name constraints`,
      };
    for (const g of excluded) {
      spend(budget, "nameConstraintChecks");
      const r = inSubtree(n, g, true, profile);
      if (r !== false)
        return {
          code: "chain.name-constraint-violation",
          message: `${who}: ${n.from} ${n.type} "${n.value}" is in a subtree excluded by ${ca.subject} (${g.value})`,
        };
    }
    if (permitted.length > 0) {
      let ok = false;
      for (const g of permitted) {
        spend(budget, "nameConstraintChecks");
        if (inSubtree(n, g, false, profile) === true) {
          ok = true;
          break;
        }
      }
      if (!ok)
        return {
          code: "chain.name-constraint-violation",
          message: `${who}: ${n.from} ${n.type} "${n.value}" is not in any subtree permitted by ${ca.subject}`,
        };
    }
  }
  return null;
}
