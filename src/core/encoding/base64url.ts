// base64url (RFC 4648 section 5), unpadded as JWK members are (RFC 7518): the bytes atob reads
// once the text is mapped to the standard alphabet and padded, decoded by pem.ts's table decoder
// instead of atob and a per-character copy out of its binary string.
import { decodeBase64, decodeCleanBase64 } from "./pem.ts";

export function base64UrlBytes(s: string): Uint8Array {
  if (s === "") return new Uint8Array(0);
  const std = s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4);
  const out = decodeCleanBase64(std) ?? decodeBase64(std);
  // atob throws on what is not base64: so does this.
  if (!out) throw new SyntaxError(`not base64url (${s.length} characters)`);
  return out;
}
