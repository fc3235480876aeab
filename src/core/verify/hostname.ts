// Reference identifiers (the server name a client asks for) and how they match a leaf's SANs:
// DNS names against dNSName SANs (with RFC 9525 leftmost-label wildcards), IP literals against
// iPAddress SANs byte for byte. The Common Name is never consulted (Go 1.15+ dropped the CN
// fallback; RFC 9525 6.3 forbids it).
import { bytesEqual } from "../encoding/der.ts";
import type { Cert } from "../x509/cert.ts";
import type { GeneralName } from "../x509/names.ts";
import type { Profile } from "./types.ts";
import { rulesOf } from "./profiles/index.ts";

/** Strict dotted-quad IPv4: four decimal octets, no leading zeros (Go's net.ParseIP since 1.17). */
export function parseIpv4(s: string): Uint8Array | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** IPv6 text form (RFC 4291 2.2), with "::" and an optional trailing dotted IPv4; no zone. */
export function parseIpv6(s: string): Uint8Array | null {
  if (s.length < 2 || s.length > 45 || s.includes("%")) return null;
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === "") return [];
    const out: number[] = [];
    const items = part.split(":");
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (i === items.length - 1 && it.includes(".")) {
        const v4 = parseIpv4(it);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const all = [...head, ...new Array<number>(8 - total).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

export function parseIp(s: string): Uint8Array | null {
  const t = s.startsWith("[") && s.endsWith("]") ? s.slice(1, -1) : s;
  return parseIpv4(t) ?? (t.includes(":") ? parseIpv6(t) : null);
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * A preferred-name-syntax host name (RFC 1034 3.5 as relaxed by RFC 1123 2.1): LDH labels of
 * 1-63 octets, at most 253 octets, no trailing dot, and not an IPv4 literal (RFC 5280 4.2.1.6:
 * an IP address belongs in iPAddress, not dNSName). With `wildcard`, the leftmost label may be "*".
 */
export function isValidDnsName(name: string, wildcard: boolean): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split(".");
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (i === 0 && wildcard && l === "*" && labels.length > 1) continue;
    if (!LABEL.test(l)) return false;
  }
  if (parseIpv4(name)) return false;
  return true;
}

/** local@domain with a valid domain; local part printable ASCII, no "@" (RFC 5280 4.2.1.6, RFC 5321 4.1.2 simplified). */
export function isValidMailbox(addr: string): boolean {
  const at = addr.lastIndexOf("@");
  if (at <= 0) return false;
  const local = addr.slice(0, at);
  if (!/^[\x21-\x7e]+$/.test(local) || local.includes("@")) return false;
  return isValidDnsName(addr.slice(at + 1), false);
}

/** ASCII case folding only (RFC 4343); a Kelvin sign stays a Kelvin sign. */
const lowerAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function dnsPatternMatches(pattern: string, host: string, profile: Profile): boolean {
  const p = lowerAscii(pattern);
  const h = lowerAscii(host);
  if (!p.includes("*")) return p === h;
  // RFC 9525 6.3: only a whole leftmost label "*" is a wildcard; it matches exactly one label.
  if (!p.startsWith("*.") || p.indexOf("*", 1) >= 0) return false;
  const rest = p.slice(2);
  // Web PKI profiles refuse wildcards directly over a TLD ("*.com"); Go's matchHostnames does not.
  if (rulesOf(profile).strictHostnames && !rest.includes(".")) return false;
  const dot = h.indexOf(".");
  if (dot <= 0) return false;
  return h.slice(dot + 1) === rest;
}

export type ServerName = { kind: "ip"; bytes: Uint8Array; text: string } | { kind: "dns"; name: string };

export function parseServerName(s: string): ServerName {
  const ip = parseIp(s);
  if (ip) return { kind: "ip", bytes: ip, text: s };
  // A trailing dot names the same host (Go's VerifyHostname strips it too).
  return { kind: "dns", name: s.endsWith(".") ? s.slice(0, -1) : s };
}

/** True when one of the leaf's SANs matches the server name (strict profiles; Go's rules are in go-hostname.ts). */
export function leafMatchesServerName(leaf: Cert, name: ServerName, profile: Profile): boolean {
  const sans: GeneralName[] = leaf.subjectAltNames ?? [];
  if (name.kind === "ip") return sans.some((g) => g.type === "ip" && bytesEqual(g.raw, name.bytes));
  if (!isValidDnsName(name.name, false) && rulesOf(profile).strictHostnames) return false;
  return sans.some((g) => g.type === "dns" && dnsPatternMatches(g.value, name.name, profile));
}

export function describeSans(leaf: Cert): string {
  const names = (leaf.subjectAltNames ?? []).filter((g) => g.type === "dns" || g.type === "ip").map((g) => g.value);
  return names.length ? names.join(", ") : "no DNS or IP subject alternative names";
}
