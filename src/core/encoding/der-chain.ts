// Several DER certificates written one after another (`cat leaf.der ca.der > chain.der`), the
// form Go's x509.ParseCertificates reads ("one or more certificates from the given ASN.1 DER
// data ... concatenated with no intermediate padding") and `openssl storeutl -certs` lists.
import { assertStrictDer, DerError, readTlv } from "./der.ts";

/** The DER of each SEQUENCE when `b` is two or more strict-DER SEQUENCEs back to back, else null. */
export function splitDerChain(b: Uint8Array): Uint8Array[] | null {
  const parts: Uint8Array[] = [];
  let at = 0;
  try {
    while (at < b.length) {
      const t = readTlv(b, at);
      if (t.tag !== 0x30) return null;
      const one = b.subarray(at, t.end);
      assertStrictDer(one);
      parts.push(one);
      at = t.end;
    }
  } catch (e) {
    if (e instanceof DerError) return null;
    throw e;
  }
  return parts.length >= 2 ? parts : null;
}
