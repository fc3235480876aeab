// Escapers for the text channels the CLI and the Action write: Markdown (job summary, --format
// markdown), GitHub workflow commands and log lines, JSON and SARIF. Text from certificates and
// kubeconfigs (names, SANs, URLs, context names, file names, YAML keys) goes through one of these
// on its way out, so it is shown as data and can never start a command, a link or a new line.
import { inert } from "../core/text/inert.ts";

// ---------------------------------------------------------------------------------------------
// Markdown (CommonMark + GFM tables, as GitHub renders a job summary)

/**
 * Input as Markdown text: invisible characters made visible (inert), then every ASCII
 * punctuation character that can start inline syntax backslash-escaped (CommonMark 0.31 §2.4:
 * "any ASCII punctuation character may be backslash-escaped"): code spans, emphasis, links and
 * images, raw HTML and entities, GFM tables and strikethrough; and GFM's bare autolinks (GFM
 * §6.9) broken where they start: the `:` of `://`, the `.` of `www.`, and every `@`, so that
 * `https://…`, `www.…` and `a@b.c` are no longer one text run. A line break is shown as `\x0a`.
 * Safe at the start of a line too (`#`, `>`, `-`, `+`, `=`, `1.`).
 */
export function mdText(s: string): string {
  return inert(s)
    .replace(/[\\`*_{}[\]()<>!|#&~@]|:(?=\/\/)|(?<=www)\./gi, "\\$&")
    .replace(/^([-+=])/, "\\$1")
    .replace(/^(\s*\d+)([.)])/, "$1\\$2");
}

/**
 * Input as a code span, so it reads as it is (no Markdown inside): the fence is one backtick
 * longer than the longest run of backticks in the text (CommonMark §6.1), with a space each
 * side when the text starts or ends with a backtick or a space (one is stripped from each side).
 * Line breaks, like every invisible character, are shown as escapes (inert).
 * `table`: inside a GFM table cell, `|` is escaped as `\|` (GFM §4.10: "include a pipe in a
 * cell's content by escaping it, including inside other inline spans").
 */
export function mdCode(s: string, opts: { table?: boolean } = {}): string {
  let t = inert(s);
  if (opts.table) t = t.replace(/\|/g, "\\|");
  if (t === "") return "";
  const longest = Math.max(0, ...Array.from(t.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  // (A span of spaces only keeps them all, so it needs no padding.)
  const pad = /^[` ]|[` ]$/.test(t) && /[^ ]/.test(t) ? " " : "";
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A fenced code block's fence: longer than any run of backticks in the body (CommonMark §4.5). */
export function mdFence(body: string): string {
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands (actions/runner src/Runner.Common/ActionCommand.cs)

/** A command's data: the runner's UnescapeData reverses exactly %0D, %0A and %25. */
export const escData = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

/** A command's property value: UnescapeProperty also reverses %3A (`:`) and %2C (`,`). */
export const escProp = (s: string): string => escData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/**
 * A plain line of the step's log that quotes input. The runner reads stdout line by line
 * (StreamReader.ReadLine: LF, CR and CRLF all end a line) and tries each line as a command:
 * `::name …::` at its start (TryParseV2, after TrimStart) and the legacy `##[name …]` anywhere in
 * it (TryParse, message.IndexOf("##[")), which ActionCommandManager.TryProcessCommand falls back
 * to. So the line is made inert (no CR or LF survives), `##[` is written `#\x23[`, and a line
 * that would start with `::` is prefixed.
 */
export function logLine(s: string): string {
  const t = inert(s).replace(/##\[/g, "#\\x23[");
  return /^\s*::/u.test(t) ? `> ${t}` : t;
}

/**
 * One GITHUB_OUTPUT entry as `NAME<<DELIMITER`, the value, `DELIMITER`. The runner reads the
 * value up to the first line that is exactly the delimiter (SetEnvFileCommand.ProcessCommand), so
 * a delimiter that occurs in the value (or the name) is drawn again until it does not.
 */
export function outputEntry(name: string, value: string, draw: () => string): string {
  let delim = draw();
  while (!delim || value.includes(delim) || name.includes(delim)) delim = draw();
  return `${name}<<${delim}\n${value}\n${delim}\n`;
}

// ---------------------------------------------------------------------------------------------
// JSON and SARIF

const INVISIBLE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * JSON.stringify, with the characters a terminal or viewer would act on written as \u escapes
 * (RFC 8259 §7 allows any character escaped): JSON.stringify already escapes C0 controls and
 * lone surrogates (ES2019 well-formed JSON.stringify); this adds DEL, C1 controls (U+009B is
 * CSI), bidi and other format characters, and U+2028/U+2029. These can occur only inside
 * strings, so the value parses back identical.
 */
export function safeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(INVISIBLE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A relative file path as a URI reference (SARIF artifactLocation.uri is `format: uri-reference`,
 * RFC 3986): each segment percent-encoded as UTF-8 (encodeURIComponent), a lone surrogate as
 * U+FFFD first (it has no UTF-8 form).
 */
export function pathUri(path: string): string {
  return path
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

/** SARIF message text (§3.11.6): `[` and `]` are escaped so input cannot form an embedded link. */
export const sarifText = (s: string): string => inert(s).replace(/[[\]]/g, "\\$&");
