// decodeOid (and its cache of dotted forms by content bytes) against asn1js's ObjectIdentifier
// reading of the same DER: the OIDs of every fixture certificate-like value we write here (the
// X.509 ones), random arcs encoded by asn1js itself, and the same contents asked twice (cached).
import * as asn1js from "asn1js";
import { describe, expect, it } from "vitest";
import { decodeOid } from "../../src/core/encoding/der.ts";

const contentOf = (dotted: string) => {
  const der = new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER());
  return der.subarray(2);
};
const theirs = (content: Uint8Array) => {
  const der = new Uint8Array([0x06, content.length, ...content]);
  return (asn1js.fromBER(der).result as asn1js.ObjectIdentifier).getValue();
};

describe("decodeOid", () => {
  it("reads well-known and random OIDs as asn1js does, first and second time alike", () => {
    let seed = 3;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const known = [
      "2.5.4.3",
      "1.2.840.113549.1.1.11",
      "1.3.6.1.5.5.7.3.1",
      "2.5.29.17",
      "1.2.840.10045.3.1.7",
      "0.9.2342.19200300.100.1.25",
    ];
    const random = Array.from({ length: 3000 }, () => {
      const first = rnd(3);
      const arcs = [first, first < 2 ? rnd(40) : rnd(1000), ...Array.from({ length: rnd(7) }, () => (rnd(4) ? rnd(200) : rnd(2 ** 28)))];
      return arcs.join(".");
    });
    for (const round of [1, 2])
      for (const dotted of [...known, ...random]) {
        const c = contentOf(dotted);
        expect(decodeOid(c), `${dotted} (round ${round})`).toBe(theirs(c));
      }
  });
});
