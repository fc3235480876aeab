// The hand-written PKCS#10 reader (src/core/cluster/csr-der.ts, csr-signature.ts) against outside
// readers of the same DER: every CSR of the fixtures, CSRs openssl makes here (RSA, RSA-PSS,
// P-256, P-384, P-521, Ed25519, SHA-1, SANs of every kind, multi-valued RDNs, repeated CN and O,
// UTF8String, PrintableString, BMPString and T61String names, challengePassword, no
// extensionRequest) and crafted DER (signed here with WebCrypto, so that a request Go reads is also
// one whose signature Go can check), and 2,000 byte-level mutations of real requests
// (CSR_MUTANTS=20000 for more; the keys are new in each run, so each run is another sample).
// The expectations:
// - Go (test/oracles/csr: pem.Decode + x509.ParseCertificateRequest as kubernetes
//   pkg/apis/certificates/helpers.go ParseCSR runs them, CheckSignature as validation.go
//   validateCSR calls it): whether the request is read at all, CN, O, the SANs, the SPKI hash and
//   the signature verdict (ok: true; Go's "algorithm unimplemented" or "insecure algorithm": null;
//   any other error: false);
// - `openssl req -verify` for the signature and `openssl req -subject -nameopt RFC2253,-esc_msb`
//   for the subject's text;
// - @peculiar/x509 (a devDependency, the reader this one replaced) for what both expose: the
//   subject DER, every CN and O, the SANs, the SPKI DER, each requested extension's OID,
//   criticality and value, and the signature where it checks one.
// Disagreements that are theirs are listed in THEIRS with a minimal reproducer.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { afterAll, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { CsrParseError, parseCsr, type Csr } from "../../src/core/cluster/csr-der.ts";
import { checkCsrSignature } from "../../src/core/cluster/csr-signature.ts";
import { children, concatBytes, encodeTlv, readTlv, toHex } from "../../src/core/encoding/der.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { goCsrs } from "../core/helpers/go-csr.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(der)
    .toString("base64")
    .match(/.{1,64}/g)!
    .join("\n")}\n-----END CERTIFICATE REQUEST-----\n`;
const derOf = (text: string) => new Uint8Array(Buffer.from(text.replace(/-----[^-]+-----|\s/g, ""), "base64"));
const sha256 = async (b: Uint8Array) => toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", b as BufferSource)));

/** The fixture's requests (test/fixtures/k8s-objects/csr/objects.yaml, made by make-csr.sh). */
function fixtureCsrs(): [string, Uint8Array][] {
  const text = readFileSync(join(ROOT, "test/fixtures/k8s-objects/csr/objects.yaml"), "utf8");
  return parseAllDocuments(text).map((d) => {
    const o = d.toJS() as { metadata: { name: string }; spec: { request: string } };
    return [`fixture ${o.metadata.name}`, derOf(Buffer.from(o.spec.request, "base64").toString("utf8"))];
  });
}

const dir = mkdtempSync(join(tmpdir(), "csr-diff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[], input?: string): string {
  const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8", input });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

const CONFIG = `
[ req ]
distinguished_name = dn
attributes = attrs
string_mask = utf8only
[ dn ]
[ attrs ]
challengePassword = secret-1234
[ sans ]
subjectAltName = DNS:node-1, DNS:*.example.com, IP:10.0.0.11, IP:2001:db8::1, IP:::ffff:10.0.0.12, email:a@example.com, URI:spiffe://cluster.local/ns/a/sa/b
keyUsage = critical, digitalSignature, keyEncipherment
basicConstraints = CA:FALSE
[ one ]
subjectAltName = DNS:only.example
`;

/** Keys openssl makes once. */
const KEYS: Record<string, string[]> = {
  rsa: ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
  "rsa-pss": ["genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
  p256: ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
  p224: ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-224"],
  p384: ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
  p521: ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
  ed25519: ["genpkey", "-algorithm", "ed25519"],
  dsa: ["genpkey", "-paramfile", "dsa.param"],
};

/** name, key, subject, extra `openssl req` arguments. */
const REQUESTS: [string, string, string, string[]][] = [
  ["rsa sha256, every SAN kind", "rsa", "/O=system:nodes/CN=system:node:n1", ["-reqexts", "sans"]],
  ["rsa sha1", "rsa", "/CN=legacy", ["-sha1"]],
  ["rsa md5", "rsa", "/CN=md5", ["-md5"]],
  ["dsa", "dsa", "/CN=dsa", []],
  ["rsa sha384, one SAN", "rsa", "/CN=x", ["-sha384", "-reqexts", "one"]],
  ["rsa sha512", "rsa", "/CN=x", ["-sha512"]],
  ["rsa key, PSS salt = hash", "rsa", "/CN=pss", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"]],
  [
    "rsa key, PSS sha384 salt = hash",
    "rsa",
    "/CN=pss",
    ["-sha384", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"],
  ],
  ["rsa key, PSS salt 20", "rsa", "/CN=pss", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:20"]],
  ["rsa key, PSS max salt", "rsa", "/CN=pss", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:max"]],
  ["RSA-PSS key", "rsa-pss", "/CN=pss-key", []],
  ["p256, every SAN kind", "p256", "/CN=a/CN=b/O=o1/O=o2/O=o3", ["-reqexts", "sans"]],
  ["p256 sha1", "p256", "/CN=ec-sha1", ["-sha1"]],
  ["p224 sha256", "p224", "/CN=p224", []],
  ["p384 sha384", "p384", "/CN=p384", ["-sha384"]],
  ["p521 sha512", "p521", "/CN=p521", ["-sha512"]],
  ["ed25519", "ed25519", "/CN=ed/O=system:masters", ["-reqexts", "sans"]],
  ["multi-valued RDNs", "p256", "/CN=a+O=b/O=c+OU=d+CN=e", ["-multivalue-rdn"]],
  ["UTF8String, non-ASCII", "p256", "/CN=Jürgen Ω 日本/O=Äbc", ["-utf8"]],
  ["escapes", "p256", '/CN=a\\,b+c;d<e>"f\\/g/O= lead#', ["-utf8"]],
  ["no extensionRequest", "p256", "/CN=plain", []],
  ["empty subject, SAN only", "p256", "/", ["-reqexts", "one"]],
];

/** The string masks of `-config`: PrintableString where it can, else T61String or BMPString ("default"), or PrintableString / BMPString ("nombstr" is not them). */
const MASKED: [string, string, string][] = [
  ["PrintableString and T61String (mask default)", "default", "/CN=plain text/O=Müller"],
  ["BMPString (mask default, characters past U+00FF)", "default", "/CN=Ωmega 日本"],
  ["BMPString only (mask MASK:0x800)", "MASK:0x800", "/CN=system:node:n1/O=system:nodes"],
];

async function opensslCsrs(): Promise<[string, Uint8Array][]> {
  writeFileSync(join(dir, "req.cnf"), CONFIG);
  openssl(["genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024", "-out", "dsa.param"]);
  for (const [k, args] of Object.entries(KEYS)) openssl([...args, "-out", `${k}.key`]);
  const out: [string, Uint8Array][] = [];
  for (const [name, key, subj, extra] of REQUESTS)
    out.push([name, derOf(openssl(["req", "-new", "-config", "req.cnf", "-key", `${key}.key`, "-subj", subj, ...extra]))]);
  for (const [name, mask, subj] of MASKED) {
    writeFileSync(join(dir, "mask.cnf"), CONFIG.replace("string_mask = utf8only", `string_mask = ${mask}`));
    out.push([name, derOf(openssl(["req", "-new", "-utf8", "-config", "mask.cnf", "-key", "p256.key", "-subj", subj]))]);
  }
  return out;
}

// ---- crafted DER, signed here ------------------------------------------------------------------

const tlv = (tag: number, ...parts: Uint8Array[]) => encodeTlv(tag, concatBytes(...parts));
const oid = (dotted: string) => {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [a! * 40 + b!];
  for (const n of rest) {
    const arc = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) arc.unshift((v & 0x7f) | 0x80);
    bytes.push(...arc);
  }
  return encodeTlv(0x06, Uint8Array.from(bytes));
};
const str = (tag: number, s: string | Uint8Array) => encodeTlv(tag, typeof s === "string" ? new TextEncoder().encode(s) : s);
const atv = (type: string, value: Uint8Array) => tlv(0x31, tlv(0x30, oid(type), value));
const ECDSA_SHA256 = tlv(0x30, oid("1.2.840.10045.4.3.2"));
const V0 = Uint8Array.of(0x02, 0x01, 0x00);
const NAME = tlv(0x30, atv("2.5.4.10", str(0x0c, "system:nodes")), atv("2.5.4.3", str(0x0c, "system:node:n1")));
const ext = (id: string, value: Uint8Array, critical?: Uint8Array) => tlv(0x30, oid(id), ...(critical ? [critical] : []), str(0x04, value));
const san = (...names: Uint8Array[]) => ext("2.5.29.17", tlv(0x30, ...names));
const extReq = (...exts: Uint8Array[]) => tlv(0x30, oid("1.2.840.113549.1.9.14"), tlv(0x31, tlv(0x30, ...exts)));
const attrs = (...a: Uint8Array[]) => tlv(0xa0, ...a);

/** ECDSA r||s (WebCrypto) as the DER Ecdsa-Sig-Value. */
function sigDer(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return encodeTlv(0x02, v[0]! & 0x80 ? concatBytes(Uint8Array.of(0), v) : v);
  };
  return tlv(0x30, int(raw.subarray(0, 32)), int(raw.subarray(32)));
}

async function craftedCsrs(): Promise<[string, Uint8Array][]> {
  const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", keys.publicKey));
  const sign = async (tbs: Uint8Array) =>
    sigDer(new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, tbs as BufferSource)));
  /** A request over these TBS fields, signed; `outer` wraps differently. */
  const req = async (fields: Uint8Array[], o: { alg?: Uint8Array; after?: Uint8Array; sigBits?: Uint8Array } = {}) => {
    const tbs = tlv(0x30, ...fields);
    const sig = o.sigBits ?? tlv(0x03, Uint8Array.of(0), await sign(tbs));
    return tlv(0x30, tbs, o.alg ?? ECDSA_SHA256, sig, ...(o.after ? [o.after] : []));
  };
  const good = await req([V0, NAME, spki, attrs(extReq(san(str(0x82, "node-1"), str(0x87, Uint8Array.of(10, 0, 0, 1)))))]);
  const cut = (b: Uint8Array, n: number) => b.subarray(0, b.length - n);
  // The same request with its outer length raised by one and a byte added: BER's indefinite
  // length cannot be written with encodeTlv, so it is patched in.
  const indefinite = concatBytes(Uint8Array.of(0x30, 0x80), good.subarray(readTlv(good, 0).contentStart), Uint8Array.of(0, 0));
  const rsaNoNull = (() => {
    // An rsaEncryption SPKI without its NULL parameters (parsePublicKey: "x509: RSA key missing NULL parameters").
    const rsaKey = derOf(openssl(["pkey", "-in", "rsa.key", "-pubout"]));
    const [, bits] = children(rsaKey, readTlv(rsaKey, 0));
    return tlv(0x30, tlv(0x30, oid("1.2.840.113549.1.1.1")), rsaKey.subarray(bits!.start, bits!.end));
  })();
  /** openssl's request with the last byte of its signature changed. */
  const tampered = (key: string) => {
    const d = derOf(openssl(["req", "-new", "-config", "req.cnf", "-key", `${key}.key`, "-subj", "/CN=t"]));
    d[d.length - 1]! ^= 1;
    return d;
  };
  return [
    ["crafted: RSA signature changed", tampered("rsa")],
    ["crafted: Ed25519 signature changed", tampered("ed25519")],
    ["crafted: P-384 signature changed", tampered("p384")],
    ["crafted: well-formed", good],
    ["crafted: truncated", cut(good, 1)],
    ["crafted: trailing data", concatBytes(good, Uint8Array.of(0, 0))],
    ["crafted: indefinite length", indefinite],
    ["crafted: outer SET", concatBytes(Uint8Array.of(0x31), good.subarray(1))],
    ["crafted: version 1", await req([Uint8Array.of(0x02, 0x01, 0x01), NAME, spki, attrs()])],
    ["crafted: version 7", await req([Uint8Array.of(0x02, 0x01, 0x07), NAME, spki, attrs()])],
    ["crafted: version not minimal", await req([Uint8Array.of(0x02, 0x02, 0x00, 0x00), NAME, spki, attrs()])],
    ["crafted: version an OCTET STRING", await req([Uint8Array.of(0x04, 0x01, 0x00), NAME, spki, attrs()])],
    ["crafted: no attributes", await req([V0, NAME, spki])],
    ["crafted: attributes a SET, not [0]", await req([V0, NAME, spki, tlv(0x31)])],
    ["crafted: subject a SET", await req([V0, tlv(0x31), spki, attrs()])],
    ["crafted: subject RDN a SEQUENCE", await req([V0, tlv(0x30, tlv(0x30, tlv(0x30, oid("2.5.4.3"), str(0x0c, "x")))), spki, attrs()])],
    ["crafted: PrintableString with @", await req([V0, tlv(0x30, atv("2.5.4.3", str(0x13, "a@b"))), spki, attrs()])],
    ["crafted: PrintableString with * and &", await req([V0, tlv(0x30, atv("2.5.4.3", str(0x13, "*.a&b"))), spki, attrs()])],
    ["crafted: UTF8String not UTF-8", await req([V0, tlv(0x30, atv("2.5.4.3", str(0x0c, Uint8Array.of(0xc3, 0x28)))), spki, attrs()])],
    [
      "crafted: CN as an OCTET STRING",
      await req([V0, tlv(0x30, atv("2.5.4.3", str(0x04, "x")), atv("2.5.4.3", str(0x0c, "y"))), spki, attrs()]),
    ],
    [
      "crafted: CN as a UniversalString",
      await req([V0, tlv(0x30, atv("2.5.4.3", str(0x1c, Uint8Array.of(0, 0, 0, 0x41)))), spki, attrs()]),
    ],
    ["crafted: odd BMPString", await req([V0, tlv(0x30, atv("2.5.4.3", str(0x1e, Uint8Array.of(0, 0x41, 0)))), spki, attrs()])],
    ["crafted: fields after attributes", await req([V0, NAME, spki, attrs(), Uint8Array.of(0xff, 0xff, 0xff)])],
    ["crafted: elements after the signature", await req([V0, NAME, spki, attrs()], { after: Uint8Array.of(0x05, 0x00) })],
    [
      "crafted: bad attributes ignored",
      await req([
        V0,
        NAME,
        spki,
        attrs(
          tlv(0x30, oid("1.2.840.113549.1.9.7"), str(0x0c, "not a SET")),
          tlv(0x30, oid("1.2.840.113549.1.9.14"), tlv(0x31)),
          str(0x02, Uint8Array.of(1)),
          tlv(0x30, str(0x0c, "no OID"), tlv(0x31, str(0x0c, "x"))),
        ),
      ]),
    ],
    [
      "crafted: extensionRequest not a SEQUENCE",
      await req([V0, NAME, spki, attrs(tlv(0x30, oid("1.2.840.113549.1.9.14"), tlv(0x31, V0)))]),
    ],
    ["crafted: extension requested twice", await req([V0, NAME, spki, attrs(extReq(san(str(0x82, "a")), san(str(0x82, "b"))))])],
    [
      "crafted: two extensionRequests",
      await req([V0, NAME, spki, attrs(extReq(san(str(0x82, "a"))), extReq(ext("2.5.29.19", tlv(0x30))))]),
    ],
    [
      "crafted: critical BOOLEAN 0x01",
      await req([V0, NAME, spki, attrs(extReq(ext("2.5.29.17", tlv(0x30, str(0x82, "a")), Uint8Array.of(1, 1, 1))))]),
    ],
    ["crafted: critical TRUE", await req([V0, NAME, spki, attrs(extReq(ext("2.5.29.19", tlv(0x30), Uint8Array.of(1, 1, 0xff))))])],
    ["crafted: SAN IP of 5 bytes", await req([V0, NAME, spki, attrs(extReq(san(str(0x87, Uint8Array.of(1, 2, 3, 4, 5)))))])],
    ["crafted: SAN DNS not ASCII", await req([V0, NAME, spki, attrs(extReq(san(str(0x82, "né.example"))))])],
    ["crafted: SAN not a SEQUENCE", await req([V0, NAME, spki, attrs(extReq(ext("2.5.29.17", tlv(0x31))))])],
    [
      "crafted: SAN with other names",
      await req([V0, NAME, spki, attrs(extReq(san(tlv(0xa4, NAME), str(0x88, oid("1.2.3").subarray(2)), str(0x82, "x"))))]),
    ],
    ["crafted: SAN URI", await req([V0, NAME, spki, attrs(extReq(san(str(0x86, "https://a.example/p?q=1"))))])],
    ["crafted: RSA key without NULL", await req([V0, NAME, rsaNoNull, attrs()])],
    ["crafted: unknown signature algorithm", await req([V0, NAME, spki, attrs()], { alg: tlv(0x30, oid("1.2.3.4")) })],
    ["crafted: ecdsa-with-SHA224", await req([V0, NAME, spki, attrs()], { alg: tlv(0x30, oid("1.2.840.10045.4.3.1")) })],
    [
      "crafted: RSA algorithm, EC key",
      await req([V0, NAME, spki, attrs()], { alg: tlv(0x30, oid("1.2.840.113549.1.1.11"), Uint8Array.of(5, 0)) }),
    ],
    ["crafted: signature with an unused bit", await req([V0, NAME, spki, attrs()], { sigBits: Uint8Array.of(0x03, 0x02, 0x01, 0x00) })],
    ["crafted: signature padding bit set", await req([V0, NAME, spki, attrs()], { sigBits: Uint8Array.of(0x03, 0x02, 0x01, 0x01) })],
    ["crafted: empty signature", await req([V0, NAME, spki, attrs()], { sigBits: Uint8Array.of(0x03, 0x00) })],
    // 2.5.4.3 with its third arc written 0x80 0x04 (encoding/asn1 parseBase128Int: "integer is not minimally encoded").
    [
      "crafted: OID arc not minimal",
      await req([V0, tlv(0x30, tlv(0x31, tlv(0x30, Uint8Array.of(6, 4, 0x55, 0x80, 4, 3), str(0x0c, "x")))), spki, attrs()]),
    ],
  ];
}

// ---- the comparison ----------------------------------------------------------------------------

interface Ours {
  csr: Csr | null;
  error: string | null;
  signature: boolean | null;
  /** Why the signature is not true, in Go's or WebCrypto's words. */
  why?: string;
  spkiSha256: string;
}

async function ours(der: Uint8Array): Promise<Ours> {
  let csr: Csr;
  try {
    csr = parseCsr(der);
  } catch (e) {
    if (e instanceof CsrParseError) return { csr: null, error: e.message, signature: null, spkiSha256: "" };
    throw e; // a programming error fails the test
  }
  const spkiSha256 = await sha256(csr.spki);
  const { valid, why } = await checkCsrSignature(csr, spkiSha256, crypto.subtle);
  return { csr, error: null, signature: valid, ...(why ? { why } : {}), spkiSha256 };
}

/** Go's CheckSignature error as the report's tri-state. */
const goVerdict = (s: string) => (s === "ok" ? true : /algorithm unimplemented|insecure algorithm/.test(s) ? null : false);

/**
 * Where @peculiar/x509 is wrong and Go (so the report) is right, by case name and field; each a
 * minimal reproducer in the case list above.
 */
const THEIRS: Record<string, string> = {
  // net.IP String (Go) prints an IPv4-mapped IPv6 address (::ffff:10.0.0.12) as IPv4; @peculiar/x509 as IPv6.
  "rsa sha256, every SAN kind | @peculiar/x509 | SANs": "IPv4-mapped address printed as IPv6",
  "p256, every SAN kind | @peculiar/x509 | SANs": "IPv4-mapped address printed as IPv6",
  "ed25519 | @peculiar/x509 | SANs": "IPv4-mapped address printed as IPv6",
  // pkix.Name.FillFromRDNSequence takes only values encoding/asn1 reads as strings (Go's CN is "y" and "" here).
  "crafted: CN as an OCTET STRING | @peculiar/x509 | every CN": "an OCTET STRING CN counted, as hex",
  "crafted: CN as a UniversalString | @peculiar/x509 | every CN": "a UniversalString CN counted",
  // encoding/asn1 leaves what follows a SEQUENCE's last field unread; parseCSRExtensions ignores attributes it cannot read.
  "crafted: fields after attributes | @peculiar/x509 | read": "refuses bytes after the attributes, which Go ignores",
  "crafted: bad attributes ignored | @peculiar/x509 | read": "refuses an attribute Go ignores",
  // parseCSRExtensions reads every extensionRequest attribute, not only the first.
  "crafted: two extensionRequests | @peculiar/x509 | extensions": "reads only the first extensionRequest",
  // parseT61String keeps the bytes (0xFC for ü here: Go's string is not UTF-8, JSON shows U+FFFD); @peculiar/x509 reads Latin-1.
  "PrintableString and T61String (mask default) | @peculiar/x509 | every O": "a T61String read as Latin-1, not as Go's bytes",
  // Go's checkSignature answers with an error (key mismatch; a right-aligned signature that fails); @peculiar/x509 throws.
  "crafted: RSA algorithm, EC key | @peculiar/x509 | signature": "throws DataError instead of failing the check",
  "crafted: signature with an unused bit | @peculiar/x509 | signature": "throws instead of failing the check",
};

/** Where the report says null (not checked) for a signature Go checks: an algorithm WebCrypto does not offer. */
const UNCHECKED: Record<string, string> = {
  "p224 sha256 | Go | signature": "WebCrypto has no P-224 (Go verifies it; the report does not guess)",
};

const OPENSSL_UNREAD = [
  "crafted: CN as an OCTET STRING",
  "crafted: fields after attributes",
  "crafted: elements after the signature",
  "crafted: bad attributes ignored",
];

const withTools = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");

withTools("every CSR, read by csr-der.ts, Go, openssl and @peculiar/x509", () => {
  it("agree on what each exposes", { timeout: 300_000 }, async () => {
    const cases = [...fixtureCsrs(), ...(await opensslCsrs()), ...(await craftedCsrs())];
    const go = goCsrs(cases.map(([name, der]) => ({ name, request: pem(der), certificate: "", at: "2026-11-01T00:00:00Z" })));
    if (!go) return;
    const diffs: string[] = [];
    const opensslUnread: string[] = [];
    const seen = { parsed: 0, refused: 0, valid: 0, invalid: 0, unchecked: 0 };
    for (const [i, [name, der]] of cases.entries()) {
      const g = go[i]!;
      const o = await ours(der);
      const eq = (what: string, a: unknown, b: unknown, who = "Go") => {
        if (
          JSON.stringify(a) !== JSON.stringify(b) &&
          THEIRS[`${name} | ${who} | ${what}`] === undefined &&
          UNCHECKED[`${name} | ${who} | ${what}`] === undefined
        )
          diffs.push(`${name}: ${what}: ours ${JSON.stringify(a)}, ${who} ${JSON.stringify(b)}`);
      };
      if ((o.error === null) !== (g.parse === "ok")) diffs.push(`${name}: read: ours ${o.error ?? "ok"}, Go ${g.parse}`);
      if (!o.csr || g.parse !== "ok") {
        seen.refused++;
        continue;
      }
      seen.parsed++;
      const c = o.csr;
      eq("CN", c.commonNames.at(-1) ?? "", g.commonName);
      eq("O", c.organizations, g.organization);
      eq("DNS", c.dnsNames, g.dnsNames);
      eq("IP", c.ipAddresses, g.ipAddresses);
      eq("email", c.emails, g.emails);
      eq("URI", c.uris, g.uris);
      eq("SPKI sha256", o.spkiSha256, g.spkiSha256);
      eq("signature", o.signature, goVerdict(g.signature));
      seen[o.signature === true ? "valid" : o.signature === false ? "invalid" : "unchecked"]++;

      // openssl: the signature (where Go checks it) and the subject's text.
      const file = join(dir, "case.csr");
      writeFileSync(file, pem(der));
      const v = spawnSync("openssl", ["req", "-in", file, "-verify", "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb"], {
        encoding: "utf8",
      });
      const words = `${v.stdout}${v.stderr}`;
      // "verify failure", or an error of ASN1_item_verify (crypto/asn1/a_verify.c: wrong public key
      // type, invalid bit string bits left, unknown signature algorithm) before any arithmetic.
      const verdict = /verify OK/.test(words) ? true : /verify failure|a_verify\.c/.test(words) ? false : null;
      if (verdict === null) opensslUnread.push(name);
      else if (o.signature !== null) eq("signature", o.signature, verdict, "openssl");
      const subject = /^subject=(.*)$/m.exec(v.stdout)?.[1];
      if (subject !== undefined) eq("subject text", c.subject, subject, "openssl");

      // @peculiar/x509: what it exposes, where it reads the request.
      let p: x509.Pkcs10CertificateRequest;
      try {
        p = new x509.Pkcs10CertificateRequest(der as BufferSource);
      } catch (e) {
        eq("read", "ok", `refused (${(e as Error).message})`, "@peculiar/x509");
        continue;
      }
      eq("subject DER", toHex(c.subjectDer), toHex(new Uint8Array(p.subjectName.toArrayBuffer())), "@peculiar/x509");
      eq("every CN", c.commonNames, p.subjectName.getField("CN"), "@peculiar/x509");
      eq("every O", c.organizations, p.subjectName.getField("O"), "@peculiar/x509");
      eq("SPKI DER", toHex(c.spki), toHex(new Uint8Array(p.publicKey.rawData)), "@peculiar/x509");
      eq(
        "extensions",
        c.extensions.map((e) => [e.oid, e.critical, toHex(e.value)]),
        p.extensions.map((e) => [e.type, e.critical, toHex(new Uint8Array(e.value))]),
        "@peculiar/x509",
      );
      const sanExt = p.getExtension("2.5.29.17");
      const names = sanExt instanceof x509.SubjectAlternativeNameExtension ? sanExt.names.items : [];
      const of = (t: string) => names.filter((n) => n.type === t).map((n) => n.value);
      eq("SANs", [c.dnsNames, c.ipAddresses, c.emails, c.uris], [of("dns"), of("ip"), of("email"), of("url")], "@peculiar/x509");
      if (o.signature !== null) {
        const theirs = await p.verify(crypto).catch((e: Error) => `threw ${e.name}`);
        eq("signature", o.signature, theirs, "@peculiar/x509");
      }
    }
    expect(diffs).toEqual([]);
    // Requests Go reads and OpenSSL 3 does not load at all (`openssl req`: "Unable to load X509
    // request"): OpenSSL reads the structure by its ASN.1 templates (crypto/asn1/tasn_dec.c), which
    // allow nothing after a SEQUENCE's last field ("sequence length mismatch"), no attribute
    // without a SET of values, and only string types as a name's values (ASN1_PRINTABLE "mstring
    // wrong tag"); Go's encoding/asn1 leaves what follows the last field unread, parseCSRExtensions
    // ignores an attribute it cannot read, and a name's value may be of any type. The report follows Go.
    expect(opensslUnread).toEqual(OPENSSL_UNREAD);
    // The cases cover what they claim: requests Go reads and refuses, signatures good, bad and unchecked.
    expect(Object.values(seen).every((n) => n > 0)).toBe(true);
    expect(cases.length).toBeGreaterThan(60);
  });

  it("agree on byte-level mutations of real requests (a fixed pseudo-random sample)", { timeout: 300_000 }, async () => {
    const bases = [...fixtureCsrs().slice(0, 4), ...(await opensslCsrs()).slice(0, 12)].map(([, d]) => d);
    let seed = 13; // mulberry32: the same sample in every run
    const rand = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const mutants: [string, Uint8Array][] = [];
    for (let i = 0; i < Number(process.env.CSR_MUTANTS ?? 2000); i++) {
      const base = bases[i % bases.length]!;
      const at = rand(base.length);
      const kind = rand(4);
      let m: Uint8Array;
      if (kind === 0) m = concatBytes(base.subarray(0, at), base.subarray(at + 1));
      else if (kind === 1) m = concatBytes(base.subarray(0, at), Uint8Array.of(rand(256)), base.subarray(at));
      else {
        m = base.slice();
        m[at] = kind === 2 ? m[at]! ^ (1 << rand(8)) : rand(256);
      }
      mutants.push([`mutant ${i} (${["delete", "insert", "flip", "set"][kind]} at ${at})`, m]);
    }
    const go = goCsrs(mutants.map(([name, der]) => ({ name, request: pem(der), certificate: "", at: "2026-11-01T00:00:00Z" })));
    if (!go) return;
    const diffs: string[] = [];
    let read = 0;
    for (const [i, [name, der]] of mutants.entries()) {
      const g = go[i]!;
      const o = await ours(der);
      if ((o.error === null) !== (g.parse === "ok")) {
        diffs.push(`${name}: read: ours ${o.error ?? "ok"}, Go ${g.parse} [${toHex(der)}]`);
        continue;
      }
      if (!o.csr) continue;
      read++;
      const got = [o.csr.commonNames.at(-1) ?? "", o.csr.organizations, o.csr.dnsNames, o.csr.ipAddresses, o.csr.emails, o.csr.uris];
      const want = [g.commonName, g.organization, g.dnsNames, g.ipAddresses, g.emails, g.uris];
      if (JSON.stringify(got) !== JSON.stringify(want))
        diffs.push(`${name}: fields: ours ${JSON.stringify(got)}, Go ${JSON.stringify(want)}`);
      if (o.spkiSha256 !== g.spkiSha256) diffs.push(`${name}: SPKI`);
      // A damaged key Go takes and WebCrypto refuses to import (an even RSA modulus or exponent):
      // Go's check then fails; the report says it could not check (null), which is what happened.
      const unimported = o.signature === null && goVerdict(g.signature) === false && /could not import/.test(o.why ?? "");
      if (o.signature !== goVerdict(g.signature) && !unimported)
        diffs.push(`${name}: signature: ours ${o.signature} (${o.why}), Go ${g.signature} [${toHex(der)}]`);
    }
    expect(diffs).toEqual([]);
    expect(read).toBeGreaterThan(50); // mutations inside names and signatures still read
  });
});
