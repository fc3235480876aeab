// Pins for rules that only the full x509-limbo run would otherwise notice (issue 11 §5): the
// name-constraint label boundary and the UTCTime century pivot. Expectations: RFC 5280 and
// openssl's own reading of the same bytes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { verifyChain } from "../../src/core/verify/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { intermediate, leaf, request, root } from "./helpers/pki.ts";

const PROFILES = ["rfc5280", "go", "webpki"] as const;

describe("name constraints stop at a label boundary (RFC 5280 4.2.1.10)", () => {
  // "any DNS name that can be constructed by simply adding zero or more labels to the left-hand
  // side of the name satisfies the name constraint": evilexample.com adds no label to example.com.
  // Go: crypto/x509 constraints.go matchDomainConstraint compares label by label.
  it.each(PROFILES)("%s: permitted example.com does not admit evilexample.com", async (profile) => {
    const r = await root();
    const i = await intermediate("Constrained", r, { nc: { permitted: [{ dns: "example.com" }] } });
    const bad = await leaf("evilexample.com", i);
    expect((await verifyChain(request(bad, [r], [i], { profile }))).reason?.code).toBe("chain.name-constraint-violation");
    const good = await leaf("www.example.com", i);
    expect((await verifyChain(request(good, [r], [i], { profile }))).valid).toBe(true);
  });

  it.each(PROFILES)("%s: excluded example.com does not exclude evilexample.com", async (profile) => {
    const r = await root();
    const i = await intermediate("Constrained", r, { nc: { excluded: [{ dns: "example.com" }] } });
    const l = await leaf("evilexample.com", i);
    expect((await verifyChain(request(l, [r], [i], { profile }))).valid).toBe(true);
  });
});

const haveOpenssl = toolWorks("openssl", ["version"], /^OpenSSL 3/);
describeWithTool(
  "openssl 3",
  haveOpenssl,
  "apt-get install -y openssl",
)("UTCTime century pivot (RFC 5280 4.1.2.5.1)", () => {
  // "Where YY is greater than or equal to 50, the year SHALL be interpreted as 19YY; and where YY
  // is less than 50, the year SHALL be interpreted as 20YY." @peculiar/x509 writes UTCTime for
  // years 1950-2049 (and GeneralizedTime otherwise), so these dates sit on the pivot.
  const cases = [
    { notBefore: new Date("1950-01-01T00:00:00Z"), notAfter: new Date("2049-12-31T23:59:59Z") },
    { notBefore: new Date("1999-12-31T23:59:59Z"), notAfter: new Date("2000-01-01T00:00:00Z") },
  ];
  it.each(cases)("reads $notBefore .. $notAfter as openssl does", async ({ notBefore, notAfter }) => {
    const c = await root("Pivot", { notBefore, notAfter });
    const dir = mkdtempSync(join(tmpdir(), "pivot-"));
    writeFileSync(join(dir, "c.der"), c.cert.der);
    const out = execFileSync(
      "openssl",
      ["x509", "-inform", "DER", "-in", join(dir, "c.der"), "-noout", "-startdate", "-enddate", "-dateopt", "iso_8601"],
      { encoding: "utf8" },
    );
    const iso = (s: string) => new Date(s.replace(" ", "T")).toISOString();
    expect(iso(/notBefore=(.+)/.exec(out)![1]!.trim())).toBe(notBefore.toISOString());
    expect(iso(/notAfter=(.+)/.exec(out)![1]!.trim())).toBe(notAfter.toISOString());
    expect(c.cert.notBefore.toISOString()).toBe(notBefore.toISOString());
    expect(c.cert.notAfter.toISOString()).toBe(notAfter.toISOString());
    // The bytes really are UTCTime (tag 0x17) with a two-digit year.
    expect(Buffer.from(c.cert.der).includes(Buffer.from([0x17, 0x0d]))).toBe(true);
  });
});
