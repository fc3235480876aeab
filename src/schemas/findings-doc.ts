// docs/findings.md, generated from the finding catalogue (one source of truth), with each
// code's emitting source files and tests found by scanning for the code (code-locations.ts).
import { CATALOGUE } from "../core/findings/index.ts";
import { locateCodes, type CodeLocation } from "./code-locations.ts";

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

/** At most this many test files are named per code (findings.test.ts first); the rest are counted. */
const MAX_TESTS = 3;

const link = (f: string) => `[${f}](../${f})`;

function where(loc: CodeLocation | undefined): { emitted: string; tested: string } {
  if (!loc) return { emitted: "", tested: "" };
  const shown = loc.tests.slice(0, MAX_TESTS).map(link);
  const more = loc.tests.length - shown.length;
  return {
    emitted: loc.emitters.map(link).join(", ") || "(built from a variable)",
    tested: shown.join(", ") + (more > 0 ? ` and ${more} more` : ""),
  };
}

export function renderFindingsDoc(): string {
  const locations = locateCodes(Object.keys(CATALOGUE));
  const cited = Object.values(CATALOGUE).filter((d) => "cite" in d && d.cite).length;
  const out = [
    "# Finding catalogue",
    "",
    "Generated from `src/core/findings/` by `npm run schemas`; do not edit by hand. Codes are stable: never renamed or reused.",
    "Severity decides the verdict: any error fails, any warning warns, otherwise pass. `GET /v1/findings` serves the same catalogue as JSON.",
    "",
    "*emitted by*: the source files that name the code (found by scanning `src/` when this file is generated); *tested by*: `test/core/findings.test.ts` holds the case that triggers each code, then other tests that name it. How to add a code: [CONTRIBUTING.md](../CONTRIBUTING.md).",
    `${cited} of ${Object.keys(CATALOGUE).length} codes cite their source.`,
    "",
  ];
  const byFamily = new Map<string, [string, (typeof CATALOGUE)[keyof typeof CATALOGUE]][]>();
  for (const [code, def] of Object.entries(CATALOGUE)) {
    const fam = code.split(".")[0]!;
    byFamily.set(fam, [...(byFamily.get(fam) ?? []), [code, def]]);
  }
  for (const [fam, title] of Object.entries(FAMILIES)) {
    const rows = byFamily.get(fam) ?? [];
    out.push(
      `## \`${fam}.*\` — ${title}`,
      "",
      "| code | severity | what | what you see, what to do | reference | emitted by | tested by |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const [code, def] of rows) {
      const cite = "cite" in def && def.cite ? def.cite : "";
      const w = where(locations.get(code));
      out.push(
        `| \`${code}\` | ${def.severity} | ${def.title} | ${def.advice.replace(/\|/g, "\\|")} | ${cite} | ${w.emitted} | ${w.tested} |`,
      );
    }
    out.push("");
  }
  return out.join("\n");
}
