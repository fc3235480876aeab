// goTime's instants against the engine's Date (ECMA-262 MakeDay/MakeDate: Date.UTC, and
// setUTCFullYear for years 0-99, which Date.UTC maps to 1900-1999): random valid
// GeneralizedTime and UTCTime fields, offsets, leap days and the years 0-9999 ends.
import { describe, expect, it } from "vitest";
import { goTime } from "../../src/core/x509/time.ts";

const p = (n: number, w: number) => String(n).padStart(w, "0");
function reference(y: number, mo: number, d: number, h: number, mi: number, s: number, offMin: number): number {
  const r = new Date(0);
  r.setUTCFullYear(y, mo - 1, d);
  r.setUTCHours(h, mi, s, 0);
  return r.getTime() - offMin * 60_000;
}
const dim = (y: number, m: number) =>
  new Date(Date.UTC(2000, m, 0)).getUTCDate() - (m === 2 && !((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 1 : 0);

describe("goTime instants", () => {
  it("agree with the engine's Date for random valid fields, years 0-9999, with and without offsets", () => {
    let seed = 5;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 50_000; i++) {
      const y = i % 10 === 0 ? rnd(200) : rnd(10_000);
      const mo = 1 + rnd(12);
      const d = 1 + rnd(dim(y, mo));
      const [h, mi, s] = [rnd(24), rnd(60), rnd(60)];
      const off = rnd(3) === 0 ? (rnd(2) ? 1 : -1) * (1 + rnd(14 * 60 - 1)) : 0;
      const zone = off === 0 ? "Z" : `${off < 0 ? "-" : "+"}${p(Math.floor(Math.abs(off) / 60), 2)}${p(Math.abs(off) % 60, 2)}`;
      if (off !== 0 && Math.abs(off) % 60 >= 60) continue;
      const text = `${p(y, 4)}${p(mo, 2)}${p(d, 2)}${p(h, 2)}${p(mi, 2)}${p(s, 2)}${zone}`;
      expect(goTime(0x18, text)?.getTime(), text).toBe(reference(y, mo, d, h, mi, s, off));
      if (y >= 1950 && y <= 2049) expect(goTime(0x17, text.slice(2))?.getTime(), text).toBe(reference(y, mo, d, h, mi, s, off));
    }
  });

  it("agree on leap days and the ends of the range", () => {
    for (const [t, y, mo, d] of [
      ["20000229000000Z", 2000, 2, 29],
      ["19000301000000Z", 1900, 3, 1],
      ["00000101000000Z", 0, 1, 1],
      ["00040229235959Z", 4, 2, 29],
      ["99991231235959Z", 9999, 12, 31],
    ] as const)
      expect(goTime(0x18, t)?.getTime(), t).toBe(
        reference(y, mo, d, Number(t.slice(8, 10)), Number(t.slice(10, 12)), Number(t.slice(12, 14)), 0),
      );
    expect(goTime(0x18, "19000229000000Z")).toBeNull();
  });
});
