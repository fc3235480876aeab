// Subject and issuer strings against OpenSSL: every expectation is what
// `openssl x509 -noout -subject -nameopt RFC2253,-esc_msb` prints for the same certificate
// (RFC 4514 order and escapes, OpenSSL short names, `OID=#hex` for unknown types; -esc_msb keeps
// UTF-8 characters instead of \XX byte escapes). Certificates come from `openssl req -subj`
// (multi-valued RDNs, escapes, every named attribute type) and from hand-built DER for what
// `openssl req` cannot write (unknown OIDs, non-string values, BMPString, empty RDNs, dirName SANs).
// Under CI=true a missing openssl fails the test instead of skipping it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { concatBytes, encodeTlv } from "../../src/core/encoding/der.ts";
import { parseCertificate } from "../../src/core/x509/cert.ts";
import { parseName } from "../../src/core/x509/names.ts";
import { formatRdns } from "../../src/core/x509/name-format.ts";
import { readTlv } from "../../src/core/encoding/der.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";

const HAVE_OPENSSL = toolWorks("openssl", ["version"]);
const withOpenssl = describeWithTool("openssl", HAVE_OPENSSL, "apt-get install openssl");

const dir = mkdtempSync(join(tmpdir(), "certaudit-names-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));

function opensslSubject(der: Uint8Array, field: "-subject" | "-issuer" = "-subject"): string {
  const f = join(dir, `c${Math.random().toString(36).slice(2)}.der`);
  writeFileSync(f, der);
  const out = execFileSync("openssl", ["x509", "-inform", "DER", "-in", f, "-noout", field, "-nameopt", "RFC2253,-esc_msb"], {
    encoding: "utf8",
  });
  return out.replace(/\n$/, "").replace(/^(subject|issuer)=/, "");
}

function reqCert(subj: string, extra: string[] = []): Uint8Array {
  const key = join(dir, "k.pem");
  if (!readdirSync(dir).includes("k.pem"))
    execFileSync("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key]);
  const out = join(dir, "r.der");
  execFileSync(
    "openssl",
    ["req", "-x509", "-key", key, "-outform", "DER", "-out", out, "-days", "1", "-utf8", "-multivalue-rdn", "-subj", subj, ...extra],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  return new Uint8Array(readFileSync(out));
}

// --- hand-built DER (no signature check is involved: both sides only parse) ---
const te = new TextEncoder();
function oid(dotted: string): Uint8Array {
  const p = dotted.split(".").map(Number);
  const out = [40 * p[0]! + p[1]!];
  for (const n of p.slice(2)) {
    const b = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) b.unshift((v & 0x7f) | 0x80);
    out.push(...b);
  }
  return encodeTlv(0x06, new Uint8Array(out));
}
const atv = (o: string, value: Uint8Array) => encodeTlv(0x30, concatBytes(oid(o), value));
const str = (tag: number, s: string) => encodeTlv(tag, te.encode(s));
const bmp = (s: string) => encodeTlv(0x1e, new Uint8Array([...s].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff])));
const rdn = (...atvs: Uint8Array[]) => encodeTlv(0x31, concatBytes(...atvs));
const name = (...rdns: Uint8Array[]) => encodeTlv(0x30, concatBytes(...rdns));

let spki: Uint8Array | null = null;
async function craft(subject: Uint8Array, issuer: Uint8Array = subject, extensions?: Uint8Array): Promise<Uint8Array> {
  if (!spki) {
    const kp = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    spki = new Uint8Array(await crypto.subtle.exportKey("spki", kp.publicKey));
  }
  const alg = encodeTlv(0x30, oid("1.2.840.10045.4.3.2"));
  const validity = encodeTlv(0x30, concatBytes(str(0x17, "260101000000Z"), str(0x17, "270101000000Z")));
  const tbs = encodeTlv(
    0x30,
    concatBytes(
      encodeTlv(0xa0, encodeTlv(0x02, new Uint8Array([2]))),
      encodeTlv(0x02, new Uint8Array([1])),
      alg,
      issuer,
      validity,
      subject,
      spki,
      ...(extensions ? [encodeTlv(0xa3, encodeTlv(0x30, extensions))] : []),
    ),
  );
  // A syntactically valid ECDSA signature value that signs nothing.
  const sig = encodeTlv(
    0x03,
    concatBytes(
      new Uint8Array([0]),
      encodeTlv(0x30, concatBytes(encodeTlv(0x02, new Uint8Array([1])), encodeTlv(0x02, new Uint8Array([1])))),
    ),
  );
  return encodeTlv(0x30, concatBytes(tbs, alg, sig));
}

const REQ_SUBJECTS: [string, string][] = [
  [
    "every attribute type openssl req knows",
    "/DC=com/DC=Example/C=US/ST=Bayern/L=München/street=Main 1/postalCode=80331/O=Example GmbH/OU=Ops/title=Dr/serialNumber=S1/businessCategory=Private Organization/jurisdictionC=DE/jurisdictionST=BY/jurisdictionL=Muc/telephoneNumber=49 89 1/dnQualifier=q1/initials=JD/pseudonym=ps/generationQualifier=III/unstructuredAddress=addr/unstructuredName=un/SN=Doe/GN=Jane/emailAddress=jane@example.com/UID=jdoe/description=d/name=n/organizationIdentifier=VATDE-1/role=admin/x500UniqueIdentifier=xu/houseIdentifier=h/dmdName=dm/CN=Jane Doe",
  ],
  ["multi-valued RDNs", "/O=Example+OU=Ops+OU=Dev/CN=a+UID=b"],
  ["RFC 2253 specials, leading and trailing spaces, # first", '/O=a\\,b\\+c"d\\\\e<f>g;h=i/OU= lead/OU=trail /CN=#hash'],
  ["a lone space, a lone #, inner spaces", "/O= /OU=#/CN=a   b"],
  ["non-ASCII UTF-8", "/O=Müller & Söhne/L=東京/CN=Ünïcödé"],
];

withOpenssl("subject strings are what openssl -nameopt RFC2253,-esc_msb prints", () => {
  it.each(REQ_SUBJECTS)("openssl req: %s", async (_label, subj) => {
    const der = reqCert(subj);
    const c = await parseCertificate(der, digest);
    expect(c.subject).toBe(opensslSubject(der));
    expect(c.issuer).toBe(opensslSubject(der, "-issuer"));
  });

  const CRAFTED: [string, () => Uint8Array][] = [
    [
      "an unknown attribute type: OID=#hex of the DER value",
      () => name(rdn(atv("2.5.4.6", str(0x13, "US"))), rdn(atv("1.2.3.4", str(0x0c, "hello"))), rdn(atv("2.5.4.3", str(0x0c, "x")))),
    ],
    // OpenSSL refuses the whole certificate for INTEGER, OCTET STRING or BOOLEAN values; SEQUENCE and BIT STRING it reads.
    [
      "a known type with a non-string value (dump_nostr)",
      () => name(rdn(atv("2.5.4.10", encodeTlv(0x30, str(0x0c, "a")))), rdn(atv("2.5.4.3", encodeTlv(0x03, new Uint8Array([0, 1]))))),
    ],
    [
      "BMPString, T61String (Latin-1), IA5String, control characters",
      () =>
        name(
          rdn(atv("2.5.4.10", bmp("Grüße"))),
          rdn(atv("2.5.4.11", encodeTlv(0x14, new Uint8Array([0x63, 0x61, 0x66, 0xe9])))),
          rdn(atv("2.5.4.3", str(0x16, "tab\there\x7f"))),
        ),
    ],
    [
      "an empty RDN between two others (no stray separator)",
      () => name(rdn(atv("2.5.4.10", str(0x0c, "Org"))), encodeTlv(0x31, new Uint8Array()), rdn(atv("2.5.4.3", str(0x0c, "leaf")))),
    ],
    ["an empty RDN last", () => name(rdn(atv("2.5.4.3", str(0x0c, "only"))), encodeTlv(0x31, new Uint8Array()))],
    [
      "pilot, PKCS #9, EV and personal-data attribute types",
      () =>
        name(
          rdn(atv("0.9.2342.19200300.100.1.3", str(0x16, "m@x.y"))),
          rdn(atv("1.2.840.113549.1.9.2", str(0x16, "un"))),
          rdn(atv("1.3.6.1.4.1.311.60.2.1.3", str(0x13, "DE"))),
          rdn(atv("1.3.6.1.5.5.7.9.3", str(0x13, "F"))),
          rdn(atv("2.5.4.65", str(0x0c, "nick")), atv("2.5.4.44", str(0x0c, "Jr"))),
        ),
    ],
    ["the empty name", () => name()],
  ];
  it.each(CRAFTED)("crafted DER: %s", async (_label, build) => {
    const der = await craft(build(), name(rdn(atv("2.5.4.3", str(0x0c, "issuer")))));
    const c = await parseCertificate(der, digest);
    expect(c.subject).toBe(opensslSubject(der));
    expect(c.issuer).toBe("CN=issuer");
  });

  it("a directoryName SAN is written the same way as openssl writes that name as a subject", async () => {
    const dn = name(
      rdn(atv("2.5.4.6", str(0x13, "US"))),
      rdn(atv("2.5.4.10", str(0x0c, "Ex, Inc.")), atv("2.5.4.11", str(0x0c, "ops"))),
      rdn(atv("1.2.3.4", str(0x0c, "x"))),
      rdn(atv("2.5.4.3", str(0x0c, " dir "))),
    );
    const san = encodeTlv(0x30, concatBytes(oid("2.5.29.17"), encodeTlv(0x04, encodeTlv(0x30, encodeTlv(0xa4, dn)))));
    const c = await parseCertificate(await craft(name(rdn(atv("2.5.4.3", str(0x0c, "leaf")))), undefined, san), digest);
    const dirName = c.subjectAltNames?.find((g) => g.type === "dirName");
    expect(dirName?.value).toBe(opensslSubject(await craft(dn)));
    // The same renderer, called on the parsed name directly.
    expect(formatRdns(parseName(dn, readTlv(dn, 0)))).toBe(dirName?.value);
  });
});
