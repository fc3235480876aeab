// prepareString (src/core/verify/name-match.ts) takes a shortcut for ASCII. The reference here is
// RFC 4518's steps written out plainly, per character with Unicode properties (section 2.2 Map:
// controls and format characters dropped, U+0009-000D, U+0085 and other spaces to U+0020;
// case folding; 2.3 NFKC; 2.6.1 insignificant space handling), as the function read before it.
import { expect, it } from "vitest";
import { prepareString } from "../../src/core/verify/name-match.ts";

function reference(s: string): string {
  let mapped = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x09 && c <= 0x0d) || c === 0x85) mapped += " ";
    else if (
      c === 0xad ||
      c === 0x1806 ||
      c === 0x034f ||
      (c >= 0x180b && c <= 0x180d) ||
      (c >= 0xfe00 && c <= 0xfe0f) ||
      c === 0xfffc ||
      c === 0x200b
    )
      continue;
    else if (/\p{Cc}|\p{Cf}/u.test(ch)) continue;
    else if (/\p{Zs}|\p{Zl}|\p{Zp}/u.test(ch)) mapped += " ";
    else mapped += ch;
  }
  return mapped.toLowerCase().toUpperCase().toLowerCase().normalize("NFKC").trim().replace(/ +/g, " ");
}

it("agrees with RFC 4518's steps on every ASCII character, mixed strings and random ones", () => {
  const cases: string[] = [];
  for (let c = 0; c < 0x80; c++) cases.push(String.fromCharCode(c), `a${String.fromCharCode(c)}B`, ` ${String.fromCharCode(c)}  x `);
  cases.push(
    "",
    "  Example   CA  ",
    "Ünïcode CA",
    "ẞtraße",
    "K\u212a",
    "a\u00a0b",
    "soft\u00adhyphen",
    "tab\there",
    "x\u200by",
    "ＦＵＬＬ",
    "Ⅻ",
    "\u0085next",
  );
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) / 2 ** 24;
  };
  const pool = "aZ09 -.,'\t\n\u007f\u0001\u00a0\u00e9\u00df\u1e9e\u212a\u200b\u00ad\u3000\uff21";
  for (let i = 0; i < 5000; i++)
    cases.push(Array.from({ length: Math.floor(rnd() * 12) }, () => pool[Math.floor(rnd() * pool.length)]).join(""));
  for (const s of cases) expect(prepareString(s), JSON.stringify(s)).toBe(reference(s));
});
