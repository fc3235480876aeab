// Safe YAML for kubeconfigs: one document, no aliases, no tags, no directives, unique keys,
// bounded nesting. Error messages from the yaml package quote source lines (which can hold a
// token), so only the error code and position are passed on, never the message.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import { InputProblem } from "../errors.ts";
import { readPlainYaml } from "./yaml-plain.ts";

/** Deeper than any kubeconfig (about 6 levels); bounds the parser's recursion. */
const MAX_NESTING = 64;
/** A kubeconfig line is never indented this much; a guard against indentation-depth bombs. */
const MAX_INDENT = 256;

export const PLAIN: Record<string, string> = {
  DUPLICATE_KEY: "a key appears twice in the same mapping",
  MULTIPLE_DOCS: "the input holds more than one YAML document",
  BAD_INDENT: "indentation is inconsistent",
  MISSING_CHAR: "a closing bracket or quote is missing",
  UNEXPECTED_TOKEN: "unexpected token",
  BLOCK_AS_IMPLICIT_KEY: "a block value is used as a key",
  TAB_AS_INDENT: "tabs are used for indentation",
  MULTILINE_IMPLICIT_KEY: "a key spans several lines",
  BAD_SCALAR_START: "a value starts with a reserved character",
};

/**
 * Bounds what the yaml package is given: no line indented more than MAX_INDENT, no directive,
 * brackets nested at most MAX_NESTING deep. Errors are raised in text order (the first problem
 * wins). Line starts are found with indexOf and brackets with one regular expression, so the
 * long base64 lines of a kubeconfig are not walked character by character.
 */
function checkNesting(text: string): void {
  const lineProblem = firstLineProblem(text);
  const limit = lineProblem ? lineProblem.pos : text.length;
  const brackets = /[[\]{}]/g;
  let depth = 0;
  for (let m = brackets.exec(text); m && m.index < limit; m = brackets.exec(text)) {
    const c = m[0];
    if (c === "[" || c === "{") {
      if (++depth > MAX_NESTING) {
        const lineStart = text.lastIndexOf("\n", m.index - 1) + 1;
        let line = 1;
        for (let i = text.indexOf("\n"); i >= 0 && i < m.index; i = text.indexOf("\n", i + 1)) line++;
        throw new InputProblem("input.yaml-unsafe", 400, `brackets nest deeper than ${MAX_NESTING} levels`, {
          line,
          column: m.index - lineStart + 1,
        });
      }
    } else if (depth > 0) depth--;
  }
  if (lineProblem) throw lineProblem.problem;
}

/** The first line indented more than MAX_INDENT or holding a directive, with its offset. */
function firstLineProblem(text: string): { pos: number; problem: InputProblem } | null {
  let line = 1;
  for (let i = 0; i < text.length; line++) {
    let j = i;
    while (j < text.length && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    if (j - i > MAX_INDENT)
      return {
        pos: i,
        problem: new InputProblem("input.yaml-unsafe", 400, `line ${line} is indented more than ${MAX_INDENT} characters`, { line }),
      };
    if (text.charCodeAt(j) === 37 /* % */)
      return {
        pos: i,
        problem: new InputProblem("input.yaml-unsafe", 400, "YAML directives (%YAML, %TAG) are not accepted in a kubeconfig", {
          line,
          column: 1,
        }),
      };
    const nl = text.indexOf("\n", j);
    if (nl < 0) break;
    i = nl + 1;
  }
  return null;
}

/** go-yaml v2's bools and nulls for plain scalars (gopkg.in/yaml.v2 resolve.go, resolve table). */
const GO_TRUE = new Set(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"]);
const GO_FALSE = new Set(["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"]);
const GO_NULL = new Set(["", "~", "null", "Null", "NULL"]);
/** strconv.ParseInt(s, 0, 64) syntax once underscores are removed, and resolve.go's yamlStyleFloat. */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * A plain (unquoted) scalar as kubectl's YAML reader types it: sigs.k8s.io/yaml on go-yaml v2,
 * which keeps YAML 1.1's bools (`yes`, `on`, `y`), reads `0777` and `1_000` as numbers, and
 * leaves timestamps and `1:20` as strings. Infinities and NaN are left as strings here.
 */
function goPlain(src: string): unknown {
  if (GO_NULL.has(src)) return null;
  if (GO_TRUE.has(src)) return true;
  if (GO_FALSE.has(src)) return false;
  const plain = src.replaceAll("_", "");
  if (/^[-+0-9.]/.test(src) && (GO_INT.test(plain) || GO_FLOAT.test(plain))) return Number(plain) || 0; // only the type matters
  return src;
}

function goValue(node: unknown): unknown {
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) out[String(isScalar(pair.key) ? pair.key.value : pair.key)] = goValue(pair.value);
    return out;
  }
  if (isSeq(node)) return node.items.map(goValue);
  if (isScalar(node)) return node.type === "PLAIN" ? goPlain(node.source ?? String(node.value ?? "")) : node.value;
  return null;
}

export function parseYaml(text: string): unknown {
  return parseYamlTyped(text).value;
}

/**
 * The document twice: `value` as YAML 1.2 reads it (what we audit), `go` typed as kubectl's YAML
 * reader types it (to find the values kubectl refuses because of their type).
 */
export function parseYamlTyped(text: string): { value: unknown; go: unknown } {
  checkNesting(text);
  return readPlainYaml(text, goPlain) ?? parseWithYamlPackage(text);
}

/** parseYamlTyped through the yaml package, for any YAML (exported for the differential test). */
export function parseWithYamlPackage(text: string): { value: unknown; go: unknown } {
  const lineCounter = new LineCounter();
  // logLevel "error": the library's warnings (a collection used as a key, ...) quote the input and
  // would go to the Worker's log (process.emitWarning / console.warn); errors are read below.
  const doc = parseDocument(text, { uniqueKeys: true, merge: false, prettyErrors: false, strict: true, lineCounter, logLevel: "error" });
  const err = doc.errors[0];
  if (err) {
    const pos = lineCounter.linePos(err.pos[0]);
    const what = PLAIN[err.code] ?? `YAML error ${err.code}`;
    throw new InputProblem("input.yaml-syntax", 400, `the kubeconfig is not valid YAML: ${what} at line ${pos.line}, column ${pos.col}`, {
      line: pos.line,
      column: pos.col,
    });
  }
  let tagged: { line: number; col: number } | null = null;
  let anchored = false;
  visit(doc, {
    Node(_, node) {
      if (node.tag && !tagged) tagged = lineCounter.linePos(node.range?.[0] ?? 0);
      if ((node as { anchor?: string }).anchor) anchored = true;
    },
    Alias() {
      anchored = true;
    },
  });
  if (tagged) {
    const t = tagged as { line: number; col: number };
    throw new InputProblem(
      "input.yaml-unsafe",
      400,
      `YAML tags (!...) are not accepted in a kubeconfig (line ${t.line}, column ${t.col})`,
      { line: t.line, column: t.col },
    );
  }
  if (anchored) throw new InputProblem("input.yaml-unsafe", 400, "YAML anchors and aliases (&, *) are not accepted in a kubeconfig");
  return { value: doc.toJS({ maxAliasCount: 0 }), go: goValue(doc.contents) };
}
