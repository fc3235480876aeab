// --format openmetrics and `Accept: application/openmetrics-text`, read back by a real
// OpenMetrics parser: the Prometheus Python client's (Debian python3-prometheus-client,
// prometheus_client.openmetrics.parser.text_string_to_metric_families, which raises on text
// that breaks the spec) and promtool's `check metrics` (Debian prometheus). The values are
// compared with the JSON report of the same input, and the serial numbers with openssl's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { createApp } from "../../src/http/app.ts";
import type { Report } from "../../src/core/report/types.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { issue } from "../helpers/pki.ts";
import { AT, FIX, ROOT } from "../cli/helpers.ts";

// Debian's interpreter: a pyenv python3 earlier on PATH does not see Debian's packages.
const PY = "/usr/bin/python3";
const PARSER = join(ROOT, "test/oracles/openmetrics/parse.py");
const HAVE_PARSER = toolWorks(PY, ["-c", "import prometheus_client.openmetrics.parser; print('ok')"]);
const HAVE_PROMTOOL = toolWorks("promtool", ["--version"]);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Family {
  name: string;
  type: string;
  samples: Sample[];
}

function parse(text: string): Family[] {
  const r = spawnSync(PY, [PARSER], { input: text, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`the OpenMetrics parser refused the text: ${r.stderr}`);
  return JSON.parse(r.stdout) as Family[];
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    readStdin: async () => new Uint8Array(),
    cwd: ROOT,
  });
  return { code, stdout, stderr };
}

const fam = (fs: Family[], name: string) => fs.find((f) => f.name === name)!;

