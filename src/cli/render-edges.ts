// The trust edges of a cluster report (issue 12) as Markdown, for the job summary and
// `--format markdown`: one table per control-plane directory or objects file, in the core's order
// (by the date each edge breaks, broken ones first), then the first edge to break and the
// renewal plan. Everything shown is the core's; input text is escaped (escape.ts).
import type { ClusterJson } from "../core/cluster/index.ts";
import type { Report } from "../core/report/types.ts";
import { mdCode, mdText } from "./escape.ts";
import { certificateSource } from "./locate-cluster.ts";

type Edge = ClusterJson["edges"][number];
const code = (s: string) => mdCode(s, { table: true });
const VERDICT: Record<Edge["verdict"], string> = { holds: "✅ holds", broken: "❌ broken", unknown: "❔ unknown" };

/** When an edge breaks, in words: `now` for an edge broken while its certificates are in date. */
export function breaksWhen(e: Edge, at: Date): string {
  if (!e.breaksAt) return e.verdict === "broken" ? "now" : "-";
  return e.verdict === "broken" && new Date(e.breaksAt) > at ? "now" : e.breaksAt.slice(0, 10);
}

export function edgesMarkdown(results: { file: string; report?: Report | undefined }[]): string[] {
  const out: string[] = [];
  for (const { file, report } of results) {
    const c = report?.cluster;
    if (!report || !c) continue;
    const at = new Date(report.validationTime);
    const dir = report.input.kind === "directory" ? `${file.replace(/\/+$/, "")}/` : "";
    const broken = c.edges.filter((e) => e.verdict === "broken").length;
    out.push(
      `### Trust edges of ${mdCode(file)} (${c.layout === "objects" ? "Kubernetes objects" : "kubeadm control plane"}), by the date they break`,
      "",
      `${c.edges.length} edges: ${broken} broken, ${c.edges.filter((e) => e.verdict === "unknown").length} undecided.`,
      "",
      "| Verdict | Breaks | Relation | Edge | Certificate file |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const e of c.edges) {
      const f = e.certificate ? (certificateSource(report, e.certificate) ?? "") : "";
      out.push(
        `| ${VERDICT[e.verdict]} | ${breaksWhen(e, at)} | ${mdText(e.relation)} | ${mdText(`${e.from} → ${e.to}`)} | ${f ? code(`${dir}${f}`) : ""} |`,
      );
    }
    out.push("");
    if (c.firstBreak) {
      const e = c.edges[c.firstBreak.edge]!;
      out.push(
        `First to break: ${mdText(`${e.from} → ${e.to}`)}${e.verdict === "broken" ? " (broken now)" : ` on **${c.firstBreak.at?.slice(0, 10)}**`}`,
        "",
      );
    }
    if (c.renewals.length) {
      out.push("Renewal plan:", "");
      for (const r of c.renewals)
        out.push(
          `- ${new Date(r.before) <= at ? "now" : `before ${r.before.slice(0, 10)}`}: ${mdText(r.command)}${r.restart ? `; restart ${mdText(r.restart)}` : ""}`,
        );
      out.push("");
    }
    if (c.assumptions.length) {
      out.push("Assumed:", "");
      for (const a of c.assumptions) out.push(`- ${mdText(a)}`);
      out.push("");
    }
  }
  return out;
}

/**
 * The Action's edge outputs over every cluster report: the number of broken edges, and when the
 * first edge breaks (ISO 8601; the validation time when one is broken already). Both empty when
 * no control-plane directory or objects file was audited.
 */
export function edgeOutputs(results: { report?: Report | undefined }[]): { broken: string; firstBreak: string } {
  const clusters = results.flatMap((r) => (r.report?.cluster ? [{ c: r.report.cluster, at: r.report.validationTime }] : []));
  if (!clusters.length) return { broken: "", firstBreak: "" };
  let first: string | null = null;
  for (const { c, at } of clusters) {
    const e = c.firstBreak ? c.edges[c.firstBreak.edge] : undefined;
    if (!e) continue;
    const t = e.verdict === "broken" ? (e.breaksAt && e.breaksAt < at ? e.breaksAt : at) : e.breaksAt;
    if (t && (!first || new Date(t) < new Date(first))) first = t;
  }
  const broken = clusters.reduce((n, { c }) => n + c.edges.filter((e) => e.verdict === "broken").length, 0);
  return { broken: String(broken), firstBreak: first ?? "" };
}
