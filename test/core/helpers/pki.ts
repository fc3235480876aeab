// Certificates generated inside the tests (ECDSA P-256 over WebCrypto, fixed dates), parsed with
// the product's own parser, so validator tests need no committed fixtures.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { encodeTlv, concatBytes } from "../../../src/core/encoding/der.ts";
import { parseCertificate, type Cert } from "../../../src/core/x509/cert.ts";
import { SignatureVerifier } from "../../../src/core/x509/signature.ts";
import { newBudget } from "../../../src/core/verify/index.ts";
import type { VerifyRequest } from "../../../src/core/verify/types.ts";

x509.cryptoProvider.set(globalThis.crypto);

export const NOW = new Date("2026-06-01T00:00:00Z");
const NOT_BEFORE = new Date("2026-01-01T00:00:00Z");
const NOT_AFTER = new Date("2027-01-01T00:00:00Z");
const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

export const EKU = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  codeSigning: "1.3.6.1.5.5.7.3.3",
  any: "2.5.29.37.0",
};

export interface Issued {
  cert: Cert;
  keys: CryptoKeyPair;
  /** The subject as an x509 name string ("CN=..."). */
  name: string;
}

export type Sub = { dns: string } | { ip: number[] } | { email: string };

export interface Opts {
  /** Subject CN. */
  cn: string;
  /** Issuer; absent = self-signed. */
  issuer?: Issued;
  keys?: CryptoKeyPair;
  /** basicConstraints cA; null = no basicConstraints extension. Default: false for leaves. */
  ca?: boolean | null;
  pathLen?: number;
  bcCritical?: boolean;
  /** keyUsage flags; null = no keyUsage extension. */
  ku?: number | null;
  eku?: string[];
  dns?: string[];
  ips?: string[];
  nc?: { permitted?: Sub[]; excluded?: Sub[]; critical?: boolean };
  notBefore?: Date;
  notAfter?: Date;
  extra?: x509.Extension[];
  /** Omit the authority key identifier. */
  noAki?: boolean;
  /** Signature hash (default SHA-256). */
  hash?: string;
}

export const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));

export async function newKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
}

function subtree(s: Sub): Uint8Array {
  const te = new TextEncoder();
  const gn =
    "dns" in s
      ? encodeTlv(0x82, te.encode(s.dns))
      : "email" in s
        ? encodeTlv(0x81, te.encode(s.email))
        : encodeTlv(0x87, new Uint8Array(s.ip));
  return encodeTlv(0x30, gn);
}

export function nameConstraints(nc: NonNullable<Opts["nc"]>): x509.Extension {
  const parts: Uint8Array[] = [];
  if (nc.permitted) parts.push(encodeTlv(0xa0, concatBytes(...nc.permitted.map(subtree))));
  if (nc.excluded) parts.push(encodeTlv(0xa1, concatBytes(...nc.excluded.map(subtree))));
  return new x509.Extension("2.5.29.30", nc.critical ?? true, encodeTlv(0x30, concatBytes(...parts)) as BufferSource);
}

export async function issue(o: Opts): Promise<Issued> {
  const keys = o.keys ?? (await newKeys());
  const name = `CN=${o.cn}`;
  const isCa = o.ca === true;
  const exts: x509.Extension[] = [];
  if (o.ca !== null) exts.push(new x509.BasicConstraintsExtension(isCa, o.pathLen, o.bcCritical ?? true));
  const ku =
    o.ku === undefined ? (isCa ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature) : o.ku;
  if (ku !== null) exts.push(new x509.KeyUsagesExtension(ku, true));
  if (o.eku) exts.push(new x509.ExtendedKeyUsageExtension(o.eku, false));
  const san = [
    ...(o.dns ?? []).map((v) => ({ type: "dns" as const, value: v })),
    ...(o.ips ?? []).map((v) => ({ type: "ip" as const, value: v })),
  ];
  if (san.length) exts.push(new x509.SubjectAlternativeNameExtension(san, false));
  exts.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  const issuerKeys = o.issuer?.keys ?? keys;
  if (!o.noAki) exts.push(await x509.AuthorityKeyIdentifierExtension.create(issuerKeys.publicKey));
  if (o.nc) exts.push(nameConstraints(o.nc));
  exts.push(...(o.extra ?? []));
  const serialNumber = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .replace(/^[89a-f]/, "1");
  const gen = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: name,
    issuer: o.issuer?.name ?? name,
    notBefore: o.notBefore ?? NOT_BEFORE,
    notAfter: o.notAfter ?? NOT_AFTER,
    signingAlgorithm: { ...ALG, hash: o.hash ?? ALG.hash },
    publicKey: keys.publicKey,
    signingKey: issuerKeys.privateKey,
    extensions: exts,
  });
  return { cert: await parseCertificate(new Uint8Array(gen.rawData), digest), keys, name };
}

export const root = (cn = "Test Root", o: Partial<Opts> = {}) => issue({ cn, ca: true, ...o });
export const intermediate = (cn: string, issuer: Issued, o: Partial<Opts> = {}) => issue({ cn, issuer, ca: true, ...o });
export const leaf = (cn: string, issuer: Issued, o: Partial<Opts> = {}) => issue({ cn, issuer, dns: [cn], eku: [EKU.serverAuth], ...o });

/** A request with defaults: server purpose, rfc5280 (strict) profile, fresh budget, NOW. */
export function request(l: Issued, anchors: Issued[], intermediates: Issued[] = [], o: Partial<VerifyRequest> = {}): VerifyRequest {
  return {
    leaf: l.cert,
    anchors: anchors.map((a) => a.cert),
    intermediates: intermediates.map((i) => i.cert),
    at: NOW,
    purpose: "server",
    profile: "rfc5280",
    budget: newBudget(),
    verifier: new SignatureVerifier(crypto.subtle),
    ...o,
  };
}

/** Re-parses `c` with its signature-algorithm OID (both copies) replaced: for "unsupported" tests. */
export async function withSignatureOid(c: Cert, from: number[], to: number[]): Promise<Cert> {
  const der = new Uint8Array(c.der);
  for (let i = 0; i + from.length <= der.length; i++) if (from.every((b, j) => der[i + j] === b)) der.set(to, i);
  return parseCertificate(der, digest);
}
