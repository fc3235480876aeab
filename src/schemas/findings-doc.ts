// docs/findings.md, generated from the finding catalogue (one source of truth).
import { CATALOGUE } from "../core/findings/index.ts";

const FAMILIES: Record<string, string> = {
  input: "What was uploaded",
  kubeconfig: "Kubeconfig rules (client-go validation, hygiene, and the two verdicts)",
  cert: "One certificate on its own",
  chain: "Chains: path building and validation",
  key: "Private keys",
  identity: "Who the API server will think the client is",
  engine: "Limits of the audit",
  cluster: "A control plane's trust edges (a kubeadm /etc/kubernetes)",
};

export function renderFindingsDoc(): string {
  const out = [
    "# Finding catalogue",
    "",
    "Generated from `src/core/findings/` by `npm run schemas`; do not edit by hand. Codes are stable: never renamed or reused.",
    "Severity decides the verdict: any error fails, any warning warns, otherwise pass. `GET /v1/findings` serves the same catalogue as JSON.",
    "",
  ];
  const byFamily = new Map<string, [string, (typeof CATALOGUE)[keyof typeof CATALOGUE]][]>();
  for (const [code, def] of Object.entries(CATALOGUE)) {
    const fam = code.split(".")[0]!;
    byFamily.set(fam, [...(byFamily.get(fam) ?? []), [code, def]]);
  }
  for (const [fam, title] of Object.entries(FAMILIES)) {
    const rows = byFamily.get(fam) ?? [];
    out.push(`## \`${fam}.*\` — ${title}`, "", "| code | severity | what | what you see, what to do | reference |", "| --- | --- | --- | --- | --- |");
    for (const [code, def] of rows) {
      const cite = "cite" in def && def.cite ? def.cite : "";
      out.push(`| \`${code}\` | ${def.severity} | ${def.title} | ${def.advice.replace(/\|/g, "\\|")} | ${cite} |`);
    }
    out.push("");
  }
  return out.join("\n");
}
