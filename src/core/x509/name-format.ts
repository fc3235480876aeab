// One-line distinguished names in RFC 4514 form, written exactly as
// `openssl x509 -noout -subject -nameopt RFC2253,-esc_msb` prints them (OpenSSL 3, crypto/x509/
// x_name.c / a_strex.c do_name_ex, do_print_ex, do_buf, do_esc_char):
// - RDNs last to first, "," between RDNs and "+" inside a multi-valued RDN (sep_comma_plus,
//   dn_rev; OpenSSL reverses the flat list of attributes, so the members of one RDN are reversed too);
// - the attribute type by its OpenSSL short name (sname), or dotted when OpenSSL does not know it;
// - values of an unknown type, and values that are not character strings, as `#` and the
//   uppercase hex of their DER (dump_unknown, dump_nostr, dump_der);
// - RFC 2253 escapes: `\` before , + " \ < > ;, before a leading space or #, and before a
//   trailing space; control characters as \XX (esc_2253, esc_ctrl);
// - characters beyond ASCII as UTF-8, unescaped (utf8, without esc_msb: plain `-nameopt RFC2253`
//   writes each of their bytes as \XX; `-esc_msb` keeps names such as "München" readable).
// Empty RDNs (a SET with no attributes) print nothing, as in OpenSSL.

/** What rendering needs of one attribute (structurally a names.ts NameAttribute). */
export interface RenderableAttribute {
  oid: string;
  /** OpenSSL short name, or the dotted OID when OpenSSL has none. */
  type: string;
  /** The value's whole DER: tag, length, content. */
  der: Uint8Array;
  /** The value as names.ts decodes it (UTF-8 for the one-byte types too), when already read. */
  value?: string;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * valueText, from the value names.ts already decoded where both read the same characters: a
 * UTF8String (both decode UTF-8 the same way), and a one-byte type whose bytes are all ASCII
 * (UTF-8 and one character per byte agree there; a non-ASCII byte never decodes to ASCII).
 */
function knownText(a: RenderableAttribute): string | null {
  const width = CHAR_WIDTH[a.der[0] ?? -1];
  if (a.value !== undefined && (width === 0 || (width === 1 && ASCII.test(a.value)))) return a.value;
  return valueText(a.der);
}

const HEX = "0123456789ABCDEF";
const hex = (b: Uint8Array) => Array.from(b, (x) => HEX[x >> 4]! + HEX[x & 15]!).join("");

/** Bytes per character of the string types OpenSSL prints as text (a_strex.c tag2nbyte). */
const CHAR_WIDTH: Record<number, number> = {
  12: 0, // UTF8String: read as UTF-8
  18: 1, // NumericString
  19: 1, // PrintableString
  20: 1, // T61String (OpenSSL reads it as Latin-1)
  22: 1, // IA5String
  23: 1, // UTCTime
  24: 1, // GeneralizedTime
  26: 1, // VisibleString
  28: 4, // UniversalString
  30: 2, // BMPString
};

/** Content of a primitive DER value: skips the tag and the (short or long form) length. */
function contentOfDer(der: Uint8Array): Uint8Array {
  const first = der[1] ?? 0;
  const lenBytes = first & 0x80 ? first & 0x7f : 0;
  return der.subarray(2 + lenBytes);
}

const UTF8 = new TextDecoder("utf-8"); // decode() without `stream` keeps no state between calls

/** The value's characters, or null when OpenSSL would dump it as hex. */
function valueText(der: Uint8Array): string | null {
  const width = CHAR_WIDTH[der[0] ?? -1];
  if (width === undefined) return null;
  const c = contentOfDer(der);
  if (width === 0) return UTF8.decode(c);
  if (width === 1 && c.length < 4096) return String.fromCharCode(...c); // one byte, one character (as below)
  let s = "";
  for (let i = 0; i + width <= c.length; i += width) {
    let cp = 0;
    for (let j = 0; j < width; j++) cp = cp * 256 + c[i + j]!;
    s += cp <= 0x10ffff ? String.fromCodePoint(cp) : "\ufffd";
  }
  return s;
}

const NEEDS_ESCAPE = /[,+"\\<>;\x00-\x1f\x7f]/;
const SPECIAL = new Set([",", "+", '"', "\\", "<", ">", ";"]);

/** do_esc_char with esc_2253 and esc_ctrl. OpenSSL applies "last" after "first", so a lone "#" stays bare. */
export function escapeRfc2253(v: string): string {
  // Most values need no escape: no special or control character, no space or "#" at the ends.
  if (!NEEDS_ESCAPE.test(v) && v[0] !== " " && v[0] !== "#" && v[v.length - 1] !== " ") return v;
  const chars = Array.from(v);
  return chars
    .map((ch, i) => {
      const code = ch.codePointAt(0)!;
      const last = i === chars.length - 1;
      const first = i === 0 && !last;
      if (SPECIAL.has(ch)) return `\\${ch}`;
      if (ch === " " && (first || last)) return "\\ ";
      if (ch === "#" && first) return "\\#";
      if (code < 0x20 || code === 0x7f) return `\\${HEX[code >> 4]}${HEX[code & 15]}`;
      return ch;
    })
    .join("");
}

function formatAttribute(a: RenderableAttribute): string {
  const known = a.type !== a.oid;
  const text = known ? knownText(a) : null;
  return `${a.type}=${text === null ? `#${hex(a.der)}` : escapeRfc2253(text)}`;
}

export function formatRdns(rdns: RenderableAttribute[][]): string {
  let out = "";
  for (let i = rdns.length - 1; i >= 0; i--) {
    const rdn = rdns[i]!;
    for (let j = rdn.length - 1; j >= 0; j--) {
      if (out) out += j === rdn.length - 1 ? "," : "+";
      out += formatAttribute(rdn[j]!);
    }
  }
  return out;
}
