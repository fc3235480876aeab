// Regression: a committed subset of x509-limbo (test/conformance/limbo-subset.json, made by
// test/conformance/make-subset.ts) run through the same runCase the full conformance runner uses.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCase, type LimboCase } from "../../scripts/conformance.ts";
import { SignatureVerifier } from "../../src/core/x509/signature.ts";

const subset = JSON.parse(readFileSync(new URL("../conformance/limbo-subset.json", import.meta.url), "utf8")) as { testcases: LimboCase[] };

/**
 * Cases where the suite contradicts itself and we knowingly give the other answer (see
 * docs/conformance.md "Misses"). Each is a false reject; a change here must be deliberate.
 */
const KNOWN: Record<string, { actual: "FAILURE"; code: string; why: string }> = {
  "cve::cve-2024-0567": {
    actual: "FAILURE",
    code: "chain.extension-nonconformant",
    why: "its trust anchor is not self-issued and has no AKI, exactly what rfc5280::aki::cross-signed-root-missing-aki says must fail",
  },
  "webpki::nc::nc-permits-dns-san-pattern": {
    actual: "FAILURE",
    code: "chain.cn-not-in-san",
    why: "CN=example.com is not in the SANs (CA/B BR 7.1.4.3, tested by webpki::cn::*)",
  },
  "webpki::san::exact-localhost-ip-san": { actual: "FAILURE", code: "chain.cn-not-in-san", why: "same" },
  "webpki::san::leftmost-wildcard-san": { actual: "FAILURE", code: "chain.cn-not-in-san", why: "same" },
};

// Fixed "now" for cases without a validation_time (their certificates run 1970-2969).
const NOW = new Date("2026-11-28T00:00:00Z");

describe("x509-limbo subset", () => {
  const verifier = new SignatureVerifier(crypto.subtle);
  for (const tc of subset.testcases) {
    it(tc.id, async () => {
      const o = await runCase(tc, verifier, undefined, NOW);
      const known = KNOWN[tc.id];
      if (known) {
        expect(o.actual).toBe(known.actual);
        expect(o.result?.reason?.code).toBe(known.code);
        return;
      }
      expect(o.actual, o.context).toBe(tc.expected_result);
      if (o.result && !o.result.valid) expect(o.result.reason?.code).toMatch(/^chain\./);
    });
  }

  it("covers every namespace", () => {
    const ns = new Set(subset.testcases.map((t) => t.id.split("::")[0]));
    for (const n of ["bettertls", "crl", "cve", "invalid", "online", "pathlen", "pathological", "rfc5280", "webpki"])
      expect(ns.has(n), n).toBe(true);
  });
});
