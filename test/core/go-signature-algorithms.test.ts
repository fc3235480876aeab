// Signature algorithms and issuer keys Go does not implement. kubectl and kube-apiserver verify
// with Go's crypto/x509: getSignatureAlgorithmFromAI (x509.go) reads RSASSA-PSS only as SHA-256,
// SHA-384 or SHA-512 with MGF1 of the same hash, a salt as long as the hash and trailer 1, any
// other parameters (and SHA-224) are UnknownSignatureAlgorithm; an id-RSASSA-PSS or DSA key is
// not one checkSignature can use. Either way CheckSignatureFrom answers ErrUnsupportedAlgorithm
// and buildChains (verify.go) rejects the issuer: "x509: certificate signed by unknown authority
// (possibly because of "x509: cannot verify signature: algorithm unimplemented" ...)". OpenSSL
// verifies most of these. Every certificate is made by openssl here; the go profile's expectation
// is Go's own answer (test/oracles/x509verify), the rfc5280 profile's is `openssl verify`'s.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { verifyCertificate } from "../../src/core/verify-chain.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { goVerify } from "./helpers/go-verify.ts";

const tools = toolWorks("go", ["version"]) && toolWorks("openssl", ["version"], /OpenSSL 3/);
const withTools = describeWithTool("go and openssl 3", tools, "apt-get install golang-go openssl");
const dir = mkdtempSync(join(tmpdir(), "certaudit-go-sig-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const AT = new Date(Date.now() + 86_400_000);
const at = AT.toISOString().replace(/\.\d+Z$/, "Z");

function openssl(args: string[]): void {
  const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
}

/** A CA of the given key (an openssl genpkey argument list) and a leaf it signs with the given options. */
function makeCase(name: string, caKey: string[], sign: string[]): void {
  openssl(["genpkey", ...caKey, "-out", `${name}-ca.key`]);
  openssl(
    ["req", "-x509", "-key", `${name}-ca.key`, "-out", `${name}-ca.crt`, "-subj", `/CN=${name} CA`, "-days", "30"].concat([
      "-addext",
      "basicConstraints=critical,CA:true",
      "-addext",
      "keyUsage=critical,keyCertSign",
    ]),
  );
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", "/CN=leaf"]);
  writeFileSync(join(dir, "ext"), "subjectAltName=DNS:leaf.example\nextendedKeyUsage=serverAuth\n");
  openssl(
    ["x509", "-req", "-in", `${name}.csr`, "-CA", `${name}-ca.crt`, "-CAkey", `${name}-ca.key`, "-CAcreateserial"].concat([
      "-out",
      `${name}.crt`,
      "-days",
      "10",
      "-extfile",
      "ext",
      ...sign,
    ]),
  );
}

const RSA = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"];
const PSS = (md: string, salt: string, mgf = md) => [
  `-${md}`,
  "-sigopt",
  "rsa_padding_mode:pss",
  "-sigopt",
  `rsa_pss_saltlen:${salt}`,
  "-sigopt",
  `rsa_mgf1_md:${mgf}`,
];
const CASES: Record<string, { caKey: string[]; sign: string[] }> = {
  "pss-sha256-salt32": { caKey: RSA, sign: PSS("sha256", "32") },
  "pss-sha384-salt48": { caKey: RSA, sign: PSS("sha384", "48") },
  "pss-sha512-salt64": { caKey: RSA, sign: PSS("sha512", "64") },
  "pss-sha256-salt20": { caKey: RSA, sign: PSS("sha256", "20") },
  "pss-sha256-salt-max": { caKey: RSA, sign: PSS("sha256", "max") },
  "pss-sha512-salt32": { caKey: RSA, sign: PSS("sha512", "32") },
  "pss-sha256-mgf1-sha1": { caKey: RSA, sign: PSS("sha256", "32", "sha1") },
  "rsa-sha224": { caKey: RSA, sign: ["-sha224"] },
  "pss-key-ca": { caKey: ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"], sign: [] },
  "dsa-ca": { caKey: ["-paramfile", "dsa.param"], sign: ["-sha256"] },
  "rsa-sha256": { caKey: RSA, sign: ["-sha256"] },
};

beforeAll(() => {
  if (!tools) return;
  openssl(["genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:2048", "-out", "dsa.param"]);
  for (const [name, c] of Object.entries(CASES)) makeCase(name, c.caKey, c.sign);
}, 120_000);

const goSays = (name: string) =>
  goVerify(at, { root: readFileSync(join(dir, `${name}-ca.crt`)), leaf: readFileSync(join(dir, `${name}.crt`)) });

const opensslVerifies = (name: string) =>
  spawnSync("openssl", ["verify", "-attime", String(Math.floor(AT.getTime() / 1000)), "-CAfile", `${name}-ca.crt`, `${name}.crt`], {
    cwd: dir,
  }).status === 0;

const ours = (name: string) =>
  verifyCertificate(
    {
      certificate: readFileSync(join(dir, `${name}.crt`), "utf8"),
      trustAnchors: readFileSync(join(dir, `${name}-ca.crt`), "utf8"),
      purpose: "server",
      serverName: "leaf.example",
    },
    { at: AT, subtle: crypto.subtle },
  );

withTools("signature algorithms Go does not implement", () => {
  for (const name of Object.keys(CASES))
    it(`${name}: the go profile answers as Go, the rfc5280 profile as openssl where WebCrypto can check it`, async () => {
      const go = goSays(name);
      const r = await ours(name);
      expect(r.valid, `Go: ${go.error ?? "valid"}`).toBe(go.valid);
      if (!go.valid && /algorithm unimplemented/.test(go.error ?? "")) expect(r.reason).toBe("chain.algorithm-unimplemented");
      // WebCrypto's RSA-PSS hashes MGF1 with the message hash, so MGF1-SHA-1 cannot be checked
      // (chain.unsupported-algorithm, never valid), and neither SHA-224 nor DSA is offered at all.
      if (name === "pss-sha256-mgf1-sha1" || name === "rsa-sha224" || name === "dsa-ca")
        expect(r.rfc5280?.reason).toBe("chain.unsupported-algorithm");
      else expect(r.rfc5280?.valid, "openssl verify").toBe(opensslVerifies(name));
    });

  it("the cases cover both answers of Go", () => {
    const answers = Object.keys(CASES).map((n) => goSays(n).valid);
    expect(answers).toContain(true);
    expect(answers).toContain(false);
  });
});
