// One kubeconfig context, the heart of the product: who the client is, whether its key
// matches, how its CA relates to the cluster CA, and the two verdicts that predict what
// kubectl and kube-apiserver (both Go programs) will do.
import { isFindingCode, type FindingCode, type Findings } from "../findings/index.ts";
import type { KubeCluster, KubeContext, KubeUser } from "../input/kubeconfig.ts";
import { serverTarget, type ServerTarget } from "../input/server-url.ts";
import type { StoredKey } from "../input/store.ts";
import { keyMatchesCert } from "../keys/private.ts";
import { goKeyPairRefusal } from "../keys/public.ts";
import type { ChainRecord } from "../report/chain-record.ts";
import type { ContextJson } from "../report/types.ts";
import type { ChainResult, Profile, Purpose } from "../verify/types.ts";
import type { Cert } from "../x509/cert.ts";
import type { SignatureVerifier } from "../x509/signature.ts";
import { caIdentity } from "./ca-identity.ts";
import { checkIdentity } from "./identity.ts";
import { describeDisagreement, runSideBySide, type SideBySide } from "./side-by-side.ts";

export type RunChain = (
  leaf: Cert,
  intermediates: readonly Cert[],
  anchors: readonly Cert[],
  purpose: Purpose,
  profile: Profile,
  serverName?: string,
) => Promise<ChainResult | null>;

export interface ContextInput {
  ctx: KubeContext;
  current: boolean;
  cluster: KubeCluster | null;
  user: KubeUser | null;
  clusterCAs: Cert[];
  clientChain: Cert[];
  keys: StoredKey[];
  clientCA: Cert[] | null;
  serverChain: Cert[] | null;
  pool: Cert[];
  verifier: SignatureVerifier;
  findings: Findings;
  runChain: RunChain;
  /** Rules for the reported chains (default "go"); Go and strict RFC 5280 are always compared. */
  profile: Profile;
  chains: ChainRecord[];
  /** Relations already worked out for a (client certificate, cluster CAs) pair in this request. */
  relations: Map<string, ReturnType<typeof caIdentity>>;
}

export interface ContextAnalysis {
  json: Omit<ContextJson, "verdict" | "openQuestions">;
  /** Certificates this context depends on (for verdict attribution). */
  certificates: Set<string>;
  /** Path prefixes of findings that belong to this context. */
  paths: string[];
}

/** Failures that no choice of trust anchor can cure: the leaf itself is unusable. */
const LEAF_INTRINSIC = new Set([
  "chain.cert-expired",
  "chain.cert-not-yet-valid",
  "chain.eku-mismatch",
  "chain.malformed-certificate",
  "chain.unhandled-critical-extension",
  "chain.weak-key",
  "chain.invalid-san",
]);

/**
 * What kubectl does with this cluster's server URL (client-go DefaultServerURL, net/http's
 * ServerName): TLS checked against a name, plain HTTP, or a URL it cannot use. TLS is the
 * default for a scheme-less server when a CA, a client certificate or insecure-skip-tls-verify
 * is configured (client-go rest/url_utils.go defaultServerUrlFor).
 */
export function serverTargetOf(cluster: KubeCluster): ServerTarget {
  if (!cluster.server) return { kind: "unusable", why: "the cluster has no server URL" };
  // rest.DefaultServerURL would add https:// when TLS is configured, but kubectl decides before the
  // TLS settings are merged (clientcmd DirectClientConfig.ClientConfig calls rest.IsConfigTransportTLS
  // on a config without them), so a scheme-less server is always http://: kubectl 1.27-1.33 at -v=6
  // print `GET http://localhost:6443/version` with a CA set (test/node/kubeconfig-oracle.test.ts).
  return serverTarget(cluster.server, false, cluster.tlsServerName);
}

/** Expiry is reported per certificate (cert.expired, cert.not-yet-valid); not again per chain. */
const REPORTED_PER_CERTIFICATE = new Set(["chain.cert-expired", "chain.cert-not-yet-valid"]);

export function reportChainFailure(findings: Findings, r: ChainResult, where: { context?: string; path: string }): void {
  if (!r.reason || REPORTED_PER_CERTIFICATE.has(r.reason.code)) return;
  const code = isFindingCode(r.reason.code) ? (r.reason.code as FindingCode) : "chain.untrusted";
  findings.add(code, r.reason.message, { ...where, ...(r.reason.certificate ? { certificate: r.reason.certificate } : {}) });
}

