// The aggregation layer: kube-apiserver proxies to extension API servers with
// --proxy-client-cert-file; they accept it when it verifies against
// --requestheader-client-ca-file for client authentication and its CN is in
// --requestheader-allowed-names (empty: any CN). k8s.io/apiserver headerrequest / x509 verifier.
import { commonNames } from "../x509/cert.ts";
import { edgeFinding, flag, newEdge, type ClusterContext } from "./context.ts";
import { anchorsFor } from "./edges-client.ts";
import { goVerify, why } from "./edge.ts";
import { treePath } from "./tree.ts";

export async function frontProxy(ctx: ClusterContext): Promise<void> {
  const edge = newEdge({ from: "kube-apiserver (front proxy)", to: "extension API servers", relation: "front-proxy", detail: "" });
  ctx.edges.push(edge);
  const certFile = flag(ctx, "kube-apiserver", "proxy-client-cert-file");
  const certs = await anchorsFor(ctx, edge, certFile, "kube-apiserver --proxy-client-cert-file");
  if (!certs) return;
  edge.certificate = certs[0]!;
  const caFile = flag(ctx, "kube-apiserver", "requestheader-client-ca-file");
  const anchors = await anchorsFor(ctx, edge, caFile, "kube-apiserver --requestheader-client-ca-file");
  if (!anchors) return;
  const check = await goVerify(certs, anchors, "client", ctx.at, ctx.verifier);
  const allowed = (flag(ctx, "kube-apiserver", "requestheader-allowed-names") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const cn = commonNames(certs[0]!)[0] ?? "";
  edge.detail = `--proxy-client-cert-file ${certFile} verified against --requestheader-client-ca-file ${caFile} (clientAuth); CN=${cn}, allowed: ${allowed.length ? allowed.join(", ") : "any"}`;
  edge.limiting = check.limiting;
  edge.breaksAt = check.limiting.notAfter;
  const where = { path: treePath(certFile!), certificate: certs[0]!.id };
  if (!check.result.valid)
    edgeFinding(ctx, edge, "cluster.front-proxy-refused", `Extension API servers refuse ${certFile}: ${why(check)}`, where);
  const nameOk = allowed.length === 0 || allowed.includes(cn);
  if (!nameOk)
    edgeFinding(
      ctx,
      edge,
      "cluster.front-proxy-name-not-allowed",
      `${certFile} has CN=${cn}; --requestheader-allowed-names is ${allowed.join(",")}`,
      where,
    );
  edge.verdict = check.result.valid && nameOk ? "holds" : "broken";
  const clientCaFile = flag(ctx, "kube-apiserver", "client-ca-file");
  if (clientCaFile && ctx.material.has(clientCaFile)) {
    const clientCa = await ctx.material.certs(clientCaFile, "kube-apiserver --client-ca-file");
    const ids = new Set(Array.isArray(clientCa) ? clientCa.map((c) => c.id) : []);
    if (anchors.some((a) => ids.has(a.id)))
      edgeFinding(
        ctx,
        edge,
        "cluster.front-proxy-ca-is-client-ca",
        `--requestheader-client-ca-file ${caFile} and --client-ca-file ${clientCaFile} share a CA`,
        { path: treePath(caFile!) },
      );
  }
}
