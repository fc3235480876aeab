// kube-apiserver ↔ kubelet. The API server calls the kubelet for logs, exec, attach and
// port-forward: it presents --kubelet-client-certificate, which the kubelet verifies against its
// authentication.x509.clientCAFile (/var/lib/kubelet/config.yaml); and it verifies the kubelet's
// serving certificate only when --kubelet-certificate-authority is set (k8s.io/kubernetes
// pkg/kubelet/client/kubelet_client.go transportConfig: `if c.EnableHttps && !cfg.HasCA() {
// cfg.TLS.Insecure = true }`), for the node address it dials (GetConnectionInfo:
// nodeutil.GetPreferredNodeAddress with --kubelet-preferred-address-types; Go's http transport
// sets ServerName to that host).
import type { Cert } from "../x509/cert.ts";
import { PUBSHA256_SUFFIX } from "./key-fingerprint.ts";
import { applyKeyPair, judgeKeyPair } from "./key-pair.ts";
import { edgeFinding, flag, newEdge, type ClusterContext } from "./context.ts";
import { KUBELET_DEFAULTS, MANIFEST_FILES } from "./defaults.ts";
import { applyCheck, goVerify, why } from "./edge.ts";
import { anchorsFor } from "./edges-client.ts";
import { kubeletNodeName } from "./kubelet-client.ts";
import { KUBEADM_FLAGS_ENV, KUBEADM_KUBELET, KUBELET_CONFIG, type KubeletConfig, kubeletServingFiles } from "./kubelet-config.ts";
import { treePath } from "./tree.ts";

/** kube-apiserver's default --kubelet-preferred-address-types (cmd/kube-apiserver/app/options NewServerRunOptions). */
export const DEFAULT_PREFERRED_ADDRESS_TYPES = ["Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"];

/** The kubelet's configuration (kubeadm's when the audit has none, e.g. of objects). */
const kubeletOf = (ctx: ClusterContext): KubeletConfig => ctx.kubelet ?? KUBEADM_KUBELET;

const configRef = (ctx: ClusterContext) => (kubeletOf(ctx).path ? KUBELET_CONFIG : `kubeadm's default; ${KUBELET_CONFIG} not read`);

/** kube-apiserver → kubelet: --kubelet-client-certificate against the kubelet's clientCAFile. */
export async function apiserverToKubelet(ctx: ClusterContext): Promise<void> {
  const edge = newEdge({ from: "kube-apiserver (kubelet client)", to: "kubelet", relation: "client", detail: "" });
  ctx.edges.push(edge);
  const certFile = flag(ctx, "kube-apiserver", "kubelet-client-certificate");
  if (!certFile) {
    edge.detail = "--kubelet-client-certificate is not set: the API server presents no certificate to kubelets";
    return;
  }
  const presented = await ctx.material.certs(certFile, "kube-apiserver --kubelet-client-certificate");
  if (!Array.isArray(presented)) {
    edge.verdict = presented === "unreadable" ? "broken" : "unknown";
    edge.detail = `--kubelet-client-certificate ${certFile} is ${presented === null ? "not in the upload" : "unreadable"}`;
    return;
  }
  edge.certificate = presented[0]!;
  const where = { path: treePath(certFile), certificate: presented[0]!.id };
  const caFile = kubeletOf(ctx).clientCAFile;
  if (!caFile) {
    // pkg/kubelet/server/auth.go BuildAuth → apiserver's DelegatingAuthenticatorConfig: no ClientCertificateCAContentProvider without a CA.
    edge.verdict = "broken";
    edge.detail = `${KUBELET_CONFIG} sets no authentication.x509.clientCAFile: the kubelet verifies no client certificate`;
    edgeFinding(
      ctx,
      edge,
      "cluster.client-refused",
      `The kubelet does not authenticate kube-apiserver's client certificate ${certFile} (${KUBELET_CONFIG} has no authentication.x509.clientCAFile): its requests arrive anonymous, refused unless the kubelet allows anonymous requests (kubectl logs/exec fail)`,
      where,
    );
    return;
  }
  const anchors = await anchorsFor(ctx, edge, caFile, "the kubelet's clientCAFile");
  if (!anchors) return;
  const check = await goVerify(presented, anchors, "client", ctx.at, ctx.verifier);
  edge.detail = `${certFile} verified against the kubelet's clientCAFile ${caFile} (${configRef(ctx)}) (clientAuth)`;
  applyCheck(edge, check);
  if (!check.result.valid)
    edgeFinding(
      ctx,
      edge,
      "cluster.client-refused",
      `Kubelets refuse kube-apiserver's client certificate ${certFile} (kubectl logs/exec fail): ${why(check)}`,
      where,
    );
}

