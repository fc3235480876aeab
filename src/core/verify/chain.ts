// Path building and validation: depth-first from the leaf towards the trust anchors, trying every
// candidate issuer (matched by name as the profile compares names: name-match.ts; ordered by
// AKI/SKI as Go's findPotentialParents does), backtracking on failure, refusing cycles, within a budget.
// Signatures are checked before the candidate's other properties, as Go's buildChains does, so a
// candidate rejected for (say) expiry is known to be the real issuer; failures are ranked as
// rustls-webpki ranks them so a failed search reports its most specific reason.
import { toHex } from "../encoding/der.ts";
import type { ChainCode } from "../findings/chain.ts";
import type { Cert } from "../x509/cert.ts";
import { BudgetExhausted, spend } from "./budget.ts";
import { checkRevocation } from "./revocation.ts";
import { checkCaEku, checkLeafEku } from "./eku.ts";
import { leafMatchesEmail, presentedEmails } from "./email.ts";
import { goVerifyHostname } from "./go-hostname.ts";
import { describeSans, leafMatchesServerName, parseServerName } from "./hostname.ts";
import { candidateIndex } from "./candidates.ts";
import { exactNameKey, rfc5280NameKey } from "./name-match.ts";
import { checkNamesAgainst } from "./names.ts";
import { checkCa, checkLeaf, checkValidity, goUnimplementedSignature, insecureSignature } from "./policy.ts";
import type { ChainResult, Failure, Rejection, VerifyRequest } from "./types.ts";
import { rulesOf } from "./profiles/index.ts";

/** Higher = more specific. Ties go to the failure found deeper in the path. */
const RANK: Record<ChainCode, number> = {
  "chain.untrusted": 0,
  "chain.signature-invalid": 10,
  "chain.insecure-signature-algorithm": 22,
  "chain.algorithm-unimplemented": 22,
  "chain.cn-not-in-san": 27,
  "chain.depth-exceeded": 15,
  "chain.unsupported-algorithm": 18,
  "chain.cert-expired": 20,
  "chain.cert-not-yet-valid": 20,
  "chain.malformed-certificate": 25,
  "chain.unhandled-critical-extension": 25,
  "chain.extension-nonconformant": 25,
  "chain.weak-key": 25,
  "chain.issuer-not-ca": 26,
  "chain.missing-keycertsign": 26,
  "chain.invalid-san": 27,
  "chain.leaf-is-ca": 27,
  "chain.pathlen-exceeded": 40,
  "chain.eku-mismatch": 45,
  "chain.name-constraints-invalid": 50,
  "chain.name-constraint-violation": 50,
  "chain.hostname-mismatch": 60,
  "chain.email-mismatch": 60,
  "chain.crl-invalid": 55,
  "chain.revoked": 58,
  "chain.budget-exhausted": 100,
};

/** At most this many rejections are listed (the budget bounds the search; this bounds the report). */
const MAX_REJECTIONS = 500;

const strictSubjectKey = (c: Cert) => rfc5280NameKey(c.subjectRdns);
const exactSubjectKey = (c: Cert) => exactNameKey(c.frame.subject);
const strictIssuerKey = (c: Cert) => rfc5280NameKey(c.issuerRdns);
const exactIssuerKey = (c: Cert) => exactNameKey(c.frame.issuer);

interface Node {
  cert: Cert;
  anchor: boolean;
}

interface Search {
  req: VerifyRequest;
  atMs: number;
  /** Candidate issuers by subject name, keyed as the profile compares names. */
  byIssuerName: { get(key: string): Node[] | undefined };
  issuerKey: (c: Cert) => string;
  /** For byte-comparing profiles: subjects that only an RFC 5280 7.1 comparison would match. */
  looseMatch: (c: Cert) => Cert | null;
  rejected: Rejection[];
  best: { failure: Failure; depth: number; path: Cert[] } | null;
  unverifiable: { path: Cert[]; failure: Failure } | null;
  found: Cert[] | null;
}

