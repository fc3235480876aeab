// Client certificates → the component that verifies them: each component kubeconfig's
// certificate against kube-apiserver's --client-ca-file (clientAuth) with the identity it needs,
// and apiserver-kubelet-client against the kubelet's clientCAFile.
import type { Cert } from "../x509/cert.ts";
import { edgeFinding, flag, newEdge, type ClusterContext } from "./context.ts";
import { KUBELET_DEFAULTS } from "./defaults.ts";
import { goVerify, why, type Edge } from "./edge.ts";
import { identityOf, type Requirement } from "./identity.ts";
import type { ComponentKubeconfig } from "./material.ts";

/** Loads a CA file for an edge; sets the edge unknown/broken and returns null when it cannot. */
export async function anchorsFor(ctx: ClusterContext, edge: Edge, path: string | null, who: string): Promise<Cert[] | null> {
  if (!path) {
    edge.detail = `${who} is not set`;
    return null;
  }
  const certs = await ctx.material.certs(path, who);
  if (Array.isArray(certs)) return certs;
  edge.verdict = certs === "unreadable" ? "broken" : "unknown";
  edge.detail = `${who} ${path} is ${certs === null ? "not in the upload" : "unreadable"}`;
  return null;
}

export async function kubeconfigClient(ctx: ClusterContext, kc: ComponentKubeconfig, req: Requirement): Promise<void> {
  const edge = newEdge({ from: req.component, to: "kube-apiserver", relation: "client", detail: "" });
  ctx.edges.push(edge);
  if (!kc.client.length) {
    edge.detail = `${kc.path} has no client certificate (${kc.refs.cert})`;
    return;
  }
  edge.certificate = kc.client[0]!;
  const caFile = flag(ctx, "kube-apiserver", "client-ca-file");
  const anchors = await anchorsFor(ctx, edge, caFile, "kube-apiserver --client-ca-file");
  if (!anchors) return;
  const check = await goVerify(kc.client, anchors, "client", ctx.at, ctx.verifier);
  const { cn, orgs } = identityOf(kc.client[0]!);
  edge.detail = `${kc.refs.cert} verified against --client-ca-file ${caFile} (clientAuth); identity CN=${cn}${orgs.length ? `, O=${orgs.join("+")}` : ""}, needs ${req.wants}`;
  edge.limiting = check.limiting;
  edge.breaksAt = check.limiting.notAfter;
  const where = { path: kc.path, certificate: kc.client[0]!.id };
  if (!check.result.valid)
    edgeFinding(
      ctx,
      edge,
      "cluster.client-refused",
      `kube-apiserver refuses ${req.component}'s certificate from ${kc.path}: ${why(check)}`,
      where,
    );
  const idOk = req.ok(cn, orgs);
  if (!idOk)
    edgeFinding(
      ctx,
      edge,
      "cluster.identity-wrong",
      `${kc.path} authenticates as CN=${cn}${orgs.length ? `, O=${orgs.join("+")}` : ""}; ${req.component} needs ${req.wants}`,
      where,
    );
  edge.verdict = check.result.valid && idOk ? "holds" : "broken";
}

/** kube-apiserver → kubelet: --kubelet-client-certificate against the kubelet's clientCAFile (kubeadm's default when /var/lib/kubelet/config.yaml is not uploaded). */
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
  ctx.assumptions.push(
    `the kubelet's clientCAFile is ${KUBELET_DEFAULTS.clientCAFile} (kubeadm's KubeletConfiguration; /var/lib/kubelet/config.yaml is not read yet)`,
  );
  const anchors = await anchorsFor(ctx, edge, KUBELET_DEFAULTS.clientCAFile, "the kubelet's clientCAFile");
  if (!anchors) return;
  const check = await goVerify(presented, anchors, "client", ctx.at, ctx.verifier);
  edge.detail = `${certFile} verified against the kubelet's clientCAFile ${KUBELET_DEFAULTS.clientCAFile} (clientAuth)`;
  edge.limiting = check.limiting;
  edge.breaksAt = check.limiting.notAfter;
  edge.verdict = check.result.valid ? "holds" : "broken";
  if (!check.result.valid)
    edgeFinding(
      ctx,
      edge,
      "cluster.client-refused",
      `Kubelets refuse kube-apiserver's client certificate ${certFile} (kubectl logs/exec fail): ${why(check)}`,
      { path: certFile.replace(/^\/etc\/kubernetes\//, ""), certificate: presented[0]!.id },
    );
}
