// The escapers of src/cli/escape.ts, each checked against the reader on the other side rather
// than against its own output: markdown-it (CommonMark + GFM tables, html and bare-URL autolinks
// on) for Markdown, the runner's parsers (test/node/helpers/runner.ts, from actions/runner) for
// workflow commands, log lines and GITHUB_OUTPUT, JSON.parse, and ajv-formats' uri-reference
// (RFC 3986) for SARIF URIs. Inputs: the hostile-name corpus (test/helpers/hostile.ts).
import Ajv from "ajv";
import addFormats from "ajv-formats";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { escData, escProp, logLine, mdCode, mdFence, mdText, outputEntry, pathUri, safeJson, sarifText } from "../../src/cli/escape.ts";
import { inert } from "../../src/core/text/inert.ts";
import {
  ALL,
  HOSTILE_FILE_NAME,
  INVISIBLE,
  LONE_SURROGATE,
  MARKUP,
  MARKUP_TEXT,
  TERMINAL,
  TERMINAL_TEXT,
  WORKFLOW,
  WORKFLOW_TEXT,
  hasLoneSurrogate,
  rawControls,
} from "../helpers/hostile.ts";
import { parseCommand, parseKeyValueFile, parseRunnerLine, runnerLines } from "./helpers/runner.ts";

const CORPUS = [
  ALL,
  TERMINAL_TEXT,
  MARKUP_TEXT,
  WORKFLOW_TEXT,
  HOSTILE_FILE_NAME,
  ...Object.values(MARKUP),
  ...Object.values(WORKFLOW),
  ...Object.values(TERMINAL),
  ...Object.values(INVISIBLE),
  LONE_SURROGATE,
  "`",
  "``",
  " ` ",
  "a\\",
  "\\|",
  "| x |",
  "www.evil.example",
  "x@y.example",
  "https://a.example/b",
];
const md = new MarkdownIt({ html: true, linkify: true });

/** The text a paragraph renders to, with markdown-it's entity escapes read back. */
const textOf = (html: string) =>
  html
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
const asShown = inert;

describe("Markdown", () => {
  it.each(CORPUS.map((s) => [JSON.stringify(s).slice(0, 60), s]))(
    "mdText %s renders as exactly its inert text, one paragraph, no markup",
    (_, s) => {
      const tokens = md.parseInline(`x ${mdText(s)} x`, {})[0]!.children!;
      expect(tokens.map((t) => t.type).filter((t) => t !== "text" && t !== "text_special")).toEqual([]);
      expect(textOf(md.renderInline(`x ${mdText(s)} x`))).toBe(`x ${asShown(s)} x`);
      // At the start of a line, block syntax (heading, quote, list) does not start either.
      const block = md.parse(mdText(s), {}).map((t) => t.type);
      expect(block.filter((t) => !["paragraph_open", "paragraph_close", "inline"].includes(t))).toEqual([]);
    },
  );

  it.each(CORPUS.filter((s) => asShown(s) !== "").map((s) => [JSON.stringify(s).slice(0, 60), s]))(
    "mdCode %s is one code span holding exactly its inert text",
    (_, s) => {
      const tokens = md.parseInline(`x ${mdCode(s)} x`, {})[0]!.children!;
      const codes = tokens.filter((t) => t.type === "code_inline");
      expect(codes.length).toBe(1);
      expect(codes[0]!.content).toBe(asShown(s));
    },
  );

  it("mdCode in a table cell: pipes stay in the cell, and the cell reads as the text", () => {
    for (const s of CORPUS.filter((x) => asShown(x) !== "")) {
      const table = `| a | b |\n| --- | --- |\n| ${mdCode(s, { table: true })} | z |\n`;
      const tokens = md.parse(table, {});
      expect(tokens.filter((t) => t.type === "td_open").length).toBe(2);
      const cell = tokens.find((t, i) => t.type === "inline" && tokens[i - 1]?.type === "td_open")!;
      expect(cell.children!.find((t) => t.type === "code_inline")?.content).toBe(asShown(s));
    }
  });

  it("mdFence is longer than any backtick run of the body, so the body cannot close the block", () => {
    const body = `line\n${"`".repeat(5)} not the end\n\`\`\`\nstill in`;
    const tokens = md.parse(`${mdFence(body)}\n${body}\n${mdFence(body)}\n`, {});
    expect(tokens.map((t) => t.type)).toEqual(["fence"]);
    expect(tokens[0]!.content).toBe(`${body}\n`);
  });
});

