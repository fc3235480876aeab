// A kubeadm control plane's trust, edge by edge: reads the static Pods' flags (kubeadm's
// defaults where a manifest is missing, said so), loads the files they name from the upload,
// and asks of every edge whether the Go component that verifies accepts, and until when.
import type { z } from "zod";
import { iso } from "../checks/expiry.ts";
import { Findings } from "../findings/index.ts";
import type { ClusterSchema } from "../report/schema.ts";
import { SignatureVerifier } from "../x509/signature.ts";
import { PUBSHA256_SUFFIX } from "./key-fingerprint.ts";
import { applyKeyPair, judgeKeyPair } from "./key-pair.ts";
import { edgeFinding, newEdge, type ClusterContext } from "./context.ts";
import { COMPONENTS, KUBEADM_FLAGS, KUBELET_DEFAULTS, MANIFEST_FILES, type Component } from "./defaults.ts";
import type { Edge } from "./edge.ts";
import { kubeconfigClient } from "./edges-client.ts";
import { apiserverToEtcd, etcdPeers, etcdToApiserver } from "./edges-etcd.ts";
import { frontProxy } from "./edges-front-proxy.ts";
import { apiserverToKubelet, kubeletRotation, kubeletServing } from "./edges-kubelet.ts";
import { keyPairs, serviceAccountKeys, signingCa } from "./edges-keys.ts";
import { kubeconfigToApiserver, podsToApiserver } from "./edges-serving.ts";
import { KUBECONFIG_IDENTITIES } from "./identity.ts";
import { kubeletClientEdge } from "./kubelet-client.ts";
import { repairNow } from "./repair-now.ts";
import { readKubeletConfig } from "./kubelet-config.ts";
import { readStaticPodFlags, type Flags } from "./manifest.ts";
import { Material } from "./material.ts";
import { describeRenewal, renewalFor } from "./renewal.ts";
import { fileText, normalizeTree } from "./tree.ts";
import { reportUploadedKeys } from "./uploaded-keys.ts";

export type ClusterJson = z.infer<typeof ClusterSchema>;

export interface ClusterOptions {
  at: Date;
  subtle: SubtleCrypto;
  warnDays?: number;
  /** The tree came over the network: a private key in it is input.private-key-uploaded (once). */
  keysUploaded?: boolean;
}

function readFlags(
  tree: ReturnType<typeof normalizeTree>,
  findings: Findings,
  assumptions: string[],
): { flags: Record<Component, Flags>; manifests: Record<Component, string | null> } {
  const flags = {} as Record<Component, Flags>;
  const manifests = {} as Record<Component, string | null>;
  for (const c of COMPONENTS) {
    const file = MANIFEST_FILES[c];
    const text = fileText(tree, file);
    const read = text === null ? null : readStaticPodFlags(text);
    if (read && "flags" in read) {
      flags[c] = read.flags;
      manifests[c] = file;
      continue;
    }
    if (read && "problem" in read)
      findings.add("cluster.file-unreadable", `${file} cannot be read (${read.problem}); kubeadm's flags were assumed for ${c}.`, {
        path: file,
      });
    else
      findings.add("cluster.defaults-assumed", `${file} is not in the upload: ${c} is assumed to run with kubeadm's flags.`, {
        path: file,
      });
    assumptions.push(`${c} runs with kubeadm's default flags (${file} not read)`);
    flags[c] = new Map(Object.entries(KUBEADM_FLAGS[c]));
    manifests[c] = null;
  }
  return { flags, manifests };
}

/** The cluster section of the report. */
export async function auditControlPlane(files: Iterable<[string, Uint8Array]>, options: ClusterOptions): Promise<ClusterJson> {
  return (await runControlPlane(files, options)).cluster;
}

