// The character classes come from Unicode (General_Category Cc, Cf, Zl, Zp, Cs), not from a list
// of our own: ECMA-262's \p{…} property escapes read the Unicode database.
import { describe, expect, it } from "vitest";
import { hasInvisible, inert, inertDeep, visibleEscape } from "../../src/core/text/inert.ts";

describe("inert text", () => {
  it("shows ESC sequences, CR, NUL, DEL and C1 controls as escapes", () => {
    expect(inert("a\x1b[2J\x1b[31mb")).toBe("a\\x1b[2J\\x1b[31mb");
    expect(inert("x\r\ny\0z\x7f\x9b")).toBe("x\\x0d\\x0ay\\x00z\\x7f\\x9b");
  });

  it("shows bidi overrides, isolates, zero-width and BOM characters", () => {
    expect(inert("admin\u202Etxt.exe")).toBe("admin\\u202etxt.exe");
    expect(inert("\u2066a\u2069\u200b\u200d\ufeff\u00ad")).toBe("\\u2066a\\u2069\\u200b\\u200d\\ufeff\\xad");
    expect(inert("line\u2028para\u2029")).toBe("line\\u2028para\\u2029");
  });

  it("shows lone surrogates, keeps real astral characters and ordinary text", () => {
    expect(inert("a\ud800b")).toBe("a\\ud800b");
    expect(inert("🔒 kubernetes-admin@kubernetes — ok")).toBe("🔒 kubernetes-admin@kubernetes — ok");
    expect(inert("Müller, 日本")).toBe("Müller, 日本");
  });

  it("reads every character as the Unicode classes alone do (the printable-ASCII shortcut changes nothing)", () => {
    const classes = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
    for (let c = 0; c <= 0xffff; c++) {
      const s = `a${String.fromCharCode(c)}b`;
      expect(inert(s), c.toString(16)).toBe(s.replace(classes, visibleEscape));
    }
  });

  it("reports whether anything would change, and maps whole reports", () => {
    expect(hasInvisible("plain")).toBe(false);
    expect(hasInvisible("a\u202e")).toBe(true);
    expect(hasInvisible("plain")).toBe(false);
    expect(inertDeep({ n: 1, s: "\x1b", list: ["\u202e"], "k\x07": null })).toEqual({
      n: 1,
      s: "\\x1b",
      list: ["\\u202e"],
      "k\\x07": null,
    });
  });
});
