// CertificateSigningRequests (test/fixtures/k8s-objects/make-csr.sh). The fixture is read here
// with the yaml package (not certaudit's reader); each spec.request and status.certificate is
// judged by real tools, and the report must say the same:
// - `openssl req -verify` for the request's self-signature (OpenSSL 3.0 exits 0 either way and
//   prints "verify OK" or "verify failure", so its words are read);
// - Go's crypto/x509 (test/oracles/csr): pem.Decode + ParseCertificateRequest as kubernetes
//   pkg/apis/certificates/helpers.go ParseCSR runs them, CheckSignature as
//   pkg/apis/certificates/validation/validation.go validateCSR calls it, the subject and SANs,
//   the SPKI hash, status.certificate's PublicKey.Equal the request's, and its validity.
// The signer rules' expectations come from the Kubernetes source, cited beside each case.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { auditObjects, looksLikeObjects, objectsReport } from "../../src/core/cluster/index.ts";
import { SIGNERS, signerViolations, type RequestedIdentity } from "../../src/core/cluster/csr-signers.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { goCsrs } from "./helpers/go-csr.ts";
import { CSR_FIXTURE_FINDINGS } from "../helpers/csr-fixture-findings.ts";

const DIR = fileURLToPath(new URL("../fixtures/k8s-objects/", import.meta.url));
const AT = new Date("2026-11-01T00:00:00Z");
const fixture = () => readFileSync(join(DIR, "csr", "objects.yaml"), "utf8");
const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
const audit = (text: string) => auditObjects(text, { at: AT, subtle: crypto.subtle }).then((r) => r.cluster);

interface Item {
  metadata: { name: string };
  spec: { request: string; signerName: string; username: string };
  status: { certificate?: string };
}
const items = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Item);

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");

withOpenssl("each request as openssl and Go read it", () => {
  it("the self-signature: openssl req -verify, Go's CheckSignature and the report agree", { timeout: 120_000 }, async () => {
    const text = fixture();
    const csrs = (await audit(text)).csrs!;
    const openssl = new Map(
      items(text).map((i) => {
        const r = spawnSync("openssl", ["req", "-verify", "-noout"], { input: b64(i.spec.request), encoding: "utf8" });
        const words = `${r.stdout}${r.stderr}`;
        return [i.metadata.name, /verify OK/.test(words) ? true : /verify failure/.test(words) ? false : null];
      }),
    );
    // The fixture is what make-csr.sh says: only csr-tampered's signature is broken.
    expect([...openssl].filter(([, ok]) => ok !== true)).toEqual([["csr-tampered", false]]);
    for (const c of csrs) expect([c.name, c.request?.signatureValid]).toEqual([c.name, openssl.get(c.name)]);
    const go = goCsrs(
      items(text).map((i) => ({ name: i.metadata.name, request: b64(i.spec.request), certificate: "", at: AT.toISOString() })),
    );
    if (go) for (const g of go) expect([g.name, g.signature === "ok"]).toEqual([g.name, openssl.get(g.name)]);
  });

  it("subject, SANs and public key as Go's x509.ParseCertificateRequest reads them", async () => {
    const text = fixture();
    const csrs = (await audit(text)).csrs!;
    const go = goCsrs(
      items(text).map((i) => ({
        name: i.metadata.name,
        request: b64(i.spec.request),
        certificate: i.status.certificate ? b64(i.status.certificate) : "",
        at: AT.toISOString(),
      })),
    );
    if (!go) return;
    expect(go.map((g) => g.parse)).toEqual(csrs.map(() => "ok"));
    for (const g of go) {
      const c = csrs.find((x) => x.name === g.name)!;
      expect({
        name: c.name,
        cn: c.request!.commonName,
        o: c.request!.organizations,
        dns: c.request!.dnsNames,
        ip: c.request!.ipAddresses,
        email: c.request!.emails,
        uri: c.request!.uris,
        spki: c.request!.publicKeyFingerprint,
      }).toEqual({
        name: g.name,
        cn: g.commonName,
        o: g.organization,
        dns: g.dnsNames,
        ip: g.ipAddresses,
        email: g.emails,
        uri: g.uris,
        spki: g.spkiSha256,
      });
      // status.certificate: the same key as the request (Go's PublicKey.Equal), valid at the audit's time.
      expect([g.name, c.certificateKeyMatches]).toEqual([g.name, g.sameKey === "" ? null : g.sameKey === "yes"]);
      expect([g.name, c.certificateValidNow]).toEqual([g.name, g.validAt === "" ? null : g.validAt === "yes"]);
    }
    // make-csr.sh issued two certificates; csr-other-key's carries another key.
    expect(go.filter((g) => g.sameKey).map((g) => [g.name, g.sameKey])).toEqual([
      ["node-csr-kubelet-client", "yes"],
      ["csr-other-key", "no"],
    ]);
  });
});

