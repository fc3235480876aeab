// Text from certificates and kubeconfigs cannot steer the Action's output (issue 11, section 1).
// The committed bundle runs as `uses: ./` on the hostile-name corpus (test/helpers/hostile.ts),
// and what it writes is read back the way GitHub reads it: stdout with the runner's line reader
// and command parsers (both forms, test/node/helpers/runner.ts, from actions/runner), GITHUB_OUTPUT
// with its key-value reader, the job summary with a CommonMark + GFM-tables parser (markdown-it,
// html and bare-URL autolinks on, as GitHub renders them), SARIF against the 2.1.0 schema.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inert } from "../../src/core/text/inert.ts";
import { ROOT, sarifValidator } from "../cli/helpers.ts";
import {
  HOSTILE_FILE_NAME,
  hasLoneSurrogate,
  hostileBrokenKubeconfig,
  hostileCerts,
  hostileKubeconfig,
  rawControls,
  TERMINAL,
  INVISIBLE,
  MARKUP,
  WORKFLOW,
} from "../helpers/hostile.ts";
import { runUses, type StepResult } from "./helpers/runner.ts";

let tmp: string;
let ws: string;
let step: StepResult;
// The kubeconfig under the hostile file name, so its findings are annotated on that name.
const FILES = [HOSTILE_FILE_NAME, "bundle.pem", "broken.yaml"].map((f) => `hostile/${f}`);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "certaudit-action-hostile-"));
  ws = join(tmp, "workspace");
  mkdirSync(join(ws, "hostile"), { recursive: true });
  const certs = await hostileCerts();
  writeFileSync(join(ws, FILES[0]!), hostileKubeconfig(certs));
  writeFileSync(join(ws, FILES[1]!), certs.leaf.pem + certs.ca.pem);
  writeFileSync(join(ws, FILES[2]!), hostileBrokenKubeconfig());
  step = await runUses(ROOT, { files: "hostile/**", "sarif-file": "out/certaudit.sarif" }, { workspace: ws, tmp });
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Entry {
  file: string;
  report?: { findings: { code: string; message: string }[]; contexts: { name: string }[]; certificates: { subject: string }[] };
  problem?: { code: string; message: string };
}
const reportJson = (): Entry[] => JSON.parse(readFileSync(step.outputs.report!, "utf8"));

describe("workflow commands on the hostile corpus", () => {
  it("the step ran: every file audited or refused, annotations written", () => {
    expect(step.exitCode).toBe(1);
    expect(
      reportJson()
        .map((e) => e.file)
        .sort(),
    ).toEqual([...FILES].sort());
    expect(step.commands.length).toBeGreaterThan(3);
  });

  it("no extra command: every command is an annotation certaudit made (title, file)", () => {
    for (const c of step.commands) {
      expect(["error", "warning", "notice"]).toContain(c.command);
      // certaudit titles every annotation: its own name, or a finding code and the catalogue title.
      expect(c.properties.title ?? "").toMatch(/^certaudit(: |$)|^[a-z]+\.[a-z0-9-]+: [A-Z]/);
      if (c.properties.file !== undefined) expect(FILES).toContain(c.properties.file);
      expect(Object.keys(c.properties).every((k) => ["file", "line", "title"].includes(k))).toBe(true);
    }
    // A log line the runner would take for a command (split at CR, or `##[` anywhere) is in commands: none says "injected".
    expect(step.commands.filter((c) => !c.properties.title)).toEqual([]);
    expect(step.log.join("\n")).toContain("#\\x23[error]"); // the legacy prefix in a file name, written harmlessly
  });

  it("annotation properties and messages round-trip: file exact, messages inert and whole", () => {
    const onHostileName = step.commands.filter((c) => c.properties.file === FILES[0]);
    expect(onHostileName.length).toBeGreaterThan(0);
    const entries = reportJson();
    const messages = entries.flatMap((e) => [
      ...(e.report?.findings.map((f) => f.message) ?? []),
      ...(e.problem ? [e.problem.message] : []),
    ]);
    const annotated = step.commands.filter((c) => c.properties.file !== undefined);
    for (const c of annotated) {
      expect(rawControls(c.data + (c.properties.title ?? ""))).toEqual([]);
      expect(messages.some((m) => c.data.endsWith(inert(m)))).toBe(true);
    }
    // Names reached the messages whole: the context's (CR and LF shown as \x0d \x0a), and the
    // subject's `%0A::error::… %25`, which the runner would have unescaped had certaudit not escaped `%`.
    expect(
      annotated.some((c) =>
        c.data.includes(inert(`ctx term ${TERMINAL.clear} ${TERMINAL.red} ${TERMINAL.home} ${TERMINAL.cr} ${TERMINAL.lf}`)),
      ),
    ).toBe(true);
    expect(annotated.some((c) => c.data.includes(WORKFLOW.escaped))).toBe(true);
  });

  it("GITHUB_OUTPUT: exactly the six outputs, nothing the input could add", () => {
    expect(Object.keys(step.outputs).sort()).toEqual(["broken-edges", "days-left", "earliest-expiry", "first-break", "report", "verdict"]);
    expect(step.outputs.verdict).toBe("error");
  });
});

