// The Action run as a workflow runs `- uses: ./` (test/node/helpers/runner.ts follows the
// runner's source: defaults from action.yml, INPUT_* names with hyphens kept, per-step
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, node24), its outputs and workflow commands read back
// as the runner reads them. Lines are checked against oracles outside our code: the `yaml`
// library's own source positions for kubeconfig fields, `grep -n` for PEM blocks, `openssl x509
// -enddate` for the earliest expiry.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AT, FIX, ROOT, sarifValidator } from "../cli/helpers.ts";
import { beginLine, grepLines, yamlLine } from "./helpers/file-lines.ts";
import { fitSummary } from "../../src/action/main.ts";
import { nodeMajor, parseCommand, parseKeyValueFile, runUses, type StepResult } from "./helpers/runner.ts";

let tmp: string;
let ws: string;
const EXAMPLE = join(ROOT, "docs/action-summary-example.md");

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "certaudit-workflow-"));
  ws = join(tmp, "workspace");
  const put = (from: string, to: string) => {
    mkdirSync(dirname(join(ws, to)), { recursive: true });
    copyFileSync(join(FIX, from), join(ws, to));
  };
  put("expiring-client/kubeconfig.yaml", "clusters/prod/kubeconfig.yaml");
  put("e2e-users/kubeconfig.yaml", "clusters/dev/kubeconfig.yaml");
  put("multi-context/kubeconfig.yaml", "clusters/all/kubeconfig.yaml");
  put("pem-bundle/bundle.pem", "certs/bundle.pem");
  put("e2e-users/apiserver.crt", "pki/apiserver.crt");
  // The client CA with its key pasted after it (ca.crt + ca.key in one file): a finding about the
  // client-ca input itself.
  writeFileSync(
    join(ws, "pki/client-ca.crt"),
    readFileSync(join(FIX, "e2e-users/client-ca.crt"), "utf8") + readFileSync(join(FIX, "keys/rsa-pkcs1.pem"), "utf8"),
  );
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const uses = (inputs: Record<string, string>) => runUses(ROOT, inputs, { workspace: ws, tmp });

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  properties: { path?: string; context?: string };
}

const annotationsOf = (r: StepResult) => r.commands.filter((c) => ["error", "warning", "notice"].includes(c.command));
const onFiles = (r: StepResult) => annotationsOf(r).filter((c) => c.properties.file);

