// Reports as JUnit XML, the test-report format GitLab (artifacts:reports:junit) and Jenkins read.
// Pure: strings in, a string out. One <testsuite> per input file; in it one <testcase> per
// kubeconfig context, one per certificate and one for the input as a whole (findings that name
// neither a context nor a certificate). A test case fails when it has a finding at or above the
// threshold (errors; warnings too with "warning"; nothing with "never"): the <failure> element
// carries the first such finding's code (type) and message, its text all of them. Findings below
// the threshold are listed in <system-out>. An input that could not be audited is an <error>.
import type { Finding } from "../findings/types.ts";
import type { Report } from "./types.ts";

export type JunitThreshold = "error" | "warning" | "never";

export interface JunitInput {
  file: string;
  report?: Report;
  problem?: { code: string; message: string };
}

/** XML 1.0 text: the five escapes, and characters XML cannot carry replaced by U+FFFD. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const attr = (o: Record<string, string | number>) =>
  Object.entries(o)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join("");

const fails = (f: Finding, t: JunitThreshold) => t !== "never" && (f.severity === "error" || (t === "warning" && f.severity === "warning"));

const line = (f: Finding) => `${f.severity} ${f.code}: ${f.message}${f.path ? ` (${f.path})` : ""}`;

interface Case {
  name: string;
  classname: string;
  findings: Finding[];
}

function testcase(c: Case, t: JunitThreshold): { xml: string; failed: boolean } {
  const failing = c.findings.filter((f) => fails(f, t));
  const rest = c.findings.filter((f) => !fails(f, t));
  let body = "";
  if (failing.length) {
    const first = failing[0]!;
    body += `\n      <failure${attr({ message: `${first.code}: ${first.message}`, type: first.code })}>${xmlEscape(failing.map(line).join("\n"))}</failure>`;
  }
  if (rest.length) body += `\n      <system-out>${xmlEscape(rest.map(line).join("\n"))}</system-out>`;
  const open = `    <testcase${attr({ name: c.name, classname: c.classname, time: 0 })}`;
  return { xml: body ? `${open}>${body}\n    </testcase>` : `${open}/>`, failed: failing.length > 0 };
}

function suite(input: JunitInput, t: JunitThreshold): { xml: string; tests: number; failures: number; errors: number } {
  const name = input.file || "input";
  if (!input.report) {
    const p = input.problem ?? { code: "internal", message: "no report" };
    const xml = `  <testsuite${attr({ name, tests: 1, failures: 0, errors: 1, skipped: 0, time: 0 })}>\n    <testcase${attr({ name: `read ${name}`, classname: name, time: 0 })}>\n      <error${attr({ message: `${p.code}: ${p.message}`, type: p.code })}>${xmlEscape(p.message)}</error>\n    </testcase>\n  </testsuite>`;
    return { xml, tests: 1, failures: 0, errors: 1 };
  }
  const r = input.report;
  const cases: Case[] = [{ name: "input", classname: name, findings: r.findings.filter((f) => !f.context && !f.certificate) }];
  for (const x of r.contexts)
    cases.push({ name: `context ${x.name}`, classname: `${name}.contexts`, findings: r.findings.filter((f) => f.context === x.name) });
  for (const c of r.certificates)
    cases.push({
      name: `certificate ${c.subject || "(empty subject)"} (${c.id})`,
      classname: `${name}.certificates`,
      findings: r.findings.filter((f) => f.certificate === c.id),
    });
  const done = cases.map((c) => testcase(c, t));
  const failures = done.filter((d) => d.failed).length;
  const props = [
    ["verdict", r.verdict],
    ["validationTime", r.validationTime],
    ["schemaVersion", String(r.schemaVersion)],
  ]
    .map(([k, v]) => `      <property${attr({ name: k!, value: v! })}/>`)
    .join("\n");
  const head = `  <testsuite${attr({ name, tests: done.length, failures, errors: 0, skipped: 0, time: 0, timestamp: r.validationTime.slice(0, 19) })}>\n    <properties>\n${props}\n    </properties>`;
  return { xml: `${head}\n${done.map((d) => d.xml).join("\n")}\n  </testsuite>`, tests: done.length, failures, errors: 0 };
}

export function renderJunit(inputs: JunitInput[], threshold: JunitThreshold): string {
  const suites = inputs.map((i) => suite(i, threshold));
  const sum = (k: "tests" | "failures" | "errors") => suites.reduce((n, s) => n + s[k], 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attr({ name: "certaudit", tests: sum("tests"), failures: sum("failures"), errors: sum("errors"), time: 0 })}>\n${suites.map((s) => s.xml).join("\n")}\n</testsuites>\n`;
}
