// A key-pair edge says what the Go component does when it loads the pair: crypto/tls X509KeyPair
// (crypto/tls/tls.go; x509.ParseCertificate, then parsePrivateKey, then the key type, then the
// keys). The expectation for every case is Go's own run of tls.X509KeyPair over the same two PEM
// files (test/oracles/keypair, stdlib only): "ok" → the edge holds; "tls: private key does not
// match public key" (or "… type does not match …") → broken with cluster.key-mismatch; any other
// error → broken with cluster.key-pair-unloadable quoting Go's error. The files are made with
// openssl (explicit EC parameters, compressed points, RSA-PSS, curves Go lacks, Ed448, an
// encrypted key) or crafted in DER (RSA without NULL parameters, an RSA key relabelled
// RSASSA-PSS). Each case is a kubeadm directory (the pair as pki/apiserver.crt and .key, and as
// admin.conf's client-certificate-data and client-key-data) audited by the CLI locally and with
// --endpoint against the service (the Worker's Hono app, in-process; keys replaced by fingerprints
// and Go's refusal): the key-pair edges must be identical. The same pair as a kubernetes.io/tls
// Secret (objects, always local) must give the same verdict.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { main } from "../../src/cli/main.ts";
import { auditObjects } from "../../src/core/cluster/index.ts";
import type { Finding } from "../../src/core/findings/index.ts";
import { issue } from "../helpers/pki.ts";
import { asRsaPss, certWithSpki, ecOffCurve, rsaWithoutNull } from "../helpers/spki.ts";
import { runGoOracle } from "../core/helpers/go-oracle.ts";
import { KUBEADM_AT, KUBEADM_DIR } from "../core/helpers/kubeadm-tree.ts";
import { createApp } from "../../src/http/app.ts";
import { needTool } from "./helpers/tools.ts";

const subtle = crypto.subtle;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "certaudit-kp-go-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "ignore"] });
const read = (f: string) => readFileSync(join(dir, f), "utf8");
const genpkey = (out: string, ...opts: string[]) => openssl("genpkey", ...opts, "-out", out);
const selfSigned = (key: string) => openssl("req", "-new", "-x509", "-key", key, "-subj", "/CN=kube-apiserver", "-days", "800").toString();

interface Case {
  name: string;
  certPem: string;
  keyPem: string;
}

