// DER arbitraries: recipes of structure-aware edits to real certificates (tags, lengths, contents,
// removal, duplication, nesting, inserted extensions, truncation). A recipe is plain data, so
// fast-check shrinks it; `buildCert` applies it to a seed certificate and, when `resign` is set,
// signs the edited TBSCertificate with the fuzz CA so that the chain still verifies and the edit
// reaches the checks that run after the signature.
import fc from "fast-check";
import { cloneTree, concat, definiteLength, type DerNode, encodeTree, type LengthEdit, nodes, oidDer, parseTree } from "./der-tree.ts";
import type { FuzzCa } from "./fuzz-ca.ts";

export type DerEdit =
  | { op: "tag"; at: number; tag: number }
  | { op: "length"; at: number; length: LengthEdit }
  | { op: "content"; at: number; bytes: Uint8Array }
  | { op: "flip"; at: number; pos: number; bit: number }
  | { op: "remove"; at: number }
  | { op: "dup"; at: number; times: number }
  | { op: "wrap"; at: number; tag: number; depth: number }
  | { op: "swap"; at: number }
  | { op: "ext"; oid: string; critical: number; value: DerNode };

export interface CertRecipe {
  seed: number;
  resign: boolean;
  edits: DerEdit[];
  /** Bytes kept after serialising (fraction of 1,000), 1000 = all. */
  keep: number;
  trailing: Uint8Array;
}

const TAGS = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1e, 0x1c, 0x30, 0x31, 0x80, 0x81, 0x82, 0x86, 0x87, 0xa0,
  0xa1, 0xa3, 0xff, 0x1f,
];
const ascii = (s: string) => new TextEncoder().encode(s);
const prim = (tag: number, content: Uint8Array): DerNode => ({ tag, content });
const cons = (tag: number, ...kids: DerNode[]): DerNode => ({ tag, kids });
const oidNode = (dotted: string) => prim(0x06, oidDer(dotted));

const arbTag = fc.oneof(fc.constantFrom(...TAGS), fc.integer({ min: 0, max: 255 }));
const arbLength: fc.Arbitrary<LengthEdit> = fc.oneof(
  fc.constant({ mode: "indefinite" as const }),
  fc.integer({ min: 1, max: 4 }).map((extra) => ({ mode: "long" as const, extra })),
  fc
    .integer({ min: -3, max: 3 })
    .filter((d) => d !== 0)
    .map((delta) => ({ mode: "delta" as const, delta })),
  fc
    .constantFrom<number[]>([0x84, 0xff, 0xff, 0xff, 0xff], [0x85, 0, 0, 0, 0, 1], [0xff], [0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9], [])
    .map((bytes) => ({ mode: "raw" as const, bytes })),
);

/** Content bytes that hit edge cases of the types certificates use. */
const arbContent: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom(
    new Uint8Array(),
    Uint8Array.of(0),
    Uint8Array.of(0xff),
    Uint8Array.of(0x80),
    Uint8Array.of(0, 0, 1),
    Uint8Array.of(0x7f, 0xff, 0xff, 0xff),
    new Uint8Array(21).fill(0x7f),
    ascii("991231235959Z"),
    ascii("500101000000Z"),
    ascii("491231235959Z"),
    ascii("20500101000000Z"),
    ascii("99991231235959Z"),
    ascii("000101000000+0100"),
    ascii("20261301000000Z"),
    ascii("260230000000Z"),
    ascii("2026060100000.5Z"),
    ascii("260601000060Z"),
    ascii("*.example.com"),
    ascii("xn--"),
    ascii("a\u0000b"),
    ascii("\u202ecod.exe"),
    ascii("system:masters"),
    Uint8Array.of(0xc0, 0xaf, 0xed, 0xa0, 0x80),
    Uint8Array.of(0x88, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
    new Uint8Array(300).fill(0x41),
  ),
);

