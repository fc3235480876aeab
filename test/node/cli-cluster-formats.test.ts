// `certaudit DIR --format sarif|markdown` and the same for a file of Kubernetes objects (issue 12).
// SARIF is validated against the SARIF 2.1.0 schema (test/cli/sarif-2.1.0-rtm.5.json, OASIS) and
// each result must sit on the file and line that holds its certificate: openssl reads the
// certificate at that line and prints the SHA-256 the result names; `grep -n` gives the lines of
// the objects' caBundles. Markdown has the edge table sorted by the date the edges break.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/in-process-cli.ts";
import { FIX, sarifValidator } from "../cli/helpers.ts";
import { grepLines } from "./helpers/file-lines.ts";
import { needTool } from "./helpers/tools.ts";

const AT = "2026-12-01T00:00:00Z"; // apiserver-etcd-client.crt of expired-etcd-client ended 2026-09-01 (make.sh)

const run = (args: string[]) => runCli(args);

interface Result {
  ruleId: string;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  properties: { certificate?: string; path?: string };
}

/** The certificate at a line, as openssl reads it: its SHA-256, `sha256:<hex>`. */
function opensslIdAt(file: string, line: number): string {
  const lines = readFileSync(file, "utf8").split("\n");
  const l = lines[line - 1]!;
  let pem: string;
  if (l.startsWith("-----BEGIN CERTIFICATE-----")) {
    const end = lines.findIndex((x, i) => i >= line - 1 && x.startsWith("-----END"));
    pem = lines.slice(line - 1, end + 1).join("\n");
  } else pem = Buffer.from(/-data:\s*(\S+)/.exec(l)![1]!, "base64").toString("utf8");
  const fp = execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], { input: pem }).toString();
  return `sha256:${fp.split("=")[1]!.trim().replace(/:/g, "").toLowerCase()}`;
}

describe("certaudit DIR in sarif and markdown", () => {
  it("SARIF: valid 2.1.0, every result on the file and line of its certificate", async (ctx) => {
    needTool(ctx, "openssl");
    const validate = sarifValidator();
    let located = 0;
    for (const variant of ["expired-etcd-client", "rotated-etcd-ca", "sa-mismatch", "front-proxy-cn"]) {
      const dir = join(FIX, "kubeadm", variant);
      const r = await run([dir, "--format", "sarif", "--at", AT]);
      expect(r.code, variant).toBe(1);
      const sarif = JSON.parse(r.out);
      expect(validate(sarif), `${variant}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
      const results = sarif.runs[0].results as Result[];
      expect(results.length, variant).toBeGreaterThan(0);
      for (const x of results) {
        const loc = x.locations[0]!.physicalLocation;
        const file = loc.artifactLocation.uri;
        expect(file.startsWith(`${dir}/`), file).toBe(true);
        expect(existsSync(file), file).toBe(true);
        // A finding with a path names the file it is on.
        if (x.properties.path) expect(file).toBe(`${dir}/${x.properties.path}`);
        if (x.properties.certificate && !file.endsWith(".key") && !file.endsWith(".pub")) {
          expect(opensslIdAt(file, loc.region.startLine), `${x.ruleId} ${file}:${loc.region.startLine}`).toBe(x.properties.certificate);
          located++;
        }
      }
    }
    expect(located).toBeGreaterThan(2);
    const expired = JSON.parse((await run([join(FIX, "kubeadm/expired-etcd-client"), "--format", "sarif", "--at", AT])).out);
    const etcd = (expired.runs[0].results as Result[]).find((x) => x.ruleId === "cluster.etcd-client-refused")!;
    const file = join(FIX, "kubeadm/expired-etcd-client/pki/apiserver-etcd-client.crt");
    expect(etcd.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: file },
      region: { startLine: grepLines("BEGIN CERTIFICATE", file)[0] },
    });
  });

  it("SARIF for Kubernetes objects: the stale caBundle findings on the caBundle lines", async () => {
    const file = join(FIX, "k8s-objects/ca-renewed/objects.yaml");
    const r = await run([file, "--format", "sarif", "--at", AT]);
    const sarif = JSON.parse(r.out);
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const untrusted = (sarif.runs[0].results as Result[]).filter((x) => x.ruleId === "cluster.webhook-cabundle-untrusted");
    expect(untrusted.map((x) => x.locations[0]!.physicalLocation.region.startLine).sort()).toEqual(grepLines("caBundle:", file).sort());
    expect(untrusted.every((x) => x.locations[0]!.physicalLocation.artifactLocation.uri === file)).toBe(true);
  });

  it("Markdown: the edge table in the order the edges break, as many rows as edges", async () => {
    for (const input of [join(FIX, "kubeadm/expired-etcd-client"), join(FIX, "k8s-objects/ca-renewed/objects.yaml")]) {
      const md = await run([input, "--format", "markdown", "--at", AT]);
      const json = JSON.parse((await run([input, "--format", "json", "--at", AT])).out);
      const rows = md.out.split("\n").filter((l) => /^\| (✅|❌|❔) /.test(l));
      expect(rows).toHaveLength(json.cluster.edges.length);
      // Broken now first, then by date, undated last.
      const when = rows.map((l) => l.split(" | ")[1]!);
      const key = (w: string) => (w === "now" ? "0" : w === "-" ? "9" : `1${w}`);
      expect(when.map(key)).toEqual([...when.map(key)].sort());
      expect(md.out).toContain("First to break:");
    }
  });

  it("openmetrics and junit do not take a directory (yet), and say which formats do", async () => {
    const r = await run([join(FIX, "kubeadm/base"), "--format", "junit"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("a directory is printed as table, json, sarif, markdown");
  });
});
