// serverTrusted against the real thing: kubectl (a Go program, like every Kubernetes client)
// connects with each fixture kubeconfig to `openssl s_server` serving the fixture's API server
// certificate, and the product's serverTrusted must match whether kubectl's TLS verification
// passed. Unlike Node's tls (OpenSSL), this includes the cases where Go and OpenSSL disagree
// (cn-only-server: Go ignores the subject CN).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { describeWithTool } from "../helpers/tools.ts";
import { killAll, startSServer } from "./helpers/sserver.ts";

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const AT = new Date("2026-06-01T00:00:00Z");
const KUBECTL = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].find((p) => existsSync(p));
const home = mkdtempSync(join(tmpdir(), "certaudit-kubectl-home-"));

const dirs = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .filter((d) => ["kubeconfig.yaml", "apiserver.crt", "apiserver.key", "client-ca.crt"].every((f) => existsSync(join(FIXTURES, d, f))));

function contextsOf(kubeconfig: string): string[] {
  return [...kubeconfig.matchAll(/^- context:\n(?:\s{4}.*\n)+\s{2}name: (.+)$/gm)].map((m) => m[1]!.trim());
}

/**
 * kubectl's own verdict on the server, read from positive evidence only:
 *  - trusted: the request succeeded (s_server -www answers GET /version with 200), or the
 *    server itself refused our client certificate (`remote error: tls: …`), which it can only do
 *    after kubectl verified the server's chain (crypto/tls handshake_client.go verifies the
 *    server certificate in verifyServerCertificate before the client sends its own);
 *  - untrusted: Go's TLS client reports `tls: failed to verify certificate: x509: …`;
 *  - null: kubectl never got that far (it refuses to start with a key that does not match).
 * Anything else (connection refused, timeout) is not a verdict, and the test fails on it.
 */
function kubectlTrustsServer(kubeconfigPath: string, context: string): { trusted: boolean | null; stderr: string } {
  const r = spawnSync(
    KUBECTL!,
    ["--kubeconfig", kubeconfigPath, "--context", context, "get", "--raw", "/version", "--request-timeout=5s"],
    {
      env: { PATH: process.env.PATH ?? "", HOME: home },
      encoding: "utf8",
      timeout: 20_000,
    },
  );
  const stderr = r.stderr ?? "";
  // Go's TLS client reports server verification failures as "tls: failed to verify certificate: x509: ..."
  if (/private key does not match|failed to find any PEM data|failed to parse private key/.test(stderr)) return { trusted: null, stderr };
  if (/failed to verify certificate: x509: |x509: certificate/.test(stderr)) return { trusted: false, stderr };
  if (r.status === 0 || /remote error: tls: /.test(stderr)) return { trusted: true, stderr };
  throw new Error(`kubectl gave no TLS verdict (exit ${r.status}): ${stderr.trim().split("\n").pop()}`);
}

afterAll(() => {
  killAll();
  rmSync(home, { recursive: true, force: true });
});

describeWithTool(
  "kubectl",
  !!KUBECTL,
  "apt-get install -y kubectl",
)("serverTrusted agrees with kubectl (Go) against openssl s_server", () => {
  const rows: string[] = [];
  afterAll(() => console.log(`\nscenario / context | kubectl trusts the server | product serverTrusted\n${rows.join("\n")}`));

  it.each(dirs)("%s", async (dir) => {
    const read = (f: string) => readFileSync(join(FIXTURES, dir, f), "utf8");
    const original = read("kubeconfig.yaml");
    const server = await startSServer({
      serverCertPem: read("apiserver.crt"),
      serverKeyPem: read("apiserver.key"),
      clientCaPem: read("client-ca.crt"),
      attime: new Date(),
    });
    const tmp = mkdtempSync(join(tmpdir(), "certaudit-kubectl-"));
    try {
      // Same host (the SANs and tls-server-name still apply), the test server's port.
      const path = join(tmp, "kubeconfig.yaml");
      writeFileSync(path, original.replace(/(server: https:\/\/(?:127\.0\.0\.1|localhost)):6443/g, `$1:${server.port}`), { mode: 0o600 });
      const report = await audit(
        { kubeconfig: original, serverCertificate: read("apiserver.crt"), clientCA: read("client-ca.crt") },
        { at: AT, subtle: crypto.subtle },
      );
      for (const ctx of contextsOf(original)) {
        const real = kubectlTrustsServer(path, ctx);
        const product = report.contexts.find((c) => c.name === ctx)!.serverTrusted;
        rows.push(
          `${dir} / ${ctx} | ${real.trusted === null ? "not reached (kubectl refused its own key)" : real.trusted ? "yes" : "no"} | ${product}`,
        );
        if (real.trusted === null) continue;
        expect(product, `${dir} / ${ctx}: kubectl said ${real.stderr.trim().split("\n").pop()}`).toBe(real.trusted);
      }
    } finally {
      await server.stop();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
