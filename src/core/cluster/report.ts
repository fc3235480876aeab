// A control plane's audit as a whole report (the same contract as a kubeconfig's): every
// certificate read, the findings, the verdict, and the `cluster` section with the edges. The
// report's chains and contexts are empty: the edges are the chains of a control plane.
import { effectiveExpiry, iso } from "../checks/expiry.ts";
import { countBySeverity, Findings } from "../findings/index.ts";
import { certificateJson, verdictOf } from "../report/assemble.ts";
import { SCHEMA_VERSION, type Report } from "../report/types.ts";
import { runControlPlane, type ClusterJson, type ClusterOptions } from "./audit-cluster.ts";
import type { Material } from "./material.ts";

export async function controlPlaneReport(files: Iterable<[string, Uint8Array]>, options: ClusterOptions): Promise<Report> {
  const { cluster, material } = await runControlPlane(files, options);
  return clusterReport(cluster, material, options, "directory");
}

/** The report of a cluster section: its certificates, findings and verdict. */
export function clusterReport(cluster: ClusterJson, material: Material, options: ClusterOptions, kind: "directory" | "objects"): Report {
  const warnDays = options.warnDays ?? 30;
  const sources = new Map<string, string[]>();
  for (const f of cluster.files) for (const id of f.certificates) sources.set(id, [...(sources.get(id) ?? []), f.path]);
  const certs = [...material.byId.values()].sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime());
  const earliest = effectiveExpiry(certs);
  const findings = [...cluster.findings];
  if (certs.length === 0 && !cluster.csrs?.length) {
    const none = new Findings();
    none.add(
      "input.nothing-audited",
      kind === "directory"
        ? "The directory holds no certificate a control-plane component uses (is it a kubeadm /etc/kubernetes?)."
        : "The objects hold no kubernetes.io/tls Secret, no webhook or APIService caBundle and no kube-root-ca.crt with a certificate.",
    );
    findings.push(...none.list);
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    validationTime: iso(options.at),
    warnDays,
    input: { kind, parts: cluster.files.map((f) => f.path) },
    verdict: verdictOf(findings),
    summary: {
      certificates: certs.length,
      ...countBySeverity(findings),
      earliestExpiry: earliest ? iso(earliest.notAfter) : null,
      earliestExpiryCertificate: earliest?.id ?? null,
      openQuestions: 0,
      complete: certs.length > 0 && cluster.edges.every((e) => e.verdict !== "unknown"),
    },
    certificates: certs.map((c) => certificateJson(c, sources.get(c.id) ?? [], options.at, warnDays)),
    chains: [],
    contexts: [],
    findings,
    cluster,
  };
}
