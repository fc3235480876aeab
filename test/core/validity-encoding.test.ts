// Which validity-time encodings the strict profile refuses. RFC 5280 4.1.2.5.1 / 4.1.2.5.2: both
// time types MUST be Zulu and include seconds, GeneralizedTime MUST NOT carry fractions; those
// breaches stay fatal ("bad-validity-encoding"). RFC 5280 4.1.2.5 also tells CAs to use UTCTime
// through 2049, but a well-formed GeneralizedTime before 2050 is accepted by path validation
// (NIST PKITS 4.2.4 "Valid GeneralizedTime notBefore Date Test4", see pkits.test.ts), so it is
// only reported ("generalized-time-before-2050", shown in cert.malformed). What Go reads is
// compared with Go itself in parser-go.test.ts.
import { describe, expect, it } from "vitest";
import { newBudget, verifyChain } from "../../src/core/verify/index.ts";
import type { Profile } from "../../src/core/verify/types.ts";
import { parseCertificate } from "../../src/core/x509/cert.ts";
import { SignatureVerifier } from "../../src/core/x509/signature.ts";
import { bytes, cnName, craftCert, extension, generalizedTime, octets, seq, tlv, TRUE, utcTime } from "./helpers/craft.ts";
import { digest } from "./helpers/pki.ts";

const KEY_ID = new Uint8Array(20).fill(7);
const root = () =>
  craftCert({
    subject: cnName("validity root"),
    extensions: [
      extension("2.5.29.14", octets(KEY_ID)),
      extension("2.5.29.15", bytes(0x03, 0x02, 0x01, 0x06), TRUE),
      extension("2.5.29.19", seq(TRUE), TRUE),
    ],
  });
const leaf = (times: { notBefore?: Uint8Array; notAfter?: Uint8Array }) =>
  craftCert({
    issuer: cnName("validity root"),
    subject: cnName("validity leaf"),
    extensions: [extension("2.5.29.35", seq(tlv(0x80, KEY_ID)))],
    ...times,
  });

async function verdict(times: { notBefore?: Uint8Array; notAfter?: Uint8Array }, profile: Profile) {
  const [l, r] = await Promise.all([leaf(times), root()].map(async (d) => parseCertificate(await d, digest)));
  const res = await verifyChain({
    leaf: l!,
    intermediates: [],
    anchors: [r!],
    at: new Date("2026-06-01T00:00:00Z"),
    purpose: "any",
    profile,
    budget: newBudget(),
    verifier: new SignatureVerifier(crypto.subtle),
  });
  return { anomalies: l!.anomalies, res };
}

describe("validity encodings under the strict rfc5280 profile", () => {
  it("the plain chain is valid (UTCTime with seconds and Z)", async () => {
    const { anomalies, res } = await verdict({}, "rfc5280");
    expect(anomalies).toEqual([]);
    expect(res.valid, res.reason?.message).toBe(true);
  });

  it.each([
    ["UTCTime without seconds (4.1.2.5.1)", { notBefore: utcTime("2601010000Z") }],
    ["GeneralizedTime with an offset (4.1.2.5.2)", { notAfter: generalizedTime("20600101000000+0100") }],
    ["GeneralizedTime without seconds (4.1.2.5.2)", { notAfter: generalizedTime("206001010000Z") }],
  ])("%s stays fatal: bad-validity-encoding", async (_what, times) => {
    const { anomalies, res } = await verdict(times, "rfc5280");
    expect(anomalies).toContain("bad-validity-encoding");
    expect(res.valid).toBe(false);
    expect(res.reason?.code).toBe("chain.malformed-certificate");
  });

  it.each(["rfc5280", "webpki", "go"] as Profile[])("GeneralizedTime before 2050 is reported, not fatal (%s)", async (profile) => {
    const { anomalies, res } = await verdict({ notBefore: generalizedTime("20260101000000Z") }, profile);
    expect(anomalies).toEqual(["generalized-time-before-2050"]);
    expect(res.reason?.code === "chain.malformed-certificate", res.reason?.message).toBe(false);
    if (profile !== "webpki") expect(res.valid, res.reason?.message).toBe(true);
  });
});