describeWithTool(
  "python3-prometheus-client",
  HAVE_PARSER,
  "apt-get install -y python3-prometheus-client",
)("OpenMetrics output, parsed by prometheus_client", () => {
  const kc = join(FIX, "intermediate/kubeconfig.yaml");
  const clientCA = join(FIX, "intermediate/client-ca.crt");
  let families: Family[];
  let text: string;
  let report: Report;
  beforeAll(async () => {
    const om = await cli(["--format", "openmetrics", "--at", AT, "--client-ca", clientCA, kc, join(FIX, "no-such-file.yaml")]);
    text = om.stdout;
    families = parse(text);
    const js = await cli(["--format", "json", "--at", AT, "--client-ca", clientCA, kc]);
    report = JSON.parse(js.stdout) as Report;
  });

  it("every certificate has the exporter's four per-certificate series, with the JSON report's times", () => {
    const at = Date.parse(report.validationTime) / 1000;
    for (const name of ["x509_cert_not_after", "x509_cert_not_before", "x509_cert_expired", "x509_cert_expires_in_seconds"]) {
      expect(fam(families, name).type).toBe("gauge");
      expect(fam(families, name).samples.length).toBe(report.certificates.length);
    }
    for (const c of report.certificates) {
      const mine = (name: string) =>
        fam(families, name).samples.find((s) => c.id.startsWith(`sha256:${s.labels.discriminator}`) && s.labels.filepath === kc)!;
      expect(mine("x509_cert_not_after").value).toBe(Date.parse(c.notAfter) / 1000);
      expect(mine("x509_cert_not_before").value).toBe(Date.parse(c.notBefore) / 1000);
      expect(mine("x509_cert_expired").value).toBe(Date.parse(c.notAfter) / 1000 < at ? 1 : 0);
      expect(mine("x509_cert_expires_in_seconds").value).toBe(Date.parse(c.notAfter) / 1000 - at);
      const labels = mine("x509_cert_not_after").labels;
      expect(labels.filename).toBe("kubeconfig.yaml");
      expect(`CN=${labels.subject_CN}`).toBe(c.subject.split(",").find((r) => r.startsWith("CN=")));
      expect(c.sources.map((s) => s.path)).toContain(labels.source);
    }
  });

  it("serial_number is the decimal serial, as openssl prints it in hex", () => {
    const r = spawnSync("openssl", ["x509", "-noout", "-serial", "-in", join(FIX, "intermediate/ca.crt")], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const hex = r.stdout.trim().replace(/^serial=/, "");
    const root = fam(families, "x509_cert_not_after").samples.find((s) => s.labels.subject_CN === "kubernetes-root-ca")!;
    expect(root.labels.serial_number).toBe(BigInt(`0x${hex}`).toString(10));
    expect(root.labels.role).toBe("ca");
    expect(fam(families, "x509_cert_not_after").samples.find((s) => s.labels.subject_CN === "jane")!.labels.role).toBe("client");
  });

  it("per context: client_accepted, server_trusted, key_matches as the JSON report decides them (absent when null), and the CA relation", () => {
    for (const x of report.contexts) {
      const of = (name: string) => fam(families, name).samples.filter((s) => s.labels.context === x.name && s.labels.filepath === kc);
      for (const [name, v] of [
        ["certaudit_context_client_accepted", x.clientAccepted],
        ["certaudit_context_server_trusted", x.serverTrusted],
        ["certaudit_context_key_matches", x.client.keyMatches],
      ] as const)
        expect(of(name).map((s) => s.value)).toEqual(v === null ? [] : [v ? 1 : 0]);
      expect(of("certaudit_context_ca_relation").map((s) => [s.labels.relation, s.value])).toEqual([[x.caIdentity.relation, 1]]);
      expect(
        of("certaudit_context_verdict")
          .filter((s) => s.value === 1)
          .map((s) => s.labels.verdict),
      ).toEqual([x.verdict]);
    }
    // This input leaves serverTrusted open (no --server-cert): the series is absent, not 0.
    expect(report.contexts.some((x) => x.serverTrusted === null)).toBe(true);
  });

  it("the verdict, the finding counts by severity and the inputs that could not be audited", () => {
    const v = fam(families, "certaudit_verdict").samples.filter((s) => s.labels.filepath === kc);
    expect(v.filter((s) => s.value === 1).map((s) => s.labels.verdict)).toEqual([report.verdict]);
    const counts = Object.fromEntries(
      fam(families, "certaudit_findings")
        .samples.filter((s) => s.labels.filepath === kc)
        .map((s) => [s.labels.severity, s.value]),
    );
    const bySeverity = (sev: string) => report.findings.filter((f) => f.severity === sev).length;
    expect(counts).toEqual({ error: bySeverity("error"), warning: bySeverity("warning"), info: bySeverity("info") });
    expect(fam(families, "certaudit_audit_errors").samples.map((s) => s.value)).toEqual([1]);
    expect(text.endsWith("# EOF\n")).toBe(true);
  });

  it("label values with quotes, backslashes and line breaks come back exactly (escaped per the spec)", async () => {
    const ca = await issue({ subject: 'CN=ca \\"quoted\\" \\\\ back', ca: true });
    const user = await issue({ subject: "CN=u", issuer: ca, eku: ["1.3.6.1.5.5.7.3.2"] });
    const name = 'ctx "one"\\two\nthree';
    const doc = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: "c", cluster: { server: "https://127.0.0.1:6443", "certificate-authority-data": Buffer.from(ca.pem).toString("base64") } },
      ],
      users: [
        {
          name: "u",
          user: {
            "client-certificate-data": Buffer.from(user.pem).toString("base64"),
            "client-key-data": Buffer.from(user.keyPem).toString("base64"),
          },
        },
      ],
      contexts: [{ name, context: { cluster: "c", user: "u" } }],
    };
    const dir = mkdtempSync(join(tmpdir(), "certaudit-om-"));
    const file = join(dir, "odd.json");
    writeFileSync(file, JSON.stringify(doc));
    const r = await cli(["--format", "openmetrics", "--at", AT, file]);
    const fs = parse(r.stdout);
    expect(fam(fs, "certaudit_context_key_matches").samples.map((s) => s.labels.context)).toEqual([name]);
    expect(fam(fs, "x509_cert_not_after").samples.map((s) => s.labels.subject_CN)).toContain('ca "quoted" \\ back');
    // No key material or token in any label.
    const keyBody = user.keyPem.split("\n")[1]!;
    expect(r.stdout).not.toContain(keyBody.slice(0, 20));
  });

  it("POST /v1/audit with Accept: application/openmetrics-text answers the same metrics; JSON stays the default", async () => {
    const app = createApp();
    const body = readFileSync(kc);
    const res = await app.request(`/v1/audit?at=${AT}`, {
      method: "POST",
      body,
      headers: { "content-type": "application/yaml", accept: "application/openmetrics-text; version=1.0.0, text/plain;q=0.5, */*;q=0.1" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    const fs = parse(await res.text());
    const json = (await (
      await app.request(`/v1/audit?at=${AT}`, { method: "POST", body, headers: { "content-type": "application/yaml" } })
    ).json()) as Report;
    expect(
      fam(fs, "x509_cert_not_after")
        .samples.map((s) => s.value)
        .sort(),
    ).toEqual(json.certificates.map((c) => Date.parse(c.notAfter) / 1000).sort());
    expect(
      fam(fs, "certaudit_verdict")
        .samples.filter((s) => s.value === 1)
        .map((s) => s.labels.verdict),
    ).toEqual([json.verdict]);
  });
});

describeWithTool(
  "promtool",
  HAVE_PROMTOOL,
  "apt-get install -y prometheus",
)("OpenMetrics output, checked by promtool", () => {
  it("promtool check metrics reads it (Prometheus text format, as node_exporter's textfile collector does) with no lint problem", async () => {
    const om = await cli(["--format", "openmetrics", "--at", AT, join(FIX, "expired-client/kubeconfig.yaml")]);
    const r = spawnSync("promtool", ["check", "metrics"], { input: om.stdout, encoding: "utf8" });
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(r.status).toBe(0);
    expect(om.stdout).toMatch(/^x509_cert_expired\{.*\} 1$/m);
  });

  it("the alert rules in docs/metrics.md pass promtool check rules, and name only series certaudit writes", async () => {
    const doc = readFileSync(join(ROOT, "docs/metrics.md"), "utf8");
    const rules = /## Alert rules[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    const file = join(mkdtempSync(join(tmpdir(), "certaudit-rules-")), "certaudit.rules.yml");
    writeFileSync(file, rules);
    const r = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/SUCCESS: 6 rules found/);
    const om = (await cli(["--format", "openmetrics", "--at", AT, join(FIX, "expired-client/kubeconfig.yaml")])).stdout;
    const written = new Set([...om.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]));
    for (const name of rules.matchAll(/\b(x509_cert_\w+|certaudit_\w+)/g)) expect(written).toContain(name[1]);
  });
});
