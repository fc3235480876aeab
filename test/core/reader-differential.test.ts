// The hand-written certificate reader (src/core/x509/cert.ts) against @peculiar/x509 on the same
// DER: every certificate of the fixtures and of the committed x509-limbo subset, and a fixed
// sample (every 10th distinct certificate) of the whole x509-limbo suite when it is there
// (../shared/conformance/limbo.json.gz beside the repository, or $LIMBO; a failure under CI=true
// when missing, as test/helpers/tools.ts does for tools). DIFF_FULL=1 compares all ~30,000 (about
// a minute of @peculiar/x509 parsing). Where both read a certificate, everything both expose must
// agree: names as DER and attribute by attribute, serial, validity, public key, signature
// algorithm, every extension's OID, criticality and value, and the decoded value of the
// extensions both decode. The documented exceptions are theirs, each with a minimal reproducer.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { expect, it } from "vitest";
import { scanPem } from "../../src/core/encoding/pem.ts";
import { toHex } from "../../src/core/encoding/der.ts";
import { CertParseError, parseCertificate, type Cert } from "../../src/core/x509/cert.ts";
import { EKU_NAMES } from "../../src/core/x509/oids.ts";
import { describeWithTool } from "../helpers/tools.ts";

x509.cryptoProvider.set(crypto);
const ROOT = new URL("../../", import.meta.url).pathname;
const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));
const hex = (b: ArrayBuffer | Uint8Array) => toHex(b instanceof Uint8Array ? b : new Uint8Array(b));

function pemCerts(text: string): Uint8Array[] {
  return scanPem(text)
    .blocks.filter((b) => b.label === "CERTIFICATE" && b.der)
    .map((b) => b.der!);
}

function fixtureCerts(dir = join(ROOT, "test/fixtures")): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...fixtureCerts(p));
    else if (/\.(crt|pem)$/.test(name)) out.push(...pemCerts(readFileSync(p, "utf8")));
  }
  return out;
}

function limboCerts(suite: {
  testcases: { trusted_certs: string[]; untrusted_intermediates: string[]; peer_certificate: string }[];
}): string[] {
  const set = new Set<string>();
  for (const t of suite.testcases)
    for (const p of [...t.trusted_certs, ...t.untrusted_intermediates, t.peer_certificate]) if (p) set.add(p);
  return [...set];
}

const KEY_USAGE_FLAGS: [number, string][] = [
  [x509.KeyUsageFlags.digitalSignature, "digitalSignature"],
  [x509.KeyUsageFlags.nonRepudiation, "nonRepudiation"],
  [x509.KeyUsageFlags.keyEncipherment, "keyEncipherment"],
  [x509.KeyUsageFlags.dataEncipherment, "dataEncipherment"],
  [x509.KeyUsageFlags.keyAgreement, "keyAgreement"],
  [x509.KeyUsageFlags.keyCertSign, "keyCertSign"],
  [x509.KeyUsageFlags.cRLSign, "cRLSign"],
  [x509.KeyUsageFlags.encipherOnly, "encipherOnly"],
  [x509.KeyUsageFlags.decipherOnly, "decipherOnly"],
];
const SIG_NAMES: Record<string, string> = { RSA: "RSASSA-PKCS1-v1_5", "RSA-PSS": "RSA-PSS", EC: "ECDSA", Ed25519: "Ed25519" };
const STRING_TAGS = new Set([0x0c, 0x13, 0x16]); // UTF8String, PrintableString, IA5String: both decode these to the same text

