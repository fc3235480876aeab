// docs/cluster.md shows real certaudit output: every block between
//   <!-- certaudit ARGS -->            (the command's standard output, as a console session)
//   <!-- certaudit-json ARGS | PATH --> (an excerpt of its JSON report, PATH such as cluster.edges[0])
// and the matching <!-- /certaudit --> is the output of bin/certaudit.cjs run with ARGS from the
// repository root. `npm run docs:cluster` rewrites the blocks;
// test/node/cluster-doc.test.ts re-runs them and fails when the doc says something else.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..");
export const DOC = join(ROOT, "docs/cluster.md");
const BLOCK = /<!-- (certaudit|certaudit-json) (.+?) -->\n[\s\S]*?<!-- \/certaudit -->/g;

function runCli(args: string[]): string {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/certaudit.cjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`certaudit ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** `a.b[2].c` of a JSON value. */
function select(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    const key = part.startsWith("[") ? Number(part.slice(1, -1)) : part;
    v = (v as Record<string | number, unknown> | undefined)?.[key];
  }
  return v;
}

function block(kind: string, spec: string): string {
  if (kind === "certaudit") {
    const args = spec.split(" ");
    return `\`\`\`console\n$ certaudit ${spec}\n${runCli(args).trimEnd()}\n\`\`\``;
  }
  const [argText, path] = spec.split(" | ") as [string, string];
  const report = JSON.parse(runCli([...argText.split(" "), "--format", "json"]));
  return `\`\`\`console\n$ certaudit ${argText} --format json | jq '.${path}'\n${JSON.stringify(select(report, path), null, 2)}\n\`\`\``;
}

/** The doc with every generated block re-run. */
export function renderClusterDoc(text: string): string {
  return text.replace(BLOCK, (_, kind: string, spec: string) => `<!-- ${kind} ${spec} -->\n${block(kind, spec)}\n<!-- /certaudit -->`);
}

if (import.meta.main) {
  writeFileSync(DOC, renderClusterDoc(readFileSync(DOC, "utf8")));
  console.log("wrote docs/cluster.md");
}