withOpenssl("a subject with two CNs", () => {
  it("the CN judged is the one Go's pkix.Name keeps (FillFromRDNSequence: the last)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "csr-two-cn-"));
    try {
      const key = join(dir, "k.pem");
      spawnSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key]);
      const r = spawnSync("openssl", ["req", "-new", "-key", key, "-subj", "/O=system:nodes/CN=kubelet/CN=system:node:node-1"], {
        encoding: "utf8",
      });
      expect(r.status).toBe(0);
      const text = fixture().replace(items(fixture())[0]!.spec.request, Buffer.from(r.stdout).toString("base64"));
      const c = (await audit(text)).csrs![0]!;
      const go = goCsrs([{ name: "two", request: r.stdout, certificate: "", at: AT.toISOString() }]);
      if (go) expect(c.request!.commonName).toBe(go[0]!.commonName);
      expect(c.request!.commonName).toBe("system:node:node-1");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the findings of each request", () => {
  it("match the Kubernetes rules each case breaks, and only those", async () => {
    const csrs = (await audit(fixture())).csrs!;
    const codes = Object.fromEntries(csrs.map((c) => [c.name, c.findings.map((f) => f.code)]));
    expect(codes).toEqual(CSR_FIXTURE_FINDINGS);
    const dns = csrs.find((c) => c.name === "csr-client-dns-san")!;
    expect(dns.signerRules).toEqual({ judged: true, violations: ["DNS subjectAltNames are not allowed"] });
  });

  it("status is kubectl's CONDITION column (printers.go extractCSRStatus), reported and not judged", async () => {
    const csrs = (await audit(fixture())).csrs!;
    // extractCSRStatus: Denied > Approved > Pending, then ",Failed" for a Failed condition and ",Issued" with a certificate.
    expect(Object.fromEntries(csrs.map((c) => [c.name, c.status]))).toMatchObject({
      "node-csr-kubelet-client": "Approved,Issued",
      "csr-kubelet-serving": "Pending",
      "csr-client-dns-san": "Approved,Failed",
      "csr-other-key": "Approved,Issued",
      "csr-custom-signer": "Approved",
    });
    const denied = fixture().replace("reason: KubectlApprove", "reason: KubectlDeny").replace("type: Approved", "type: Denied");
    const d = (await audit(denied)).csrs!.find((c) => c.status.startsWith("Denied"));
    expect(d?.findings.map((f) => f.code) ?? []).not.toContain("cluster.csr-unreadable");
  });

  it("legacy-unknown is signed without rules (signer.go isLegacyUnknown), so its subject is not judged", async () => {
    const text = fixture().replace(
      "signerName: kubernetes.io/kube-apiserver-client-kubelet\n  usages:\n  - digital signature\n  - client auth\n  username: system:node:node-1\nstatus: {}",
      "signerName: kubernetes.io/legacy-unknown\n  usages:\n  - digital signature\n  - client auth\n  username: system:node:node-1\nstatus: {}",
    );
    const c = (await audit(text)).csrs!.find((x) => x.signerName === "kubernetes.io/legacy-unknown")!;
    expect(c.signerRules.judged).toBe(false);
    expect(c.findings.map((f) => f.code)).toContain("cluster.csr-signer-unjudged");
    expect(c.findings.find((f) => f.code === "cluster.csr-signer-unjudged")!.message).toContain("signs without rules");
  });

  it("an issued certificate past its notAfter is reported (Go Verify's validity; cleaner.go isIssuedExpired)", async () => {
    const { cluster } = await auditObjects(fixture(), { at: new Date("2027-02-01T00:00:00Z"), subtle: crypto.subtle });
    const c = cluster.csrs!.find((x) => x.name === "node-csr-kubelet-client")!;
    expect(c.certificateValidNow).toBe(false);
    expect(c.findings.map((f) => f.code)).toEqual(["cluster.csr-certificate-not-valid"]);
  });

  it("a spec.request that is not a PEM CERTIFICATE REQUEST is unreadable, as ParseCSR says", async () => {
    const [first] = items(fixture());
    const swap = (value: string) => fixture().replace(first!.spec.request, value);
    const pem = (label: string, body: string) =>
      Buffer.from(`-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`).toString("base64");
    for (const [value, why] of [
      [Buffer.from("hello").toString("base64"), "PEM block type must be CERTIFICATE REQUEST"],
      [pem("CERTIFICATE", "MAA="), "PEM block type must be CERTIFICATE REQUEST"],
      [pem("CERTIFICATE REQUEST", "AA=="), "malformed DER"],
      [pem("CERTIFICATE REQUEST", "AgEA"), "not a DER SEQUENCE"],
      [pem("CERTIFICATE REQUEST", "MAA="), "lacks one of certificationRequestInfo"],
      [pem("CERTIFICATE REQUEST", "MAAA"), "trailing data"],
      ["ab$cd", "not base64"],
    ] as const) {
      const c = (await audit(swap(value))).csrs!.find((x) => x.name === first!.metadata.name)!;
      expect(c.request).toBeNull();
      expect(c.findings.map((f) => f.code)).toEqual(["cluster.csr-unreadable"]);
      expect(c.findings[0]!.message).toContain(why);
      // Go's pem.Decode + x509.ParseCertificateRequest refuse it too (base64 that is not base64 never reaches them).
      if (why === "not base64") continue;
      const go = goCsrs([{ name: "x", request: b64(value), certificate: "", at: AT.toISOString() }]);
      if (go) expect(go[0]!.parse).not.toBe("ok");
    }
  });

  it("random DER in spec.request is a finding, never an exception", async () => {
    const [first] = items(fixture());
    for (let i = 0; i < 200; i++) {
      const body = new Uint8Array(2 + ((i * 7) % 80));
      crypto.getRandomValues(body);
      body[0] = 0x30;
      body[1] = body.length - 2;
      const value = Buffer.from(
        `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(body).toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`,
      ).toString("base64");
      const c = (await audit(fixture().replace(first!.spec.request, value))).csrs![0]!;
      expect(c.findings.map((f) => f.code)).toEqual(["cluster.csr-unreadable"]);
    }
  });

  it("CSRs alone are Kubernetes objects, and a report of pending requests only is not 'nothing audited'", async () => {
    expect(looksLikeObjects(fixture())).toBe(true);
    // The same objects as the v1 List `kubectl get csr -o yaml` prints.
    const list = stringify(
      { apiVersion: "v1", items: items(fixture()), kind: "List", metadata: { resourceVersion: "" } },
      { lineWidth: 0 },
    );
    expect(looksLikeObjects(list)).toBe(true);
    expect((await audit(list)).csrs).toEqual((await audit(fixture())).csrs);
    const pending = items(fixture()).filter((i) => !i.status.certificate);
    const text = readFileSync(join(DIR, "csr", "objects.yaml"), "utf8")
      .split(/^---\n/m)
      .filter((d) => pending.some((p) => d.includes(`name: ${p.metadata.name}\n`)))
      .join("---\n");
    const report = await objectsReport(text, { at: AT, subtle: crypto.subtle });
    expect(report.summary.certificates).toBe(0);
    expect(report.findings.map((f) => f.code)).not.toContain("input.nothing-audited");
    expect(report.cluster!.csrs!.length).toBe(pending.length);
  });
});

