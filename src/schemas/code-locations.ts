// Where each finding code lives, found by scanning the sources for the code's string when
// docs/findings.md is generated: the files that emit it (src/, the catalogue itself left out)
// and the tests that name it (test/core/findings.test.ts holds the case that triggers it).
// Build-time only (scripts/gen-schemas.ts and the drift test): it reads the file system.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The catalogue defines every code; listing it as an emitter says nothing. */
const NOT_EMITTERS = ["src/core/findings/", "src/schemas/"];
/** The case table every code must have an entry in (its completeness test). */
export const FINDINGS_TEST = "test/core/findings.test.ts";

export interface CodeLocation {
  /** Files under src/ that name the code, outside the catalogue. */
  emitters: string[];
  /** Test files that name the code, findings.test.ts first. */
  tests: string[];
}

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...files(rel, ext));
    else if (ext.test(e.name)) out.push(rel);
  }
  return out.sort();
}

/** For each code, the files that contain it as a quoted string ("code" or `code`). */
export function locateCodes(codes: string[]): Map<string, CodeLocation> {
  const read = (f: string) => ({ f, text: readFileSync(join(ROOT, f), "utf8") });
  const src = files("src", /\.tsx?$/)
    .filter((f) => !NOT_EMITTERS.some((p) => f.startsWith(p)))
    .map(read);
  const tests = files("test", /\.test\.ts$/).map(read);
  tests.sort((a, b) => (a.f === FINDINGS_TEST ? -1 : b.f === FINDINGS_TEST ? 1 : a.f.localeCompare(b.f)));
  const names = (code: string, list: { f: string; text: string }[]) =>
    list.filter((x) => x.text.includes(`"${code}"`) || x.text.includes(`\`${code}\``)).map((x) => relative(ROOT, join(ROOT, x.f)));
  return new Map(codes.map((code) => [code, { emitters: names(code, src), tests: names(code, tests) }]));
}
