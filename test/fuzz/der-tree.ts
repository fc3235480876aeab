// A tolerant TLV tree for the fuzzer: real certificates are parsed into nodes that mutations edit,
// then serialised again with correct lengths (unless a mutation set its own length bytes).
// OCTET STRING and BIT STRING contents that are themselves DER (extension values, public keys)
// are parsed as nested trees, so mutations reach inside them too.

/** indefinite (0x80), non-minimal long form, off by `delta`, or raw bytes. */
export type LengthEdit =
  | { mode: "indefinite" }
  | { mode: "long"; extra: number }
  | { mode: "delta"; delta: number }
  | { mode: "raw"; bytes: number[] };

export interface DerNode {
  tag: number;
  /** Children of a constructed node, or of an encapsulating OCTET/BIT STRING. */
  kids?: DerNode[];
  /** Content of a primitive node. */
  content?: Uint8Array;
  /** For an encapsulating BIT STRING: the unused-bits byte before the nested DER. */
  bitPrefix?: number;
  /** A wrong length to emit instead of the correct definite one. */
  length?: LengthEdit;
}

interface Read {
  node: DerNode;
  end: number;
}

function readOne(buf: Uint8Array, p: number, limit: number, depth: number): Read | null {
  if (p + 2 > limit || depth > 64) return null;
  const tag = buf[p]!;
  if ((tag & 0x1f) === 0x1f) return null;
  let len = buf[p + 1]!;
  let q = p + 2;
  if (len === 0x80) return null;
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4 || q + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[q + i]!;
    q += n;
  }
  if (q + len > limit) return null;
  const content = buf.subarray(q, q + len);
  const node: DerNode = { tag };
  if (tag & 0x20) {
    const kids = readAll(content, depth + 1);
    if (kids) node.kids = kids;
    else node.content = content.slice();
  } else if (tag === 0x04 && len > 1 && (content[0] === 0x30 || content[0] === 0x04 || content[0] === 0x03)) {
    const kids = readAll(content, depth + 1);
    if (kids) node.kids = kids;
    else node.content = content.slice();
  } else if (tag === 0x03 && len > 2 && content[0] === 0 && content[1] === 0x30) {
    const kids = readAll(content.subarray(1), depth + 1);
    if (kids) {
      node.kids = kids;
      node.bitPrefix = 0;
    } else node.content = content.slice();
  } else node.content = content.slice();
  return { node, end: q + len };
}

function readAll(buf: Uint8Array, depth: number): DerNode[] | null {
  const out: DerNode[] = [];
  let p = 0;
  while (p < buf.length) {
    const r = readOne(buf, p, buf.length, depth);
    if (!r) return null;
    out.push(r.node);
    p = r.end;
  }
  return out;
}

/** Parses DER that the fixtures hold (always well-formed); throws otherwise. */
export function parseTree(der: Uint8Array): DerNode {
  const r = readOne(der, 0, der.length, 0);
  if (!r || r.end !== der.length) throw new Error("fuzz seed is not one DER element");
  return r.node;
}

export function definiteLength(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/**
 * Serialises the tree in two linear passes (sizes, then bytes into one buffer): the fuzzer nests
 * thousands of levels and duplicates large nodes, where concatenating per level is quadratic.
 */
export function encodeTree(node: DerNode): Uint8Array {
  const sizes = new Map<DerNode, { content: number; len: number[] }>();
  const size = (n: DerNode): number => {
    let content = n.content?.length ?? 0;
    if (n.kids) {
      content = n.bitPrefix !== undefined ? 1 : 0;
      for (const k of n.kids) content += size(k);
    }
    const len = lengthBytes(content, n.length);
    sizes.set(n, { content, len });
    return 1 + len.length + content;
  };
  const out = new Uint8Array(size(node));
  const write = (n: DerNode, at: number): number => {
    const { len } = sizes.get(n)!;
    out[at++] = n.tag;
    out.set(len, at);
    at += len.length;
    if (n.kids) {
      if (n.bitPrefix !== undefined) out[at++] = n.bitPrefix;
      for (const k of n.kids) at = write(k, at);
    } else if (n.content) {
      out.set(n.content, at);
      at += n.content.length;
    }
    return at;
  };
  write(node, 0);
  return out;
}

function lengthBytes(n: number, edit: LengthEdit | undefined): number[] {
  if (!edit) return definiteLength(n);
  if (edit.mode === "indefinite") return [0x80];
  if (edit.mode === "raw") return edit.bytes;
  if (edit.mode === "delta") return definiteLength(Math.max(0, n + edit.delta));
  const d = definiteLength(n);
  const body = d.length === 1 ? d : d.slice(1);
  const padded = [...new Array(edit.extra).fill(0), ...body];
  return [0x80 | padded.length, ...padded];
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function cloneTree(n: DerNode): DerNode {
  const c: DerNode = { tag: n.tag };
  if (n.kids) c.kids = n.kids.map(cloneTree);
  if (n.content) c.content = n.content.slice();
  if (n.bitPrefix !== undefined) c.bitPrefix = n.bitPrefix;
  if (n.length) c.length = n.length;
  return c;
}

/** Every node with its parent, breadth first (the root has parent null). */
export function nodes(root: DerNode): { node: DerNode; parent: DerNode | null; index: number }[] {
  const out: { node: DerNode; parent: DerNode | null; index: number }[] = [{ node: root, parent: null, index: 0 }];
  for (let i = 0; i < out.length; i++) {
    const n = out[i]!.node;
    for (const [j, k] of (n.kids ?? []).entries()) out.push({ node: k, parent: n, index: j });
  }
  return out;
}

/** The DER of an OID given in dotted form. */
export function oidDer(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split(".").map(Number) as [number, number, ...number[]];
  const out: number[] = [];
  for (const n of [a * 40 + b, ...rest]) {
    const groups: number[] = [];
    let v = n;
    do {
      groups.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return Uint8Array.from(out);
}
