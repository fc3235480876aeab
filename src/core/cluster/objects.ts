// The trust edges of Kubernetes objects (issue 12): each kubernetes.io/tls Secret (tls.crt leaf
// first, tls.key its key, ca.crt verifies tls.crt) and each webhook's caBundle against the
// serving certificate of the Service it names, with the name the API server's webhook client
// checks (Go crypto/tls, ServerName `<service>.<namespace>.svc`).
import type { FindingCode, Where } from "../findings/index.ts";
import type { Cert } from "../x509/cert.ts";
import { edgeFinding, newEdge, type ClusterContext } from "./context.ts";
import { applyCheck, goVerify, why, type ChainCheck, type Edge } from "./edge.ts";
import { caBundleRenewal, caRenewal, secretRenewal } from "./objects-renewal.ts";
import type { Renewal } from "./renewal.ts";
import { applyKeyPair, judgeKeyPair } from "./key-pair.ts";
import type { TlsSecret, Webhook } from "./objects-read.ts";

const label = (s: TlsSecret) => `Secret ${s.namespace}/${s.name}`;

export async function tlsSecretEdges(ctx: ClusterContext, s: TlsSecret): Promise<Cert[] | null> {
  if (!s.files.crt) {
    ctx.material.missing(`${s.namespace}/${s.name} tls.crt`, label(s));
    return null;
  }
  const certs = await ctx.material.certs(s.files.crt, label(s));
  if (!Array.isArray(certs)) return null;
  const leaf = certs[0]!;
  const where = { path: s.files.crt, certificate: leaf.id };
  // Go's tls.X509KeyPair takes the first certificate as the leaf; a CA first is served as the leaf.
  if (leaf.basicConstraints?.ca && certs.some((c) => !c.basicConstraints?.ca))
    ctx.findings.add("cluster.tls-secret-chain-order", `${label(s)}: tls.crt starts with a CA (${leaf.subject}), not the leaf`, where);
  if (s.files.key) {
    const key = await ctx.material.key(s.files.key, label(s));
    const edge = newEdge({
      from: `${label(s)} tls.key`,
      to: `${label(s)} tls.crt`,
      relation: "key-pair",
      detail: "tls.key against tls.crt's first certificate",
      certificate: leaf,
      renewal: secretRenewal(s),
    });
    ctx.edges.push(edge);
    const j = await judgeKeyPair(key, ctx.material.keyRefusal(s.files.key), leaf, ctx.material.subtle);
    const who = `the server using ${label(s)}`;
    applyKeyPair(
      ctx,
      edge,
      j,
      who,
      { key: "tls.key", cert: "tls.crt" },
      { certPath: s.files.crt, keyPath: s.files.key, certificate: leaf.id },
    );
    if (j.mismatch)
      edgeFinding(
        ctx,
        edge,
        "cluster.tls-secret-key-mismatch",
        `${label(s)}: tls.key is not the key of tls.crt; the server using it cannot start TLS`,
        where,
      );
  }
  if (s.files.ca) {
    const ca = await ctx.material.certs(s.files.ca, label(s));
    const edge = newEdge({
      from: `${label(s)} tls.crt`,
      to: `${label(s)} ca.crt`,
      relation: "tls-secret",
      detail: "tls.crt verified against ca.crt (serverAuth, Go)",
      certificate: leaf,
      renewal: secretRenewal(s),
    });
    ctx.edges.push(edge);
    if (Array.isArray(ca)) {
      const check = await goVerify(certs, ca, "server", ctx.at, ctx.verifier);
      applyCheck(edge, check);
      if (!check.result.valid)
        edgeFinding(ctx, edge, "cluster.tls-secret-ca-mismatch", `${label(s)}: ca.crt does not verify tls.crt: ${why(check)}`, where);
    }
  }
  return certs;
}

/** The Secrets that may serve a Service: cert-manager's pairing, else every Secret with the SAN `<svc>.<ns>.svc`. */
function servingSecrets(injectFrom: string | null, secrets: Map<TlsSecret, Cert[]>, host: string): [TlsSecret, Cert[]][] {
  if (injectFrom) {
    const [ns, cert] = injectFrom.split("/");
    for (const [s, certs] of secrets) if (s.namespace === ns && s.certificateName === cert) return [[s, certs]];
  }
  return [...secrets].filter(([, certs]) => certs[0]?.subjectAltNames?.some((n) => n.type === "dns" && n.value.toLowerCase() === host));
}

