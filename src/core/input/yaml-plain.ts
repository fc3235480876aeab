// A fast reader for the plain block YAML that kubectl writes (`kubectl config view --raw`):
// block mappings and sequences, one-line plain scalars, simple quoted scalars, `{}` and `[]`.
// It returns null for anything else (comments after a value, block scalars, flow collections,
// multi-line scalars, anchors, tags, numbers, tabs, CR, duplicate keys, ...), and the caller then
// reads the text with the yaml package. For what it accepts, it must give exactly what the yaml
// package gives (`toJS`, YAML 1.2 core schema) and what yaml.ts's goValue gives:
// test/core/yaml-plain.test.ts compares both over the fixtures and generated kubeconfigs.
// The yaml package's parseDocument lexes each long base64 scalar character by character (about a
// quarter of a kubeconfig audit's CPU in workerd); this reads it with one indexOf per line.

export interface PlainYaml {
  /** As the yaml package's toJS reads it (YAML 1.2 core schema). */
  value: unknown;
  /** As yaml.ts's goValue types it (kubectl's go-yaml v2). */
  go: unknown;
}

interface Line {
  indent: number;
  /** The line without its indentation and trailing spaces. */
  text: string;
}

/** Thrown inside the reader when the text leaves the subset; never escapes readPlainYaml. */
const OUTSIDE = Symbol("outside the plain subset");

/** A key kubectl writes: a letter or underscore, then letters, digits, `_ . / -`. */
const KEY = /^([A-Za-z_][A-Za-z0-9_./-]*):(?: +|$)/;
/** Keys the core schema would read as null or a boolean (the object key would differ), or a prototype. */
const ODD_KEY = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|__proto__)$/;
/** Printable ASCII except the comment sign and quotes. */
const PLAIN_CHARS = /^[\x20-\x21\x24-\x26\x28-\x7e]+$/;
/** First characters that are YAML indicators (c-indicator) or start a non-string core-schema scalar. */
const BAD_FIRST = /^[-?:,[\]{}#&*!|>'"%@`0-9+.~]/;
const NULL = /^(?:[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

function splitLines(text: string): Line[] | null {
  const out: Line[] = [];
  let i = 0;
  while (i <= text.length) {
    let end = text.indexOf("\n", i);
    if (end < 0) end = text.length;
    let s = i;
    while (s < end && text.charCodeAt(s) === 32) s++;
    let e = end;
    while (e > s && text.charCodeAt(e - 1) === 32) e--;
    if (e > s) {
      const c = text.charCodeAt(s);
      // A full-line comment is skipped; `---`, `...` and directives are left to the yaml package.
      if (c !== 35) {
        const t = text.slice(s, e);
        if (t.startsWith("---") || t.startsWith("...")) return null;
        out.push({ indent: s - i, text: t });
      }
    }
    i = end + 1;
  }
  return out;
}

/** A one-line scalar (or `{}` / `[]`) as both readers type it. */
function scalar(src: string, goPlain: (s: string) => unknown): PlainYaml {
  if (src === "{}") return { value: {}, go: {} };
  if (src === "[]") return { value: [], go: [] };
  const q = src.charCodeAt(0);
  if (q === 34 || q === 39) {
    const body = src.slice(1, -1);
    if (
      src.length < 2 ||
      src.charCodeAt(src.length - 1) !== q ||
      !PLAIN_CHARS.test(body || "x") ||
      body.includes("\\") ||
      body.includes("#")
    )
      throw OUTSIDE;
    return { value: body, go: body };
  }
  if (!PLAIN_CHARS.test(src) || BAD_FIRST.test(src) || src.includes(": ") || src.endsWith(":")) throw OUTSIDE;
  const value = NULL.test(src) ? null : BOOL.test(src) ? src.charCodeAt(0) === 116 || src.charCodeAt(0) === 84 : src;
  return { value, go: goPlain(src) };
}

class Reader {
  i = 0;
  private readonly lines: Line[];
  private readonly goPlain: (s: string) => unknown;
  constructor(lines: Line[], goPlain: (s: string) => unknown) {
    this.lines = lines;
    this.goPlain = goPlain;
  }

  /** The node whose first line is lines[i], at that line's indentation. */
  node(indent: number): PlainYaml {
    const line = this.lines[this.i]!;
    if (line.indent !== indent) throw OUTSIDE;
    return line.text === "-" || line.text.startsWith("- ") ? this.sequence(indent) : this.mapping(indent);
  }

  sequence(indent: number): PlainYaml {
    const value: unknown[] = [];
    const go: unknown[] = [];
    for (let line = this.lines[this.i]; line && line.indent === indent; line = this.lines[this.i]) {
      if (line.text !== "-" && !line.text.startsWith("- ")) break;
      let rest = line.text.slice(1);
      const pad = rest.length - rest.trimStart().length;
      rest = rest.trimStart();
      let item: PlainYaml;
      if (rest === "") {
        this.i++;
        const next = this.lines[this.i];
        item = next && next.indent > indent ? this.node(next.indent) : { value: null, go: null };
      } else if (KEY.test(rest)) {
        // "- key: value": a mapping whose keys sit at the column after the dash.
        this.lines[this.i] = { indent: indent + 1 + pad, text: rest };
        item = this.mapping(indent + 1 + pad);
      } else {
        if (rest.startsWith("-")) throw OUTSIDE;
        item = scalar(rest, this.goPlain);
        this.i++;
        const next = this.lines[this.i];
        if (next && next.indent > indent) throw OUTSIDE;
      }
      value.push(item.value);
      go.push(item.go);
    }
    const next = this.lines[this.i];
    if (next && next.indent > indent) throw OUTSIDE;
    return { value, go };
  }

  mapping(indent: number): PlainYaml {
    const value: Record<string, unknown> = {};
    const go: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (let line = this.lines[this.i]; line && line.indent === indent; line = this.lines[this.i]) {
      const m = KEY.exec(line.text);
      if (!m) throw OUTSIDE;
      const key = m[1]!;
      if (ODD_KEY.test(key) || seen.has(key)) throw OUTSIDE;
      seen.add(key);
      const rest = line.text.slice(m[0].length);
      this.i++;
      let item: PlainYaml;
      const next = this.lines[this.i];
      if (rest !== "") {
        item = scalar(rest, this.goPlain);
        if (next && next.indent > indent) throw OUTSIDE;
      } else if (next && next.indent > indent) item = this.node(next.indent);
      else if (next && next.indent === indent && (next.text === "-" || next.text.startsWith("- "))) item = this.sequence(indent);
      else item = { value: null, go: null };
      value[key] = item.value;
      go[key] = item.go;
    }
    const next = this.lines[this.i];
    if (next && next.indent > indent) throw OUTSIDE;
    return { value, go };
  }
}

/**
 * The document when it is a block mapping in the plain subset kubectl writes; null otherwise
 * (the caller reads it with the yaml package). `goPlain` types a plain scalar as kubectl does.
 */
export function readPlainYaml(text: string, goPlain: (s: string) => unknown): PlainYaml | null {
  if (text.includes("\t") || text.includes("\r")) return null;
  const lines = splitLines(text);
  if (!lines?.length || lines[0]!.indent !== 0) return null;
  const reader = new Reader(lines, goPlain);
  try {
    const doc = reader.mapping(0);
    return reader.i === lines.length ? doc : null;
  } catch (e) {
    if (e === OUTSIDE) return null;
    throw e;
  }
}
