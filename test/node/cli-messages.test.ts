// What the CLI says when something goes wrong, and how it says times: each fact once, the
// cause of a failed upload, YAML errors as YAML errors, "expired N days ago", one time format.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AT, BIN, FIX, runNode, startSServer, type SServer } from "../cli/helpers.ts";
import { freePort } from "./helpers/sserver.ts";

const cli = (args: string[], opts: Parameters<typeof runNode>[2] = {}) => runNode(BIN, args, opts);
const count = (hay: string, needle: string) => hay.split(needle).length - 1;
const stop: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of stop) await s();
});

describe("certaudit messages", () => {
  it("an unreadable file is named once, with the reason once", async () => {
    const r = await cli(["/nonexistent/x.conf"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("certaudit: error [cli.unreadable]: /nonexistent/x.conf: cannot read (ENOENT)\n");
    expect(count(r.stdout + r.stderr, "ENOENT")).toBe(1);
    const ca = await cli(["--client-ca", "/nonexistent/ca.crt", join(FIX, "e2e-users/kubeconfig.yaml")]);
    expect(count(ca.stderr, "/nonexistent/ca.crt")).toBe(1);
  });

  it("a file that cannot be audited is named once", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "certaudit-msg-")), "notes.txt");
    writeFileSync(file, "hello, this is not a certificate\n");
    const r = await cli([file]);
    expect(r.code).toBe(2);
    expect(count(r.stderr, "notes.txt")).toBe(1);
    expect(r.stderr).toBe(
      `certaudit: error [input.unrecognized]: ${file}: the file is not a kubeconfig, a PEM bundle or a DER certificate\n`,
    );
    writeFileSync(file, "");
    expect((await cli([file])).stderr).toBe(`certaudit: error [input.empty]: ${file}: the file is empty\n`);
  });

  it("a YAML error is a YAML error with its position once", async () => {
    const r = await cli(["-"], { input: "apiVersion: v1\nclusters:\n- name: a\n  cluster:\n    server: x\n   bad: 1\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^certaudit: error \[input\.yaml-syntax\]: -: .*YAML.*line 6, column \d+\n$/);
    expect(r.stderr).not.toMatch(/(line \d+, column \d+).*\1/);
    expect(count(r.stdout + r.stderr, "line 6")).toBe(1);
    // Refused before an upload: the YAML error is still what the user reads.
    const up = await cli(["--endpoint", "http://127.0.0.1:1", "-"], { input: "clusters: [\n  token: abc\n" });
    expect(up.stderr).toMatch(/\[cli\.unsafe-upload\]: .*input\.yaml-syntax: .*YAML/);
  });

  it("an endpoint failure says why: ECONNREFUSED, the TLS error, the HTTP status", async () => {
    const refused = await cli(["--endpoint", `http://127.0.0.1:${await freePort()}`, join(FIX, "e2e-users/kubeconfig.yaml")]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/\[cli\.endpoint-unreachable\]: .*failed \(.*ECONNREFUSED.*\)/);

    const s: SServer = await startSServer(join(FIX, "e2e-users"), new Date().toISOString());
    stop.push(() => s.stop());
    const tls = await cli(["--endpoint", `https://127.0.0.1:${s.port}`, join(FIX, "e2e-users/kubeconfig.yaml")]);
    expect(tls.code).toBe(2);
    // Node's TLS error for a server whose CA it does not know (Node's code, not ours).
    expect(tls.stderr).toMatch(/\[cli\.endpoint-unreachable\]: .*failed \(.*(certificate|SELF_SIGNED|UNABLE_TO|alert|handshake).*\)/i);

    const http: Server = createServer((_, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<h1>bad gateway</h1>");
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    stop.push(() => new Promise<void>((r) => http.close(() => r())));
    const port = (http.address() as { port: number }).port;
    const status = await cli(["--endpoint", `http://127.0.0.1:${port}`, join(FIX, "e2e-users/kubeconfig.yaml")]);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/\[cli\.endpoint-error\]: .*HTTP 502/);
    // The problem is on standard error; the table does not repeat it.
    expect(status.stdout).not.toContain("HTTP 502");
  });

  it("an expired certificate reads 'expired N days ago'; every time is one format", async () => {
    const r = await cli(["--at", "2027-02-01T00:00:00Z", join(FIX, "expired-client/kubeconfig.yaml")]);
    expect(r.code).toBe(1);
    // expired-client's certificate ends 2026-01-01T00:00:00Z: 396 days before 2027-02-01.
    expect(r.stdout).toContain("expired 396 days ago");
    expect(r.stdout).not.toMatch(/-\d+\s+days|-396/);
    const times = r.stdout.match(/\d{4}-\d{2}-\d{2}[T ][\d:.]*Z?/g) ?? [];
    expect(times.length).toBeGreaterThan(3);
    for (const t of times) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const md = await cli(["--format", "markdown", "--at", "2027-02-01T00:00:00Z", join(FIX, "expired-client/kubeconfig.yaml")]);
    expect(md.stdout).toContain("Earliest expiry: **2026-01-01T00:00:00Z** (expired 396 days ago)");
    // Also the validation time when --at is not given (the clock has milliseconds).
    const now = await cli([join(FIX, "e2e-users/kubeconfig.yaml")]);
    expect(now.stdout.split("\n")[0]).toMatch(/, at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z, /);
    expect(AT).toMatch(/Z$/);
  });
});
