// Kubernetes objects (test/fixtures/k8s-objects/make.sh): a webhook's serving Secret and the
// webhooks that call its Service. The expectation for each webhook edge is openssl's:
// `openssl verify -CAfile <caBundle> -purpose sslserver -verify_hostname <service>.<namespace>.svc
// <tls.crt>` at the validation time, with the caBundle and tls.crt taken from the YAML by the yaml
// package (not by certaudit's reader). The host name is what the API server's webhook client
// checks: k8s.io/apiserver pkg/util/webhook/client.go sets ServerName to <service>.<namespace>.svc.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { auditObjects, looksLikeObjects } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";

const DIR = fileURLToPath(new URL("../fixtures/k8s-objects/", import.meta.url));
const AT = new Date("2026-11-01T00:00:00Z");
const text = (variant: string) => readFileSync(join(DIR, variant, "objects.yaml"), "utf8");
const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

interface Item {
  kind: string;
  data?: Record<string, string>;
  metadata: { name: string; namespace?: string };
  webhooks?: { name: string; clientConfig: { caBundle: string; service: { name: string; namespace: string } } }[];
}

/** openssl's verdict per webhook name. */
function opensslVerdicts(variant: string): Map<string, boolean> {
  const items = (parse(text(variant)) as { items: Item[] }).items;
  const secret = items.find((i) => i.kind === "Secret")!;
  const tmp = mkdtempSync(join(tmpdir(), "k8s-objects-"));
  const out = new Map<string, boolean>();
  try {
    writeFileSync(join(tmp, "tls.crt"), b64(secret.data!["tls.crt"]!));
    for (const item of items)
      for (const w of item.webhooks ?? []) {
        writeFileSync(join(tmp, "ca.pem"), b64(w.clientConfig.caBundle));
        const host = `${w.clientConfig.service.name}.${w.clientConfig.service.namespace}.svc`;
        const r = spawnSync(
          "openssl",
          [
            "verify",
            "-attime",
            String(AT.getTime() / 1000),
            "-purpose",
            "sslserver",
            "-verify_hostname",
            host,
            "-CAfile",
            join(tmp, "ca.pem"),
            join(tmp, "tls.crt"),
          ],
          { encoding: "utf8" },
        );
        out.set(w.name, r.status === 0);
      }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");

withOpenssl("webhook caBundle against the serving Secret, as openssl verify decides", () => {
  it.each([
    ["base", true],
    ["ca-renewed", false],
  ])("%s: every webhook edge has openssl's verdict", async (variant, trusted) => {
    const expected = opensslVerdicts(variant);
    expect([...expected.values()]).toEqual([trusted, trusted]); // the fixture is what make.sh says
    const { cluster } = await auditObjects(text(variant), { at: AT, subtle: crypto.subtle });
    expect(cluster.layout).toBe("objects");
    const hooks = cluster.edges.filter((e) => e.relation === "webhook");
    expect(hooks).toHaveLength(2);
    for (const [name, ok] of expected) {
      const edge = hooks.find((e) => e.from.endsWith(`webhook ${name}`))!;
      expect(edge.verdict).toBe(ok ? "holds" : "broken");
      expect(edge.findings.map((f) => f.code)).toEqual(ok ? [] : ["cluster.webhook-cabundle-untrusted"]);
    }
    // The Secret itself is consistent in both (cert-manager re-issued tls.crt, tls.key and ca.crt together).
    const secretEdges = cluster.edges.filter((e) => e.relation !== "webhook");
    expect(secretEdges.map((e) => `${e.relation} ${e.verdict}`).sort()).toEqual(["key-pair holds", "tls-secret holds"]);
  });
});

it("recognises a List of Secrets and webhook configurations, not a kubeconfig", () => {
  expect(looksLikeObjects(text("base"))).toBe(true);
  const kubeconfig = readFileSync(fileURLToPath(new URL("../fixtures/e2e-users/kubeconfig.yaml", import.meta.url)), "utf8");
  expect(looksLikeObjects(kubeconfig)).toBe(false);
  expect(looksLikeObjects("apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: x}\n")).toBe(false);
});

it("an unpaired webhook is undecided with a finding, never trusted", async () => {
  const yaml = text("base").replace(
    /name: demo-webhook\n(\s+)namespace: demo\n(\s+)path: \/validate/,
    "name: other\n$1namespace: demo\n$2path: /validate",
  );
  const { cluster } = await auditObjects(yaml, { at: AT, subtle: crypto.subtle });
  const edge = cluster.edges.find((e) => e.from.endsWith("validate.demo.example.com"))!;
  expect(edge.verdict).toBe("unknown");
  expect(edge.findings.map((f) => f.code)).toEqual(["cluster.webhook-serving-unknown"]);
});
