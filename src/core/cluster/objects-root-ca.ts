// kube-root-ca.crt (issue 12): kube-controller-manager's root-ca-cert-publisher writes the
// ConfigMap `kube-root-ca.crt`, data `ca.crt`, into every namespace from its --root-ca-file
// (k8s.io/kubernetes pkg/controller/certificates/rootcacertpublisher), and every service-account
// volume mounts it: Pods verify the API server with it. Each namespace's bundle is compared with
// the cluster CA when the user gives it (--root-ca-file's PEM); otherwise with the bundle most
// namespaces carry, and the report says that whether it is the cluster CA was not checked.
import type { Cert } from "../x509/cert.ts";
import { edgeFinding, newEdge, type ClusterContext } from "./context.ts";
import type { AggregationObjects } from "./objects-read-aggregation.ts";
import { caRenewal, rootCaRenewal } from "./objects-renewal.ts";

const bundleKey = (certs: Cert[]) =>
  certs
    .map((c) => c.id)
    .sort()
    .join(",");

interface Reference {
  key: string | null;
  certs: Cert[] | null;
  /** The edge's `to`. */
  name: string;
  /** The finding's phrase for a bundle that is not it. */
  other: string;
}

/** The cluster CA given, else the bundle most namespaces carry (null key when none does). */
async function reference(
  ctx: ClusterContext,
  loaded: { certs: Cert[] | null }[],
  rootCaFile: string | null,
): Promise<Reference | "unreadable"> {
  if (rootCaFile) {
    const certs = await ctx.material.certs(rootCaFile, "the cluster CA given (--root-ca, or the API's rootCA part)");
    if (!Array.isArray(certs)) return "unreadable";
    return { key: bundleKey(certs), certs, name: "the cluster CA given", other: "the cluster CA given" };
  }
  const counts = new Map<string, number>();
  for (const l of loaded) if (l.certs) counts.set(bundleKey(l.certs), (counts.get(bundleKey(l.certs)) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const top = ranked[0] && (ranked.length === 1 || ranked[0][1] > ranked[1]![1]) ? ranked[0] : null;
  return {
    key: loaded.length > 1 && top ? top[0] : null,
    certs: null,
    name: `kube-root-ca.crt of the other namespaces (${top?.[1] ?? 0} of ${loaded.length} carry the same bundle)`,
    other: `the kube-root-ca.crt of ${top?.[1] ?? 0} other namespaces`,
  };
}

export async function rootCaEdges(ctx: ClusterContext, agg: AggregationObjects, rootCaFile: string | null): Promise<void> {
  if (!agg.rootCas.length) return;
  const loaded: { namespace: string; path: string | null; certs: Cert[] | null }[] = [];
  for (const r of agg.rootCas) {
    const certs = r.path ? await ctx.material.certs(r.path, `ConfigMap ${r.namespace}/kube-root-ca.crt`) : null;
    loaded.push({ namespace: r.namespace, path: r.path, certs: Array.isArray(certs) ? certs : null });
  }
  const ref = await reference(ctx, loaded, rootCaFile);
  if (ref === "unreadable") return; // the finding (cluster.file-unreadable) says why
  for (const l of loaded) {
    const who = `ConfigMap ${l.namespace}/kube-root-ca.crt`;
    // A comparison (relations.ts): `to` is the reference, which is no component or object.
    const edge = newEdge({ from: who, to: ref.name, relation: "root-ca-configmap", toNode: null, detail: "" });
    ctx.edges.push(edge);
    const where = { path: l.path ?? `configmaps/${l.namespace}/kube-root-ca.crt` };
    if (!l.certs) {
      edge.verdict = "broken";
      edge.detail = "ca.crt holds no readable certificate: Pods in this namespace cannot verify the API server";
      edge.renewal = rootCaRenewal(l.namespace);
      if (!l.path) edgeFinding(ctx, edge, "cluster.root-ca-configmap-differs", `${who} has no ca.crt`, where);
      continue;
    }
    const first = l.certs.reduce((a, c) => (c.notAfter < a.notAfter ? c : a));
    edge.certificate = l.certs[0]!;
    edge.limiting = first;
    edge.breaksAt = first.notAfter;
    if (ref.key === null) {
      edge.detail =
        loaded.length === 1
          ? "the only kube-root-ca.crt in the input: nothing to compare it with"
          : "the namespaces carry different bundles and none is carried by most";
      if (loaded.length > 1)
        edgeFinding(ctx, edge, "cluster.root-ca-configmap-differs", `${who}: namespaces disagree on kube-root-ca.crt`, where);
      continue;
    }
    const same = bundleKey(l.certs) === ref.key;
    edge.verdict = same ? "holds" : "broken";
    edge.renewal = same
      ? caRenewal("kube-root-ca.crt (the CA of kube-controller-manager --root-ca-file; kubeadm: pki/ca.crt)")
      : rootCaRenewal(l.namespace);
    edge.detail = `ca.crt compared with ${ref.name}: ${same ? "the same certificates" : "different certificates"}`;
    if (!same)
      edgeFinding(
        ctx,
        edge,
        "cluster.root-ca-configmap-differs",
        `${who} differs from ${ref.other}; Pods here verify the API server with another CA`,
        { ...where, certificate: l.certs[0]!.id },
      );
  }
  if (!rootCaFile)
    ctx.assumptions.push(
      "kube-root-ca.crt ConfigMaps were compared with each other only: whether they hold the cluster CA (kube-controller-manager --root-ca-file, the CA that signs the API server's certificate) was not checked; give it with --root-ca FILE (the API: a rootCA part)",
    );
}
