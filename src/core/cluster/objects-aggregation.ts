// The edges of the aggregation layer and of the cluster CA among Kubernetes objects (issue 12):
// - each APIService with a spec.service: its caBundle must verify the serving certificate of that
//   Service for `<service>.<namespace>.svc`, as kube-aggregator's proxy transport checks it
//   (k8s.io/kube-aggregator pkg/apiserver/handler_proxy.go proxyHandler.updateAPIService:
//   TLS{Insecure: spec.insecureSkipTLSVerify, ServerName: spec.service.name + "." +
//   spec.service.namespace + ".svc", CAData: spec.caBundle}; spec.service == nil is `local`,
//   served by kube-apiserver itself, so no edge);
// - each namespace's kube-root-ca.crt (objects-root-ca.ts);
// - kube-system/extension-apiserver-authentication: the front proxy's CA should not be the client CA.
import type { Cert } from "../x509/cert.ts";
import { edgeFinding, newEdge, type ClusterContext } from "./context.ts";
import { verifyCaBundle } from "./objects.ts";
import type { TlsSecret } from "./objects-read.ts";
import type { AggregationObjects, ApiService, ExtensionAuth } from "./objects-read-aggregation.ts";
import { rootCaEdges } from "./objects-root-ca.ts";

export async function apiServiceEdge(ctx: ClusterContext, a: ApiService, secrets: Map<TlsSecret, Cert[]>): Promise<void> {
  if (!a.service) return;
  const who = `APIService ${a.name}`;
  const host = `${a.service.name}.${a.service.namespace}.svc`;
  const edge = newEdge({ from: who, to: "kube-apiserver (aggregator proxy)", relation: "apiservice", detail: "" });
  ctx.edges.push(edge);
  const where = { path: a.caBundle ?? `apiservices/${a.name}` };
  if (a.insecure) {
    edge.detail = `insecureSkipTLSVerify: true: the aggregator checks no certificate of ${host} (caBundle ignored)`;
    edgeFinding(
      ctx,
      edge,
      "cluster.apiservice-insecure",
      `${who}: insecureSkipTLSVerify is true; the aggregator accepts any certificate from ${host}`,
      where,
    );
    return;
  }
  if (!a.caBundle) {
    edge.detail = `no caBundle: the aggregator verifies ${host} with its system roots, which the input does not show`;
    edgeFinding(ctx, edge, "cluster.apiservice-serving-unknown", `${who}: ${edge.detail}`, where);
    return;
  }
  await verifyCaBundle(
    ctx,
    edge,
    {
      who,
      host,
      caBundle: a.caBundle,
      injectFrom: a.injectFrom,
      where,
      untrusted: "cluster.apiservice-cabundle-untrusted",
      unknown: "cluster.apiservice-serving-unknown",
      consequence: "the aggregator will not trust",
      field: "spec.caBundle",
    },
    secrets,
  );
}

/** extension-apiserver-authentication: read; the front-proxy CA reused as the client CA is a finding (the edge itself needs the proxy's certificate). */
export async function extensionAuthChecks(ctx: ClusterContext, e: ExtensionAuth | null): Promise<void> {
  if (!e) return;
  const who = "ConfigMap kube-system/extension-apiserver-authentication";
  const client = e.clientCa ? await ctx.material.certs(e.clientCa, `${who} client-ca-file`) : null;
  const front = e.requestHeaderCa ? await ctx.material.certs(e.requestHeaderCa, `${who} requestheader-client-ca-file`) : null;
  if (Array.isArray(client) && Array.isArray(front) && front.some((f) => client.some((c) => c.id === f.id)))
    ctx.findings.add("cluster.front-proxy-ca-is-client-ca", `${who}: requestheader-client-ca-file and client-ca-file share a CA`, {
      path: e.requestHeaderCa!,
    });
  const names = e.allowedNames === null ? "unreadable or absent" : e.allowedNames.length ? e.allowedNames.join(", ") : "any";
  ctx.assumptions.push(
    `${who} read (requestheader-allowed-names: ${names}); the front proxy's client certificate is not among the objects, so the front-proxy edge was not checked`,
  );
}

/** A real private key in a Secret that came over the network (the CLI sends fingerprints instead). */
export function uploadedKeys(ctx: ClusterContext, secrets: TlsSecret[]): void {
  for (const s of secrets)
    if (s.files.key && ctx.material.has(s.files.key))
      ctx.findings.add("input.private-key-uploaded", `Secret ${s.namespace}/${s.name} holds tls.key, a private key, in the upload.`, {
        path: s.files.key,
      });
}

/** APIServices, kube-root-ca.crt, extension-apiserver-authentication; local APIServices named in the assumptions. */
export async function aggregationEdges(
  ctx: ClusterContext,
  agg: AggregationObjects,
  secrets: Map<TlsSecret, Cert[]>,
  rootCaFile: string | null,
): Promise<void> {
  for (const a of agg.apiServices) await apiServiceEdge(ctx, a, secrets);
  const local = agg.apiServices.filter((a) => !a.service).length;
  if (local)
    ctx.assumptions.push(
      `${local} local APIService(s) (no spec.service: served by kube-apiserver itself) are not trust edges and were not checked`,
    );
  await rootCaEdges(ctx, agg, rootCaFile);
  await extensionAuthChecks(ctx, agg.extensionAuth);
}
