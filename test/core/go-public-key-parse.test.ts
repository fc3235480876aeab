// Public keys Go's x509.ParseCertificate refuses (crypto/x509/parser.go parsePublicKey): RSA
// parameters other than NULL ("x509: RSA key missing NULL parameters"), EC points that
// elliptic.Unmarshal does not read, compressed or off the curve ("x509: failed to unmarshal
// elliptic curve point"), explicit EC parameters ("x509: invalid ECDSA parameters"). Go never
// sees such a certificate, so kubectl and kube-apiserver cannot verify it: the go profile says
// the chain is invalid. The expectation is Go's own Verify (test/oracles/x509verify).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { verifyCertificate } from "../../src/core/verify-chain.ts";
import { AT, issue } from "../helpers/pki.ts";
import { certWithSpki, ecCompressed, ecOffCurve, rsaWithoutNull } from "../helpers/spki.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { goVerify } from "./helpers/go-verify.ts";

const tools = toolWorks("go", ["version"]) && toolWorks("openssl", ["version"], /OpenSSL 3/);
const withTools = describeWithTool("go and openssl 3", tools, "apt-get install golang-go openssl");
const dir = mkdtempSync(join(tmpdir(), "certaudit-go-spki-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const goSays = (caPem: string, leafPem: string) => goVerify(AT.toISOString().replace(".000", ""), { root: caPem, leaf: leafPem });

/** The SPKI of an EC P-256 key openssl writes with explicit curve parameters. */
function explicitEcSpki(): Uint8Array {
  const run = (args: string[]) => {
    const r = spawnSync("openssl", args, { cwd: dir });
    if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
    return new Uint8Array(r.stdout);
  };
  run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.pem"]);
  run(["ec", "-in", "ec.pem", "-param_enc", "explicit", "-out", "ec-explicit.pem"]);
  return run(["pkey", "-in", "ec-explicit.pem", "-pubout", "-outform", "DER"]);
}

withTools("public keys Go cannot parse", () => {
  it("each certificate: the go profile's verdict is Go's Verify", async () => {
    const ca = await issue({ subject: "CN=spki-ca", ca: true });
    const rsa = await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign"],
    );
    const ec = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
    const rsaSpki = new Uint8Array(await crypto.subtle.exportKey("spki", rsa.publicKey));
    const ecSpki = new Uint8Array(await crypto.subtle.exportKey("spki", ec.publicKey));
    const cases: Record<string, Uint8Array> = {
      "RSA, NULL parameters": rsaSpki,
      "EC P-256, uncompressed": ecSpki,
      "RSA without NULL parameters": rsaWithoutNull(rsaSpki),
      "EC point off its curve": ecOffCurve(ecSpki),
      "EC point compressed": ecCompressed(ecSpki),
      "EC explicit parameters": explicitEcSpki(),
    };
    const answers: boolean[] = [];
    for (const [name, spki] of Object.entries(cases)) {
      const leaf = await certWithSpki(spki, ca);
      const go = goSays(ca.pem, leaf);
      answers.push(go.valid);
      const r = await verifyCertificate({ certificate: leaf, trustAnchors: ca.pem, purpose: "client" }, { at: AT, subtle: crypto.subtle });
      expect(r.valid, `${name} (Go: ${go.error ?? "valid"})`).toBe(go.valid);
      if (go.error?.startsWith("parse leaf")) {
        expect(r.reason, name).toBe("chain.malformed-certificate");
        // The certificate's own finding quotes Go's parser error.
        const said = r.findings.find((f) => f.code === "cert.go-unparseable")?.message ?? "";
        expect(said, name).toContain(go.error.replace("parse leaf: ", ""));
      }
    }
    expect(answers).toContain(true);
    expect(answers).toContain(false);
  });
});
