// CRL arbitraries for /v1/verify's `crls`: a CRL issued and signed by the fuzz CA that revokes the
// serial of one seed certificate (so sometimes the leaf), then DER edits before signing.
import fc from "fast-check";
import { applyEdit, arbDerEdit, type DerEdit, ECDSA_SHA256 } from "./arb-der.ts";
import { cloneTree, concat, definiteLength, type DerNode, encodeTree, oidDer, parseTree } from "./der-tree.ts";
import type { FuzzCa } from "./fuzz-ca.ts";

export interface CrlRecipe {
  /** Seed certificate whose serial is revoked. */
  seed: number;
  thisUpdate: string;
  nextUpdate: string | null;
  edits: DerEdit[];
}

const ascii = (s: string) => new TextEncoder().encode(s);
const time = (t: string): DerNode => ({ tag: t.length === 13 ? 0x17 : 0x18, content: ascii(t) });

export const arbCrl = (seedCount: number): fc.Arbitrary<CrlRecipe> =>
  fc.record({
    seed: fc.nat({ max: seedCount - 1 }),
    thisUpdate: fc.constantFrom("260101000000Z", "260701000000Z", "20260101000000Z", "500101000000Z"),
    nextUpdate: fc.option(fc.constantFrom("270101000000Z", "260301000000Z", "20491231235959Z"), { nil: null }),
    edits: fc.oneof(
      { weight: 2, arbitrary: fc.constant<DerEdit[]>([]) },
      { weight: 1, arbitrary: fc.array(arbDerEdit, { minLength: 1, maxLength: 3 }) },
    ),
  });

export async function buildCrl(r: CrlRecipe, seeds: Uint8Array[], ca: FuzzCa): Promise<Uint8Array> {
  const seedTbs = parseTree(seeds[r.seed % seeds.length]!).kids![0]!;
  const serial = seedTbs.kids![seedTbs.kids![0]!.tag === 0xa0 ? 1 : 0]!;
  const crlNumber: DerNode = {
    tag: 0x30,
    kids: [
      { tag: 0x06, content: oidDer("2.5.29.20") },
      { tag: 0x04, kids: [{ tag: 0x02, content: Uint8Array.of(1) }] },
    ],
  };
  const tbs: DerNode = {
    tag: 0x30,
    kids: [
      { tag: 0x02, content: Uint8Array.of(1) },
      cloneTree(ECDSA_SHA256),
      cloneTree(ca.subject),
      time(r.thisUpdate),
      ...(r.nextUpdate ? [time(r.nextUpdate)] : []),
      { tag: 0x30, kids: [{ tag: 0x30, kids: [cloneTree(serial), time("260201000000Z")] }] },
      { tag: 0xa0, kids: [{ tag: 0x30, kids: [crlNumber] }] },
    ],
  };
  for (const e of r.edits) applyEdit(tbs, e);
  const tbsDer = encodeTree(tbs);
  const sig = await ca.sign(tbsDer);
  const body = concat([tbsDer, encodeTree(ECDSA_SHA256), encodeTree({ tag: 0x03, content: concat([Uint8Array.of(0), sig]) })]);
  return concat([Uint8Array.of(0x30), Uint8Array.from(definiteLength(body.length)), body]);
}
