// Kubernetes objects (test/fixtures/k8s-objects/make.sh): a webhook's serving Secret and the
// webhooks that call its Service. The expectation for each webhook edge comes from two real
// verifiers, fed the caBundle and tls.crt taken from the YAML by the yaml package (not by
// certaudit's reader), with the host name the API server's webhook client checks
// (k8s.io/apiserver pkg/util/webhook/client.go: ServerName = <service>.<namespace>.svc):
// - `openssl verify -attime -purpose sslserver -verify_hostname <host> -CAfile <caBundle> <tls.crt>`;
// - Go's crypto/x509 Verify (test/oracles/edges: ExtKeyUsageServerAuth, DNSName = host), as crypto/tls does.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import { objectsLine } from "../../src/cli/locate-cluster.ts";
import { auditObjects, looksLikeObjects } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { runGoOracle } from "./helpers/go-oracle.ts";

const DIR = fileURLToPath(new URL("../fixtures/k8s-objects/", import.meta.url));
const AT = new Date("2026-11-01T00:00:00Z");
const fixture = (variant: string) => readFileSync(join(DIR, variant, "objects.yaml"), "utf8");
const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

interface Item {
  kind: string;
  data?: Record<string, string>;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  webhooks?: { name: string; clientConfig: { caBundle: string; service: { name: string; namespace: string } } }[];
}

/** Each webhook (its kind and name) with the caBundle, the serving Secret's tls.crt (the fixture has one Secret) and the host. */
function questions(text: string) {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Item & { items?: Item[] });
  const items = docs.flatMap((d) => (d.kind === "List" ? d.items! : [d]));
  const tlsCrt = b64(items.find((i) => i.kind === "Secret")!.data!["tls.crt"]!);
  return items.flatMap((i) =>
    (i.webhooks ?? []).map((w) => ({
      name: w.name,
      kind: i.kind,
      caBundle: b64(w.clientConfig.caBundle),
      tlsCrt,
      host: `${w.clientConfig.service.name}.${w.clientConfig.service.namespace}.svc`,
    })),
  );
}

