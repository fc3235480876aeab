// Clients → kube-apiserver: its serving chain (--tls-cert-file) verified as client-go verifies it,
// against each component kubeconfig's CA for the host the kubeconfig uses, and against the CA
// Pods get (--root-ca-file, published as kube-root-ca.crt) for the names Pods use.
import { serverTarget } from "../input/server-url.ts";
import type { Cert } from "../x509/cert.ts";
import { edgeFinding, flag, newEdge, type ClusterContext } from "./context.ts";
import { KUBELET_DEFAULTS } from "./defaults.ts";
import { applyCheck, goVerify, why } from "./edge.ts";
import { firstServiceIpv6 } from "./service-ip-v6.ts";
import type { ComponentKubeconfig } from "./material.ts";

/** The first address of a service range (kube-apiserver's `kubernetes` Service ClusterIP); IPv6 in service-ip-v6.ts. */
export function firstServiceIp(range: string): string | null {
  const primary = range.split(",")[0]!.trim();
  if (primary.includes(":")) return firstServiceIpv6(primary);
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(primary);
  if (!m) return null;
  const bits = Number(m[5]);
  if (bits > 30) return null;
  const n = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const first = ((n & mask) + 1) >>> 0;
  return [first >>> 24, (first >>> 16) & 255, (first >>> 8) & 255, first & 255].join(".");
}

export async function kubeconfigToApiserver(ctx: ClusterContext, kc: ComponentKubeconfig, who: string, serving: Cert[]): Promise<void> {
  const edge = newEdge({ from: who, to: "kube-apiserver", relation: "serving", detail: "" });
  ctx.edges.push(edge);
  edge.certificate = serving[0] ?? null;
  const target = kc.server ? serverTarget(kc.server, true, kc.tlsServerName) : null;
  if (target?.kind !== "tls" || target.serverName === null) {
    edge.detail = `${kc.path}: no https server name to check (${kc.server ?? "no server"})`;
    return;
  }
  if (!kc.ca.length) {
    edge.detail = `${kc.path} has no CA to verify the API server with`;
    return;
  }
  const check = await goVerify(serving, kc.ca, "server", ctx.at, ctx.verifier, target.serverName);
  edge.detail = `the serving certificate verified against ${kc.refs.ca} for ${target.serverName} (serverAuth)`;
  applyCheck(edge, check);
  if (!check.result.valid)
    edgeFinding(
      ctx,
      edge,
      "cluster.serving-untrusted",
      `${who} (${kc.path}) will not trust kube-apiserver at ${target.serverName}: ${why(check)}`,
      { path: kc.path, ...(serving[0] ? { certificate: serving[0].id } : {}) },
    );
}

/** The names in-cluster clients use: the `kubernetes` Service's DNS names and ClusterIP, and the advertise address. */
export function inClusterNames(ctx: ClusterContext, domain: string): string[] {
  const names = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", `kubernetes.default.svc.${domain}`];
  const range = flag(ctx, "kube-apiserver", "service-cluster-ip-range");
  const ip = range ? firstServiceIp(range) : null;
  if (ip) names.push(ip);
  else if (range)
    ctx.assumptions.push(`the first service IP of --service-cluster-ip-range ${range} could not be computed, so it was not checked`);
  const adv = flag(ctx, "kube-apiserver", "advertise-address");
  if (adv) names.push(adv);
  return names;
}

export async function podsToApiserver(ctx: ClusterContext, serving: Cert[]): Promise<void> {
  const rootFile = flag(ctx, "kube-controller-manager", "root-ca-file") ?? flag(ctx, "kube-apiserver", "client-ca-file");
  const edge = newEdge({ from: "Pods (kube-root-ca.crt)", to: "kube-apiserver", relation: "root-ca", detail: "" });
  ctx.edges.push(edge);
  edge.certificate = serving[0] ?? null;
  if (!rootFile) return;
  const roots = await ctx.material.certs(rootFile, "kube-controller-manager --root-ca-file");
  if (!Array.isArray(roots)) {
    edge.verdict = roots === "unreadable" ? "broken" : "unknown";
    edge.detail = `--root-ca-file ${rootFile} is ${roots === null ? "not in the upload" : "unreadable"}`;
    return;
  }
  const domain = ctx.kubelet?.path ? ctx.kubelet.clusterDomain : null;
  if (!domain)
    ctx.assumptions.push(
      `cluster DNS domain ${KUBELET_DEFAULTS.clusterDomain} (kubeadm's default; the kubelet's clusterDomain is ${ctx.kubelet?.path ? "not set" : "not read"})`,
    );
  const names = inClusterNames(ctx, domain ?? KUBELET_DEFAULTS.clusterDomain);
  const missing: string[] = [];
  let worst = null as Awaited<ReturnType<typeof goVerify>> | null;
  for (const name of names) {
    const check = await goVerify(serving, roots, "server", ctx.at, ctx.verifier, name);
    edge.limiting ??= check.limiting;
    if (check.result.valid) continue;
    if (check.result.reason?.code === "chain.hostname-mismatch") missing.push(name);
    else worst ??= check;
  }
  edge.breaksAt = edge.limiting?.notAfter ?? null;
  edge.detail = `the serving certificate verified against --root-ca-file ${rootFile} for ${names.join(", ")} (serverAuth)`;
  edge.verdict = worst || missing.length ? "broken" : "holds";
  const where = { path: "pki/apiserver.crt", ...(serving[0] ? { certificate: serving[0].id } : {}) };
  if (worst?.result.reason?.code === "chain.untrusted")
    edgeFinding(
      ctx,
      edge,
      "cluster.root-ca-differs",
      `--root-ca-file ${rootFile} does not verify the API server's certificate: ${why(worst)}`,
      where,
    );
  else if (worst)
    edgeFinding(ctx, edge, "cluster.serving-untrusted", `In-cluster clients will not trust kube-apiserver: ${why(worst)}`, where);
  if (missing.length)
    edgeFinding(ctx, edge, "cluster.in-cluster-name-missing", `The API server's certificate is not valid for ${missing.join(", ")}`, where);
}