export async function analyseContext(i: ContextInput): Promise<ContextAnalysis> {
  const { ctx, cluster, user, findings } = i;
  const name = ctx.name;
  const leaf = i.clientChain[0] ?? null;
  const extra = i.clientChain.slice(1);
  const userPath = user ? `users[${user.name}]` : `contexts[${name}]`;
  const certPath = `${userPath}.client-certificate-data`;
  const certificates = new Set<string>(
    [...i.clusterCAs, ...i.clientChain, ...(i.clientCA ?? []), ...(i.serverChain ?? [])].map((c) => c.id),
  );

  // Identity and key.
  const identity = leaf ? checkIdentity(leaf, findings, { context: name, path: certPath }) : null;
  // kube-apiserver's CommonNameUserConversion (k8s.io/apiserver/pkg/authentication/request/x509/
  // x509.go) does not authenticate a certificate whose Subject.CommonName is empty, whatever
  // signed it (identity.empty-user says so).
  const noUser = identity !== null && !identity.user;
  let keyMatches: boolean | null = null;
  const key = i.keys[0];
  if (leaf && key) {
    if (key.key.info.problem)
      findings.add(
        key.key.info.encrypted ? "key.encrypted" : "key.unreadable",
        `The key of user "${user?.name}": ${key.key.info.problem}.`,
        { context: name, path: key.path },
      );
    else {
      keyMatches = keyMatchesCert(key.key, leaf);
      if (keyMatches === false)
        findings.add(
          "key.mismatch",
          `client-key-data of user "${user?.name}" is a ${key.key.info.algorithm} key whose public half (sha256 ${key.key.info.publicKeyFingerprint?.slice(0, 16)}…) is not the certificate's (sha256 ${leaf.publicKey.fingerprint.slice(0, 16)}…).`,
          {
            context: name,
            path: key.path,
            certificate: leaf.id,
          },
        );
    }
  }
  // client-go loads the pair with crypto/tls X509KeyPair, which first parses the certificate.
  const unloadable = leaf ? goKeyPairRefusal(leaf) : null;
  if (leaf && unloadable)
    findings.add(
      "key.certificate-unloadable",
      `client-go cannot load the client certificate of user "${user?.name}" (${unloadable}), so kubectl fails before connecting.`,
      { context: name, path: certPath, certificate: leaf.id },
    );
  const authMethods: string[] = [];
  if (user) {
    if (user.certData || user.certFile) authMethods.push("clientCertificate");
    if (user.hasToken) authMethods.push("token");
    if (user.tokenFile) authMethods.push("tokenFile");
    if (user.hasBasicAuth) authMethods.push("basicAuth");
    if (user.exec) authMethods.push("exec");
    if (user.authProvider) authMethods.push("authProvider");
  }

  // Client certificate: the reported chain (requested profile), Go's verdict and strict RFC 5280.
  let clientAccepted: boolean | null = null;
  if (leaf) {
    const anchors = i.clientCA ?? i.clusterCAs;
    const assumed = !i.clientCA;
    const role = assumed
      ? `client (${userPath}; anchored at the cluster CA, assuming --client-ca-file holds it)`
      : `client (${userPath}; anchored at clientCA)`;
    const none: SideBySide = { reported: null, go: null, strict: null };
    const { reported, go, strict } = anchors.length
      ? await runSideBySide((p) => i.runChain(leaf, extra, anchors, "client", p), i.profile)
      : none;
    // A chain anchored at the cluster CA only by assumption is shown when it holds, or when it
    // fails for a reason no trust anchor could cure; otherwise it would read as a failure the
    // client CA file may well not have (the relation finding explains instead).
    const show = reported && (!assumed || reported.valid || (reported.reason && LEAF_INTRINSIC.has(reported.reason.code)));
    if (reported && show)
      i.chains.push({ result: reported, profile: i.profile, go, strict, purpose: "client", role, findingPath: certPath, context: name });
    const disagree = describeDisagreement(go, strict);
    if (disagree && !assumed)
      findings.add("chain.tools-disagree", `For the client certificate of user "${user?.name}", ${disagree}.`, {
        context: name,
        path: certPath,
        certificate: leaf.id,
      });
    if (!assumed && go) {
      clientAccepted = go.valid && keyMatches !== false && !noUser && !unloadable;
      if (!go.valid) {
        reportChainFailure(findings, go, { context: name, path: certPath });
        findings.add(
          "kubeconfig.client-rejected",
          `kube-apiserver would reject user "${user?.name}": ${go.reason?.message ?? "the chain does not verify"}.`,
          { context: name, path: certPath, certificate: leaf.id },
        );
      }
    } else {
      // Without --client-ca-file: decide only what no trust anchor can change.
      const intrinsic =
        go && !go.valid && go.reason && LEAF_INTRINSIC.has(go.reason.code) && (!go.reason.certificate || go.reason.certificate === leaf.id);
      if (intrinsic) {
        clientAccepted = false;
        reportChainFailure(findings, go!, { context: name, path: certPath });
        findings.add(
          "kubeconfig.client-rejected",
          `kube-apiserver would reject user "${user?.name}" whatever its --client-ca-file holds: ${go!.reason!.message}`,
          { context: name, path: certPath, certificate: leaf.id },
        );
      } else if (keyMatches === false || noUser || unloadable) clientAccepted = false;
      else findings.add("kubeconfig.client-verdict-undecided", `For context "${name}".`, { context: name, path: certPath });
    }
    if (keyMatches === false || noUser || unloadable) clientAccepted = false;
  }

  const relKey = `${leaf?.id ?? "-"}|${i.clusterCAs.map((c) => c.id).join(",")}`;
  let relation = i.relations.get(relKey);
  if (!relation) {
    relation = caIdentity(leaf, i.clusterCAs, i.pool, i.verifier);
    i.relations.set(relKey, relation);
  }
  const rel = await relation;
  if (rel.relation === "same-name-different-key" && clientAccepted !== true)
    findings.add("kubeconfig.client-ca-rotated", `${rel.explanation}`, {
      context: name,
      path: certPath,
      ...(leaf ? { certificate: leaf.id } : {}),
    });
  if (rel.relation === "different" && !i.clientCA)
    findings.add("kubeconfig.client-ca-different", rel.explanation, { context: name, path: certPath });

  // Server: would kubectl trust what the API server presents?
  let serverTrusted: boolean | null = null;
  const serverLeaf = i.serverChain?.[0] ?? null;
  const clusterPath = cluster ? `clusters[${cluster.name}]` : `contexts[${name}]`;
  const target = cluster ? serverTargetOf(cluster) : null;
  const serverName = target?.kind === "tls" ? target.serverName : null;
  if (!cluster || !target) {
    // No cluster: nothing to connect to (kubeconfig.context-missing-cluster says so).
  } else if (target.kind === "unusable") {
    findings.add(
      "kubeconfig.server-name-unknown",
      `For context "${name}": ${target.why}, so no server certificate check can be predicted.`,
      { context: name, path: `${clusterPath}.server` },
    );
  } else if (target.kind === "plain") {
    // No TLS at all: no certificate is checked, so "trusted" would claim a check that never runs
    // (kubeconfig.http-server or kubeconfig.server-without-scheme says so).
  } else if (cluster.insecure)
    serverTrusted = true; // kubectl skips verification entirely (already an error finding)
  else if (target.serverName === null) {
    findings.add("kubeconfig.server-name-unknown", `For context "${name}": ${target.why}.`, {
      context: name,
      path: `${clusterPath}.server`,
    });
  } else if (!serverLeaf) {
    findings.add("kubeconfig.server-verdict-undecided", `For context "${name}".`, { context: name, path: clusterPath });
  } else if (i.clusterCAs.length === 0) {
    findings.add(
      "kubeconfig.server-verdict-undecided",
      `Cluster "${cluster.name}" has no certificate-authority-data, so kubectl would use the system trust store of the machine it runs on.`,
      { context: name, path: clusterPath },
    );
  } else {
    const role = `server (${clusterPath}, name ${serverName})`;
    const { reported, go, strict } = await runSideBySide(
      (p) => i.runChain(serverLeaf, i.serverChain!.slice(1), i.clusterCAs, "server", p, serverName!),
      i.profile,
    );
    if (reported)
      i.chains.push({
        result: reported,
        profile: i.profile,
        go,
        strict,
        purpose: "server",
        role,
        findingPath: "serverCertificate",
        context: name,
      });
    if (go) {
      serverTrusted = go.valid;
      if (!go.valid) {
        reportChainFailure(findings, go, { context: name, path: "serverCertificate" });
        findings.add(
          "kubeconfig.server-untrusted",
          `For context "${name}" (${cluster.server}, checked as ${serverName}): ${go.reason?.message ?? "the chain does not verify"}.`,
          { context: name, path: clusterPath },
        );
      }
      const disagree = describeDisagreement(go, strict);
      if (disagree)
        findings.add("chain.tools-disagree", `For the API server certificate, ${disagree}.`, {
          context: name,
          path: "serverCertificate",
          certificate: serverLeaf.id,
        });
    }
  }

  return {
    json: {
      name,
      cluster: ctx.cluster,
      user: ctx.user,
      server: cluster?.server ?? null,
      current: i.current,
      clusterCA: i.clusterCAs.map((c) => c.id),
      client: { certificate: leaf?.id ?? null, chain: extra.map((c) => c.id), identity, keyMatches, authMethods },
      caIdentity: {
        relation: rel.relation,
        clientIssuer: rel.clientIssuer?.id ?? null,
        clusterCA: rel.clusterCA?.id ?? null,
        explanation: rel.explanation,
      },
      serverTrusted,
      clientAccepted,
    },
    certificates,
    paths: [userPath, clusterPath, `contexts[${name}]`],
  };
}
