// The fuzz CA: a P-256 key made for this fuzzer (test/fuzz/fuzz-ca.key, `openssl genpkey -algorithm
// EC -pkeyopt ec_paramgen_curve:P-256`, a throwaway test key) and a self-signed CA certificate built
// from a real fixture CA certificate (its subject, validity and extensions; the key and the
// signature replaced). Mutated leaves re-signed by it still verify, so edits reach the checks that
// run after the signature.
import { concat, definiteLength, type DerNode, encodeTree, parseTree } from "./der-tree.ts";

export interface FuzzCa {
  /** The CA certificate's DER. */
  der: Uint8Array;
  /** Its subject Name (issuer of every re-signed leaf). */
  subject: DerNode;
  /** ECDSA P-256 SHA-256 signature over `data`, DER encoded (as X.509 carries it). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

const ECDSA_SHA256: DerNode = { tag: 0x30, kids: [{ tag: 0x06, content: Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02) }] };

function pemBody(pem: string): Uint8Array {
  const b64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** IEEE P1363 r||s -> DER SEQUENCE { INTEGER r, INTEGER s }. */
function p1363ToDer(sig: Uint8Array): Uint8Array {
  const half = sig.length / 2;
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return encodeTree({ tag: 0x02, content: v[0]! & 0x80 ? concat([Uint8Array.of(0), v]) : v });
  };
  const body = concat([int(sig.subarray(0, half)), int(sig.subarray(half))]);
  return concat([Uint8Array.of(0x30), Uint8Array.from(definiteLength(body.length)), body]);
}

export async function makeFuzzCa(keyPem: string, templateCaDer: Uint8Array, subtle: SubtleCrypto): Promise<FuzzCa> {
  const alg = { name: "ECDSA", namedCurve: "P-256" };
  const key = await subtle.importKey("pkcs8", pemBody(keyPem) as Uint8Array<ArrayBuffer>, alg, true, ["sign"]);
  const jwk = (await subtle.exportKey("jwk", key)) as JsonWebKey;
  const pub = await subtle.importKey("jwk", { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! }, alg, true, ["verify"]);
  const spki = new Uint8Array((await subtle.exportKey("spki", pub)) as ArrayBuffer);
  const sign = async (data: Uint8Array) =>
    p1363ToDer(new Uint8Array(await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, data as Uint8Array<ArrayBuffer>)));

  const tbs = parseTree(templateCaDer).kids![0]!;
  const v = tbs.kids![0]!.tag === 0xa0 ? 1 : 0;
  const subject = tbs.kids![v + 4]!;
  tbs.kids![v + 1] = ECDSA_SHA256;
  tbs.kids![v + 2] = subject;
  tbs.kids![v + 5] = parseTree(spki);
  // The template's SKI names the old key: drop SKI/AKI rather than carry a wrong one.
  const exts = tbs.kids!.find((k) => k.tag === 0xa3)?.kids?.[0];
  if (exts?.kids)
    exts.kids = exts.kids.filter((e) => {
      const oid = e.kids?.[0]?.content;
      return !(oid && oid.length === 3 && oid[0] === 0x55 && oid[1] === 0x1d && (oid[2] === 0x0e || oid[2] === 0x23));
    });
  const tbsDer = encodeTree(tbs);
  const sig = await sign(tbsDer);
  const body = concat([tbsDer, encodeTree(ECDSA_SHA256), encodeTree({ tag: 0x03, content: concat([Uint8Array.of(0), sig]) })]);
  const der = concat([Uint8Array.of(0x30), Uint8Array.from(definiteLength(body.length)), body]);
  return { der, subject, sign };
}
