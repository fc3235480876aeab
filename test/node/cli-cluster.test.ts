// `certaudit DIR` on the kubeadm fixtures (test/fixtures/kubeadm/make.sh): the edge table, sorted by
// the date each edge breaks, through the committed bundle. Dates come from openssl reading the files.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, runNode } from "../cli/helpers.ts";
import { KUBEADM_DIR } from "../core/helpers/kubeadm-tree.ts";
import { needTool } from "./helpers/tools.ts";

const AT = "2026-11-01T00:00:00Z";
const notAfter = (variant: string, file: string) => {
  const out = execFileSync("openssl", ["x509", "-noout", "-enddate", "-dateopt", "iso_8601", "-in", join(KUBEADM_DIR, variant, file)], {
    encoding: "utf8",
  });
  return out
    .trim()
    .replace(/^notAfter=/, "")
    .slice(0, 10);
};
const rows = (stdout: string) => stdout.split("\n").filter((l) => /^ {2}(holds|BROKEN|unknown) /.test(l));

describe("certaudit DIR (a kubeadm /etc/kubernetes)", () => {
  it("base: every edge holds, exit 0, rows sorted by the date they break", async (ctx) => {
    needTool(ctx, "openssl");
    const r = await runNode(BIN, [join(KUBEADM_DIR, "base"), "--at", AT]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const table = rows(r.stdout);
    expect(table.length).toBeGreaterThan(20);
    expect(table.every((l) => l.startsWith("  holds"))).toBe(true);
    const dates = table.map((l) => l.split(/\s+/)[2]!).filter((d) => d !== "-");
    expect(dates).toEqual([...dates].sort());
    expect(dates[0]).toBe(notAfter("base", "pki/apiserver.crt"));
  });

  it("expired-etcd-client: the first row is the broken apiserver → etcd edge, at the certificate's notAfter; exit 1", async (ctx) => {
    needTool(ctx, "openssl");
    const r = await runNode(BIN, [join(KUBEADM_DIR, "expired-etcd-client"), "--at", AT]);
    expect(r.code).toBe(1);
    const first = rows(r.stdout)[0]!;
    expect(first).toMatch(/^ {2}BROKEN/);
    expect(first).toContain(notAfter("expired-etcd-client", "pki/apiserver-etcd-client.crt"));
    expect(first).toContain("kube-apiserver (etcd client) → etcd");
    expect(r.stdout).toContain("kubeadm certs renew apiserver-etcd-client; restart kube-apiserver");
  });

  it("--format json prints a report (schemas/report.schema.json) with the cluster section", async () => {
    const r = await runNode(BIN, [join(KUBEADM_DIR, "sa-mismatch"), "--at", AT, "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(
      JSON.parse(readFileSync(join(ROOT, "schemas/report.schema.json"), "utf8")),
    );
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.input.kind).toBe("directory");
    expect(report.verdict).toBe("fail");
    const { cluster } = report;
    expect(cluster.edges.filter((e: { verdict: string }) => e.verdict === "broken").map((e: { relation: string }) => e.relation)).toEqual([
      "service-account",
      "service-account",
    ]);
  });
});

describe("certaudit DIR on a directory that is not a control plane", () => {
  it("says nothing was audited and fails (input.nothing-audited), as for any input without a certificate", async () => {
    const r = await runNode(BIN, [join(ROOT, "docs"), "--at", AT, "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { code: string }) => f.code)).toContain("input.nothing-audited");
    expect(report.summary.complete).toBe(false);
  });
});
