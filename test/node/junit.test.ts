// --format junit, validated by xmllint (Debian libxml2-utils) against test/cli/junit.xsd (the
// JUnit format as Jenkins and GitLab read it; the file says where it comes from) and read back
// with xmllint's XPath: the suites, cases and failures must be the JSON report's contexts,
// certificates and findings at or above --fail-on.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { Report } from "../../src/core/report/types.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { AT, FIX, ROOT } from "../cli/helpers.ts";

const XSD = join(ROOT, "test/cli/junit.xsd");
const HAVE_XMLLINT = toolWorks("xmllint", ["--version"]);

async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: {},
    readStdin: async () => new Uint8Array(),
    cwd: ROOT,
  });
  return { code, stdout };
}

function save(xml: string): string {
  const f = join(mkdtempSync(join(tmpdir(), "certaudit-junit-")), "report.xml");
  writeFileSync(f, xml);
  return f;
}

function validate(file: string): { ok: boolean; out: string } {
  const r = spawnSync("xmllint", ["--noout", "--schema", XSD, file], { encoding: "utf8" });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

const xpath = (file: string, expr: string) => {
  const r = spawnSync("xmllint", ["--xpath", expr, file], { encoding: "utf8" });
  return r.stdout.trim();
};
/** xmllint prints an XPath string with XML entities resolved; attribute values in XPath literals need no escaping here. */
const q = (s: string) => (s.includes('"') ? `'${s}'` : `"${s}"`);

describeWithTool(
  "xmllint",
  HAVE_XMLLINT,
  "apt-get install -y libxml2-utils",
)("JUnit output, validated by xmllint", () => {
  const expired = join(FIX, "expired-client/kubeconfig.yaml");
  const expiring = join(FIX, "expiring-client/kubeconfig.yaml");
  const missing = join(FIX, "no-such-file.yaml");
  let reports: Report[];
  beforeAll(async () => {
    reports = [];
    for (const f of [expired, expiring]) reports.push(JSON.parse((await cli(["--format", "json", "--at", AT, f])).stdout) as Report);
  });

  for (const failOn of ["error", "warning"] as const)
    it(`--fail-on ${failOn}: valid JUnit; one suite per file, one case per context and certificate, failures as the JSON report's findings`, async () => {
      const r = await cli(["--format", "junit", "--fail-on", failOn, "--at", AT, expired, expiring, missing]);
      const file = save(r.stdout);
      const v = validate(file);
      expect(v.out.trim()).toBe(`${file} validates`);
      expect(v.ok).toBe(true);
      expect(xpath(file, "count(/testsuites/testsuite)")).toBe("3");
      const failing = (sev: string) => sev === "error" || (failOn === "warning" && sev === "warning");
      for (const [i, f] of [expired, expiring].entries()) {
        const rep = reports[i]!;
        const suite = `/testsuites/testsuite[@name=${q(f)}]`;
        expect(xpath(file, `count(${suite}/testcase)`)).toBe(String(1 + rep.contexts.length + rep.certificates.length));
        for (const x of rep.contexts) {
          const bad = rep.findings.filter((g) => g.context === x.name && failing(g.severity));
          const tc = `${suite}/testcase[@name=${q(`context ${x.name}`)}]`;
          expect(xpath(file, `count(${tc})`)).toBe("1");
          expect(xpath(file, `string(${tc}/failure/@type)`)).toBe(bad[0]?.code ?? "");
          if (bad[0]) expect(xpath(file, `string(${tc}/failure/@message)`)).toBe(`${bad[0].code}: ${bad[0].message}`);
        }
        for (const c of rep.certificates) {
          const bad = rep.findings.filter((g) => g.certificate === c.id && failing(g.severity));
          const tc = `${suite}/testcase[contains(@name, ${q(c.id)})]`;
          expect(xpath(file, `string(${tc}/failure/@type)`)).toBe(bad[0]?.code ?? "");
          for (const b of bad) expect(xpath(file, `string(${tc}/failure)`)).toContain(`${b.severity} ${b.code}: `);
        }
        const failedCases = Number(xpath(file, `count(${suite}/testcase[failure])`));
        expect(xpath(file, `string(${suite}/@failures)`)).toBe(String(failedCases));
      }
      // The expiring client is a warning: a failure only with --fail-on warning.
      const warnCase = `/testsuites/testsuite[@name=${q(expiring)}]/testcase/failure[@type="cert.expiring-soon"]`;
      expect(xpath(file, `count(${warnCase})`)).toBe(failOn === "warning" ? "1" : "0");
      // The unreadable file is an error case with the problem's code.
      expect(xpath(file, `string(/testsuites/testsuite[@name=${q(missing)}]/testcase/error/@type)`)).toBe("cli.unreadable");
      expect(xpath(file, "string(/testsuites/@errors)")).toBe("1");
    });

  it("the schema refuses what JUnit readers cannot use (so a pass above means something)", async () => {
    const good = (await cli(["--format", "junit", "--at", AT, expired])).stdout;
    for (const bad of [
      good.replace(/(<testsuite [^>]*?) tests="\d+"/, "$1"),
      good.replace(/<failure /, '<failure type="x"/><failure '),
      good.replace(/timestamp="[^"]+"/, 'timestamp="yesterday"'),
    ]) {
      expect(bad).not.toBe(good);
      expect(validate(save(bad)).ok).toBe(false);
    }
  });
});
