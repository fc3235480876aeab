// compareTimes (src/core/report/time-order.ts) replaces localeCompare for the report's times: it
// must order them exactly as String.prototype.localeCompare (ICU's root collation, outside our
// code) did, and, for whole seconds, as the times themselves (Date order).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { iso } from "../../src/core/checks/expiry.ts";
import { compareTimes } from "../../src/core/report/time-order.ts";

// UTCTime and GeneralizedTime hold years 1950..9999 (RFC 5280 4.1.2.5); fractions only in BER/crafted inputs.
const MIN = Date.UTC(1950, 0, 1);
const MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const anyTime = fc.integer({ min: MIN, max: MAX }).map((t) => new Date(t));
const wholeSeconds = fc.integer({ min: MIN / 1000, max: Math.floor(MAX / 1000) }).map((s) => new Date(s * 1000));

describe("compareTimes", () => {
  it("orders report times as localeCompare does (with and without fractions of a second)", () => {
    fc.assert(
      fc.property(anyTime, anyTime, (a, b) => {
        expect(Math.sign(compareTimes(iso(a), iso(b)))).toBe(Math.sign(iso(a).localeCompare(iso(b))));
      }),
      { numRuns: 5000 },
    );
    // The same instant but for a fraction, and equal strings.
    for (const [a, b] of [
      ["2027-01-01T00:00:00Z", "2027-01-01T00:00:00.500Z"],
      ["2027-01-01T00:00:59Z", "2027-01-01T00:00:59Z"],
      ["1950-01-01T00:00:00Z", "9999-12-31T23:59:59Z"],
    ] as const) {
      expect(Math.sign(compareTimes(a, b))).toBe(Math.sign(a.localeCompare(b)));
      expect(Math.sign(compareTimes(b, a))).toBe(Math.sign(b.localeCompare(a)));
    }
  });

  it("orders whole-second times by time", () => {
    fc.assert(
      fc.property(wholeSeconds, wholeSeconds, (a, b) => {
        expect(Math.sign(compareTimes(iso(a), iso(b)))).toBe(Math.sign(a.getTime() - b.getTime()));
      }),
      { numRuns: 5000 },
    );
  });
});