describe("workflow commands (actions/runner ActionCommand)", () => {
  it.each(CORPUS.map((s) => [JSON.stringify(s).slice(0, 60), s]))(
    "data and property %s round-trip through TryParseV2 on one line",
    (_, s) => {
      // Between two fixed properties: the runner trims the properties string at both ends.
      const line = `::warning line=1,file=${escProp(s)},title=${escProp(s)},col=2::${escData(s)}`;
      expect(runnerLines(line)).toEqual([line]);
      const c = parseCommand(line)!;
      expect(c.properties).toEqual({ line: "1", file: s, title: s, col: "2" });
      expect(c.data).toBe(s);
    },
  );

  it.each(CORPUS.map((s) => [JSON.stringify(s).slice(0, 60), s]))(
    "a log line quoting %s is one line and no command, in either form",
    (_, s) => {
      for (const text of [s, `certaudit: ${s}: pass`, `  ${s}`]) {
        const lines = runnerLines(logLine(text));
        expect(lines.length).toBe(1);
        expect(parseRunnerLine(lines[0]!)).toBeNull();
      }
    },
  );

  it("the parser used above does see the legacy form anywhere in a line, and CR as a line end (so the tests above can fail)", () => {
    expect(parseRunnerLine("certaudit: x ##[error]boom")?.data).toBe("boom");
    expect(runnerLines("a\rb")).toEqual(["a", "b"]);
  });

  it("GITHUB_OUTPUT: a value holding the first delimiter drawn gets another one, and reads back whole", () => {
    const draws = ["EOF", "EOF2", "certaudit_ok"];
    const value = `line\nEOF\nEOF2 and more\n${ALL}`;
    const entry = outputEntry("report", value, () => draws.shift()!);
    expect(entry.startsWith("report<<certaudit_ok\n")).toBe(true);
    expect(parseKeyValueFile(entry)).toEqual({ report: value });
  });
});

describe("JSON and SARIF", () => {
  it("safeJson parses back to the same value and leaves no control, C1 or bidi character in the text", () => {
    const value = { [ALL]: [ALL, ...CORPUS], nul: "\0", lone: LONE_SURROGATE, pair: "\ud83d\ude00" };
    const text = safeJson(value, 2);
    expect(JSON.parse(text)).toEqual(value);
    expect(rawControls(text)).toEqual([]);
    expect(hasLoneSurrogate(text)).toBe(false); // written as the escape \ud800
    expect(text).toContain("\\ud800");
    expect(text).toContain("😀"); // a pair is text, kept as it is
  });

  it("pathUri gives an RFC 3986 URI reference that decodes to the path", () => {
    const ajv = new Ajv();
    addFormats(ajv);
    const valid = ajv.compile({ type: "string", format: "uri-reference" });
    for (const p of [`hostile/${HOSTILE_FILE_NAME}`, "clusters/prod/kubeconfig.yaml", "a b/c%d#e?f", `x${LONE_SURROGATE}y`]) {
      const u = pathUri(p);
      expect(valid(u), u).toBe(true);
      expect(decodeURIComponent(u)).toBe(p.replace(LONE_SURROGATE, "\ufffd"));
    }
  });

  it("sarifText: brackets escaped (SARIF 2.1.0 §3.11.6 embedded links), invisible characters shown", () => {
    expect(sarifText(`${MARKUP.link}${INVISIBLE.rlo}`)).toBe("\\[click\\](https://evil.example/l)\\u202e");
  });
});
