// Go's crypto/x509 Certificate.VerifyHostname (Go 1.19 crypto/x509/verify.go: VerifyHostname,
// validHostname, matchExactly, matchHostnames, toLowerCaseASCII), what kubectl's TLS handshake
// runs against the server certificate. Strings are compared as Go compares them: as bytes
// (UTF-8 for the name asked for, the raw IA5 bytes of each dNSName), folding ASCII case only,
// so a Kelvin sign (U+212A) is not "k". IP addresses compare as net.IP.Equal: an IPv4 address
// equals its IPv4-mapped IPv6 form (::ffff:a.b.c.d). Pinned by test/oracles/servername.
import { bytesEqual } from "../encoding/der.ts";
import type { Cert } from "../x509/cert.ts";
import { parseIpv4, parseIpv6 } from "./hostname.ts";

/** A byte string: one JS character per byte. */
const bytesOf = (b: Uint8Array): string => String.fromCharCode(...b);
const utf8Bytes = (s: string): string => bytesOf(new TextEncoder().encode(s));
const toLowerCaseAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

function validHostname(host: string, isPattern: boolean): boolean {
  const h = isPattern ? host : host.endsWith(".") ? host.slice(0, -1) : host;
  if (h.length === 0) return false;
  const parts = h.split(".");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === "") return false;
    if (isPattern && i === 0 && part === "*") continue;
    for (let j = 0; j < part.length; j++) {
      const c = part[j]!;
      if (/[a-zA-Z0-9_]/.test(c)) continue;
      if (c === "-" && j !== 0) continue;
      return false;
    }
  }
  return true;
}

function matchExactly(a: string, b: string): boolean {
  if (a === "" || a === "." || b === "" || b === ".") return false;
  return toLowerCaseAscii(a) === toLowerCaseAscii(b);
}

function matchHostnames(pattern: string, host: string): boolean {
  const p = toLowerCaseAscii(pattern);
  const h = toLowerCaseAscii(host.endsWith(".") ? host.slice(0, -1) : host);
  if (p.length === 0 || h.length === 0) return false;
  const pp = p.split(".");
  const hp = h.split(".");
  if (pp.length !== hp.length) return false;
  return pp.every((part, i) => (i === 0 && part === "*") || part === hp[i]);
}

const V4_IN_V6 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** The 16-byte form net.IP uses for comparison; null for lengths Go does not accept. */
function ip16(b: Uint8Array): Uint8Array | null {
  if (b.length === 16) return b;
  if (b.length === 4) return new Uint8Array([...V4_IN_V6, ...b]);
  return null;
}

/** net.IP.Equal. */
export function ipEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length === b.length) return bytesEqual(a, b);
  const x = ip16(a);
  const y = ip16(b);
  return x !== null && y !== null && bytesEqual(x, y);
}

/** net.ParseIP (Go 1.17+: no leading zeros in IPv4, no zones). */
function goParseIp(s: string): Uint8Array | null {
  return parseIpv4(s) ?? (s.includes(":") ? parseIpv6(s) : null);
}

/** True when Go's leaf.VerifyHostname(h) returns nil. */
export function goVerifyHostname(leaf: Cert, h: string): boolean {
  const sans = leaf.subjectAltNames ?? [];
  const candidateIp = h.length >= 3 && h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
  const ip = goParseIp(candidateIp);
  // Only IP SANs are compared with an IP address (RFC 6125 appendix B.2).
  if (ip) return sans.some((g) => g.type === "ip" && (g.raw.length === 4 || g.raw.length === 16) && ipEqual(ip, g.raw));
  const candidate = toLowerCaseAscii(utf8Bytes(h));
  const validCandidate = validHostname(candidate, false);
  return sans.some((g) => {
    if (g.type !== "dns") return false;
    const match = bytesOf(g.raw);
    return validCandidate && validHostname(match, true) ? matchHostnames(match, candidate) : matchExactly(match, candidate);
  });
}