const dns = fc.constantFrom(
  "kubernetes",
  "127.0.0.1",
  "*.example.com",
  "*",
  "",
  "a..b",
  "EXAMPLE.com.",
  "xn--nxasmq6b",
  "kubernetes.default.svc",
  "x".repeat(300),
  "é.example",
  "*.*.example.com",
  "localhost",
);
const generalName: fc.Arbitrary<DerNode> = fc.oneof(
  dns.map((s) => prim(0x82, ascii(s))),
  fc
    .constantFrom(
      Uint8Array.of(127, 0, 0, 1),
      Uint8Array.of(10, 96, 0, 1),
      new Uint8Array(16),
      Uint8Array.of(1, 2, 3),
      Uint8Array.of(127, 0, 0, 1, 255, 255, 255, 255),
      new Uint8Array(32),
      new Uint8Array(),
    )
    .map((b) => prim(0x87, b)),
  fc.constantFrom("jane@example.com", "@", "example.com", "a@b@c").map((s) => prim(0x81, ascii(s))),
  fc.constantFrom("https://127.0.0.1:6443", "spiffe://cluster.local/ns/a", "", "::").map((s) => prim(0x86, ascii(s))),
  fc.constant(cons(0xa4, cons(0x30, cons(0x31, cons(0x30, oidNode("2.5.4.3"), prim(0x0c, ascii("dir"))))))),
  fc.constant(cons(0xa0, oidNode("1.3.6.1.4.1.311.20.2.3"), cons(0xa0, prim(0x0c, ascii("upn"))))),
  fc.constant(prim(0x88, oidDer("1.2.3.4"))),
);
const eku = fc.constantFrom(
  "1.3.6.1.5.5.7.3.1",
  "1.3.6.1.5.5.7.3.2",
  "2.5.29.37.0",
  "1.3.6.1.5.5.7.3.3",
  "1.3.6.1.4.1.311.10.3.3",
  "1.2.3",
);
function intBytes(n: number): Uint8Array {
  const b: number[] = [];
  let v = n;
  do {
    b.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (b[0]! & 0x80) b.unshift(0);
  return Uint8Array.from(b);
}
const intNode = fc.oneof(
  fc.constantFrom(0, 1, 2, 127, 128, 255, 2 ** 31, 2 ** 53).map((n) => prim(0x02, intBytes(n))),
  arbContent.map((b) => prim(0x02, b)),
);
const subtree = fc
  .record({ name: generalName, min: fc.option(intNode, { nil: undefined }), max: fc.option(intNode, { nil: undefined }) })
  .map(({ name, min, max }) => cons(0x30, name, ...(min ? [{ ...min, tag: 0x80 }] : []), ...(max ? [{ ...max, tag: 0x81 }] : [])));

/** Extensions as OID + value; values well formed for their OID, or for another, or raw bytes. */
const extension: fc.Arbitrary<{ oid: string; value: DerNode }> = fc.oneof(
  fc
    .record({ ca: fc.option(fc.constantFrom(0xff, 0x00, 0x01), { nil: undefined }), len: fc.option(intNode, { nil: undefined }) })
    .map(({ ca, len }) => ({
      oid: "2.5.29.19",
      value: cons(0x30, ...(ca !== undefined ? [prim(0x01, Uint8Array.of(ca))] : []), ...(len ? [len] : [])),
    })),
  fc
    .record({ unused: fc.integer({ min: 0, max: 8 }), bits: fc.uint8Array({ maxLength: 3 }) })
    .map(({ unused, bits }) => ({ oid: "2.5.29.15", value: prim(0x03, Uint8Array.from([unused, ...bits])) })),
  fc.array(eku, { maxLength: 4 }).map((oids) => ({ oid: "2.5.29.37", value: cons(0x30, ...oids.map(oidNode)) })),
  fc.array(generalName, { maxLength: 4 }).map((names) => ({ oid: "2.5.29.17", value: cons(0x30, ...names) })),
  fc
    .record({
      permitted: fc.option(fc.array(subtree, { maxLength: 3 }), { nil: undefined }),
      excluded: fc.option(fc.array(subtree, { maxLength: 3 }), { nil: undefined }),
    })
    .map(({ permitted, excluded }) => ({
      oid: "2.5.29.30",
      value: cons(0x30, ...(permitted ? [cons(0xa0, ...permitted)] : []), ...(excluded ? [cons(0xa1, ...excluded)] : [])),
    })),
  fc.uint8Array({ maxLength: 24 }).map((id) => ({ oid: "2.5.29.35", value: cons(0x30, prim(0x80, id)) })),
  fc.uint8Array({ maxLength: 24 }).map((id) => ({ oid: "2.5.29.14", value: prim(0x04, id) })),
  fc.constantFrom("2.5.29.32.0", "2.23.140.1.2.1", "1.2.3.4").map((p) => ({ oid: "2.5.29.32", value: cons(0x30, cons(0x30, oidNode(p))) })),
  fc.tuple(intNode, intNode).map(([a, b]) => ({ oid: "2.5.29.36", value: cons(0x30, { ...a, tag: 0x80 }, { ...b, tag: 0x81 }) })),
  intNode.map((n) => ({ oid: "2.5.29.54", value: n })),
  fc.constant({ oid: "2.5.29.33", value: cons(0x30, cons(0x30, oidNode("2.5.29.32.0"), oidNode("1.2.3"))) }),
  fc.constant({
    oid: "1.3.6.1.5.5.7.1.1",
    value: cons(0x30, cons(0x30, oidNode("1.3.6.1.5.5.7.48.2"), prim(0x86, ascii("http://127.0.0.1/ca.crt")))),
  }),
  fc.constant({ oid: "2.5.29.31", value: cons(0x30, cons(0x30, cons(0xa0, cons(0xa0, prim(0x86, ascii("http://127.0.0.1/ca.crl")))))) }),
  fc
    .tuple(
      fc.constantFrom("2.5.29.19", "2.5.29.15", "2.5.29.37", "2.5.29.17", "2.5.29.30", "2.5.29.35", "1.2.3.4.5", "1.3.6.1.4.1.11129.2.4.2"),
      arbContent,
    )
    .map(([oid, b]) => ({ oid, value: prim(0x04, b) })),
);

export const arbDerEdit: fc.Arbitrary<DerEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant("tag" as const), at: fc.nat(), tag: arbTag }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("length" as const), at: fc.nat(), length: arbLength }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("content" as const), at: fc.nat(), bytes: arbContent }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("flip" as const), at: fc.nat(), pos: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("remove" as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("dup" as const),
      at: fc.nat(),
      times: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constant(40) }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("wrap" as const),
      at: fc.nat(),
      tag: fc.constantFrom(0x30, 0x31, 0xa0, 0x04),
      depth: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(40, 1000) }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("swap" as const), at: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc
      .record({ op: fc.constant("ext" as const), critical: fc.constantFrom(-1, 0xff, 0x00, 0x01), ext: extension })
      .map(({ op, critical, ext }) => ({ op, critical, oid: ext.oid, value: ext.value })),
  },
);