async function makeCases(): Promise<Case[]> {
  genpkey("ec.pem", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
  genpkey("ec-other.pem", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
  openssl("ec", "-in", "ec.pem", "-param_enc", "explicit", "-out", "ec-explicit.pem");
  openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ec-explicit.pem", "-out", "ec-explicit-p8.pem");
  openssl("ec", "-in", "ec.pem", "-conv_form", "compressed", "-out", "ec-compressed.pem");
  openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", "pass:secret", "-in", "ec.pem", "-out", "ec-encrypted.pem");
  genpkey("rsa.pem", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
  openssl("rsa", "-in", "rsa.pem", "-traditional", "-out", "rsa-pkcs1.pem");
  genpkey("pss.pem", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048");
  genpkey("k1.pem", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1");
  genpkey("ed448.pem", "-algorithm", "ED448");
  genpkey("ed25519.pem", "-algorithm", "ED25519");
  const ec = selfSigned("ec.pem");
  const rsa = selfSigned("rsa.pem");
  const ca = await issue({ subject: "CN=crafted-ca", ca: true });
  const rsaSpki = new Uint8Array(openssl("pkey", "-in", "rsa.pem", "-pubout", "-outform", "DER"));
  // A subject x509.ParseCertificate refuses: the CN as a PrintableString holding "@" (openssl's
  // UTF8String re-tagged, same length; openssl still reads it).
  const der = new Uint8Array(
    openssl("req", "-new", "-x509", "-key", "ec.pem", "-subj", "/CN=kubeXapiserver", "-days", "800", "-outform", "DER"),
  );
  const cn = Buffer.from(der).lastIndexOf(Buffer.from([0x0c, 14, ...Buffer.from("kubeXapiserver")]));
  der[cn] = 0x13;
  der[cn + 6] = "@".charCodeAt(0);
  const badSubject = `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE-----\n`;
  expect(execFileSync("openssl", ["x509", "-noout", "-subject"], { input: badSubject }).toString()).toContain("kube@apiserver");
  return [
    { name: "EC P-256, named curve", certPem: ec, keyPem: read("ec.pem") },
    { name: "subject PrintableString with @", certPem: badSubject, keyPem: read("ec.pem") },
    { name: "RSA, PKCS#1 key", certPem: rsa, keyPem: read("rsa-pkcs1.pem") },
    { name: "Ed25519", certPem: selfSigned("ed25519.pem"), keyPem: read("ed25519.pem") },
    { name: "EC, another key", certPem: ec, keyPem: read("ec-other.pem") },
    { name: "EC certificate, RSA key", certPem: ec, keyPem: read("rsa.pem") },
    { name: "certificate with explicit EC parameters, named-curve key", certPem: selfSigned("ec-explicit.pem"), keyPem: read("ec.pem") },
    {
      name: "certificate and SEC1 key with explicit EC parameters",
      certPem: selfSigned("ec-explicit.pem"),
      keyPem: read("ec-explicit.pem"),
    },
    { name: "named-curve certificate, SEC1 key with explicit parameters", certPem: ec, keyPem: read("ec-explicit.pem") },
    { name: "named-curve certificate, PKCS#8 key with explicit parameters", certPem: ec, keyPem: read("ec-explicit-p8.pem") },
    { name: "certificate with a compressed EC point", certPem: selfSigned("ec-compressed.pem"), keyPem: read("ec.pem") },
    { name: "encrypted PKCS#8 key", certPem: ec, keyPem: read("ec-encrypted.pem") },
    { name: "RSASSA-PSS certificate and key", certPem: selfSigned("pss.pem"), keyPem: read("pss.pem") },
    { name: "secp256k1", certPem: selfSigned("k1.pem"), keyPem: read("k1.pem") },
    { name: "Ed448", certPem: selfSigned("ed448.pem"), keyPem: read("ed448.pem") },
    { name: "RSA certificate without NULL parameters", certPem: await certWithSpki(rsaWithoutNull(rsaSpki), ca), keyPem: read("rsa.pem") },
    {
      name: "certificate with an EC point off its curve",
      certPem: await certWithSpki(ecOffCurve(new Uint8Array(openssl("pkey", "-in", "ec.pem", "-pubout", "-outform", "DER"))), ca),
      keyPem: read("ec.pem"),
    },
    {
      name: "RSA key relabelled RSASSA-PSS in the certificate",
      certPem: await certWithSpki(asRsaPss(rsaSpki), ca),
      keyPem: read("rsa.pem"),
    },
  ];
}

type Edge = { from: string; to: string; relation: string; verdict: string; findings: Finding[] };
type Summary = { verdict: string; codes: string[]; messages: string[] };
const summary = (e: { verdict: string; findings: Finding[] }): Summary => ({
  verdict: e.verdict,
  codes: e.findings.map((f) => f.code),
  messages: e.findings.map((f) => f.message),
});

/** What the edge must say, from Go's X509KeyPair error. */
function expected(goError: string): { verdict: string; codes: string[] } {
  if (goError === "ok") return { verdict: "holds", codes: [] };
  if (/^tls: private key (type )?does not match public key( type)?$/.test(goError))
    return { verdict: "broken", codes: ["cluster.key-mismatch"] };
  return { verdict: "broken", codes: ["cluster.key-pair-unloadable"] };
}

const APISERVER_PAIR = (e: { relation: string; to: string }) => e.relation === "key-pair" && e.to === "kube-apiserver --tls-cert-file";
const ADMIN_PAIR = (e: { relation: string; from: string }) => e.relation === "key-pair" && e.from.startsWith("admin.conf");

/** The CLI (src/cli/main.ts) on a directory, locally or with --endpoint answered by the service in-process. */
async function cli(args: string[]): Promise<{ edges: Edge[]; sent: string[] }> {
  const app = createApp();
  const sent: string[] = [];
  let out = "";
  let err = "";
  await main(args, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
    readStdin: async () => new Uint8Array(),
    fetch: (async (url: string | URL, init?: RequestInit) => {
      sent.push(await new Response(init!.body as FormData).text());
      return app.request(String(url).replace(/^https?:\/\/[^/]+/, ""), init);
    }) as typeof fetch,
  });
  if (!out) throw new Error(`certaudit printed nothing: ${err}`);
  return { edges: JSON.parse(out).cluster.edges, sent };
}

/** The base fixture with the case's pair as apiserver.crt/.key and as admin.conf's client credentials. */
function planeWith(c: Case, name: string): string {
  const root = join(dir, `plane-${name}`);
  cpSync(join(KUBEADM_DIR, "base"), root, { recursive: true });
  writeFileSync(join(root, "pki/apiserver.crt"), c.certPem);
  writeFileSync(join(root, "pki/apiserver.key"), c.keyPem);
  const b64 = (t: string) => Buffer.from(t).toString("base64");
  const admin = readFileSync(join(root, "admin.conf"), "utf8")
    .replace(/client-certificate-data: \S+/, `client-certificate-data: ${b64(c.certPem)}`)
    .replace(/client-key-data: \S+/, `client-key-data: ${b64(c.keyPem)}`);
  writeFileSync(join(root, "admin.conf"), admin);
  return root;
}

function secretYaml(c: Case): string {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return stringify({
    apiVersion: "v1",
    kind: "List",
    items: [
      {
        apiVersion: "v1",
        kind: "Secret",
        type: "kubernetes.io/tls",
        metadata: { name: "serving", namespace: "demo" },
        data: { "tls.crt": b64(c.certPem), "tls.key": b64(c.keyPem) },
      },
    ],
  });
}

describe("key-pair edges say what Go's tls.X509KeyPair does with the pair (Go oracle)", () => {
  it("every case: local directory, upload with fingerprints and a TLS Secret agree with Go", { timeout: 240_000 }, async (ctx) => {
    needTool(ctx, "openssl");
    const cases = await makeCases();
    const go = runGoOracle<{ keyPair: string }[]>("keypair", cases);
    if (!go) return ctx.skip();
    // The oracle refuses most of the odd forms, and in more than one way (the cases test something).
    expect(new Set(go.map((g) => g.keyPair)).size).toBeGreaterThanOrEqual(6);
    for (const [i, c] of cases.entries()) {
      const goError = go[i]!.keyPair;
      const want = expected(goError);
      const root = planeWith(c, String(i));
      const at = ["--at", KUBEADM_AT.toISOString(), "--format", "json"];
      const local = await cli([root, ...at]);
      const remote = await cli([root, "--endpoint", "http://certaudit.test", ...at]);
      // The upload went to the service, with no key in it.
      expect(remote.sent).toHaveLength(1);
      expect(remote.sent[0]).not.toMatch(/PRIVATE KEY/);
      for (const [which, pick] of [
        ["apiserver.key", APISERVER_PAIR],
        ["admin.conf", ADMIN_PAIR],
      ] as const) {
        const l = local.edges.filter(pick);
        const r = remote.edges.filter(pick);
        // Where the key came from is named differently in the upload (client-key-pubsha256); the rest is the same.
        const same = (e: (typeof l)[number]) =>
          JSON.parse(JSON.stringify({ ...summary(e), to: e.to }).replaceAll("client-key-pubsha256", "client-key-data"));
        expect(r.map(same), `${c.name}, ${which}: upload = local`).toEqual(l.map(same));
        expect(l, `${c.name}, ${which}: one edge`).toHaveLength(1);
        expect({ verdict: l[0]!.verdict, codes: summary(l[0]!).codes }, `${c.name}, ${which} (Go: ${goError})`).toEqual(want);
        if (want.codes[0] === "cluster.key-pair-unloadable") expect(summary(l[0]!).messages[0], c.name).toContain(`"${goError}`);
      }
      const objects = await auditObjects(secretYaml(c), { at: KUBEADM_AT, subtle });
      const secret = objects.cluster.edges.find((e) => e.relation === "key-pair")!;
      const secretWant = want.codes[0] === "cluster.key-mismatch" ? ["cluster.tls-secret-key-mismatch"] : want.codes;
      expect({ verdict: secret.verdict, codes: summary(secret).codes }, `${c.name} as a Secret`).toEqual({ ...want, codes: secretWant });
    }
  });
  it("a P-224 pair, which Go loads and WebCrypto cannot read, is undecided (never broken), locally and uploaded", async (ctx) => {
    needTool(ctx, "openssl");
    genpkey("p224.pem", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-224");
    const c = { name: "P-224", certPem: selfSigned("p224.pem"), keyPem: read("p224.pem") };
    const go = runGoOracle<{ keyPair: string }[]>("keypair", [c]);
    if (!go) return ctx.skip();
    expect(go[0]!.keyPair).toBe("ok"); // Go's namedCurveFromOID knows P-224
    const root = planeWith(c, "p224");
    const at = ["--at", KUBEADM_AT.toISOString(), "--format", "json"];
    const local = (await cli([root, ...at])).edges.find(APISERVER_PAIR)!;
    const remote = (await cli([root, "--endpoint", "http://certaudit.test", ...at])).edges.find(APISERVER_PAIR)!;
    expect(local.verdict).toBe("unknown");
    expect(summary(remote)).toEqual(summary(local));
  });
});
