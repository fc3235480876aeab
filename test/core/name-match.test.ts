// RFC 5280 7.1 name matching (the rfc5280 profile's issuer/subject comparison) on hand-built
// names. Expectations are the clauses themselves: RFC 5280 7.1 ("Two naming attributes match if
// the attribute types are the same and the values of the attributes are an exact match after
// processing with the string preparation algorithm"; RDNs match as sets, DNs in order; case
// folding per RFC 3454 B.2; insignificant space handling per RFC 4518 2.6.1) and RFC 4518 2.2
// (soft hyphen mapped to nothing, tabs and no-break spaces to SPACE).
import { describe, expect, it } from "vitest";
import { concatBytes, encodeTlv } from "../../src/core/encoding/der.ts";
import { parseNameDer } from "../../src/core/x509/names.ts";
import { exactNameKey, rfc5280NameKey } from "../../src/core/verify/name-match.ts";

const te = new TextEncoder();
const OID: Record<string, number[]> = { CN: [0x55, 4, 3], O: [0x55, 4, 10], OU: [0x55, 4, 11], C: [0x55, 4, 6] };
type V = [type: string, tag: number, value: string | Uint8Array];
const atv = ([t, tag, v]: V) =>
  encodeTlv(0x30, concatBytes(encodeTlv(0x06, new Uint8Array(OID[t]!)), encodeTlv(tag, typeof v === "string" ? te.encode(v) : v)));
const dn = (...rdns: V[][]) => encodeTlv(0x30, concatBytes(...rdns.map((r) => encodeTlv(0x31, concatBytes(...r.map(atv))))));
const U = 0x0c;
const P = 0x13;
const same = (a: Uint8Array, b: Uint8Array) => rfc5280NameKey(parseNameDer(a)) === rfc5280NameKey(parseNameDer(b));

describe("RFC 5280 7.1 name matching", () => {
  it("ignores letter case, leading, trailing and repeated spaces, and the string type", () => {
    expect(
      same(
        dn([["C", P, "US"]], [["O", P, "Test  Certificates 2011"]], [["CN", P, "Good CA"]]),
        dn([["C", U, "us"]], [["O", U, " test certificates 2011 "]], [["CN", U, "GOOD   ca"]]),
      ),
    ).toBe(true);
  });
  it("maps tabs and no-break spaces to spaces and drops soft hyphens (RFC 4518 2.2)", () => {
    expect(same(dn([["CN", U, "Good\tCA"]]), dn([["CN", U, "Good\u00a0C\u00adA"]]))).toBe(true);
  });
  it("folds case beyond ASCII (RFC 3454 B.2: ß folds to ss, Ä to ä)", () => {
    expect(same(dn([["O", U, "STRAẞE ÄRZTE"]]), dn([["O", U, "strasse ärzte"]]))).toBe(true);
  });
  it("compares the attributes of a multi-valued RDN as a set, but RDNs in order", () => {
    expect(
      same(
        dn([
          ["O", U, "x"],
          ["OU", U, "y"],
        ]),
        dn([
          ["OU", U, "y"],
          ["O", U, "x"],
        ]),
      ),
    ).toBe(true);
    expect(same(dn([["O", U, "x"]], [["OU", U, "y"]]), dn([["OU", U, "y"]], [["O", U, "x"]]))).toBe(false);
    expect(
      same(
        dn([
          ["O", U, "x"],
          ["OU", U, "y"],
        ]),
        dn([["O", U, "x"]], [["OU", U, "y"]]),
      ),
    ).toBe(false);
  });
  it("keeps different attribute types and different words apart", () => {
    expect(same(dn([["O", U, "x"]]), dn([["OU", U, "x"]]))).toBe(false);
    expect(same(dn([["CN", U, "Good CA"]]), dn([["CN", U, "GoodCA"]]))).toBe(false);
  });
  it("compares values that are not character strings, and invalid UTF-8, as bytes", () => {
    expect(same(dn([["CN", 0x04, new Uint8Array([0x41])]]), dn([["CN", 0x04, new Uint8Array([0x61])]]))).toBe(false);
    expect(same(dn([["CN", U, new Uint8Array([0xff, 0x41])]]), dn([["CN", U, new Uint8Array([0xff, 0x61])]]))).toBe(false);
  });
  it("Go's comparison is byte for byte (cert_pool.go findPotentialParents keys on RawSubject)", () => {
    expect(exactNameKey(dn([["CN", P, "Good CA"]]))).not.toBe(exactNameKey(dn([["CN", U, "Good CA"]])));
  });
});