function opensslVerdicts(text: string): Map<string, boolean> {
  const tmp = mkdtempSync(join(tmpdir(), "k8s-objects-"));
  const out = new Map<string, boolean>();
  try {
    for (const q of questions(text)) {
      writeFileSync(join(tmp, "ca.pem"), q.caBundle);
      writeFileSync(join(tmp, "tls.crt"), q.tlsCrt);
      const args = ["verify", "-attime", String(AT.getTime() / 1000), "-purpose", "sslserver", "-verify_hostname", q.host];
      const r = spawnSync("openssl", [...args, "-CAfile", join(tmp, "ca.pem"), join(tmp, "tls.crt")], { encoding: "utf8" });
      out.set(`${q.kind} ${q.name}`, r.status === 0);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

function goVerdicts(text: string): Map<string, boolean> | null {
  const input = questions(text).map((q) => ({
    name: `${q.kind} ${q.name}`,
    chain: [q.tlsCrt],
    roots: q.caBundle,
    usage: "server",
    host: q.host,
    at: AT.toISOString(),
  }));
  const answers = runGoOracle<{ name: string; valid: boolean }[]>("edges", input);
  return answers ? new Map(answers.map((a) => [a.name, a.valid])) : null;
}

/** base with the mutating webhook's Service renamed: the cert-manager pairing still finds the Secret, the name does not match. */
const renamed = () =>
  fixture("base").replace(
    /name: demo-webhook\n(\s+)namespace: demo\n(\s+)path: \/mutate/,
    "name: other\n$1namespace: demo\n$2path: /mutate",
  );
/** base as a multi-document YAML stream instead of a List. */
const stream = () => (parse(fixture("base")) as { items: unknown[] }).items.map((i) => `---\n${stringify(i, { lineWidth: 0 })}`).join("");

/**
 * ca-renewed (tls.crt re-issued by a new CA) where the validating webhook's caBundle was updated to
 * the Secret's ca.crt and the mutating one was not, and both configurations and both webhooks have
 * the same names (demo-webhook, validate.demo.example.com): two objects, two edges.
 */
const sameNames = () => {
  const text = fixture("ca-renewed");
  const newCa = /^ {4}ca\.crt: (\S+)$/m.exec(text)![1]!;
  const validating = text.indexOf("kind: ValidatingWebhookConfiguration");
  const mutating = text.indexOf("kind: MutatingWebhookConfiguration");
  const head = text.slice(0, validating);
  const v = text.slice(validating, mutating).replace(/caBundle: \S+/, `caBundle: ${newCa}`);
  const m = text.slice(mutating).replace("name: mutate.demo.example.com", "name: validate.demo.example.com");
  return head + v + m;
};

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");

withOpenssl("webhook caBundle against the serving Secret, as openssl and Go decide", () => {
  it.each([
    ["base", () => fixture("base"), [true, true]],
    ["ca-renewed (caBundle predates the CA renewal)", () => fixture("ca-renewed"), [false, false]],
    ["mutating webhook's Service renamed (certificate not valid for other.demo.svc)", renamed, [true, false]],
    ["base as a YAML stream", stream, [true, true]],
    ["a validating and a mutating configuration sharing both names, one caBundle renewed, one stale", sameNames, [true, false]],
  ])("%s", { timeout: 120_000 }, async (_name, make, trusted) => {
    const text = make();
    const expected = opensslVerdicts(text);
    expect([...expected.values()]).toEqual(trusted); // the fixture is what make.sh says (validating, mutating)
    const go = goVerdicts(text);
    if (go) expect(go).toEqual(expected); // where openssl and Go agree, the report must say the same
    const { cluster } = await auditObjects(text, { at: AT, subtle: crypto.subtle });
    expect(cluster.layout).toBe("objects");
    const hooks = cluster.edges.filter((e) => e.relation === "webhook");
    expect(hooks).toHaveLength(2);
    for (const [key, ok] of expected) {
      const [kind, name] = key.split(" ");
      const edge = hooks.find((e) => e.from.startsWith(`${kind} `) && e.from.endsWith(`webhook ${name}`))!;
      expect(edge.verdict).toBe(ok ? "holds" : "broken");
      expect(edge.findings.map((f) => f.code)).toEqual(ok ? [] : ["cluster.webhook-cabundle-untrusted"]);
    }
    // The Secret itself is consistent (cert-manager re-issued tls.crt, tls.key and ca.crt together).
    const secretEdges = cluster.edges.filter((e) => e.relation !== "webhook");
    expect(secretEdges.map((e) => `${e.relation} ${e.verdict}`).sort()).toEqual(["key-pair holds", "tls-secret holds"]);
  });
});

it("same-named validating and mutating webhooks: each caBundle is its own file, and the finding sits on the mutating one's caBundle line", async () => {
  const text = sameNames();
  const { cluster } = await auditObjects(text, { at: AT, subtle: crypto.subtle });
  const paths = Object.fromEntries(
    cluster.edges.filter((e) => e.relation === "webhook").map((e) => [e.from.split(" ")[0], e.findings.map((f) => f.path)]),
  );
  expect(paths).toEqual({
    ValidatingWebhookConfiguration: [],
    MutatingWebhookConfiguration: ["webhooks/MutatingWebhookConfiguration/demo-webhook/validate.demo.example.com/caBundle"],
  });
  // The line, counted in the text itself: the second caBundle (the mutating configuration comes second).
  const bundleLines = text.split("\n").flatMap((l, i) => (/^\s+caBundle: /.test(l) ? [i + 1] : []));
  expect(objectsLine(text, paths.MutatingWebhookConfiguration![0])).toBe(bundleLines[1]);
});

it("recognises a List or stream of Secrets and webhook configurations, not a kubeconfig", () => {
  expect(looksLikeObjects(fixture("base"))).toBe(true);
  expect(looksLikeObjects(stream())).toBe(true);
  const kubeconfig = readFileSync(fileURLToPath(new URL("../fixtures/e2e-users/kubeconfig.yaml", import.meta.url)), "utf8");
  expect(looksLikeObjects(kubeconfig)).toBe(false);
  expect(looksLikeObjects("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: x}\n")).toBe(false);
});

it("skips other kinds of a wider kubectl get (ConfigMaps) and names them in the report", async () => {
  const cm = "- apiVersion: v1\n  data:\n    ca.crt: x\n  kind: ConfigMap\n  metadata:\n    name: coredns\n    namespace: kube-system\n";
  const text = fixture("base").replace("items:\n", `items:\n${cm}`);
  expect(looksLikeObjects(text)).toBe(true);
  const { cluster } = await auditObjects(text, { at: AT, subtle: crypto.subtle });
  expect(cluster.assumptions).toEqual(["1 ConfigMap object(s) in the input were not audited (not covered yet)"]);
  expect(cluster.edges.filter((e) => e.relation === "webhook").map((e) => e.verdict)).toEqual(["holds", "holds"]);
});

it("a webhook paired with no Secret is undecided with a finding, never trusted", async () => {
  // Only the validating webhook is renamed; it has no cert-manager annotation and no Secret has other.demo.svc.
  const yaml = fixture("base").replace(
    /name: demo-webhook\n(\s+)namespace: demo\n(\s+)path: \/validate/,
    "name: other\n$1namespace: demo\n$2path: /validate",
  );
  const { cluster } = await auditObjects(yaml, { at: AT, subtle: crypto.subtle });
  const edge = cluster.edges.find((e) => e.from.endsWith("validate.demo.example.com"))!;
  expect(edge.verdict).toBe("unknown");
  expect(edge.findings.map((f) => f.code)).toEqual(["cluster.webhook-serving-unknown"]);
});

it("two Secrets with the service name that the caBundle judges differently leave the SAN-paired edge undecided", async () => {
  const renewed = fixture("ca-renewed");
  const secret = renewed.slice(renewed.indexOf("- apiVersion: v1\n"), renewed.indexOf("  type: kubernetes.io/tls\n") + 26);
  const other = secret.replace("name: demo-webhook-tls", "name: demo-webhook-tls-next");
  const text = fixture("base").replace("items:\n", `items:\n${other}`);
  const { cluster } = await auditObjects(text, { at: AT, subtle: crypto.subtle });
  const edge = cluster.edges.find((e) => e.from.endsWith("validate.demo.example.com"))!;
  expect(edge.verdict).toBe("unknown");
  expect(edge.detail).toContain("demo-webhook-tls-next");
  expect(edge.findings.map((f) => f.code)).toEqual(["cluster.webhook-serving-unknown"]);
});
