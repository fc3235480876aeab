// What every fuzz case must satisfy, whatever the input. Each check returns the broken rule in
// words, or null. The schema validators come from the caller (ajv over schemas/*.json in Node; the
// zod schemas they are generated from inside workerd, where code generation is not allowed).

export type Validate = (value: unknown) => string | null;

/** JavaScript's own error texts: a finding that carries one is a bug leaking into a message. */
const JS_ERROR_TEXT = [
  "Cannot read properties",
  "is not a function",
  "is not iterable",
  "undefined",
  "[object Object]",
  "NaN",
  "Maximum call stack",
  "Cannot convert",
  "Invalid array length",
  "Invalid time value",
];

interface Finding {
  code: string;
  severity: string;
  message: string;
}
interface ChainLike {
  valid: boolean;
  status: string;
  path: string[];
  anchor: string | null;
}

function checkChain(c: ChainLike, where: string): string | null {
  if (c.valid !== (c.status === "valid")) return `${where}: valid is ${c.valid} but status is ${c.status}`;
  if (!c.valid) return null;
  if (!c.path.length) return `${where}: valid: true with an empty path`;
  if (!c.anchor) return `${where}: valid: true without an anchor`;
  if (c.path[c.path.length - 1] !== c.anchor)
    return `${where}: valid: true but the path ends at ${c.path[c.path.length - 1]}, not at the anchor ${c.anchor}`;
  return null;
}

function checkMessages(findings: Finding[], inputText: string): string | null {
  for (const f of findings)
    for (const t of JS_ERROR_TEXT)
      if (f.message.includes(t) && !inputText.includes(t))
        return `finding ${f.code} carries JavaScript error text "${t}": ${f.message.slice(0, 300)}`;
  return null;
}

export function checkSecrets(output: string, secrets: string[]): string | null {
  for (const s of secrets) if (output.includes(s)) return `the output contains the secret ${s.slice(0, 12)}…`;
  return null;
}

/** A report from audit() (or /v1/audit). `inputText` is the input as text, to tell echoed words from ours. */
export function checkReport(report: unknown, validate: Validate, secrets: string[], inputText: string): string | null {
  const bad = validate(report);
  if (bad) return `the report does not validate against its schema: ${bad}`;
  const r = report as {
    chains: ChainLike[];
    findings: Finding[];
    verdict: string;
    summary: { errors: number; warnings: number; infos: number };
  };
  for (const [i, c] of r.chains.entries()) {
    const e = checkChain(c, `chains[${i}]`);
    if (e) return e;
  }
  // The verdict as the schema documents it: fail on an error finding, warn on a warning, else pass.
  const count = (s: string) => r.findings.filter((f) => f.severity === s).length;
  const expected = count("error") ? "fail" : count("warning") ? "warn" : "pass";
  if (r.verdict !== expected) return `verdict ${r.verdict} with ${count("error")} error and ${count("warning")} warning findings`;
  if (r.summary.errors !== count("error") || r.summary.warnings !== count("warning") || r.summary.infos !== count("info"))
    return "summary counts differ from the findings";
  return checkMessages(r.findings, inputText) ?? checkSecrets(JSON.stringify(report), secrets);
}

/** A result of verifyCertificate() (or /v1/verify). */
export function checkVerifyResult(result: unknown, validate: Validate, secrets: string[], inputText: string): string | null {
  const bad = validate(result);
  if (bad) return `the verify result does not validate against its schema: ${bad}`;
  const r = result as ChainLike & { findings: Finding[] };
  return checkChain(r, "result") ?? checkMessages(r.findings, inputText) ?? checkSecrets(JSON.stringify(result), secrets);
}

/** A refused request (InputProblem or problem+json): its detail must quote no secret and no JS error. */
export function checkProblem(detail: string, secrets: string[], inputText: string): string | null {
  for (const t of JS_ERROR_TEXT)
    if (detail.includes(t) && !inputText.includes(t)) return `problem detail carries JavaScript error text "${t}": ${detail.slice(0, 300)}`;
  return checkSecrets(detail, secrets);
}
