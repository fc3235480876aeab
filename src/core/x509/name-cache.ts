// Issuer names read once per request: a bundle's leaves share their issuer's name (999 leaves of
// one CA in a 1,000-certificate bundle), so the parsed RDNs with their RFC 4514 text, and Go's
// string-type checks, of an issuer name's DER are kept by its bytes and shared between the
// certificates that carry it (cert.ts; a self-issued certificate's two names are read once there).
// The shared RdnSequence is never mutated (nothing in the engine writes to a parsed name); sharing
// it also shares the strict RFC 5280 name key memoised on it (verify/name-match.ts).
import { bytesEqual } from "../encoding/der.ts";
import type { RdnSequence } from "./names.ts";

export interface NameProblems {
  emptyRdn: boolean;
  error: string | null;
}

interface Entry {
  problems?: NameProblems;
  parsed?: { rdns: RdnSequence; text: string };
}

/** Longest name DER kept (longer ones are read each time), and most names kept per request. */
const MAX_KEY_BYTES = 1024;
const MAX_NAMES = 20_000;

export class NameCache {
  private readonly byDer = new Map<string, Entry>();

  /** The last name asked for: consecutive leaves of one CA skip building the key. */
  private last: { der: Uint8Array; entry: Entry } | null = null;

  private entry(der: Uint8Array): Entry | null {
    if (der.length > MAX_KEY_BYTES) return null;
    if (this.last && bytesEqual(this.last.der, der)) return this.last.entry;
    const key = String.fromCharCode.apply(null, der as unknown as number[]);
    let e = this.byDer.get(key);
    if (!e && this.byDer.size < MAX_NAMES) {
      e = {};
      this.byDer.set(key, e);
    }
    if (e) this.last = { der, entry: e };
    return e ?? null;
  }

  /** Go's checks of the name's values, from the cache or from `check`. */
  problems(der: Uint8Array, check: () => NameProblems): NameProblems {
    const e = this.entry(der);
    if (!e) return check();
    e.problems ??= check();
    return e.problems;
  }

  /** The parsed name and its text, from the cache or from `parse`. */
  parsed(der: Uint8Array, parse: () => { rdns: RdnSequence; text: string }): { rdns: RdnSequence; text: string } {
    const e = this.entry(der);
    if (!e) return parse();
    e.parsed ??= parse();
    return e.parsed;
  }
}