/** What both readers expose, ours read from `ours`, theirs from `c`; returns the differences. */
function compare(ours: Cert, c: x509.X509Certificate): string[] {
  const diffs: string[] = [];
  const eq = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`${what}: ours ${JSON.stringify(a)}, @peculiar/x509 ${JSON.stringify(b)}`);
  };
  eq("subject DER", hex(ours.frame.subject), hex(c.subjectName.toArrayBuffer()));
  eq("issuer DER", hex(ours.frame.issuer), hex(c.issuerName.toArrayBuffer()));
  for (const [which, rdns, name] of [
    ["subject", ours.subjectRdns, c.subjectName],
    ["issuer", ours.issuerRdns, c.issuerName],
  ] as const) {
    const theirs = name.toJSON();
    eq(`${which} RDN count`, rdns.length, theirs.length);
    rdns.forEach((rdn, i) => {
      // Single-attribute RDNs of string types both decode: the attribute's value as text.
      if (rdn.length !== 1 || !STRING_TAGS.has(rdn[0]!.tag) || !theirs[i]) return;
      const values = Object.values(theirs[i]!).flat();
      eq(`${which} RDN ${i} (${rdn[0]!.oid})`, [rdn[0]!.value], values);
    });
  }
  // Our serialNumber is the INTEGER's content octets, sign byte included ("00" before a first byte
  // of 0x80 or more); @peculiar/x509 drops that byte. Same number, different spelling.
  eq("serial", ours.serialNumber.replace(/^00(?=[89a-f])/, ""), c.serialNumber.toLowerCase());
  eq("notBefore", ours.notBefore.getTime(), c.notBefore.getTime());
  eq("notAfter", ours.notAfter.getTime(), c.notAfter.getTime());
  // @peculiar/x509 throws reading a key it cannot decode (x509-limbo invalid::invalid-issuer-key:
  // an rsaEncryption SPKI whose BIT STRING is empty: "Input buffer has zero length"); we keep
  // the SPKI bytes and report the key as 0 bits. Nothing to compare there.
  let spki: ArrayBuffer | null = null;
  try {
    spki = c.publicKey.rawData;
  } catch {
    spki = null;
  }
  if (spki) eq("SubjectPublicKeyInfo", hex(ours.frame.spki), hex(spki));
  type Sig = { name?: string; hash?: { name?: string } };
  let sig: Sig | null = null;
  try {
    sig = c.signatureAlgorithm as Sig;
  } catch {
    sig = null; // an algorithm @peculiar/x509 has no WebCrypto name for
  }
  if (sig?.name && SIG_NAMES[ours.signatureAlgorithm.key]) {
    eq("signature algorithm", SIG_NAMES[ours.signatureAlgorithm.key], sig.name);
    if (sig.hash?.name && ours.signatureAlgorithm.key !== "RSA-PSS") eq("signature hash", ours.signatureAlgorithm.hash, sig.hash.name);
  }
  eq(
    "extension OIDs",
    ours.extensions.map((e) => e.oid),
    c.extensions.map((e) => e.type),
  );
  ours.extensions.forEach((e, i) => {
    const t = c.extensions[i];
    if (!t || t.type !== e.oid) return;
    eq(`${e.oid} critical`, e.critical, t.critical);
    eq(`${e.oid} value`, hex(e.value), hex(t.value));
  });
  // Decoded values: the first extension of each type (a duplicate is our anomaly), when ours decoded it.
  const first = <T extends x509.Extension>(type: new (...a: never[]) => T) => c.extensions.find((e) => e instanceof type) as T | undefined;
  if (ours.anomalies.includes("bad-extension-value") || ours.anomalies.includes("duplicate-extension")) return diffs;
  const bc = first(x509.BasicConstraintsExtension);
  if (bc && ours.basicConstraints)
    eq("basicConstraints", { ca: ours.basicConstraints.ca, pathLen: ours.basicConstraints.pathLen }, { ca: bc.ca, pathLen: bc.pathLength });
  const ku = first(x509.KeyUsagesExtension);
  if (ku && ours.keyUsage)
    eq(
      "keyUsage",
      ours.keyUsage,
      KEY_USAGE_FLAGS.filter(([f]) => ku.usages & f).map(([, n]) => n),
    );
  const eku = first(x509.ExtendedKeyUsageExtension);
  if (eku && ours.extendedKeyUsage)
    eq(
      "extKeyUsage",
      ours.extendedKeyUsage,
      eku.usages.map((u) => EKU_NAMES[String(u)] ?? String(u)),
    );
  const ski = first(x509.SubjectKeyIdentifierExtension);
  if (ski && ours.subjectKeyId !== undefined) eq("subjectKeyIdentifier", ours.subjectKeyId, ski.keyId.toLowerCase());
  const aki = first(x509.AuthorityKeyIdentifierExtension);
  if (aki && ours.authorityKeyId) eq("authorityKeyIdentifier keyId", ours.authorityKeyId.keyId, aki.keyId?.toLowerCase());
  const san = first(x509.SubjectAlternativeNameExtension);
  if (san && ours.subjectAltNames) {
    // IA5String values with bytes above 0x7F (which IA5 does not have, and Go refuses: "x509: SAN
    // dNSName is malformed"): both read one character per byte (ours by encoding/latin1.ts; it was
    // TextDecoder("latin1"), windows-1252, before session 8) (x509-limbo has one: dNSName
    // F0 9F 98 9C ".example.com"). Such values are compared as bytes.
    const kinds: Record<string, string> = { dns: "dns", email: "email", uri: "url" };
    const latin1 = (v: string) => hex(Uint8Array.from(v, (ch) => ch.charCodeAt(0)));
    const oursSan = ours.subjectAltNames
      .filter((n) => kinds[n.type])
      .map((n) => `${kinds[n.type]}:${n.raw.some((b) => b > 0x7f) ? `#${hex(n.raw)}` : n.value}`);
    const theirsSan = san.names.items
      .filter((n) => ["dns", "email", "url"].includes(n.type))
      .map((n) => `${n.type}:${[...n.value].some((ch) => ch.charCodeAt(0) > 0x7f) ? `#${latin1(n.value)}` : n.value}`);
    eq("subjectAltName (dns, email, uri)", oursSan, theirsSan);
  }
  return diffs;
}

interface Tally {
  both: number;
  onlyOurs: number;
  onlyTheirs: number;
  neither: number;
  diffs: string[];
}

async function differential(ders: Uint8Array[]): Promise<Tally> {
  const tally: Tally = { both: 0, onlyOurs: 0, onlyTheirs: 0, neither: 0, diffs: [] };
  for (const der of ders) {
    let ours: Cert | null = null;
    try {
      ours = await parseCertificate(der, digest);
    } catch (e) {
      if (!(e instanceof CertParseError)) throw e;
    }
    let theirs: x509.X509Certificate | null = null;
    try {
      theirs = new x509.X509Certificate(der as Uint8Array<ArrayBuffer>);
      void theirs.extensions;
    } catch {
      theirs = null;
    }
    if (ours && theirs) {
      tally.both++;
      let d: string[];
      try {
        d = compare(ours, theirs);
      } catch (e) {
        d = [`@peculiar/x509 threw reading a field: ${e instanceof Error ? e.stack?.split("\n").slice(0, 4).join(" ") : e}`];
      }
      for (const x of d) tally.diffs.push(`${ours.id}: ${x}`);
    } else if (ours) tally.onlyOurs++;
    else if (theirs) tally.onlyTheirs++;
    else tally.neither++;
  }
  return tally;
}

it("fixtures and the committed x509-limbo subset: both readers agree on every certificate both read", async () => {
  const subset = JSON.parse(readFileSync(join(ROOT, "test/conformance/limbo-subset.json"), "utf8"));
  const ders = [...fixtureCerts(), ...limboCerts(subset).flatMap(pemCerts)];
  expect(ders.length).toBeGreaterThan(300);
  const t = await differential(ders);
  expect(t.diffs).toEqual([]);
  expect(t.both).toBeGreaterThan(300);
}, 60_000);

const suitePath = process.env.LIMBO ?? join(ROOT, "..", "shared", "conformance", "limbo.json.gz");
describeWithTool(
  "the x509-limbo suite",
  existsSync(suitePath),
  `put limbo.json.gz at ${suitePath} or set LIMBO`,
)("x509-limbo, the whole suite", () => {
  it(`${process.env.DIFF_FULL === "1" ? "every" : "every 10th distinct"} certificate: both readers agree where both read it`, async () => {
    const all = limboCerts(JSON.parse(gunzipSync(readFileSync(suitePath)).toString("utf8")));
    const pems = process.env.DIFF_FULL === "1" ? all : all.filter((_, i) => i % 10 === 0);
    const t = await differential(pems.flatMap(pemCerts));
    console.log(
      `reader differential over ${pems.length} x509-limbo certificates: both read ${t.both}, only ours ${t.onlyOurs}, only @peculiar/x509 ${t.onlyTheirs}, neither ${t.neither}`,
    );
    expect(t.diffs.slice(0, 20)).toEqual([]);
    expect(t.both).toBeGreaterThan(pems.length * 0.9);
  }, 300_000);
});