/** A caBundle (a webhook's, an APIService's) and the Service whose serving certificate it must verify. */
export interface CaBundleTarget {
  who: string;
  /** The ServerName the Go client sets: `<service>.<namespace>.svc`. */
  host: string;
  /** Tree path of the decoded caBundle. */
  caBundle: string;
  injectFrom: string | null;
  where: Where;
  /** The codes of an untrusted and an undecided edge, and what the user sees when it breaks. */
  untrusted: FindingCode;
  unknown: FindingCode;
  consequence: string;
  /** The field that holds the caBundle, for the repair line. */
  field: string;
}

/** Verifies the serving Secret of the Service against the caBundle, as Go with ServerName `host`. */
export async function verifyCaBundle(ctx: ClusterContext, edge: Edge, t: CaBundleTarget, secrets: Map<TlsSecret, Cert[]>): Promise<void> {
  const anchors = await ctx.material.certs(t.caBundle, `${t.who} caBundle`);
  if (!Array.isArray(anchors)) {
    edge.verdict = "broken";
    edge.detail = "the caBundle holds no readable certificate";
    return;
  }
  const unknown = (why: string) => {
    edge.detail = why;
    edgeFinding(ctx, edge, t.unknown, `${t.who}: ${why}`, t.where);
  };
  const candidates = servingSecrets(t.injectFrom, secrets, t.host);
  if (!candidates.length)
    return unknown(`no kubernetes.io/tls Secret in the input serves ${t.host} (no SAN ${t.host}, no cert-manager pairing)`);
  const checks = await Promise.all(candidates.map(([, certs]) => goVerify(certs, anchors, "server", ctx.at, ctx.verifier, t.host)));
  // Which Secret the Service's Pods mount is not in the input: several that disagree leave the edge undecided.
  if (new Set(checks.map((c) => c.result.valid)).size > 1)
    return unknown(`${candidates.map(([s]) => label(s)).join(", ")} all carry ${t.host} and the caBundle verifies only some of them`);
  const [, serving] = candidates[0]!;
  const check = checks[0]!;
  edge.certificate = serving[0]!;
  edge.detail = `${candidates.map(([s]) => label(s)).join(", ")} tls.crt verified against the caBundle for ${t.host} (serverAuth)`;
  applyCheck(edge, check);
  edge.renewal = objectEdgeRenewal(ctx, t, check, candidates[0]![0], serving[0]!);
  // Repaired now, the edge then lasts until the serving certificate expires: that renewal goes in the plan too.
  const own = secretRenewal(candidates[0]![0]);
  if (edge.renewal.command !== own.command) edge.alsoRenew = [{ renewal: own, before: serving[0]!.notAfter }];
  if (!check.result.valid)
    edgeFinding(ctx, edge, t.untrusted, `${t.who}: ${t.consequence} ${t.host}: ${why(check)}`, {
      ...t.where,
      certificate: serving[0]!.id,
    });
}

/** Expiring or expired: renew what limits the edge; refused in date: the caBundle (or, for a wrong name, the Secret). */
function objectEdgeRenewal(ctx: ClusterContext, t: CaBundleTarget, check: ChainCheck, secret: TlsSecret, leaf: Cert): Renewal {
  const expired = check.limiting.notAfter < ctx.at;
  if (check.result.valid || expired) return check.limiting.id === leaf.id ? secretRenewal(secret) : caRenewal(`the caBundle of ${t.who}`);
  if (check.result.reason?.code === "chain.hostname-mismatch") return secretRenewal(secret);
  return caBundleRenewal(t.who, t.field, t.injectFrom, secret);
}

export async function webhookEdge(ctx: ClusterContext, w: Webhook, secrets: Map<TlsSecret, Cert[]>): Promise<void> {
  const who = `${w.kind} ${w.configuration} webhook ${w.name}`;
  const edge = newEdge({ from: who, to: "kube-apiserver (webhook client)", relation: "webhook", detail: "" });
  ctx.edges.push(edge);
  const where = { path: w.caBundle ?? `webhooks/${w.kind}/${w.configuration}/${w.name}` };
  const unknown = (why: string) => {
    edge.detail = why;
    edgeFinding(ctx, edge, "cluster.webhook-serving-unknown", `${who}: ${why}`, where);
  };
  if (!w.service) return unknown(`served at ${w.url ?? "no service and no url"}; its serving certificate is not in the input`);
  const host = `${w.service.name}.${w.service.namespace}.svc`;
  if (!w.caBundle) return unknown(`no caBundle: the API server verifies ${host} with its system roots, which the input does not show`);
  await verifyCaBundle(
    ctx,
    edge,
    {
      who,
      host,
      caBundle: w.caBundle,
      injectFrom: w.injectFrom,
      where,
      untrusted: "cluster.webhook-cabundle-untrusted",
      unknown: "cluster.webhook-serving-unknown",
      consequence: "the API server will not trust",
      field: "clientConfig.caBundle",
    },
    secrets,
  );
}
