// `kubectl get secrets,validatingwebhookconfigurations,mutatingwebhookconfigurations -A -o yaml | certaudit -`
// on the objects of test/fixtures/k8s-objects/make.sh, through the committed bundle. Which webhook
// edges hold is cross-checked against openssl in test/core/cluster-objects.test.ts; here: the input
// is recognised on stdin and as a file, the report validates against the schema, and exit codes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { expect, it } from "vitest";
import { BIN, FIX, ROOT, runNode } from "../cli/helpers.ts";

const AT = "2026-11-01T00:00:00Z";
const objects = (variant: string) => join(FIX, "k8s-objects", variant, "objects.yaml");

it("base from stdin: the webhook and Secret edges hold, exit 0", async () => {
  const r = await runNode(BIN, ["-", "--at", AT], { input: readFileSync(objects("base")) });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("-: Kubernetes objects");
  expect(r.stdout.match(/^ {2}holds .* webhook /gm)).toHaveLength(2);
});

it("ca-renewed as a file, --format json: a schema-valid report, both webhooks broken, exit 1", async () => {
  const r = await runNode(BIN, [objects("ca-renewed"), "--at", AT, "--format", "json"]);
  expect(r.code).toBe(1);
  const report = JSON.parse(r.stdout);
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(
    JSON.parse(readFileSync(join(ROOT, "schemas/report.schema.json"), "utf8")),
  );
  expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  expect(report.input.kind).toBe("objects");
  const hooks = report.cluster.edges.filter((e: { relation: string }) => e.relation === "webhook");
  expect(hooks.map((e: { verdict: string }) => e.verdict)).toEqual(["broken", "broken"]);
});

it("a kubeconfig on stdin is still read as a kubeconfig", async () => {
  const r = await runNode(BIN, ["-", "--at", "2026-06-01T00:00:00Z"], { input: readFileSync(join(FIX, "e2e-users/kubeconfig.yaml")) });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("(kubeconfig,");
});

it("kubectl get csr -o yaml | certaudit -: one row per CertificateSigningRequest, a schema-valid report, exit 1", async () => {
  const input = readFileSync(objects("csr"));
  const r = await runNode(BIN, ["-", "--at", AT], { input });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(1); // csr-tampered, csr-system-masters and csr-other-key are errors
  expect(r.stdout).toContain("Certificate signing requests");
  // Status as kubectl's CONDITION column (kubernetes pkg/printers/internalversion/printers.go extractCSRStatus).
  expect(r.stdout).toMatch(
    /^ {2}ok +Approved,Issued +node-csr-kubelet-client +kubernetes\.io\/kube-apiserver-client-kubelet +system:node:node-1 +CN=system:node:node-1 O=system:nodes$/m,
  );
  expect(r.stdout).toMatch(/^ {2}system-masters, identity-mismatch +Pending +csr-system-masters .* CN=mallory O=system:masters$/m);
  expect(r.stdout.match(/^ {2}\S.* (Pending|Approved\S*) +(node-)?csr-/gm)).toHaveLength(8);
  // CSRs alone carry no trust edge: no edge table, not even its header; the CSR table follows the title.
  expect(r.stdout).not.toMatch(/verdict +breaks +relation/);
  const out = r.stdout.split("\n");
  expect(out[0]).toMatch(/^-: Kubernetes objects, validated at /);
  expect(out[1]).toBe("");
  expect(out[2]).toContain("Certificate signing requests");
  const json = await runNode(BIN, ["-", "--at", AT, "--format", "json"], { input });
  const report = JSON.parse(json.stdout);
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(
    JSON.parse(readFileSync(join(ROOT, "schemas/report.schema.json"), "utf8")),
  );
  expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  expect(report.cluster.csrs).toHaveLength(8);
});

it("objects with a format that does not print them: a usage error (exit 2) that says so, not 'not a kubeconfig'", async () => {
  // sarif and markdown print a cluster report (test/node/cli-cluster-formats.test.ts); junit and openmetrics do not.
  for (const format of ["junit", "openmetrics"]) {
    const r = await runNode(BIN, ["-", "--at", AT, "--format", format], { input: readFileSync(objects("base")) });
    expect(r.code, format).toBe(2);
    expect(r.stderr).toContain("[cli.usage]");
    expect(r.stderr).toContain("Kubernetes objects are printed as table, json, sarif, markdown");
    expect(r.stderr).not.toContain("not-kubeconfig");
    expect(r.stdout).toBe("");
  }
});