describe("the signer table (signer.go, helpers.go), case by case", () => {
  const id = (over: Partial<RequestedIdentity> = {}): RequestedIdentity => ({
    commonName: "system:node:n",
    organizations: ["system:nodes"],
    dnsNames: [],
    ipAddresses: [],
    emails: [],
    uris: [],
    ...over,
  });
  const client = SIGNERS["kubernetes.io/kube-apiserver-client-kubelet"]!;
  const serving = SIGNERS["kubernetes.io/kubelet-serving"]!;
  const apiClient = SIGNERS["kubernetes.io/kube-apiserver-client"]!;
  it.each([
    // helpers.go ValidateKubeletClientCSR, its error variables and required usage sets.
    ["client, RSA usages", client, id(), ["digital signature", "key encipherment", "client auth"], []],
    [
      "client, O also system:masters",
      client,
      id({ organizations: ["system:nodes", "system:masters"] }),
      ["digital signature", "client auth"],
      ["subject organization is not system:nodes"],
    ],
    [
      "client, IP SAN",
      client,
      id({ ipAddresses: ["10.0.0.1"] }),
      ["digital signature", "client auth"],
      ["IP subjectAltNames are not allowed"],
    ],
    [
      "client, email and URI SANs",
      client,
      id({ emails: ["a@b"], uris: ["spiffe://x"] }),
      ["digital signature", "client auth"],
      ["Email subjectAltNames are not allowed", "URI subjectAltNames are not allowed"],
    ],
    [
      "client, CN not system:node:",
      client,
      id({ commonName: "kubelet" }),
      ["digital signature", "client auth"],
      ["subject common name does not begin with system:node:"],
    ],
    [
      "client, server auth usage",
      client,
      id(),
      ["digital signature", "server auth"],
      ["usages did not match [client auth digital signature key encipherment] or [client auth digital signature]"],
    ],
    // helpers.go ValidateKubeletServingCSR.
    ["serving, no SAN", serving, id(), ["digital signature", "server auth"], ["DNS or IP subjectAltName is required"]],
    [
      "serving, IP only, RSA usages",
      serving,
      id({ ipAddresses: ["10.0.0.1"] }),
      ["digital signature", "key encipherment", "server auth"],
      [],
    ],
    [
      "serving, URI SAN",
      serving,
      id({ dnsNames: ["n"], uris: ["spiffe://x"] }),
      ["digital signature", "server auth"],
      ["URI subjectAltNames are not allowed"],
    ],
    // signer.go validAPIServerClientUsages: any subject; client auth required; digital signature and key encipherment optional.
    ["apiserver client, any subject", apiClient, id({ commonName: "jane", organizations: ["dev"] }), ["client auth"], []],
    [
      "apiserver client, server auth",
      apiClient,
      id(),
      ["client auth", "server auth"],
      ["invalid usage for client certificate: server auth"],
    ],
    [
      "apiserver client, no client auth",
      apiClient,
      id(),
      ["digital signature"],
      ["missing required usage for client certificate: client auth"],
    ],
  ] as const)("%s", (_n, rules, who, usages, expected) => {
    expect(signerViolations(rules, who, [...usages])).toEqual(expected);
  });
});