export const arbCertRecipe = (seedCount: number): fc.Arbitrary<CertRecipe> =>
  fc.record({
    seed: fc.integer({ min: 0, max: seedCount - 1 }),
    resign: fc.boolean(),
    edits: fc.array(arbDerEdit, { maxLength: 5 }),
    keep: fc.oneof({ weight: 8, arbitrary: fc.constant(1000) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 999 }) }),
    trailing: fc.oneof(
      { weight: 8, arbitrary: fc.constant(new Uint8Array()) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }) },
    ),
  });

/** The extensions SEQUENCE inside a TBSCertificate, created (with version v3) when absent. */
function extensionsOf(tbs: DerNode): DerNode | null {
  if (!tbs.kids) return null;
  let wrapper = tbs.kids.find((k) => k.tag === 0xa3);
  if (!wrapper) {
    wrapper = cons(0xa3, cons(0x30));
    tbs.kids.push(wrapper);
  }
  const seq = wrapper.kids?.[0];
  return seq?.kids ? seq : null;
}

export function applyEdit(root: DerNode, e: DerEdit): void {
  if (e.op === "ext") {
    const seq = extensionsOf(root.tag === 0x30 && root.kids?.[0]?.tag === 0x30 ? root.kids[0]! : root);
    if (!seq) return;
    const crit = e.critical < 0 ? [] : [prim(0x01, Uint8Array.of(e.critical))];
    seq.kids!.push(cons(0x30, oidNode(e.oid), ...crit, cons(0x04, cloneTree(e.value))));
    return;
  }
  const all = nodes(root);
  const target = all[e.at % all.length]!;
  const n = target.node;
  switch (e.op) {
    case "tag":
      n.tag = e.tag;
      return;
    case "length":
      n.length = e.length;
      return;
    case "content":
      delete n.kids;
      delete n.bitPrefix;
      n.content = e.bytes;
      return;
    case "flip": {
      const bytes = n.content ?? encodeTree(n).subarray(1);
      if (!bytes.length) return;
      const c = bytes.slice();
      c[e.pos % c.length]! ^= 1 << e.bit;
      delete n.kids;
      delete n.bitPrefix;
      n.content = c;
      return;
    }
    case "remove":
      target.parent?.kids?.splice(target.index, 1);
      return;
    case "dup":
      target.parent?.kids?.splice(target.index, 0, ...Array.from({ length: e.times }, () => cloneTree(n)));
      return;
    case "wrap": {
      let inner: DerNode = cloneTree(n);
      for (let i = 0; i < e.depth; i++) inner = cons(e.tag, inner);
      Object.assign(n, { tag: inner.tag, kids: inner.kids, content: undefined, bitPrefix: undefined, length: undefined });
      return;
    }
    case "swap": {
      const kids = target.parent?.kids;
      if (kids && target.index + 1 < kids.length)
        [kids[target.index], kids[target.index + 1]] = [kids[target.index + 1]!, kids[target.index]!];
    }
  }
}