/** The node name as the kubelet-client edge reads it (kubelet-client.ts kubeletNodeName), or null. */
async function nodeName(ctx: ClusterContext): Promise<string | null> {
  const override = kubeletOf(ctx).hostnameOverride;
  if (!ctx.material.has(KUBELET_DEFAULTS.kubeconfig)) return override ? override.toLowerCase() : null;
  const kc = await ctx.material.kubeconfig(KUBELET_DEFAULTS.kubeconfig, "kubelet");
  if (!kc || kc === "unreadable") return override ? override.toLowerCase() : null;
  return kubeletNodeName(ctx, kc)?.name ?? null;
}

/**
 * The host kube-apiserver dials for this node: the first of --kubelet-preferred-address-types the
 * node reports. What a node reports is in its Node object, not in these files; certaudit knows two:
 * Hostname (the node name, kubeadm's default without --hostname-override) and InternalIP (for the
 * control-plane node, --advertise-address). Said in the assumptions.
 */
async function dialedHost(ctx: ClusterContext): Promise<{ type: string; host: string } | null> {
  const types = (flag(ctx, "kube-apiserver", "kubelet-preferred-address-types") ?? DEFAULT_PREFERRED_ADDRESS_TYPES.join(","))
    .split(",")
    .map((t) => t.trim());
  const k = kubeletOf(ctx);
  const name = await nodeName(ctx);
  // Where each address comes from, in words for the assumption.
  const known: Record<string, [string | null | undefined, string]> = {
    Hostname: k.hostnameOverride ? [name, `--hostname-override ${k.hostnameOverride} (${KUBEADM_FLAGS_ENV})`] : [name, `its name ${name}`],
    InternalIP: k.nodeIp
      ? [k.nodeIp, `--node-ip ${k.nodeIp} (${KUBEADM_FLAGS_ENV})`]
      : [
          flag(ctx, "kube-apiserver", "advertise-address"),
          `kube-apiserver's --advertise-address ${flag(ctx, "kube-apiserver", "advertise-address")}`,
        ],
  };
  for (const type of types) {
    const [host, from] = known[type] ?? [null, ""];
    if (!host) continue;
    ctx.assumptions.push(
      `the node reports ${from} as its ${type} address and no address type earlier in --kubelet-preferred-address-types (${types.join(",")})`,
    );
    return { type, host };
  }
  return null;
}