describe("the Action as `uses: ./` runs it", () => {
  it("runs on the Node 24 of node_modules, as action.yml's node24 asks", () => {
    expect(nodeMajor()).toBe(24);
  });

  it("reads GITHUB_OUTPUT and workflow commands as the runner does (the runner's own test cases)", () => {
    // The cases of actions/runner src/Test/L0/Worker/ActionCommandL0.cs, CommandParserV2Test.
    const ds = new Set(["do-something"]);
    expect(parseCommand("::do-something k1=v1,::msg", ds)).toEqual({ command: "do-something", properties: { k1: "v1" }, data: "msg" });
    expect(parseCommand("::do-something::", ds)).toEqual({ command: "do-something", properties: {}, data: "" });
    expect(parseCommand("::do-something k1=;=%2C=%0D=%0A=]=%3A,::;-%0D-%0A-]-:-,", ds)).toEqual({
      command: "do-something",
      properties: { k1: ";=,=\r=\n=]=:" },
      data: ";-\r-\n-]-:-,",
    });
    expect(parseCommand("::do-something k1=;=%252C=%250D=%250A=]=%253A,::;-%250D-%250A-]-:-,", ds)).toEqual({
      command: "do-something",
      properties: { k1: ";=%2C=%0D=%0A=]=%3A" },
      data: ";-%0D-%0A-]-:-,",
    });
    expect(parseCommand("::do-something k1=,k2=,::", ds)).toEqual({ command: "do-something", properties: {}, data: "" });
    expect(parseCommand("   ::do-something k1=v1,::msg", ds)).toEqual({ command: "do-something", properties: { k1: "v1" }, data: "msg" });
    expect(parseCommand("   >>>   ::do-something k1=v1,::msg", ds)).toBeNull();
    expect(parseCommand("::unknown-command::x")).toBeNull();
    // SetEnvFileCommand's reader: NAME=VALUE, heredocs with any delimiter, a missing delimiter fails the step.
    expect(parseKeyValueFile("a=1\nb<<EOF\nline 1\n\nline 3\nEOF\nc<<X\n\nX\n")).toEqual({ a: "1", b: "line 1\n\nline 3", c: "" });
    expect(() => parseKeyValueFile("b<<EOF\nno end\n")).toThrow(/Matching delimiter not found/);
  });

  it("puts client-ca and server-certificate findings on those files, every finding on its line, errors first within GitHub's budget", async () => {
    const r = await uses({
      files: "clusters/**/kubeconfig.yaml\ncerts/*.pem\nlegacy/*.conf",
      at: AT,
      "client-ca": "pki/client-ca.crt",
      "server-certificate": "pki/apiserver.crt",
      "sarif-file": "out/certaudit.sarif",
    });
    expect(r.env["INPUT_CLIENT-CA"]).toBe("pki/client-ca.crt"); // the runner keeps the hyphen
    expect(r.env["INPUT_WARN-DAYS"]).toBe("30"); // and fills action.yml's defaults
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("");

    // Outputs, as the runner reads them.
    expect(r.outputs.verdict).toBe("fail");
    const enddate = spawnSync("openssl", ["x509", "-noout", "-enddate", "-in", join(FIX, "expiring-client/client.crt")], {
      encoding: "utf8",
    }).stdout;
    expect(new Date(r.outputs["earliest-expiry"]!).getTime()).toBe(new Date(enddate.replace("notAfter=", "").trim()).getTime());
    expect(r.outputs["days-left"]).toBe(
      String(Math.floor((new Date(r.outputs["earliest-expiry"]!).getTime() - new Date(AT).getTime()) / 86_400_000)),
    );
    const report = JSON.parse(readFileSync(r.outputs.report!, "utf8")) as {
      file: string;
      report: { contexts: { name: string; clientAccepted: boolean | null }[] };
    }[];
    expect(report.find((x) => x.file === "clusters/dev/kubeconfig.yaml")!.report.contexts[0]!.clientAccepted).toBe(true); // client-ca reached the audit

    const sarif = JSON.parse(readFileSync(join(ws, "out/certaudit.sarif"), "utf8"));
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = sarif.runs[0].results as SarifResult[];
    const uri = (x: SarifResult) => x.locations[0]!.physicalLocation.artifactLocation.uri;
    const lineOf = (x: SarifResult) => x.locations[0]!.physicalLocation.region.startLine;

    // Findings about an input are on that input's file, never on a kubeconfig or bundle.
    const inputField = (p: string | undefined) => /^(clientCA|serverCertificate)(\[|$)/.exec(p ?? "")?.[1];
    const aboutInputs = results.filter((x) => inputField(x.properties.path));
    expect(aboutInputs.length).toBeGreaterThan(2);
    for (const x of aboutInputs)
      expect(uri(x)).toBe(inputField(x.properties.path) === "clientCA" ? "pki/client-ca.crt" : "pki/apiserver.crt");
    expect(results.filter((x) => uri(x).startsWith("pki/")).every((x) => inputField(x.properties.path))).toBe(true);
    // The same certificate finding from four audits is reported once.
    expect(results.filter((x) => x.ruleId === "cert.long-validity" && uri(x) === "pki/apiserver.crt")).toHaveLength(1);

    // Every located result is on the line the oracles give.
    const text = (f: string) => readFileSync(join(ws, f), "utf8");
    let checked = 0;
    for (const x of results) {
      const p = x.properties.path;
      if (!p) continue;
      const file = join(ws, uri(x));
      const block = /^(?:pem|clientCA|serverCertificate)\[(\d+)\]$/.exec(p);
      const want = block ? beginLine(file, Number(block[1])) : uri(x).endsWith(".yaml") ? yamlLine(text(uri(x)), p) : null;
      if (want === null) continue;
      expect(lineOf(x), `${x.ruleId} ${uri(x)} ${p}`).toBe(want);
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
    // The key pasted into the client CA file: its BEGIN line, by grep.
    const keyWarning = results.find((x) => x.ruleId === "input.private-key-in-file" && uri(x) === "pki/client-ca.crt")!;
    expect(lineOf(keyWarning)).toBe(grepLines("BEGIN RSA PRIVATE KEY", join(ws, "pki/client-ca.crt"))[0]);

    // Annotations are among those results (same file, line and code), errors before warnings,
    // at most 10 of each kind per step counting the Action's own, and no notes.
    const ann = onFiles(r);
    for (const a of ann) {
      const code = a.properties.title!.split(":")[0];
      expect(
        results.some((x) => x.ruleId === code && uri(x) === a.properties.file && String(lineOf(x)) === a.properties.line),
        `${a.properties.title} at ${a.properties.file}:${a.properties.line}`,
      ).toBe(true);
    }
    expect(ann.some((a) => a.properties.file === "pki/client-ca.crt")).toBe(true);
    expect(ann.some((a) => a.properties.file === "pki/apiserver.crt")).toBe(true);
    const kinds = annotationsOf(r).map((a) => a.command);
    for (const k of ["error", "warning", "notice"]) expect(kinds.filter((x) => x === k).length, k).toBeLessThanOrEqual(10);
    expect(ann.map((a) => a.command).lastIndexOf("error")).toBeLessThan(ann.map((a) => a.command).indexOf("warning"));
    expect(ann.every((a) => a.command !== "notice")).toBe(true);
    expect(annotationsOf(r).some((a) => a.properties.title?.includes("verdict-undecided"))).toBe(false);
    // What is not annotated is counted in one notice, and the count adds up.
    const listed = results.filter((x) => !x.ruleId.endsWith("-verdict-undecided"));
    const more = annotationsOf(r).find((a) => a.command === "notice")!;
    expect(Number(/^(\d+) findings? (?:is|are) not annotated/.exec(more.data)![1]) + ann.length).toBe(listed.length);
    expect(listed.filter((x) => x.level === "error").length).toBeGreaterThan(9); // enough to overflow the error budget
    // Within the budget, every file with an error or a warning shows one.
    for (const level of ["error", "warning"])
      for (const f of new Set(listed.filter((x) => x.level === level).map(uri)))
        expect(
          ann.some((a) => a.command === level && a.properties.file === f),
          `${level} on ${f}`,
        ).toBe(true);

    // The summary lists every finding under its file, names the glob that matched nothing.
    for (const x of listed) expect(r.summary).toContain(`| \`${x.ruleId}\` | \`${uri(x)}\` | ${lineOf(x)} |`);
    expect(r.summary).toContain("- `legacy/*.conf`");
    expect(r.commands.some((c) => c.command === "warning" && c.data === "no file matches legacy/*.conf")).toBe(true);

    // The documented example is this run's summary (CERTAUDIT_WRITE_EXAMPLE=1 rewrites it).
    const doc = `# Example job summary\n\nWhat the Action writes to the job summary for the run in \`test/node/action-workflow.test.ts\` (three kubeconfigs and a PEM bundle from \`test/fixtures\`, \`client-ca\` with a key pasted after the CA, \`server-certificate\`, one glob that matches nothing, \`at: ${AT}\`). See [action.md](action.md).\n\n---\n\n${r.summary}`;
    if (process.env.CERTAUDIT_WRITE_EXAMPLE === "1") writeFileSync(EXAMPLE, doc);
    expect(readFileSync(EXAMPLE, "utf8"), "docs/action-summary-example.md is stale: rerun with CERTAUDIT_WRITE_EXAMPLE=1").toBe(doc);
  });

  it("with no matching file: a summary naming the globs, an empty valid SARIF, outputs set, the step fails", async () => {
    const r = await uses({ files: "legacy/*.conf\nold/**/*.pem", "sarif-file": "out/none.sarif" });
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toEqual({
      verdict: "error",
      "earliest-expiry": "",
      "days-left": "",
      report: expect.any(String),
      "broken-edges": "",
      "first-break": "",
    });
    expect(JSON.parse(readFileSync(r.outputs.report!, "utf8"))).toEqual([]);
    const path = join(ws, "out/none.sarif");
    expect(existsSync(path)).toBe(true);
    const sarif = JSON.parse(readFileSync(path, "utf8"));
    expect(sarifValidator()(sarif)).toBe(true);
    expect(sarif.runs[0].results).toEqual([]);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(r.summary).toContain("nothing audited");
    expect(r.summary).toContain("- `legacy/*.conf`");
    expect(r.summary).toContain("- `old/**/*.pem`");
    expect(r.commands.filter((c) => c.command === "warning").map((c) => c.data)).toEqual([
      "no file matches legacy/*.conf",
      "no file matches old/**/*.pem",
    ]);
    expect(r.commands.some((c) => c.command === "error" && c.data.includes("cli.no-files"))).toBe(true);
  });

  it("keeps the summary within the 1 MiB the runner accepts, cutting at a line and saying where the rest is", () => {
    // The runner aborts a larger summary: "$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k".
    const big = Array.from({ length: 30_000 }, (_, i) => `| row ${i} | CN=ünïcødé-${i} | ${"x".repeat(40)} |`).join("\n");
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
    const cut = fitSummary(big, "/tmp/report.json");
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1024 * 1024);
    expect(cut).toContain("/tmp/report.json");
    expect(cut).not.toContain("\uFFFD");
    const kept = cut.slice(0, cut.indexOf("\n\n**Cut here**")).split("\n");
    expect(big.startsWith(`${kept.join("\n")}\n`)).toBe(true); // whole lines only
    expect(fitSummary("small", "r")).toBe("small");
  });

  it("leaves undecided verdicts to the summary, in the Action's words", async () => {
    const r = await uses({ files: "clusters/dev/kubeconfig.yaml", at: AT });
    expect(r.exitCode).toBe(0);
    expect(annotationsOf(r).filter((a) => a.properties.file)).toEqual([]);
    expect(r.summary).toContain("### Open questions");
    expect(r.summary).toContain("set the `client-ca` input");
    expect(r.summary).toContain("set the `server-certificate` input");
  });
});
