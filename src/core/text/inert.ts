// Text from certificates and kubeconfigs is data on every surface: names, SANs, URLs, context
// and user names can hold ESC sequences, CR, bidi overrides and other invisible characters. These
// functions make such text inert and visible before a surface prints it. Pure; used by the CLI,
// the Action and the form alike.

/**
 * Characters that change how text is shown rather than being shown: C0 and C1 controls (ESC,
 * CR, BEL, NUL, …), DEL, format characters (bidi overrides and isolates U+202A–U+202E,
 * U+2066–U+2069, zero-width characters, U+FEFF, soft hyphen), line and paragraph separators, and
 * lone surrogates (which are not text at all).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** `\x1b`, `\u202e`: the escape a reader can see, for one invisible character. */
export function visibleEscape(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code < 0x100 ? `\\x${hex(code, 2)}` : code <= 0xffff ? `\\u${hex(code, 4)}` : `\\u{${hex(code, 1)}}`;
}

/** Printable ASCII only: none of INVISIBLE's characters (and no need to compile its Unicode classes). */
const PLAIN = /^[\x20-\x7e]*$/;

/** The text with every invisible or control character shown as its escape. */
export function inert(s: string): string {
  return PLAIN.test(s) ? s : s.replace(INVISIBLE, visibleEscape);
}

/** True when `inert` would change the text. */
export function hasInvisible(s: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(s);
  INVISIBLE.lastIndex = 0;
  return found;
}

/** A deep copy of a JSON value with every string made inert (keys too). */
export function inertDeep<T>(value: T): T {
  if (typeof value === "string") return inert(value) as T;
  if (Array.isArray(value)) return value.map(inertDeep) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[inert(k)] = inertDeep(v);
    return out as T;
  }
  return value;
}
