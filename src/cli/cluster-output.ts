// How the CLI prints a cluster report (a control-plane directory or a file of Kubernetes
// objects) in each format that takes one: the edge table, the JSON report, SARIF with every
// finding on the file (and line) it is about, and Markdown with the edge table (render-edges.ts).
import type { Report } from "../core/report/types.ts";
import { renderClusterTable } from "./cluster.ts";
import { safeJson } from "./escape.ts";
import { renderMarkdown, renderSarif, type FileResult, type Style } from "./render.ts";

export const CLUSTER_FORMATS = ["table", "json", "sarif", "markdown"] as const;
export type ClusterFormat = (typeof CLUSTER_FORMATS)[number];

export function isClusterFormat(f: string): f is ClusterFormat {
  return (CLUSTER_FORMATS as readonly string[]).includes(f);
}

export function renderClusterOutput(
  format: ClusterFormat,
  result: FileResult & { report: Report },
  opts: { version: string; style: Style },
): string {
  const r = result.report;
  if (format === "json") return `${safeJson(r, 2)}\n`;
  if (format === "sarif") return `${safeJson(renderSarif([result], { version: opts.version }), 2)}\n`;
  if (format === "markdown") return `${renderMarkdown([result])}\n`;
  return renderClusterTable(result.file, r.cluster!, r.findings, new Date(r.validationTime), opts.style);
}
