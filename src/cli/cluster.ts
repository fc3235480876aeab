// `certaudit DIR`: a kubeadm control-plane directory (/etc/kubernetes) read locally and audited
// edge by edge (core/cluster). Only regular files, at most MAX_FILES of at most 8 MiB each, a few
// levels deep; nothing leaves the machine.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { controlPlaneReport, type ClusterJson } from "../core/cluster/index.ts";
import type { Report } from "../core/report/types.ts";
import type { Stats } from "node:fs";
import { renderCsrs, shown } from "./csr-table.ts";
import type { Style } from "./render.ts";

const MAX_FILES = 2000;
const MAX_BYTES = 8 * 1024 * 1024;
const MAX_DEPTH = 6;

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The directory's regular files as relative path → bytes (symlinks followed, as the components follow them). */
export function readTree(root: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      let st: Stats;
      try {
        st = statSync(p);
      } catch {
        continue; // a dangling link: the component could not read it either
      }
      if (st.isDirectory()) {
        if (depth < MAX_DEPTH) walk(p, depth + 1);
      } else if (st.isFile() && st.size <= MAX_BYTES) {
        if (out.size >= MAX_FILES)
          throw new Error(
            `${root} holds more than ${MAX_FILES} files; give certaudit the control-plane directory itself (/etc/kubernetes)`,
          );
        out.set(relative(root, p), new Uint8Array(readFileSync(p)));
      }
    }
  };
  walk(root, 0);
  return out;
}

export async function auditDirectory(tree: Map<string, Uint8Array>, at: Date, subtle: SubtleCrypto, warnDays?: number): Promise<Report> {
  return controlPlaneReport(tree, { at, subtle, ...(warnDays !== undefined ? { warnDays } : {}) });
}

/** The edges, sorted by the date they break (the core's order), then the findings and the renewal plan. */
export function renderClusterTable(dir: string, c: ClusterJson, findings: Report["findings"], at: Date, s: Style): string {
  const lines = [
    s.bold(
      `${dir}: ${c.layout === "objects" ? "Kubernetes objects" : "kubeadm control plane"}, validated at ${at.toISOString().replace(/\.\d{3}Z$/, "Z")}`,
    ),
    "",
  ];
  // A broken edge whose certificates are still in date is broken now (an untrusted chain, a wrong name).
  const when = (e: ClusterJson["edges"][number]) =>
    !e.breaksAt ? "-" : e.verdict === "broken" && new Date(e.breaksAt) > at ? "now" : e.breaksAt.slice(0, 10);
  const rows = c.edges.map((e) => [
    e.verdict === "holds" ? s.green("holds") : e.verdict === "broken" ? s.red("BROKEN") : s.yellow("unknown"),
    when(e),
    e.relation,
    `${e.from} → ${e.to}`,
  ]);
  const heads = ["verdict", "breaks", "relation"];
  const widths = heads.map((h, i) => Math.max(...rows.map((r) => shown(r[i]!)), h.length));
  // Only what exists: input of CSRs alone has no trust edge, so no edge table.
  if (rows.length) lines.push(`  ${heads.map((h, i) => h.padEnd(widths[i]!)).join("  ")}  edge`);
  for (const r of rows)
    lines.push(
      `  ${r
        .slice(0, 3)
        .map((v, i) => v + " ".repeat(Math.max(0, widths[i]! - shown(v))))
        .join("  ")}  ${r[3]}`,
    );
  if (c.csrs?.length) lines.push(...(rows.length ? [""] : []), ...renderCsrs(c.csrs, s));
  if (c.firstBreak) {
    const e = c.edges[c.firstBreak.edge]!;
    lines.push(
      "",
      `First to break: ${e.from} → ${e.to}${e.verdict === "broken" ? " (broken now)" : ` on ${c.firstBreak.at?.slice(0, 10)}`}`,
    );
  }
  if (findings.length) {
    lines.push("", s.bold("Findings"));
    for (const f of findings)
      lines.push(
        `  ${f.severity === "error" ? s.red("error") : f.severity === "warning" ? s.yellow("warning") : s.dim("info")}  ${f.code}  ${f.message}`,
      );
  }
  if (c.renewals.length) {
    lines.push("", s.bold("Renewal plan"));
    for (const r of c.renewals)
      lines.push(
        `  ${new Date(r.before) <= at ? "now" : `before ${r.before.slice(0, 10)}`}: ${r.command}${r.restart ? `; restart ${r.restart}` : ""}`,
      );
  }
  if (c.assumptions.length) {
    lines.push("", s.bold("Assumed"));
    for (const a of c.assumptions) lines.push(`  ${a}`);
  }
  return `${lines.join("\n")}\n`;
}
