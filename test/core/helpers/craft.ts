// Certificates assembled byte by byte, for inputs no certificate library will produce (odd
// times, BOOLEAN 0x01, version 4, invalid UTF-8, ...). Each part is plain DER built with the
// project's encoder; `craftCert` signs the TBS with a real RSA key so that only the crafted
// oddity differs from a valid certificate.
import { concatBytes, encodeTlv } from "../../../src/core/encoding/der.ts";

const ascii = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));
export const tlv = (tag: number, ...parts: Uint8Array[]) => encodeTlv(tag, concatBytes(...parts));
export const seq = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
export const set = (...parts: Uint8Array[]) => tlv(0x31, ...parts);
export const octets = (...parts: Uint8Array[]) => tlv(0x04, ...parts);
export const bytes = (...b: number[]) => new Uint8Array(b);
export const NULL = bytes(0x05, 0x00);
export const TRUE = bytes(0x01, 0x01, 0xff);

export function oid(dotted: string): Uint8Array {
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
  return tlv(0x06, new Uint8Array(out));
}

/** INTEGER from a non-negative number, or the given two's-complement content bytes. */
export function int(v: number | Uint8Array): Uint8Array {
  if (v instanceof Uint8Array) return tlv(0x02, v);
  const out: number[] = [];
  let n = v;
  do {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  } while (n > 0);
  if (out[0]! & 0x80) out.unshift(0);
  return tlv(0x02, new Uint8Array(out));
}

export const utcTime = (text: string) => tlv(0x17, ascii(text));
export const generalizedTime = (text: string) => tlv(0x18, ascii(text));
export const ia5 = (text: string | Uint8Array) => tlv(0x16, typeof text === "string" ? ascii(text) : text);

/** A Name of one CN RDN; `value` bytes are used as given under `tag` (0x0c UTF8String by default). */
export function cnName(value: string | Uint8Array, tag = 0x0c): Uint8Array {
  const v = typeof value === "string" ? new TextEncoder().encode(value) : value;
  return seq(set(seq(oid("2.5.4.3"), tlv(tag, v))));
}

export function extension(oidText: string, value: Uint8Array, critical?: Uint8Array): Uint8Array {
  return seq(oid(oidText), ...(critical ? [critical] : []), octets(value));
}

export const SHA256_RSA = seq(oid("1.2.840.113549.1.1.11"), NULL);

export interface CraftSpec {
  /** Encoded version number (2 = v3, the default); null = no [0] field (v1). */
  version?: number | null;
  serial?: Uint8Array;
  /** The serial number's whole TLV as given (to craft BER such as a non-minimal length). */
  serialTlv?: Uint8Array;
  /** DER of the signature AlgorithmIdentifier (inner and outer); SHA-256 with RSA by default. */
  signatureAlgorithm?: Uint8Array;
  /** WebCrypto hash used to sign (must match signatureAlgorithm). */
  hash?: "SHA-1" | "SHA-256";
  issuer?: Uint8Array;
  subject?: Uint8Array;
  notBefore?: Uint8Array;
  notAfter?: Uint8Array;
  /** DER of a SubjectPublicKeyInfo; the signing key's own by default. */
  spki?: Uint8Array;
  /** DER of each Extension. */
  extensions?: Uint8Array[];
  /** Rewrites the signature BIT STRING content (unused-bits byte + value). */
  signatureBits?: (sig: Uint8Array) => Uint8Array;
  /** RSA key that signs (SHA-256); the shared key by default. Give `spki` for the subject's own key. */
  signer?: CryptoKeyPair;
}

const keys = new Map<string, Promise<CryptoKeyPair>>();
export function rsaKey(hash: "SHA-1" | "SHA-256" = "SHA-256"): Promise<CryptoKeyPair> {
  let k = keys.get(hash);
  if (!k) {
    k = crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: bytes(1, 0, 1), hash }, true, [
      "sign",
      "verify",
    ]) as Promise<CryptoKeyPair>;
    keys.set(hash, k);
  }
  return k;
}

export async function rsaSpki(hash: "SHA-1" | "SHA-256" = "SHA-256"): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey("spki", (await rsaKey(hash)).publicKey));
}

/** PKCS#8 PEM of the key every crafted certificate is signed with. */
export async function rsaKeyPem(hash: "SHA-1" | "SHA-256" = "SHA-256"): Promise<string> {
  const der = new Uint8Array(await crypto.subtle.exportKey("pkcs8", (await rsaKey(hash)).privateKey));
  return `-----BEGIN PRIVATE KEY-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END PRIVATE KEY-----\n`;
}

export const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE-----\n`;

/**
 * A certificate with the spec's oddities. Every crafted certificate is signed with one RSA key,
 * so a certificate whose issuer name is another crafted certificate's subject is validly signed by it.
 */
export async function craftCert(spec: CraftSpec = {}): Promise<Uint8Array> {
  const hash = spec.hash ?? "SHA-256";
  const key = spec.signer ?? (await rsaKey(hash));
  const alg = spec.signatureAlgorithm ?? SHA256_RSA;
  const name = cnName("crafted");
  const tbs = seq(
    ...(spec.version === null ? [] : [tlv(0xa0, int(spec.version ?? 2))]),
    spec.serialTlv ?? (spec.serial ? int(spec.serial) : int(0x1234)),
    alg,
    spec.issuer ?? spec.subject ?? name,
    seq(spec.notBefore ?? utcTime("250101000000Z"), spec.notAfter ?? utcTime("350101000000Z")),
    spec.subject ?? name,
    spec.spki ?? (await rsaSpki(hash)),
    ...(spec.extensions?.length ? [tlv(0xa3, seq(...spec.extensions))] : []),
  );
  const sig = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key.privateKey, tbs as BufferSource));
  const bits = spec.signatureBits ? spec.signatureBits(concatBytes(bytes(0), sig)) : concatBytes(bytes(0), sig);
  return seq(tbs, alg, tlv(0x03, bits));
}