export const ECDSA_SHA256 = cons(0x30, oidNode("1.2.840.10045.4.3.2"));

/** The recipe applied to its seed certificate: DER bytes (re-signed by the fuzz CA when asked). */
export async function buildCert(r: CertRecipe, seeds: Uint8Array[], ca: FuzzCa): Promise<Uint8Array> {
  const root = parseTree(seeds[r.seed % seeds.length]!);
  let out: Uint8Array;
  const tbs = root.kids?.[0];
  if (r.resign && tbs?.kids && root.kids!.length === 3) {
    // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, spki, ...
    const v = tbs.kids[0]?.tag === 0xa0 ? 1 : 0;
    tbs.kids[v + 1] = cloneTree(ECDSA_SHA256);
    tbs.kids[v + 2] = cloneTree(ca.subject);
    for (const e of r.edits) applyEdit(tbs, e);
    const tbsDer = encodeTree(tbs);
    const sig = await ca.sign(tbsDer);
    const body = concat([tbsDer, ECDSA_DER, bitString(sig)]);
    out = concat([Uint8Array.of(0x30), Uint8Array.from(definiteLength(body.length)), body]);
  } else {
    for (const e of r.edits) applyEdit(root, e);
    out = encodeTree(root);
  }
  if (r.keep < 1000) out = out.subarray(0, Math.floor((out.length * r.keep) / 1000));
  return r.trailing.length ? concat([out, r.trailing]) : out;
}

const ECDSA_DER = encodeTree(ECDSA_SHA256);
const bitString = (b: Uint8Array) => encodeTree({ tag: 0x03, content: concat([Uint8Array.of(0), b]) });
