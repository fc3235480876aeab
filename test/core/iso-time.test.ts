// isoSeconds against the engine's own Date.prototype.toISOString (ECMA-262 21.4.4.36, the
// Date Time String Format) with ".000Z" written "Z": whole seconds over years 0-9999, leap days,
// century years, the range ends, milliseconds, out-of-range and extended years.
import { describe, expect, it } from "vitest";
import { isoSeconds } from "../../src/core/text/iso-time.ts";

const reference = (d: Date) => d.toISOString().replace(".000Z", "Z");

describe("isoSeconds", () => {
  it("spells whole seconds as toISOString does, across years 0-9999", () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const lo = Date.UTC(0, 0, 1) - 1e10;
    const hi = Date.UTC(9999, 11, 31, 23, 59, 59) + 1e10;
    for (let i = 0; i < 200_000; i++) {
      const t = Math.floor((lo + rnd() * (hi - lo)) / 1000) * 1000;
      const d = new Date(t);
      expect(isoSeconds(d)).toBe(reference(d));
    }
  });

  it("agrees on edges: leap days, centuries, range ends, milliseconds", () => {
    const edges = [
      Date.UTC(2000, 1, 29),
      Date.UTC(1900, 1, 28, 23, 59, 59),
      Date.UTC(1900, 2, 1),
      Date.UTC(2100, 1, 28),
      Date.UTC(1970, 0, 1),
      Date.UTC(1969, 11, 31, 23, 59, 59),
      Date.UTC(1950, 0, 1),
      Date.UTC(2049, 11, 31, 23, 59, 59),
      Date.UTC(9999, 11, 31, 23, 59, 59),
      Date.UTC(10000, 0, 1),
      -62_167_219_200_000,
      -62_167_219_201_000,
      Date.UTC(2026, 11, 1, 11, 50, 0, 1),
      Date.UTC(2026, 11, 1, 11, 50, 0, 999),
      8.64e15,
      -8.64e15,
    ];
    for (const t of edges) expect(isoSeconds(new Date(t))).toBe(reference(new Date(t)));
  });

  it("throws as toISOString does for an invalid date", () => {
    expect(() => isoSeconds(new Date(Number.NaN))).toThrow(RangeError);
  });
});