/** The kubelet's serving certificate → kube-apiserver: verified against --kubelet-certificate-authority when set. */
export async function kubeletServing(ctx: ClusterContext): Promise<void> {
  const files = kubeletServingFiles(kubeletOf(ctx), (p) => ctx.material.has(p));
  const uploaded = ctx.material.has(files.cert);
  const edge = newEdge({
    // The file's name says where the kubelet serves from; "not uploaded" that it was not read.
    from: `kubelet (serving, ${files.cert}${uploaded ? "" : " not uploaded"})`,
    to: "kube-apiserver (kubelet client)",
    relation: "kubelet-serving",
    detail: "",
  });
  ctx.edges.push(edge);
  const caFile = flag(ctx, "kube-apiserver", "kubelet-certificate-authority");
  const presented = uploaded || caFile ? await ctx.material.certs(files.cert, `the kubelet's serving certificate (${files.how})`) : null;
  if (Array.isArray(presented)) edge.certificate = presented[0]!;
  if (Array.isArray(presented) && (ctx.material.has(files.key) || ctx.material.has(files.key + PUBSHA256_SUFFIX)))
    await servingKeyPair(ctx, files, presented[0]!);
  if (!caFile) {
    edge.verdict = "holds";
    edge.detail = `kube-apiserver has no --kubelet-certificate-authority: it does not verify the kubelet's serving certificate (${files.how}); any certificate is accepted; ${files.cert} ${uploaded ? (Array.isArray(presented) ? "was read (its dates and key pair are reported, not verified by kube-apiserver)" : "is in the upload but unreadable") : "was not uploaded and not read (the verdict does not depend on it)"}`;
    edgeFinding(
      ctx,
      edge,
      "cluster.kubelet-serving-unverified",
      "kube-apiserver connects to kubelets without verifying their serving certificate (--kubelet-certificate-authority is not set)",
      { path: MANIFEST_FILES["kube-apiserver"] },
    );
    return;
  }
  if (!Array.isArray(presented)) {
    edge.verdict = presented === "unreadable" ? "broken" : "unknown";
    edge.detail = `the kubelet's serving certificate ${files.cert} is ${presented === null ? "not in the upload" : "unreadable"}`;
    return;
  }
  const anchors = await anchorsFor(ctx, edge, caFile, "kube-apiserver --kubelet-certificate-authority");
  if (!anchors) return;
  const dialed = await dialedHost(ctx);
  const check = await goVerify(presented, anchors, "server", ctx.at, ctx.verifier, dialed?.host);
  edge.limiting = check.limiting;
  edge.breaksAt = check.limiting.notAfter;
  edge.detail = `${files.cert} (${files.how}) verified against --kubelet-certificate-authority ${caFile} ${dialed ? `for ${dialed.host} (the node's ${dialed.type})` : "without a name (the node's addresses are not in the upload)"} (serverAuth)`;
  edge.verdict = !check.result.valid ? "broken" : dialed ? "holds" : "unknown";
  if (!check.result.valid)
    edgeFinding(
      ctx,
      edge,
      "cluster.kubelet-serving-untrusted",
      `kube-apiserver will not trust the kubelet's serving certificate ${files.cert} (${files.how})${dialed ? ` at ${dialed.host}` : ""}: ${why(check)}`,
      { path: treePath(files.cert), certificate: presented[0]!.id },
    );
}

async function servingKeyPair(ctx: ClusterContext, files: ReturnType<typeof kubeletServingFiles>, cert: Cert): Promise<void> {
  const edge = newEdge({
    from: files.key,
    to: "kubelet's serving certificate",
    relation: "key-pair",
    detail: `${files.key} against ${files.cert}`,
    certificate: cert,
  });
  ctx.edges.push(edge);
  const key = await ctx.material.key(files.key, "the kubelet's serving key");
  if (key === null) return;
  // Go's tls.X509KeyPair as the kubelet loads the pair (key-pair.ts): a refusal is never a match.
  const j = await judgeKeyPair(key, ctx.material.keyRefusal(files.key), cert, ctx.material.subtle);
  const where = { path: treePath(files.key), certificate: cert.id };
  applyKeyPair(
    ctx,
    edge,
    j,
    "the kubelet",
    { key: files.key, cert: files.cert },
    { ...where, certPath: treePath(files.cert), keyPath: where.path },
  );
  if (j.mismatch)
    edgeFinding(ctx, edge, "cluster.key-mismatch", `${files.key} is not the key of ${files.cert}; the kubelet will not start`, where);
}

/** rotateCertificates off: the kubelet never renews its client certificate (noted on the kubelet → kube-apiserver edge). */
export function kubeletRotation(ctx: ClusterContext): void {
  const k = kubeletOf(ctx);
  if (k.rotateCertificates) return;
  const edge = ctx.edges.find((e) => e.from === "kubelet" && e.relation === "client");
  // A --rotate-certificates flag beats config.yaml (kubelet-config.ts readKubeletConfig).
  const byFlag = k.rotateCertificatesFlag === false;
  const why = byFlag
    ? `${KUBEADM_FLAGS_ENV} passes --rotate-certificates=false, which beats ${KUBELET_CONFIG}`
    : `${KUBELET_CONFIG} does not set rotateCertificates: true`;
  const detail = `${why}; the kubelet will not renew its client certificate${edge?.breaksAt ? ` (it expires ${edge.breaksAt.toISOString().slice(0, 10)})` : ""}`;
  const where = { path: treePath(byFlag ? KUBEADM_FLAGS_ENV : KUBELET_CONFIG) };
  if (edge) edgeFinding(ctx, edge, "cluster.kubelet-rotation-off", detail, where);
  else ctx.findings.add("cluster.kubelet-rotation-off", detail, where);
}
