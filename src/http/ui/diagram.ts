// The "who trusts whom" diagram of one context, derived from the report only. Two checks, each
// drawn as trust store → issuers in between → leaf:
//   kubectl:        the kubeconfig's cluster CA (certificate-authority-data) → … → API server certificate
//   kube-apiserver: its --client-ca-file (clientCA input, or "not supplied") → … → client certificate
// and, apart from both columns, the relation the report computed between the cluster CA and the
// client certificate's issuer (contexts[].caIdentity), naming both certificates. "Same
// certificate" is said only when both ids are the same certificate.
import type { CaRelation, CertificateJson, ChainJson, ContextJson, Report } from "../../core/report/types.ts";
import { clientDecision, contextChains, serverDecision, shortName, type CertIndex, type Decision, type Tone } from "./model.ts";

export interface DiagramCert {
  id: string;
  name: string;
  /** The first 12 hex digits of the certificate's sha256, so two certificates of one name differ visibly. */
  fp: string;
  /** Where it came from in the input, or why it is shown. */
  note: string | null;
}

export interface DiagramBox {
  role: string;
  source: string;
  certs: DiagramCert[];
  /** Nothing to show: the input did not supply this part. */
  missing: string | null;
}

export interface DiagramSide {
  title: string;
  trust: DiagramBox;
  /** Issuers between the trust store and the leaf, from the leaf's issuer upwards. */
  between: DiagramBox[];
  leaf: DiagramBox;
  /** Did the chain verify against the trust box (Go's verdict when the report has it)? */
  link: Decision;
  verdict: Decision;
  verdictLabel: string;
}

export interface DiagramRelation {
  relation: CaRelation;
  glyph: string;
  tone: Tone;
  /** One sentence naming both certificates. */
  words: string;
  clusterCA: DiagramCert | null;
  clientIssuer: DiagramCert | null;
  /** True only when both are the same certificate id. */
  sameCertificate: boolean;
}

export interface Diagram {
  server: DiagramSide;
  client: DiagramSide;
  relation: DiagramRelation;
}

const fingerprint = (id: string) => `${id.slice(7, 19)}…`;

function sourcesOf(c: CertificateJson | undefined): string {
  return c ? c.sources.map((s) => s.path).join(", ") : "not in the input";
}

function certOf(idx: CertIndex, id: string, note: string | null = null): DiagramCert {
  return { id, name: idx.name(id), fp: fingerprint(id), note };
}

function link(ch: ChainJson | undefined, leaf: string | null, trust: string[], idx: CertIndex): Decision {
  const undecided = (note: string): Decision => ({ tone: "unknown", icon: "?", word: "not checked", note });
  if (!leaf) return undecided("no certificate");
  if (!trust.length) return undecided("no CA to check against");
  if (!ch) return undecided("no chain in the report");
  const valid = ch.go?.valid ?? ch.valid;
  if (valid)
    return {
      tone: "ok",
      icon: "✔",
      word: "verifies",
      note: ch.anchor ? `anchored at ${idx.name(ch.anchor)} (${fingerprint(ch.anchor)})` : null,
    };
  return { tone: "bad", icon: "✖", word: "does not verify", note: ch.reasonMessage ?? ch.go?.reason ?? ch.reason ?? null };
}

/** The issuers on a chain between its leaf and the trust box (the anchor and the trust box's certificates excluded). */
function betweenOf(ch: ChainJson | undefined, trust: string[], idx: CertIndex): DiagramBox[] {
  if (!ch) return [];
  return ch.path
    .slice(1)
    .filter((id) => !trust.includes(id))
    .map((id) => ({ role: "Intermediate CA", source: sourcesOf(idx.byId.get(id)), certs: [certOf(idx, id)], missing: null }));
}