/** The cluster section and the files it was read from (for the report's certificates). */
export async function runControlPlane(
  files: Iterable<[string, Uint8Array]>,
  options: ClusterOptions,
): Promise<{ cluster: ClusterJson; material: Material }> {
  const tree = normalizeTree(files);
  const findings = new Findings();
  const assumptions: string[] = [];
  const { flags, manifests } = readFlags(tree, findings, assumptions);
  if (options.keysUploaded) reportUploadedKeys(tree, findings);
  const material = new Material(tree, options.subtle, findings);
  const ctx: ClusterContext = {
    material,
    flags,
    at: options.at,
    warnDays: options.warnDays ?? 30,
    verifier: new SignatureVerifier(options.subtle),
    findings,
    edges: [],
    assumptions,
    kubelet: readKubeletConfig(tree, findings, assumptions),
  };

  const servingFile = flags["kube-apiserver"].get("tls-cert-file");
  const serving = servingFile ? await material.certs(servingFile, "kube-apiserver --tls-cert-file") : null;
  for (const req of KUBECONFIG_IDENTITIES) {
    const path =
      req.file === "controller-manager.conf"
        ? (flags["kube-controller-manager"].get("kubeconfig") ?? req.file)
        : req.file === "scheduler.conf"
          ? (flags["kube-scheduler"].get("kubeconfig") ?? req.file)
          : req.file === "kubelet.conf"
            ? KUBELET_DEFAULTS.kubeconfig
            : req.file;
    if (!material.has(path)) {
      // admin.conf and super-admin.conf are optional on a node (super-admin.conf exists only where kubeadm init ran).
      if (req.file !== "admin.conf" && req.file !== "super-admin.conf") material.missing(path, req.component);
      continue;
    }
    const conf = await material.kubeconfig(path, req.component);
    if (conf === null || conf === "unreadable") continue;
    if (Array.isArray(serving)) await kubeconfigToApiserver(ctx, conf, req.component, serving);
    // The kubelet presents its certificate store's pair, kubelet.conf's only as the bootstrap fallback (kubelet-client.ts).
    const kc = req.file === "kubelet.conf" ? await kubeletClientEdge(ctx, conf, req) : conf;
    if (kc === null) continue;
    if (req.file !== "kubelet.conf") await kubeconfigClient(ctx, kc, req);
    if ((kc.key || kc.keyRefusal) && kc.client[0]) {
      const edge = newEdge({
        from: kc.refs.key,
        to: `${req.component}'s client certificate`,
        relation: "key-pair",
        detail: `${kc.refs.key} against ${kc.refs.cert}`,
        certificate: kc.client[0],
      });
      ctx.edges.push(edge);
      const j = await judgeKeyPair(kc.key ?? "unreadable", kc.keyRefusal, kc.client[0], ctx.material.subtle);
      const files = { key: kc.refs.key, cert: kc.refs.cert };
      applyKeyPair(ctx, edge, j, req.component, files, { certPath: kc.path, keyPath: kc.path, certificate: kc.client[0].id });
      if (j.mismatch)
        edgeFinding(
          ctx,
          edge,
          "cluster.key-mismatch",
          `${kc.refs.key} is not the key of ${kc.refs.cert}; ${req.component} cannot connect`,
          { path: kc.path, certificate: kc.client[0].id },
        );
    }
  }
  if (Array.isArray(serving)) await podsToApiserver(ctx, serving);
  await apiserverToKubelet(ctx);
  await kubeletServing(ctx);
  await apiserverToEtcd(ctx);
  await etcdToApiserver(ctx);
  await etcdPeers(ctx);
  await frontProxy(ctx);
  await serviceAccountKeys(ctx);
  await signingCa(ctx);
  await keyPairs(ctx);
  kubeletRotation(ctx);
  // Certificates and keys in the upload that no component loads (kubeadm's etcd/healthcheck-client pair,
  // made for etcdctl; front-proxy-ca.key, which only kubeadm signs with) are said, not passed over.
  // A file with the bytes of one read is its copy (a symbolic link archived as its target: kubelet-client-current.pem).
  const read = [...material.files.keys()].map((p) => tree.get(p)).filter((b) => b !== undefined);
  const copy = (b: Uint8Array) => read.some((r) => r.length === b.length && r.every((x, i) => x === b[i]));
  const unread = [...tree]
    .filter(([p, b]) => /\.(crt|key|pem|pub|conf)(\.pubsha256)?$/.test(p) && !material.files.has(p) && !copy(b))
    .map(([p]) => (p.endsWith(PUBSHA256_SUFFIX) ? p.slice(0, -PUBSHA256_SUFFIX.length) : p)) // a key sent as its fingerprint
    .sort();
  if (unread.length) assumptions.push(`not checked, as no component's flags or kubeadm's layout name them: ${unread.join(", ")}`);

  expiringEdges(ctx);
  return { cluster: toJson(ctx, manifests), material };
}