function record(s: Search, path: Cert[], failure: Failure, candidate: Cert | null): void {
  if (s.rejected.length < MAX_REJECTIONS)
    s.rejected.push({ candidate: (candidate ?? path[path.length - 1]!).id, code: failure.code, message: failure.message });
  const depth = path.length;
  const b = s.best;
  if (!b || RANK[failure.code] > RANK[b.failure.code] || (RANK[failure.code] === RANK[b.failure.code] && depth > b.depth)) {
    s.best = { failure, depth, path: candidate ? [...path, candidate] : [...path] };
  }
}

/** Intermediates on `path` (leaf excluded) that count towards path length: RFC 5280 6.1.4 (l) skips self-issued ones; Go counts them all. */
function countIntermediates(path: Cert[], selfIssuedCount: boolean): number {
  let n = 0;
  for (let i = 1; i < path.length; i++) if (selfIssuedCount || !path[i]!.selfIssued) n++;
  return n;
}

function sameCa(a: Cert, b: Cert): boolean {
  // Go verify.go alreadyInChain compares subject and public key (and SANs); rustls-webpki compares SPKI and subject.
  return a.id === b.id || (a.publicKey.fingerprint === b.publicKey.fingerprint && toHex(a.frame.subject) === toHex(b.frame.subject));
}

function orderCandidates(child: Cert, nodes: Node[]): Node[] {
  // Anchors first, then Go's findPotentialParents order: matching key id, one side missing, mismatching.
  const aki = child.authorityKeyId?.keyId;
  const score = (n: Node) => {
    const ski = n.cert.subjectKeyId;
    const k = aki && ski ? (aki === ski ? 0 : 2) : 1;
    return (n.anchor ? 0 : 3) + k;
  };
  if (nodes.length < 2) return nodes; // nothing to order (the caller only iterates)
  return [...nodes].sort((a, b) => score(a) - score(b));
}

/** Checks `cand` (already signature-verified as issuer of the path's last cert) in its position. */
function checkCandidate(s: Search, path: Cert[], cand: Node): Failure | null {
  const { profile, purpose, budget } = s.req;
  const rules = rulesOf(profile);
  const c = cand.cert;
  const props = checkCa(c, profile, cand.anchor);
  if (props) return props;
  const validity = checkValidity(c, s.atMs);
  if (validity) return validity;
  const below = countIntermediates(path, rules.path.selfIssuedCount);
  // RFC 5280 6.1.4 (m) / Go isValid: intermediates below this CA may not exceed its pathLenConstraint.
  const pl = c.basicConstraints?.pathLen;
  if (c.basicConstraints?.ca && pl !== undefined && below > pl)
    return {
      code: "chain.pathlen-exceeded",
      message: `${c.subject}: pathLenConstraint ${pl} but ${below} intermediate CA(s) below it`,
      certificate: c.id,
    };
  // Depth: intermediates on the path (openssl -verify_depth: leaf and anchor do not count);
  // self-issued intermediates count only where the profile says so, as for pathLenConstraint.
  const intermediates = below + (!cand.anchor && (rules.path.selfIssuedCount || !c.selfIssued) ? 1 : 0);
  const max = s.req.maxDepth ?? rules.path.defaultMaxIntermediates;
  if (intermediates > max)
    return {
      code: "chain.depth-exceeded",
      message: `a path through ${c.subject} needs at least ${intermediates} intermediate certificate(s); the limit is ${max}`,
      certificate: c.id,
    };
  const eku = checkCaEku(c, purpose, profile, cand.anchor);
  if (eku) return { ...eku, certificate: c.id };
  // RFC 5280 6.1.3 (b)-(c): this CA's name constraints apply to every certificate below it,
  // except self-issued intermediates ("unless the certificate is the final certificate in the path").
  // Go (verify.go isValid, golang/go@0184fe5) instead checks the SANs of the leaf and of the
  // constraining CA itself, and no intermediate between them.
  const subjects = rules.nameConstraints.appliesTo === "leaf-and-ca" ? [path[0]!, c] : path.filter((p, i) => i === 0 || !p.selfIssued);
  for (const sub of subjects) {
    const f = checkNamesAgainst(c, sub, profile, budget);
    if (f) return { ...f, certificate: sub.id };
  }
  return null;
}

