// Client certificates → the component that verifies them: each component kubeconfig's
// certificate against kube-apiserver's --client-ca-file (clientAuth) with the identity it needs
// (apiserver-kubelet-client against the kubelet's clientCAFile is in edges-kubelet.ts).
import type { Cert } from "../x509/cert.ts";
import { edgeFinding, flag, newEdge, type ClusterContext } from "./context.ts";
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
  edge.verdict = check.result.valid && idOk ? (req.undecided ? "unknown" : "holds") : "broken";
}