it("no audit loads a package beyond the core's zod and yaml (a fresh Node process; CSRs are read by csr-der.ts, not @peculiar/x509)", () => {
  // Until session 9 the CSR reader was @peculiar/x509 (with reflect-metadata, tsyringe, asn1js),
  // loaded only for an input holding a CSR; the hand-written reader loads nothing. The process
  // records every module it resolves (node:module registerHooks) and Reflect.getMetadata, which
  // reflect-metadata defines when it runs.
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const script = `
    const { registerHooks } = await import("node:module");
    const resolved = new Set();
    registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); resolved.add(r.url); return r; } });
    const { auditObjects } = await import(${JSON.stringify(`${root}src/core/cluster/index.ts`)});
    const { audit } = await import(${JSON.stringify(`${root}src/core/audit.ts`)});
    const fs = await import("node:fs");
    const at = new Date("2026-11-01T00:00:00Z");
    const read = (p) => fs.readFileSync(${JSON.stringify(root)} + p, "utf8");
    const seen = [];
    const packages = () => [...new Set([...resolved].map((u) => new RegExp("node_modules/((?:@[^/]+/)?[^/]+)").exec(u)?.[1]).filter(Boolean))].sort();
    await audit({ kubeconfig: read("test/fixtures/e2e-users/kubeconfig.yaml") }, { at, subtle: crypto.subtle });
    seen.push([typeof Reflect.getMetadata, packages()]);
    await auditObjects(read("test/fixtures/k8s-objects/base/objects.yaml"), { at, subtle: crypto.subtle });
    seen.push([typeof Reflect.getMetadata, packages()]);
    const r = await auditObjects(read("test/fixtures/k8s-objects/csr/objects.yaml"), { at, subtle: crypto.subtle });
    seen.push([typeof Reflect.getMetadata, packages(), r.cluster.csrs.filter((c) => c.request).length]);
    console.log(JSON.stringify(seen));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  // Each step: Reflect.getMetadata, and the packages loaded other than the two core is built on.
  const steps = (JSON.parse(r.stdout) as [string, string[], number?][]).map(([m, p, n]) => [
    m,
    p.filter((x) => x !== "yaml" && x !== "zod"),
    n,
  ]);
  // The eight requests of the fixture were read, and still nothing else was loaded.
  expect(steps).toEqual([
    ["undefined", [], undefined],
    ["undefined", [], undefined],
    ["undefined", [], 8],
  ]);
});

it("a request for oneself may carry the groups one is in, not others (x509 CommonNameUserConversion)", async () => {
  const codes = async (text: string) => (await audit(text)).csrs!.find((c) => c.name === "csr-system-masters")!.findings.map((f) => f.code);
  // mallory's spec.groups gain system:masters: she asks for a group she is in, so only the
  // system:masters finding is left.
  const text = fixture().replace(
    /( {2}groups:\n {2}- system:authenticated\n)( {2}request: [^\n]+\n {2}signerName: kubernetes.io\/kube-apiserver-client\n {2}usages:\n {2}- client auth\n {2}username: mallory)/,
    "$1  - system:masters\n$2",
  );
  expect(text).not.toBe(fixture());
  expect(await codes(text)).toEqual(["cluster.csr-system-masters"]);
});