async function extend(s: Search, path: Cert[], tainted: Failure | null): Promise<void> {
  const cur = path[path.length - 1]!;
  const nodes = s.byIssuerName.get(s.issuerKey(cur)) ?? [];
  if (nodes.length === 0) {
    const loose = s.looseMatch(cur);
    const why = loose
      ? `; ${loose.subject} differs from it only in letter case, spaces or string type, which RFC 5280 7.1 name matching ignores but this profile's byte-for-byte comparison does not`
      : "";
    record(
      s,
      path,
      {
        code: "chain.untrusted",
        message: `no trusted or supplied certificate is named ${cur.issuer || "(empty issuer)"}, the issuer of ${cur.subject || "(empty subject)"}${why} (Go: "x509: certificate signed by unknown authority")`,
        certificate: cur.id,
      },
      null,
    );
    return;
  }
  for (const cand of orderCandidates(cur, nodes)) {
    if (s.found) return;
    spend(s.req.budget, "steps");
    if (path.some((p) => sameCa(p, cand.cert))) {
      record(
        s,
        path,
        { code: "chain.untrusted", message: `${cand.cert.subject} is already on the path (cycle)`, certificate: cand.cert.id },
        cand.cert,
      );
      continue;
    }
    const weak =
      insecureSignature(cur) ?? (rulesOf(s.req.profile).signatureAlgorithms === "go" ? goUnimplementedSignature(cur, cand.cert) : null);
    if (weak) {
      record(s, path, weak, cand.cert);
      continue;
    }
    spend(s.req.budget, "signatures");
    if (s.req.verifier.exhausted()) throw new BudgetExhausted("signatures"); // the request's budget
    const asked = s.req.verifier.verifyNow(cur, cand.cert);
    const sig = asked instanceof Promise ? await asked : asked;
    let taint = tainted;
    if (sig.result === "invalid") {
      record(
        s,
        path,
        {
          code: "chain.signature-invalid",
          message: `the signature on ${cur.subject || "(empty subject)"} does not verify with the key of ${cand.cert.subject}${sig.detail ? ` (${sig.detail})` : ""}`,
          certificate: cur.id,
        },
        cand.cert,
      );
      continue;
    }
    if (sig.result === "unsupported") {
      const f: Failure = {
        code: "chain.unsupported-algorithm",
        message: `the signature on ${cur.subject || "(empty subject)"} by ${cand.cert.subject} could not be checked: ${sig.detail ?? cur.signatureAlgorithm.name}`,
        certificate: cur.id,
      };
      record(s, path, f, cand.cert);
      taint = taint ?? f;
    }
    const f = checkCandidate(s, path, cand);
    if (f) {
      record(s, path, f, cand.cert);
      continue;
    }
    const next = [...path, cand.cert];
    if (cand.anchor) {
      const revocation = s.req.crls?.length ? await checkRevocation(s.req, next, s.atMs) : null; // none without CRLs
      if (revocation) {
        record(s, path, revocation, cand.cert);
        continue;
      }
      if (!taint) {
        s.found = next;
        return;
      }
      if (!s.unverifiable) s.unverifiable = { path: next, failure: taint };
      continue;
    }
    await extend(s, next, taint);
  }
}

function result(
  status: ChainResult["status"],
  path: Cert[],
  anchorReached: boolean,
  reason: Failure | null,
  rejected: Rejection[],
): ChainResult {
  return {
    valid: status === "valid",
    status,
    path,
    anchor: anchorReached ? path[path.length - 1]! : null,
    reason: reason
      ? { code: reason.code, message: reason.message, ...(reason.certificate ? { certificate: reason.certificate } : {}) }
      : null,
    rejected,
  };
}

/**
 * Validates the leaf for the request's purpose, server name and profile. Never throws for
 * certificate content; running out of budget is status "budget-exhausted".
 */