/** A warning on each edge that holds now and breaks within the warning window. */
export function expiringEdges(ctx: ClusterContext): void {
  const soon = new Date(ctx.at.getTime() + ctx.warnDays * 86_400_000);
  for (const e of ctx.edges)
    if (e.verdict === "holds" && e.breaksAt && e.breaksAt <= soon)
      edgeFinding(
        ctx,
        e,
        "cluster.edge-expiring",
        `${e.from} → ${e.to} breaks on ${iso(e.breaksAt)}`,
        e.certificate ? { certificate: e.certificate.id } : {},
      );
}

/** When an edge breaks: its earliest notAfter, or the validation time for an edge already broken for another reason. */
function breakTime(e: Edge, at: Date): number {
  const t = e.breaksAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return e.verdict === "broken" ? Math.min(t, at.getTime()) : t;
}

export function toJson(ctx: ClusterContext, manifests: Record<Component, string | null>): ClusterJson {
  const time = (e: Edge) => breakTime(e, ctx.at);
  const edges = [...ctx.edges].sort((a, b) => time(a) - time(b));
  const brokenAt = edges.findIndex((e) => e.verdict === "broken");
  const first = brokenAt >= 0 ? brokenAt : edges.findIndex((e) => e.breaksAt !== null);
  const renewals = new Map<string, { command: string; restart: string | null; before: Date }>();
  const renewalOf = (e: Edge) =>
    e.renewal ?? renewalFor(e.limiting ? ctx.material.pathOf.get(e.limiting.id) : undefined, ctx.kubelet?.rotateCertificates);
  const plan = (r: { command: string; restart: string | null }, before: Date) => {
    const seen = renewals.get(r.command);
    if (!seen || before < seen.before) renewals.set(r.command, { ...r, before });
  };
  // A broken edge's line is due now, with its findings' repair (repair-now.ts); its renewal's dated line would say wait.
  // (An edge broken by expiry keeps its renewal: dated in the past, it already reads "now".)
  const brokenNow = edges.filter((e) => e.verdict === "broken" && !e.renewal && !(e.breaksAt && e.breaksAt <= ctx.at));
  const repaired = new Set(brokenNow.map((e) => renewalOf(e)?.command));
  for (const e of brokenNow) {
    const r = repairNow(e.findings);
    if (r) plan(r, ctx.at);
  }
  for (const e of edges) {
    for (const x of e.alsoRenew ?? []) plan(x.renewal, x.before);
    const r = renewalOf(e);
    if (!r || !e.breaksAt || (!e.renewal && repaired.has(r.command))) continue;
    // The plan is about expiry: a broken edge's fix is in its findings (renewing keeps a certificate's SANs).
    // An object edge's own repair (a caBundle to update) is due when it breaks: now, if it is broken.
    plan(r, e.renewal ? new Date(time(e)) : e.breaksAt);
  }
  return {
    layout: "kubeadm",
    components: COMPONENTS.map((name) => ({ name, manifest: manifests[name], flags: Object.fromEntries(ctx.flags[name]) })),
    files: [...ctx.material.files]
      .map(([path, f]) => ({ path, kind: f.kind, certificates: f.certificates }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
    assumptions: [...new Set(ctx.assumptions)],
    edges: edges.map((e) => ({
      from: e.from,
      to: e.to,
      relation: e.relation,
      fromNode: e.fromNode,
      toNode: e.toNode,
      verdict: e.verdict,
      breaksAt: e.breaksAt ? iso(e.breaksAt) : null,
      detail: e.detail,
      certificate: e.certificate?.id ?? null,
      renew: describeRenewal(renewalOf(e)),
      findings: e.findings,
    })),
    // When it breaks, as the edges are sorted: an edge already broken for another reason (an untrusted
    // chain, a wrong name, a key pair) breaks at the validation time, not at its certificate's notAfter.
    firstBreak: first >= 0 ? { edge: first, at: Number.isFinite(time(edges[first]!)) ? iso(new Date(time(edges[first]!))) : null } : null,
    renewals: [...renewals.values()]
      .sort((a, b) => a.before.getTime() - b.before.getTime())
      .map((r) => ({ command: r.command, restart: r.restart, before: iso(r.before) })),
    findings: ctx.findings.list,
  };
}
