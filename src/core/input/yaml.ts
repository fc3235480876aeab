// Safe YAML for kubeconfigs: one document, no aliases, no tags, no directives, unique keys,
// bounded nesting. Error messages from the yaml package quote source lines (which can hold a
// token), so only the error code and position are passed on, never the message.
import { LineCounter, parseDocument, visit } from "yaml";
import { InputProblem } from "../errors.ts";

/** Deeper than any kubeconfig (about 6 levels); bounds the parser's recursion. */
const MAX_NESTING = 64;
/** A kubeconfig line is never indented this much; a guard against indentation-depth bombs. */
const MAX_INDENT = 256;

const PLAIN: Record<string, string> = {
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

function checkNesting(text: string): void {
  let depth = 0;
  let line = 1;
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      col = 0;
      continue;
    }
    if (col === 0) {
      let j = i;
      while (j < text.length && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      if (j - i > MAX_INDENT) throw new InputProblem("input.yaml-unsafe", 400, `line ${line} is indented more than ${MAX_INDENT} characters`, { line });
      if (text.charCodeAt(j) === 37 /* % */) throw new InputProblem("input.yaml-unsafe", 400, "YAML directives (%YAML, %TAG) are not accepted in a kubeconfig", { line, column: 1 });
    }
    col++;
    if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) throw new InputProblem("input.yaml-unsafe", 400, `brackets nest deeper than ${MAX_NESTING} levels`, { line, column: col });
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
}

export function parseYaml(text: string): unknown {
  checkNesting(text);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, merge: false, prettyErrors: false, strict: true, lineCounter });
  const err = doc.errors[0];
  if (err) {
    const pos = lineCounter.linePos(err.pos[0]);
    const what = PLAIN[err.code] ?? `YAML error ${err.code}`;
    throw new InputProblem("input.yaml-syntax", 400, `the kubeconfig is not valid YAML: ${what} at line ${pos.line}, column ${pos.col}`, { line: pos.line, column: pos.col });
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
    throw new InputProblem("input.yaml-unsafe", 400, `YAML tags (!...) are not accepted in a kubeconfig (line ${t.line}, column ${t.col})`, { line: t.line, column: t.col });
  }
  if (anchored) throw new InputProblem("input.yaml-unsafe", 400, "YAML anchors and aliases (&, *) are not accepted in a kubeconfig");
  return doc.toJS({ maxAliasCount: 0 });
}