describe("JSON and SARIF on the hostile corpus", () => {
  it("the report output is JSON that parses back to the exact names (lone surrogate, NUL, ESC)", () => {
    const text = readFileSync(step.outputs.report!, "utf8");
    expect(rawControls(text)).toEqual([]);
    const entries = reportJson();
    const kc = entries.find((e) => e.file === FILES[0])!;
    expect(kc.report!.contexts[0]!.name).toBe(
      `ctx term ${Object.values(TERMINAL).join(" ")} ${Object.values(INVISIBLE).join(" ")} end ${MARKUP.link} ${WORKFLOW.v1}`,
    );
    expect(kc.report!.certificates.some((c) => hasLoneSurrogate(c.subject))).toBe(true);
    expect(JSON.parse(JSON.stringify(entries))).toEqual(entries);
  });

  it("SARIF is valid 2.1.0 and its URIs name the files", () => {
    const text = readFileSync(join(ws, "out/certaudit.sarif"), "utf8");
    expect(rawControls(text)).toEqual([]);
    const log = JSON.parse(text);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const uris = new Set<string>(
      log.runs[0].results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0]!.physicalLocation.artifactLocation.uri,
      ),
    );
    expect([...uris].map(decodeURIComponent)).toContain(FILES[0]);
    for (const u of uris) expect(u).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]+$/);
  });
});

describe("the job summary on the hostile corpus", () => {
  const mdit = () => new MarkdownIt({ html: true, linkify: true });

  it("no link, image, HTML, emphasis, list or heading comes from the input", () => {
    const tokens = mdit().parse(step.summary, {});
    const all = tokens.flatMap((t) => [t, ...(t.children ?? [])]);
    const types = new Set(all.map((t) => t.type));
    for (const t of ["link_open", "image", "html_inline", "html_block", "em_open", "s_open", "bullet_list_open", "ordered_list_open"])
      expect(types.has(t), t).toBe(false);
    // certaudit's own bold: the earliest expiry time only.
    for (const [i, t] of all.entries()) if (t.type === "strong_open") expect(all[i + 1]?.content).toMatch(/^\d{4}-\d\d-\d\dT[\d:]+Z$/);
    const headings = tokens.flatMap((t, i) => (t.type === "heading_open" ? [tokens[i + 1]!.content] : []));
    for (const h of headings)
      expect(h).toMatch(/^(certaudit: |Certificates by expiry$|Contexts$|Open questions$|Findings by severity$|❌ error|⚠️ warning|ℹ️ info)/);
    const quotes = tokens.filter((t) => t.type === "blockquote_open").length;
    expect(quotes).toBeLessThanOrEqual(2); // certaudit's notes
  });

  it("every table row has its header's cells: no pipe from the input splits a cell", () => {
    const tokens = mdit().parse(step.summary, {});
    let header = 0;
    let cells = 0;
    let rows = 0;
    for (const t of tokens) {
      if (t.type === "thead_open") header = -1;
      if (t.type === "tr_open") cells = 0;
      if (t.type === "th_open" || t.type === "td_open") cells++;
      if (t.type === "tr_close") {
        if (header === -1) header = cells;
        else expect(cells).toBe(header);
        rows++;
      }
    }
    expect(rows).toBeGreaterThan(10);
  });

  it("the names are there as visible text, and nothing invisible", () => {
    const html = mdit().render(step.summary);
    expect(rawControls(html)).toEqual([]);
    expect(html).not.toMatch(/<(a|img|b|script)[\s>]/);
    const text = html
      .replace(/<[^>]+>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
    for (const shown of [
      MARKUP.link,
      MARKUP.image,
      "<img src=x onerror=alert(1)>",
      "\\x1b[2J",
      "\\u202e",
      "::error::injected-v2",
      "##[error]injected-v1",
      "a|b",
      "``` `x` ``",
    ])
      expect(text, shown).toContain(shown);
  });
});
