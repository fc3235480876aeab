// Kubernetes objects (`kubectl get secrets,validatingwebhookconfigurations,mutatingwebhookconfigurations
// -A -o yaml`) audited edge by edge: the report has the same `cluster` section as a control plane,
// with layout "objects" and no components.
import { Findings } from "../findings/index.ts";
import type { Report } from "../report/types.ts";
import type { Cert } from "../x509/cert.ts";
import { SignatureVerifier } from "../x509/signature.ts";
import { expiringEdges, toJson, type ClusterJson, type ClusterOptions } from "./audit-cluster.ts";
import type { ClusterContext } from "./context.ts";
import { auditCsrs } from "./csr.ts";
import { COMPONENTS, type Component } from "./defaults.ts";
import type { Flags } from "./manifest.ts";
import { Material } from "./material.ts";
import { tlsSecretEdges, webhookEdge } from "./objects.ts";
import { aggregationEdges, uploadedKeys } from "./objects-aggregation.ts";
import { readObjects, type TlsSecret } from "./objects-read.ts";
import { clusterReport } from "./report.ts";

/**
 * keysUploaded: the objects came over the network (a tls.key in them is then input.private-key-uploaded);
 * rootCa: the PEM of kube-controller-manager's --root-ca-file (the cluster CA), when the user has it.
 */
export type ObjectsOptions = ClusterOptions & { keysUploaded?: boolean; rootCa?: Uint8Array };

/** Where the given cluster CA sits in the objects' tree. */
export const ROOT_CA_FILE = "root-ca-file/ca.crt";

export async function auditObjects(text: string, options: ObjectsOptions): Promise<{ cluster: ClusterJson; material: Material }> {
  const objects = readObjects(text);
  if (options.rootCa) objects.tree.set(ROOT_CA_FILE, options.rootCa);
  const findings = new Findings();
  const material = new Material(objects.tree, options.subtle, findings);
  const flags = Object.fromEntries(COMPONENTS.map((c) => [c, new Map()])) as Record<Component, Flags>;
  const ctx: ClusterContext = {
    material,
    flags,
    at: options.at,
    warnDays: options.warnDays ?? 30,
    verifier: new SignatureVerifier(options.subtle),
    findings,
    edges: [],
    assumptions: [],
  };
  const serving = new Map<TlsSecret, Cert[]>();
  for (const s of objects.secrets) {
    const certs = await tlsSecretEdges(ctx, s);
    if (certs) serving.set(s, certs);
  }
  for (const w of objects.webhooks) await webhookEdge(ctx, w, serving);
  await aggregationEdges(ctx, objects.aggregation, serving, options.rootCa ? ROOT_CA_FILE : null);
  if (options.keysUploaded) uploadedKeys(ctx, objects.secrets);
  const csrs = await auditCsrs(ctx, objects.csrs, options.subtle, options.rootCa ? ROOT_CA_FILE : null);
  for (const [kind, n] of objects.skipped) ctx.assumptions.push(`${n} ${kind} object(s) in the input were not audited (not covered yet)`);
  expiringEdges(ctx);
  const manifests = Object.fromEntries(COMPONENTS.map((c) => [c, null])) as Record<Component, string | null>;
  return { cluster: { ...toJson(ctx, manifests), layout: "objects", components: [], ...(csrs.length ? { csrs } : {}) }, material };
}

export async function objectsReport(text: string, options: ObjectsOptions): Promise<Report> {
  const { cluster, material } = await auditObjects(text, options);
  return clusterReport(cluster, material, options, "objects");
}