export async function verifyChain(req: VerifyRequest): Promise<ChainResult> {
  const { leaf, profile } = req;
  // Validity is compared at one-second granularity (the encoding's): floor the time
  // (x509-limbo rfc5280::validity::notafter-fractional / notbefore-fractional).
  // Go compares instants (time.Time.After), so its profile does not floor (profiles/*.ts validityGranularity).
  if (Number.isNaN(req.at.getTime())) throw new RangeError("verifyChain: `at` is not a valid date");
  const atMs = rulesOf(profile).validityGranularity === "instant" ? req.at.getTime() : Math.floor(req.at.getTime() / 1000) * 1000;
  const rejected: Rejection[] = [];

  // Leaf checks first, in Go's order: isValid(leafCertificate) (critical extensions, validity,
  // EKU), then VerifyHostname, and only then path building.
  const leafFailure =
    checkLeaf(leaf, profile) ??
    checkValidity(leaf, atMs) ??
    checkLeafEku(leaf, req.purpose, profile) ??
    (req.serverName !== undefined &&
    !(rulesOf(profile).hostnameMatch === "go"
      ? goVerifyHostname(leaf, req.serverName)
      : leafMatchesServerName(leaf, parseServerName(req.serverName), profile))
      ? {
          code: "chain.hostname-mismatch" as const,
          message: `the certificate is valid for ${describeSans(leaf)}, not ${req.serverName}`,
          certificate: leaf.id,
        }
      : null) ??
    (req.email !== undefined && !leafMatchesEmail(leaf, req.email)
      ? {
          code: "chain.email-mismatch" as const,
          message: `the certificate is valid for ${presentedEmails(leaf).join(", ") || "no e-mail address"}, not ${req.email}`,
          certificate: leaf.id,
        }
      : null);
  if (leafFailure) {
    rejected.push({ candidate: leaf.id, code: leafFailure.code, message: leafFailure.message });
    return result("invalid", [leaf], false, { certificate: leaf.id, ...leafFailure }, rejected);
  }

  // A leaf that is itself a trust anchor (Go: `if opts.Roots.contains(c)` -> chain of one).
  if (req.anchors.some((a) => a.id === leaf.id)) return result("valid", [leaf], true, null, []);

  // RFC 5280 6.1.3 (a)(4): the issuer name must match the issuing CA's subject, compared as
  // 7.1 says; Go and the Web PKI compare bytes (name-match.ts).
  const strictNames = rulesOf(profile).issuerNameMatch === "rfc5280";
  const issuerKey = strictNames ? strictIssuerKey : exactIssuerKey;
  const index = candidateIndex(req.anchors, req.intermediates, strictNames ? strictSubjectKey : exactSubjectKey);
  // The leaf is never its own issuer candidate (an index shared by a bundle's leaves holds them all).
  // The index's own list when the leaf is not in it (nothing reads these lists but to iterate).
  const notLeaf = (n: Node) => n.cert.id !== leaf.id;
  const byIssuerName: Search["byIssuerName"] = {
    get: (k) => {
      const list = index.byName.get(k);
      return list && !list.every(notLeaf) ? list.filter(notLeaf) : list;
    },
  };

  const looseMatch = (c: Cert) => {
    if (strictNames) return null;
    const k = rfc5280NameKey(c.issuerRdns);
    return index.pool.find((p) => p.id !== leaf.id && rfc5280NameKey(p.subjectRdns) === k) ?? null;
  };
  const s: Search = { req, atMs, byIssuerName, issuerKey, looseMatch, rejected, best: null, unverifiable: null, found: null };
  try {
    await extend(s, [leaf], null);
  } catch (e) {
    if (!(e instanceof BudgetExhausted)) throw e;
    // The search was cut short: say so, and keep the most specific failure seen before it stopped.
    const seen = s.best?.failure;
    const f: Failure = {
      code: "chain.budget-exhausted",
      message: `path building stopped before every candidate issuer was tried: ${e.message} (${s.rejected.length} candidate(s) rejected so far${seen ? `; the most specific failure until then: ${seen.code}, ${seen.message}` : ""})`,
    };
    const r = result("budget-exhausted", s.best?.path ?? [leaf], false, f, s.rejected);
    if (seen) r.beforeBudget = { code: seen.code, message: seen.message, ...(seen.certificate ? { certificate: seen.certificate } : {}) };
    return r;
  }
  if (s.found) return result("valid", s.found, true, null, s.rejected);
  if (s.unverifiable) return result("unverifiable", s.unverifiable.path, true, s.unverifiable.failure, s.rejected);
  const best = s.best ?? { failure: { code: "chain.untrusted" as const, message: "no path to a trust anchor" }, path: [leaf], depth: 1 };
  return result("invalid", best.path, false, best.failure, s.rejected);
}
