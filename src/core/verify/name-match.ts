// Distinguished-name comparison for path building, per profile.
// - RFC 5280 7.1: names match when they have the same RDNs in the same order, each RDN the same
//   set of attributes, and each attribute value equal after RFC 4518 string preparation: map
//   (controls and soft hyphens dropped, other spaces to U+0020), case fold (RFC 3454 B.2),
//   NFKC, insignificant space handling (leading, trailing and repeated spaces do not count).
//   The string type does not count either: PrintableString "CA" equals UTF8String "ca"
//   (NIST PKITS 4.3.3-4.3.5, 4.3.10, 4.3.11). Values that are not character strings, and
//   strings that cannot be read (invalid UTF-8), are compared as DER bytes.
// - Go (crypto/x509 cert_pool.go findPotentialParents, bySubject keyed by string(RawSubject)) and
//   the Web PKI (CA/B BR 7.1.4.1: issuer "byte-for-byte identical" to the issuing CA's subject)
//   compare the encoded names byte for byte.
import { toHex } from "../encoding/der.ts";
import type { RdnSequence } from "../x509/names.ts";

/** Character string types (UTF8, Numeric, Printable, T61, IA5, Visible, Universal, BMP). */
const STRING_TAGS = new Set([0x0c, 0x12, 0x13, 0x14, 0x16, 0x1a, 0x1c, 0x1e]);

const utf8 = new TextDecoder("utf-8", { fatal: true });

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** RFC 4518 section 2.2 (Map) and 2.6.1 (insignificant space handling), with case folding. */
export function prepareString(s: string): string {
  // Printable ASCII maps to itself (no control, format or non-U+0020 space among it): skip the
  // per-character Unicode property tests, which are most of a bundle's strict name keys.
  if (PRINTABLE_ASCII.test(s)) return s.toLowerCase().trim().replace(/ +/g, " ");
  let mapped = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x09 && c <= 0x0d) || c === 0x85) mapped += " ";
    else if (c < 0x80) {
      if (c >= 0x20 && c !== 0x7f) mapped += ch; // other ASCII controls are \p{Cc}: dropped below
    } else if (
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
  // Full case folding (RFC 3454 B.2) approximated by lower-, upper-, then lower-casing (ẞ -> ß -> SS -> ss).
  const folded = mapped.toLowerCase().toUpperCase().toLowerCase().normalize("NFKC");
  return folded.trim().replace(/ +/g, " ");
}

function valueKey(a: RdnSequence[number][number]): string {
  if (!STRING_TAGS.has(a.tag)) return `#${toHex(a.der)}`;
  let text = a.value;
  if (a.tag === 0x0c && !PRINTABLE_ASCII.test(text)) {
    // An ASCII value is valid UTF-8 and names.ts decoded it to the same text; anything else is
    // decoded again strictly, to tell invalid UTF-8 (compared as bytes) from U+FFFD itself.
    const first = a.der[1] ?? 0;
    try {
      text = utf8.decode(a.der.subarray(2 + (first & 0x80 ? first & 0x7f : 0)));
    } catch {
      return `#${toHex(a.der)}`;
    }
  }
  if (text.includes("\ufffd")) return `#${toHex(a.der)}`;
  return `"${prepareString(text)}`;
}

const keys = new WeakMap<RdnSequence, string>();

/** A key equal for two names exactly when RFC 5280 7.1 says they match (memoised per parsed name). */
export function rfc5280NameKey(rdns: RdnSequence): string {
  let k = keys.get(rdns);
  if (k === undefined) {
    k = JSON.stringify(rdns.map((rdn) => rdn.map((a) => `${a.oid}=${valueKey(a)}`).sort()));
    keys.set(rdns, k);
  }
  return k;
}

const exactKeys = new WeakMap<Uint8Array, string>();

/** Go's and the Web PKI's comparison: the encoded name, byte for byte (memoised per name buffer). */
export function exactNameKey(raw: Uint8Array): string {
  let k = exactKeys.get(raw);
  if (k === undefined) {
    k = toHex(raw);
    exactKeys.set(raw, k);
  }
  return k;
}
