// A key-pair edge says what the Go component does when it loads the pair: crypto/tls X509KeyPair
// (crypto/tls/tls.go; x509.ParseCertificate, then parsePrivateKey, then the key type, then the
// keys). The expectation for every case is Go's own run of tls.X509KeyPair over the same two PEM
// files (test/oracles/keypair, stdlib only): "ok" → the edge holds; "tls: private key does not
// match public key" (or "… type does not match …") → broken with cluster.key-mismatch; any other
// error → broken with cluster.key-pair-unloadable quoting Go's error. The files are made with
// openssl (explicit EC parameters, compressed points, RSA-PSS, curves Go lacks, Ed448, an
// encrypted key) or crafted in DER (RSA without NULL parameters, an RSA key relabelled
// RSASSA-PSS). Each case is audited as a kubeadm directory locally and as the upload the CLI
// sends (keys replaced by fingerprints and Go's refusal): the two edges must be identical. The
// same pairs as a kubernetes.io/tls Secret (objects, always local) must give the same verdict.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { uploadableTree } from "../../src/cli/directory-upload.ts";
import { auditObjects, controlPlaneReport } from "../../src/core/cluster/index.ts";
import type { Finding } from "../../src/core/findings/index.ts";
import { issue } from "../helpers/pki.ts";
import { asRsaPss, certWithSpki, rsaWithoutNull } from "../helpers/spki.ts";
import { runGoOracle } from "../core/helpers/go-oracle.ts";
import { KUBEADM_AT, kubeadmTree } from "../core/helpers/kubeadm-tree.ts";
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
  return [
    { name: "EC P-256, named curve", certPem: ec, keyPem: read("ec.pem") },
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
      name: "RSA key relabelled RSASSA-PSS in the certificate",
      certPem: await certWithSpki(asRsaPss(rsaSpki), ca),
      keyPem: read("rsa.pem"),
    },
  ];
}

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

const enc = new TextEncoder();
const APISERVER_PAIR = (e: { relation: string; to: string }) => e.relation === "key-pair" && e.to === "kube-apiserver --tls-cert-file";

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
      const tree = kubeadmTree("base");
      tree.set("pki/apiserver.crt", enc.encode(c.certPem));
      tree.set("pki/apiserver.key", enc.encode(c.keyPem));
      const local = (await controlPlaneReport(tree, { at: KUBEADM_AT, subtle })).cluster!.edges.find(APISERVER_PAIR)!;
      const { files } = await uploadableTree(tree, subtle);
      expect(
        [...files.keys()].some((p) => p.endsWith(".key")),
        `${c.name}: no key is uploaded`,
      ).toBe(false);
      const uploaded = (await controlPlaneReport(files, { at: KUBEADM_AT, subtle })).cluster!.edges.find(APISERVER_PAIR)!;
      expect({ verdict: local.verdict, codes: summary(local).codes }, `${c.name} (Go: ${goError})`).toEqual(want);
      expect(summary(uploaded), `${c.name}: upload = local`).toEqual(summary(local));
      if (want.codes[0] === "cluster.key-pair-unloadable") expect(summary(local).messages[0], c.name).toContain(`"${goError}"`);
      const objects = await auditObjects(secretYaml(c), { at: KUBEADM_AT, subtle });
      const secret = objects.cluster.edges.find((e) => e.relation === "key-pair")!;
      const secretWant = want.codes[0] === "cluster.key-mismatch" ? ["cluster.tls-secret-key-mismatch"] : want.codes;
      expect({ verdict: secret.verdict, codes: summary(secret).codes }, `${c.name} as a Secret`).toEqual({ ...want, codes: secretWant });
    }
  });
});
