// NIST PKITS name chaining (4.3) and GeneralizedTime (4.2) cases, on the real PKITS certificates
// (test/fixtures/pkits, README there names the source). Two independent expectations:
// - the strict "rfc5280" profile must give the result the PKITS document gives (the test names
//   say Valid/Invalid; RFC 5280 7.1 name matching makes 4.3.3-4.3.5, 4.3.10, 4.3.11 valid);
// - the "go" profile must give what Go's crypto/x509 Verify gives, asked through the stdlib
//   oracle test/oracles/x509verify (Go finds issuers by exact RawSubject bytes, cert_pool.go
//   findPotentialParents, so it refuses the name-chaining cases).
// Where the two part, /v1/verify says so with chain.tools-disagree. Under CI=true a missing Go
// toolchain fails the Go half instead of skipping it.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { verifyCertificate } from "../../src/core/verify-chain.ts";
import { newBudget, verifyChain } from "../../src/core/verify/index.ts";
import type { Profile } from "../../src/core/verify/types.ts";
import { parseCertificate } from "../../src/core/x509/cert.ts";
import { SignatureVerifier } from "../../src/core/x509/signature.ts";

const DIR = new URL("../fixtures/pkits/", import.meta.url).pathname;
const ORACLE = new URL("../oracles/x509verify/main.go", import.meta.url).pathname;
// Inside every PKITS certificate's validity (2010-01-01 to 2030-12-31).
const AT = "2026-06-01T00:00:00Z";
const HAVE_GO = spawnSync("go", ["version"]).status === 0;
if (!HAVE_GO && process.env.CI === "true") throw new Error("go is required under CI=true (pkits.test.ts asks crypto/x509 through test/oracles/x509verify)");

const TA = "TrustAnchorRootCertificate";
/** [PKITS section, end-entity file, intermediate CA file, valid per the PKITS document] */
const CASES: [string, string, string, boolean][] = [
  ["4.3.1", "InvalidNameChainingTest1EE", "GoodCACert", false],
  ["4.3.2", "InvalidNameChainingOrderTest2EE", "GoodCACert", false],
  ["4.3.3", "ValidNameChainingWhitespaceTest3EE", "GoodCACert", true],
  ["4.3.4", "ValidNameChainingWhitespaceTest4EE", "GoodCACert", true],
  ["4.3.5", "ValidNameChainingCapitalizationTest5EE", "GoodCACert", true],
  ["4.3.10", "ValidRolloverfromPrintableStringtoUTF8StringTest10EE", "RolloverfromPrintableStringtoUTF8StringCACert", true],
  ["4.3.11", "ValidUTF8StringCaseInsensitiveMatchTest11EE", "UTF8StringCaseInsensitiveMatchCACert", true],
  ["4.2.8", "ValidGeneralizedTimenotAfterDateTest8EE", "GoodCACert", true],
];

const bytes = (name: string) => new Uint8Array(readFileSync(`${DIR}${name}.crt`));
const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));
const pem = (name: string) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(bytes(name)).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE-----\n`;

async function ours(ee: string, ca: string, profile: Profile) {
  const [leaf, inter, anchor] = await Promise.all([ee, ca, TA].map((n) => parseCertificate(bytes(n), digest)));
  return verifyChain({ leaf: leaf!, intermediates: [inter!], anchors: [anchor!], at: new Date(AT), purpose: "any", profile, budget: newBudget(), verifier: new SignatureVerifier(crypto.subtle) });
}

function goVerdict(ee: string, ca: string): { valid: boolean; error?: string } {
  const r = spawnSync("go", ["run", ORACLE, "-at", AT, "-root", `${DIR}${TA}.crt`, "-inter", `${DIR}${ca}.crt`, `${DIR}${ee}.crt`], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`the Go oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { valid: boolean; error?: string };
}

describe("NIST PKITS under the strict rfc5280 profile: the PKITS document's result", () => {
  it.each(CASES)("%s %s", async (_section, ee, ca, valid) => {
    const r = await ours(ee, ca, "rfc5280");
    expect(r.valid, r.reason?.message).toBe(valid);
    if (!valid) expect(r.reason?.code).toBe("chain.untrusted");
  });

  // PKITS 4.2.4 (GeneralizedTime notBefore 2002) is valid in the PKITS document, but the
  // certificate parser flags any GeneralizedTime before 2050 as "bad-validity-encoding" (RFC 5280
  // 4.1.2.5 asks CAs for UTCTime), which the strict profile treats as fatal. Known deviation:
  // this test fails (and must be turned into a normal case) once the parser tells that apart.
  it.fails("4.2.4 ValidGeneralizedTimenotBeforeDateTest4EE (known deviation)", async () => {
    expect((await ours("ValidGeneralizedTimenotBeforeDateTest4EE", "GoodCACert", "rfc5280")).valid).toBe(true);
  });
});

describe.skipIf(!HAVE_GO)("NIST PKITS under the go profile: what Go crypto/x509 Verify says", () => {
  it.each([...CASES, ["4.2.4", "ValidGeneralizedTimenotBeforeDateTest4EE", "GoodCACert", true] as [string, string, string, boolean]])("%s %s", async (_section, ee, ca, valid) => {
    const go = goVerdict(ee, ca);
    const r = await ours(ee, ca, "go");
    expect(r.valid, `${r.reason?.message} / Go: ${go.error}`).toBe(go.valid);
    if (go.error === "x509: certificate signed by unknown authority") expect(r.reason?.code).toBe("chain.untrusted");
    // Where PKITS says valid and Go refuses, the reason names the RFC 5280 7.1 difference.
    if (valid && !go.valid) expect(r.reason?.message).toMatch(/RFC 5280 7\.1/);
  });

  it("/v1/verify answers with Go by default and names the RFC 5280 7.1 disagreement (4.3.5)", async () => {
    const go = goVerdict("ValidNameChainingCapitalizationTest5EE", "GoodCACert");
    const res = await verifyCertificate({ certificate: pem("ValidNameChainingCapitalizationTest5EE"), intermediates: pem("GoodCACert"), trustAnchors: pem(TA) }, { at: new Date(AT), subtle: crypto.subtle });
    expect(res.profile).toBe("go");
    expect(res.valid).toBe(go.valid);
    // PKITS 4.3.5 is valid under RFC 5280 7.1.
    expect(res.rfc5280?.valid).toBe(true);
    expect(res.findings.map((f) => f.code)).toContain("chain.tools-disagree");
  });
});