export function diagram(report: Report, ctx: ContextJson, idx: CertIndex): Diagram {
  const chains = contextChains(report, ctx);
  const serverLeaf =
    chains.server?.leaf ?? report.certificates.find((c) => c.sources.some((s) => s.path === "serverCertificate[0]"))?.id ?? null;
  const clusterCAs = ctx.clusterCA;
  const clientCAs = report.certificates.filter((c) => c.sources.some((s) => s.path.startsWith("clientCA["))).map((c) => c.id);
  const mark = (ids: string[], anchor: string | null | undefined) =>
    ids.map((id) => certOf(idx, id, id === anchor ? "the chain ends here" : null));

  const server: DiagramSide = {
    title: "What kubectl checks",
    trust: {
      role: "Cluster CA",
      source: "kubeconfig certificate-authority-data",
      certs: mark(clusterCAs, chains.server?.anchor),
      missing: clusterCAs.length
        ? null
        : ctx.serverTrusted === true
          ? "none: TLS verification is off"
          : "none: kubectl would use the system trust store",
    },
    between: betweenOf(chains.server, clusterCAs, idx),
    leaf: {
      role: "API server certificate",
      source: serverLeaf ? "API server --tls-cert-file" : "not supplied",
      certs: serverLeaf ? [certOf(idx, serverLeaf)] : [],
      missing: serverLeaf ? null : "not supplied",
    },
    link: link(chains.server, serverLeaf, clusterCAs, idx),
    verdict: serverDecision(report, ctx, chains.server),
    verdictLabel: "kubectl trusts the API server",
  };

  const leaf = ctx.client.certificate;
  let clientBetween = betweenOf(chains.client, clientCAs, idx);
  // No chain past the leaf: show its issuer as the report found it, and say it was not sent.
  const issuer = ctx.caIdentity.clientIssuer;
  if (leaf && !clientBetween.length && issuer && !clientCAs.includes(issuer) && !(chains.client?.path.includes(issuer) ?? false)) {
    const sent = ctx.client.chain.includes(issuer);
    clientBetween = [
      {
        role: "Issuer of the client certificate",
        source: `found in ${sourcesOf(idx.byId.get(issuer))}`,
        certs: [certOf(idx, issuer, sent ? null : "not in client-certificate-data")],
        missing: null,
      },
    ];
  }
  const client: DiagramSide = {
    title: "What the API server checks",
    trust: {
      role: "Client CA",
      source: "API server --client-ca-file",
      certs: mark(clientCAs, chains.client?.anchor),
      missing: clientCAs.length ? null : "not supplied",
    },
    between: clientBetween,
    leaf: {
      role: "Client certificate",
      source: leaf
        ? "kubeconfig client-certificate-data"
        : ctx.client.authMethods.length
          ? `authenticates with ${ctx.client.authMethods.join(", ")}`
          : "none",
      certs: leaf ? [certOf(idx, leaf)] : [],
      missing: leaf ? null : "no client certificate",
    },
    link: link(chains.client, leaf, clientCAs, idx),
    verdict: clientDecision(report, ctx),
    verdictLabel: "The API server accepts the client",
  };

  return { server, client, relation: relationOf(ctx, idx) };
}

function relationOf(ctx: ContextJson, idx: CertIndex): DiagramRelation {
  const { relation, clusterCA, clientIssuer } = ctx.caIdentity;
  const ca = clusterCA ? certOf(idx, clusterCA) : null;
  const iss = clientIssuer ? certOf(idx, clientIssuer) : null;
  const same = !!clusterCA && clusterCA === clientIssuer;
  const both = (a: DiagramCert, b: DiagramCert) =>
    `the cluster CA “${a.name}” (${a.fp}) and the client certificate's issuer “${b.name}” (${b.fp})`;
  const out = (glyph: string, tone: Tone, words: string): DiagramRelation => ({
    relation,
    glyph,
    tone,
    words,
    clusterCA: ca,
    clientIssuer: iss,
    sameCertificate: same,
  });
  if (!ca || !iss) return out("?", "unknown", ctx.caIdentity.explanation);
  switch (relation) {
    case "same-certificate":
      return same
        ? out("=", "ok", `Same certificate: the cluster CA “${ca.name}” (${ca.fp}) signed the client certificate.`)
        : out(
            "↑",
            "ok",
            `Chains to the cluster CA: the client certificate's issuer “${iss.name}” (${iss.fp}) was signed, directly or through others, by the cluster CA “${ca.name}” (${ca.fp}).`,
          );
    case "same-key":
      return out("≈", "ok", `Same key, two certificates: ${both(ca, iss)}.`);
    case "cross-signed":
      return out("⇄", "ok", `Cross-signed: ${both(ca, iss)}; the cluster CA vouches for the issuer.`);
    case "different":
      return out("≠", "warn", `Different CAs: ${both(ca, iss)}.`);
    case "same-name-different-key":
      return out("≠", "bad", `Same name “${shortName(idx.byId.get(clusterCA!)?.subject ?? "")}”, different keys: ${both(ca, iss)}.`);
    default:
      return out("?", "unknown", ctx.caIdentity.explanation);
  }
}
