// What every edge check shares: the files, the flags each component runs with, the clock of
// the audit, and the list the edges go into.
import type { FindingCode, Findings, Where } from "../findings/index.ts";
import type { SignatureVerifier } from "../x509/signature.ts";
import type { Component } from "./defaults.ts";
import type { Edge } from "./edge.ts";
import type { KubeletConfig } from "./kubelet-config.ts";
import type { Flags } from "./manifest.ts";
import type { Material } from "./material.ts";
import { nodesOf } from "./nodes.ts";

export interface ClusterContext {
  material: Material;
  flags: Record<Component, Flags>;
  at: Date;
  warnDays: number;
  verifier: SignatureVerifier;
  findings: Findings;
  edges: Edge[];
  assumptions: string[];
  /** The kubelet's /var/lib/kubelet/config.yaml (kubeadm's values when it is not uploaded). */
  kubelet?: KubeletConfig;
}

export function flag(ctx: ClusterContext, component: Component, name: string): string | null {
  return ctx.flags[component].get(name) ?? null;
}

/** Adds a finding to the report and to the edge it is about. */
export function edgeFinding(ctx: ClusterContext, edge: Edge, code: FindingCode, detail: string, where: Where = {}): void {
  edge.findings.push(ctx.findings.add(code, detail, where));
}

type Defaulted = "findings" | "verdict" | "breaksAt" | "limiting" | "certificate" | "fromNode" | "toNode";

/** A new edge, undecided; its ends' nodes derived from `from`/`to` unless the check names them. */
export function newEdge(e: Omit<Edge, Defaulted> & Partial<Edge>): Edge {
  return { verdict: "unknown", breaksAt: null, limiting: null, certificate: null, findings: [], ...nodesOf(e.from, e.to), ...e };
}
