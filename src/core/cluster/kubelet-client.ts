// The client certificate the kubelet really presents to kube-apiserver, and the node name it must
// carry. With rotateCertificates on, the kubelet's client certificate manager picks it (client-go
// util/certificate/certificate_manager.go getCurrentCertificateOrBootstrap): store.Current() —
// /var/lib/kubelet/pki/kubelet-client-current.pem (certificate_store.go fileStore.Current) — wins
// while it is before its notAfter; when the store has no pair (NoCertKeyError) or the pair has
// expired, the kubeconfig's certificate and key are only the bootstrap pair it falls back to; any
// other store error (a pem that cannot be loaded) is returned and the kubelet does not start.
// With rotation off, the kubelet uses kubelet.conf as it is (cmd/kubelet/app/server.go
// buildKubeletClientConfig).
import { edgeFinding, newEdge, type ClusterContext } from "./context.ts";
import { kubeconfigClient } from "./edges-client.ts";
import type { Requirement } from "./identity.ts";
import { KUBELET_PKI } from "./kubelet-config.ts";
import type { ComponentKubeconfig } from "./material.ts";
import { treePath } from "./tree.ts";

/** The kubelet's client certificate store (certificate_store.go: pairNamePrefix kubelet-client + "-current.pem"). */
export const KUBELET_CLIENT_CURRENT = `${KUBELET_PKI}/kubelet-client-current.pem`;

export interface KubeletClient {
  kc: ComponentKubeconfig;
  /** Which certificate the kubelet presents and why, for the edge's words. */
  how: string;
  /** The pem could not be loaded: the kubelet does not start (no fallback). */
  storeError: string | null;
}

/** The certificate and key the kubelet presents, chosen as client-go's certificate manager chooses. */
export async function kubeletPresented(ctx: ClusterContext, kc: ComponentKubeconfig): Promise<KubeletClient> {
  const pem = treePath(KUBELET_CLIENT_CURRENT);
  const conf = `${kc.path}'s own credentials (${kc.refs.cert})`;
  if (!ctx.kubelet?.rotateCertificates) return { kc, how: `${conf}: rotateCertificates is off`, storeError: null };
  if (kc.refs.cert === pem) return { kc, how: `${pem}, which ${kc.path} names`, storeError: null };
  if (!ctx.material.has(KUBELET_CLIENT_CURRENT))
    return { kc, how: `${conf}, the bootstrap pair: ${pem} is not in the upload (absent, the kubelet falls back to it)`, storeError: null };
  const certs = await ctx.material.certs(KUBELET_CLIENT_CURRENT, "the kubelet's client certificate store");
  // Go's tls.X509KeyPair stops at the certificates when they cannot be loaded: one reason, one
  // finding (the Material's), so the key is read only after them.
  const key =
    Array.isArray(certs) && certs.length ? await ctx.material.key(KUBELET_CLIENT_CURRENT, "the kubelet's client certificate store") : null;
  if (!Array.isArray(certs) || !certs.length || key === null || key === "unreadable")
    return {
      kc,
      how: `${pem} (cannot be loaded)`,
      storeError: `${pem} cannot be loaded, so the kubelet's certificate manager fails and the kubelet does not start (no fallback to ${kc.path})`,
    };
  if (ctx.at >= certs[0]!.notAfter)
    return { kc, how: `${conf}, the bootstrap pair: ${pem} expired on ${certs[0]!.notAfter.toISOString()}`, storeError: null };
  const presented: ComponentKubeconfig = {
    ...kc,
    client: certs,
    key,
    keyRefusal: ctx.material.keyRefusal(KUBELET_CLIENT_CURRENT),
    refs: { ...kc.refs, cert: pem, key: pem },
  };
  return { kc: presented, how: `${pem} (the kubelet's current certificate; ${kc.path}'s is only its bootstrap pair)`, storeError: null };
}

/**
 * The node name the kubelet registers as (cmd/kubelet/app/server.go getNodeName: --hostname-override,
 * else the host's name), as far as the files tell: --hostname-override in kubeadm-flags.env, else
 * kubelet.conf's user, which kubeadm names system:node:<node name> (kubeadm kubeconfig phase). Null
 * when neither says.
 */
export function kubeletNodeName(ctx: ClusterContext, kc: ComponentKubeconfig): { name: string; from: string } | null {
  const override = ctx.kubelet?.hostnameOverride;
  if (override) return { name: override.toLowerCase(), from: "--hostname-override" };
  const user = kc.user ?? "";
  if (user.startsWith("system:node:") && user.length > 12) return { name: user.slice(12), from: `${kc.path}'s user ${user}` };
  return null;
}

/**
 * kubelet.conf's identity bound to the node's own name: the Node authorizer and NodeRestriction
 * admission let system:node:<name> read and write only its own Node object and the Pods bound to it
 * (plugin/pkg/auth/authorizer/node/node_authorizer.go; plugin/pkg/admission/noderestriction
 * admission.go: "node %q is not allowed to modify node %q"), so another node's name is wrong.
 */
export function kubeletRequirement(base: Requirement, node: { name: string; from: string } | null): Requirement {
  if (!node)
    return {
      ...base,
      wants: `${base.wants} (the node name is not known from the upload: no --hostname-override and ${base.file}'s user is not system:node:<name>; the name was not compared)`,
      undecided: "the node name is not known",
    };
  const cn = `system:node:${node.name}`;
  return {
    ...base,
    wants: `CN=${cn} (the node's name, from ${node.from}), O=system:nodes`,
    ok: (c, o) => c === cn && o.includes("system:nodes"),
  };
}

/** kubelet → kube-apiserver with the pair the kubelet presents; returns it (for the key-pair edge), or null when the kubelet cannot start. */
export async function kubeletClientEdge(
  ctx: ClusterContext,
  conf: ComponentKubeconfig,
  req: Requirement,
): Promise<ComponentKubeconfig | null> {
  const presented = await kubeletPresented(ctx, conf);
  if (presented.storeError) {
    const edge = newEdge({ from: req.component, to: "kube-apiserver", relation: "client", detail: presented.storeError });
    ctx.edges.push(edge);
    edge.verdict = "broken";
    // The Material already said why the pem cannot be loaded (cluster.file-unreadable): that finding
    // is the edge's, not a second one in other words.
    const pem = treePath(KUBELET_CLIENT_CURRENT);
    const said = ctx.findings.list.filter((f) => f.code === "cluster.file-unreadable" && f.path === pem);
    if (said.length) edge.findings.push(...said);
    else edgeFinding(ctx, edge, "cluster.file-unreadable", presented.storeError, { path: pem });
    return null;
  }
  const node = kubeletNodeName(ctx, conf);
  await kubeconfigClient(ctx, presented.kc, kubeletRequirement(req, node));
  const edge = ctx.edges[ctx.edges.length - 1]!;
  edge.detail = `${edge.detail}; presents ${presented.how}`;
  if (!node)
    ctx.assumptions.push(`the kubelet's node name is not known from the upload, so its client certificate's CN was not compared with it`);
  return presented.kc;
}
