// The default profile answers as the consuming Go software does, and strict RFC 5280 deviations
// are findings beside that answer. The chain here is the shape of real browser-trusted chains
// that strict RFC 5280 refuses: a root whose basicConstraints is not critical (RFC 5280 4.2.1.9
// says MUST be critical in a CA certificate) and an intermediate without authorityKeyIdentifier
// (RFC 5280 4.2.1.1: MUST be present in certificates not self-signed). The expectation for the
// default comes from Go's crypto/x509 Verify, asked through test/oracles/x509verify; the strict
// expectation from those two RFC clauses. Under CI=true a missing Go toolchain fails the test.
import { beforeAll, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { verifyCertificate } from "../../src/core/verify-chain.ts";
import { AT, issue, type Issued } from "../helpers/pki.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { goVerify } from "./helpers/go-verify.ts";

const HAVE_GO = toolWorks("go", ["version"]);
const withGo = describeWithTool("go", HAVE_GO, "apt-get install golang-go");
const SERVER = ["1.3.6.1.5.5.7.3.1"];

let root: Issued, inter: Issued, leaf: Issued;
beforeAll(async () => {
  root = await issue({ subject: "CN=Browser Root", ca: true, bcCritical: false });
  inter = await issue({ subject: "CN=Browser Intermediate", ca: true, issuer: root, noAki: true });
  leaf = await issue({ subject: "CN=www.example.org", issuer: inter, eku: SERVER, sans: [{ type: "dns", value: "www.example.org" }] });
});

const goAccepts = () =>
  goVerify(AT.toISOString().replace(".000", ""), { root: root.pem, intermediates: [inter.pem], leaf: leaf.pem }).valid;

const verify = (profile?: "go" | "rfc5280" | "webpki" | "kubernetes") =>
  verifyCertificate(
    { certificate: leaf.pem, intermediates: inter.pem, trustAnchors: root.pem, purpose: "server", ...(profile ? { profile } : {}) },
    { at: AT, subtle: crypto.subtle },
  );

withGo("profiles: the default is what Go accepts; strict RFC 5280 is reported beside it", () => {
  it("/v1/verify: default = go = Go's answer, with a chain.tools-disagree finding naming the RFC 5280 rule", async () => {
    const go = goAccepts();
    expect(go).toBe(true);
    const r = await verify();
    expect(r.profile).toBe("go");
    expect(r.valid).toBe(go);
    expect(r.rfc5280?.valid).toBe(false);
    expect(r.rfc5280?.reason).toBe("chain.extension-nonconformant");
    const f = r.findings.find((x) => x.code === "chain.tools-disagree");
    expect(f?.message).toMatch(/RFC 5280 4\.2\.1\.(1|9)/);
  });

  it('the old name "kubernetes" is an alias of go; "rfc5280" is the strict profile', async () => {
    const alias = await verify("kubernetes");
    expect(alias.profile).toBe("go");
    expect(alias.valid).toBe(goAccepts());
    const strict = await verify("rfc5280");
    expect(strict.profile).toBe("rfc5280");
    expect(strict.valid).toBe(false);
    expect(strict.reason).toBe("chain.extension-nonconformant");
    expect(strict.go?.valid).toBe(true);
  });

  it("the audit's chains[] follow go by default and carry the rfc5280 verdict beside", async () => {
    const report = await audit({ pem: leaf.pem + inter.pem + root.pem }, { at: AT, subtle: crypto.subtle });
    const chain = report.chains.find((c) => c.leaf === report.certificates.find((x) => x.subject === "CN=www.example.org")?.id);
    expect(chain?.profile).toBe("go");
    expect(chain?.valid).toBe(goAccepts());
    expect(chain?.rfc5280?.valid).toBe(false);
    expect(report.findings.map((f) => f.code)).toContain("chain.tools-disagree");
  });
});
