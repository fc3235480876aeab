// pathLenConstraint values past JavaScript's safe integers (found by the fuzzer: a 21-byte value
// was reported as 1e+50, which fails the report's schema). Expectations from Go's crypto/x509
// (test/oracles/x509parse; parser.go parseBasicConstraintsExtension: `var mpl uint; if
// !der.ReadASN1Integer(&mpl) || mpl > math.MaxInt` -> "x509: invalid basic constraints").
import { describe, expect, it } from "vitest";
import { parseCertificate } from "../../src/core/x509/cert.ts";
import { bytes, craftCert, extension, int, seq, TRUE } from "./helpers/craft.ts";
import { goParse, HAVE_GO, MUST_HAVE_TOOLS } from "./helpers/oracles.ts";

const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));
const withPathLen = (content: Uint8Array) => craftCert({ extensions: [extension("2.5.29.19", seq(TRUE, int(content)), TRUE)] });

describe.skipIf(!HAVE_GO && !MUST_HAVE_TOOLS)("pathLenConstraint beyond 2^53", () => {
  it("2^53+1 and 2^63-1: Go takes them; the report keeps a safe integer (no limit either way)", async () => {
    for (const content of [bytes(0x20, 0, 0, 0, 0, 0, 1), bytes(0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)]) {
      const der = await withPathLen(content);
      const g = goParse({ der }).der!;
      expect(g.ok, g.error).toBe(true);
      expect(g.maxPathLen).toBeGreaterThanOrEqual(2 ** 53); // JSON numbers round 2^53+1 to 2^53
      const c = await parseCertificate(der, digest);
      expect(c.goParseErrors).toEqual([]);
      expect(Number.isSafeInteger(c.basicConstraints?.pathLen)).toBe(true);
      expect(c.basicConstraints?.pathLen).toBe(Number.MAX_SAFE_INTEGER);
    }
  });

  it("2^63 and a 21-byte value: Go refuses the certificate, and so does the parser's Go reading", async () => {
    for (const content of [bytes(0x00, 0x80, 0, 0, 0, 0, 0, 0, 0), new Uint8Array(21).fill(0x7f)]) {
      const der = await withPathLen(content);
      const g = goParse({ der }).der!;
      expect(g.ok).toBe(false);
      expect(g.error).toContain("x509: invalid basic constraints");
      const c = await parseCertificate(der, digest);
      expect(c.goParseErrors.join()).toContain("x509: invalid basic constraints");
      expect(c.anomalies).toContain("bad-extension-value");
    }
  });
});
