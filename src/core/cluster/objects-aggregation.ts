// The edges of the aggregation layer and of the cluster CA among Kubernetes objects (issue 12):
// - each APIService with a spec.service: its caBundle must verify the serving certificate of that
//   Service for `<service>.<namespace>.svc`, as kube-aggregator's proxy transport checks it
//   (k8s.io/kube-aggregator pkg/apiserver/handler_proxy.go proxyHandler.updateAPIService:
//   TLS{Insecure: spec.insecureSkipTLSVerify, ServerName: spec.service.name + "." +
//   spec.service.namespace + ".svc", CAData: spec.caBundle}; spec.service == nil is `local`,
//   served by kube-apiserver itself, so no edge);
// - each namespace's kube-root-ca.crt against the others' (the cluster CA itself is not in the
//   objects: that question is left open and said in the assumptions);
// - kube-system/extension-apiserver-authentication: the front proxy's CA should not be the client CA.
import type { Cert } from "../x509/cert.ts";
import { edgeFinding, newEdge, type ClusterContext } from "./context.ts";
import { verifyCaBundle } from "./objects.ts";
import { caRenewal, rootCaRenewal } from "./objects-renewal.ts";
import type { TlsSecret } from "./objects-read.ts";
import type { AggregationObjects, ApiService, ExtensionAuth } from "./objects-read-aggregation.ts";

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

const bundleKey = (certs: Cert[]) => certs.map((c) => c.id).join(",");

/** Each namespace's kube-root-ca.crt against the bundle most namespaces carry. */
export async function rootCaEdges(ctx: ClusterContext, agg: AggregationObjects): Promise<void> {
  if (!agg.rootCas.length) return;
  const loaded: { namespace: string; path: string | null; certs: Cert[] | null }[] = [];
  for (const r of agg.rootCas) {
    const certs = r.path ? await ctx.material.certs(r.path, `ConfigMap ${r.namespace}/kube-root-ca.crt`) : null;
    loaded.push({ namespace: r.namespace, path: r.path, certs: Array.isArray(certs) ? certs : null });
  }
  const counts = new Map<string, number>();
  for (const l of loaded) if (l.certs) counts.set(bundleKey(l.certs), (counts.get(bundleKey(l.certs)) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const majority = ranked[0] && (ranked.length === 1 || ranked[0][1] > ranked[1]![1]) ? ranked[0][0] : null;
  const carrying = majority ? counts.get(majority)! : 0;
  const clientCa = agg.extensionAuth?.clientCa
    ? await ctx.material.certs(agg.extensionAuth.clientCa, "extension-apiserver-authentication")
    : null;
  const sameAsClientCa = (certs: Cert[]) =>
    Array.isArray(clientCa) ? (certs.every((c) => clientCa.some((k) => k.id === c.id)) ? "equals" : "differs from") : null;
  for (const l of loaded) {
    const who = `ConfigMap ${l.namespace}/kube-root-ca.crt`;
    const edge = newEdge({
      from: who,
      to: `kube-root-ca.crt of the other namespaces (${carrying} of ${loaded.length} carry the same bundle)`,
      relation: "root-ca",
      detail: "",
    });
    ctx.edges.push(edge);
    const where = { path: l.path ?? `configmaps/${l.namespace}/kube-root-ca.crt` };
    if (!l.certs) {
      edge.verdict = "broken";
      edge.detail = "ca.crt holds no readable certificate: Pods in this namespace cannot verify the API server";
      if (!l.path) edgeFinding(ctx, edge, "cluster.root-ca-configmap-differs", `${who} has no ca.crt`, where);
      continue;
    }
    const first = l.certs.reduce((a, c) => (c.notAfter < a.notAfter ? c : a));
    edge.certificate = l.certs[0]!;
    edge.limiting = first;
    edge.breaksAt = first.notAfter;
    const vsClient = sameAsClientCa(l.certs);
    const note = vsClient ? `; it ${vsClient} the API server's client-ca-file (extension-apiserver-authentication)` : "";
    if (loaded.length === 1) {
      edge.detail = `the only kube-root-ca.crt in the input: nothing to compare it with${note}`;
      continue;
    }
    if (majority === null) {
      edge.detail = `the namespaces carry different bundles and none is carried by most${note}`;
      edgeFinding(ctx, edge, "cluster.root-ca-configmap-differs", `${who}: namespaces disagree on kube-root-ca.crt`, where);
      continue;
    }
    const same = bundleKey(l.certs) === majority;
    edge.verdict = same ? "holds" : "broken";
    edge.renewal = same
      ? caRenewal("kube-root-ca.crt (the CA of kube-controller-manager --root-ca-file; kubeadm: pki/ca.crt)")
      : rootCaRenewal(l.namespace);
    edge.detail = `ca.crt compared with the bundle ${carrying} of ${loaded.length} namespaces carry: ${same ? "the same certificates" : "different certificates"}${note}`;
    if (!same)
      edgeFinding(
        ctx,
        edge,
        "cluster.root-ca-configmap-differs",
        `${who} differs from the kube-root-ca.crt of ${carrying} other namespaces; Pods here verify the API server with another CA`,
        { ...where, certificate: l.certs[0]!.id },
      );
  }
  ctx.assumptions.push(
    "kube-root-ca.crt ConfigMaps were compared with each other only: whether they hold the cluster CA (kube-controller-manager --root-ca-file, the CA that signs the API server's certificate) was not checked; the control-plane directory answers that",
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
export async function aggregationEdges(ctx: ClusterContext, agg: AggregationObjects, secrets: Map<TlsSecret, Cert[]>): Promise<void> {
  for (const a of agg.apiServices) await apiServiceEdge(ctx, a, secrets);
  const local = agg.apiServices.filter((a) => !a.service).length;
  if (local)
    ctx.assumptions.push(
      `${local} local APIService(s) (no spec.service: served by kube-apiserver itself) are not trust edges and were not checked`,
    );
  await rootCaEdges(ctx, agg);
  await extensionAuthChecks(ctx, agg.extensionAuth);
}
