// Issue 8 §1 at the CLI, as a subprocess: nothing audited is never PASS (exit 1), and a PASS
// says which questions it leaves open, naming the CLI flags that settle them.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AT, BIN, FIX, runNode } from "../cli/helpers.ts";

const cli = (args: string[]) => runNode(BIN, ["--at", AT, ...args]);
const fx = (p: string) => join(FIX, p);

describe("certaudit CLI: honest headlines", () => {
  it("a kubeconfig of file references only is FAIL with input.nothing-audited, exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ca-"));
    const f = join(dir, "config");
    writeFileSync(
      f,
      "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /nowhere/ca.crt\n    server: https://192.168.49.2:8443\n  name: m\nusers:\n- name: m\n  user:\n    client-certificate: /nowhere/c.crt\n    client-key: /nowhere/c.key\ncontexts:\n- context:\n    cluster: m\n    user: m\n  name: m\ncurrent-context: m\n",
    );
    const r = await cli([f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/: FAIL/);
    expect(r.stdout).not.toMatch(/PASS/);
    expect(r.stdout).toContain("input.nothing-audited");
  });

  it("a PEM file without certificates is FAIL, exit 1 (openssl x509 refuses it too)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ca-"));
    const f = join(dir, "req.pem");
    writeFileSync(f, "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n");
    const r = await cli([f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("input.nothing-audited");
  });

  it("a kubeconfig alone passes with its open questions and the flags that settle them", async () => {
    const r = await cli([fx("e2e-users/kubeconfig.yaml")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("PASS (no problem found in what was checked; 2 questions left open)");
    expect(r.stdout).toContain("Open questions");
    expect(r.stdout).toContain("pass --client-ca FILE");
    expect(r.stdout).toContain("pass --live");
    expect(r.stdout).not.toMatch(/clientCA|serverCertificate/);
  });

  it("with --client-ca and --server-cert every question is decided", async () => {
    const r = await cli([
      "--client-ca",
      fx("e2e-users/client-ca.crt"),
      "--server-cert",
      fx("e2e-users/apiserver.crt"),
      fx("e2e-users/kubeconfig.yaml"),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("PASS (every question decided, no problem found)");
    expect(r.stdout).not.toContain("Open questions");
  });
});
