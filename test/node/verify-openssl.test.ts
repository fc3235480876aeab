// /v1/verify's maxDepth and email against `openssl verify -verify_depth N` and
// `openssl verify -verify_email ADDR` on chains openssl makes here: the expectation is openssl's
// exit status, never our own output.
// - maxDepth counts intermediates as -verify_depth does ("neither the end-entity certificate nor
//   the trust-anchor certificate count against the -verify_depth limit", openssl-verification-options(1)).
// - email is compared as -verify_email compares it (crypto/x509/v3_utl.c do_x509_check, GEN_EMAIL).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { verifyCertificate } from "../../src/core/verify-chain.ts";
import { VerifyRequestSchema } from "../../src/core/report/schema.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";

const dir = mkdtempSync(join(tmpdir(), "certaudit-verify-openssl-"));
const file = (name: string) => join(dir, name);
const read = (name: string) => readFileSync(file(name), "utf8");

function openssl(args: string[]): { status: number | null; out: string } {
  const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
function must(args: string[]): void {
  const r = openssl(args);
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.out}`);
}

const KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
const CA_EXT =
  "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
const LEAF_EXT =
  "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";

/** `name` signed by `issuer` (a name made here), with the extension lines `ext` and subject `subj`. */
function sign(name: string, issuer: string, subj: string, ext: string): void {
  must(["req", "-new", ...KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subj]);
  writeFileSync(file(`${name}.ext`), ext);
  must([
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    `${issuer}.pem`,
    "-CAkey",
    `${issuer}.key`,
    "-set_serial",
    String(Math.floor(Math.random() * 1e9)),
    "-days",
    "3650",
    "-extfile",
    `${name}.ext`,
    "-out",
    `${name}.pem`,
  ]);
}

const describe = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");

/** openssl verify's verdict for `leaf` with `chain` (untrusted) against root.pem. */
function opensslAccepts(leaf: string, chain: string[], extra: string[]): boolean {
  const untrusted = chain.length ? ["-untrusted", `${leaf}.chain.pem`] : [];
  if (chain.length) writeFileSync(file(`${leaf}.chain.pem`), chain.map((c) => read(`${c}.pem`)).join(""));
  const r = openssl(["verify", "-CAfile", "root.pem", ...untrusted, ...extra, `${leaf}.pem`]);
  return r.status === 0 && /: OK$/m.test(r.out);
}

async function ours(leaf: string, chain: string[], fields: { maxDepth?: number; email?: string }) {
  const req = VerifyRequestSchema.parse({
    certificate: read(`${leaf}.pem`),
    ...(chain.length ? { intermediates: chain.map((c) => read(`${c}.pem`)).join("") } : {}),
    trustAnchors: read("root.pem"),
    ...fields,
  });
  return verifyCertificate(req, { at: new Date(), subtle: crypto.subtle });
}

describe("maxDepth is openssl's -verify_depth (intermediates, leaf and anchor not counted)", () => {
  // leaf0 <- root; leaf1 <- i1 <- root; leaf2 <- i2 <- i1 <- root.
  const CHAINS: Record<string, string[]> = { leaf0: [], leaf1: ["i1"], leaf2: ["i2", "i1"] };
  beforeAll(() => {
    must([
      "req",
      "-x509",
      ...KEY,
      "-keyout",
      "root.key",
      "-out",
      "root.pem",
      "-subj",
      "/CN=Depth Root",
      "-days",
      "3650",
      "-extensions",
      "v3_ca",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    sign("i1", "root", "/CN=Depth I1", CA_EXT);
    sign("i2", "i1", "/CN=Depth I2", CA_EXT);
    sign("leaf0", "root", "/CN=leaf0", LEAF_EXT);
    sign("leaf1", "i1", "/CN=leaf1", LEAF_EXT);
    sign("leaf2", "i2", "/CN=leaf2", LEAF_EXT);
  });

  const grid = Object.keys(CHAINS).flatMap((leaf) => [0, 1, 2, 3].map((depth) => ({ leaf, depth })));
  it.for(grid)("$leaf with maxDepth $depth", async ({ leaf, depth }) => {
    const chain = CHAINS[leaf]!;
    const want = opensslAccepts(leaf, chain, ["-verify_depth", String(depth)]);
    const got = await ours(leaf, chain, { maxDepth: depth });
    expect({ valid: got.valid, reason: got.valid ? null : got.reason }).toEqual({
      valid: want,
      reason: want ? null : "chain.depth-exceeded",
    });
  });

  it("maxDepth 0 is accepted by the request schema (openssl -verify_depth 0 verifies leaf + anchor)", () => {
    expect(opensslAccepts("leaf0", [], ["-verify_depth", "0"])).toBe(true);
    expect(VerifyRequestSchema.safeParse({ certificate: "x", trustAnchors: "y", maxDepth: 0 }).success).toBe(true);
    expect(VerifyRequestSchema.safeParse({ certificate: "x", trustAnchors: "y", maxDepth: -1 }).success).toBe(false);
  });
});

describe("email is openssl's -verify_email", () => {
  // Leaves issued by the root: SAN only, subject emailAddress only, both (SAN wins), neither.
  const LEAVES: Record<string, { subj: string; san?: string }> = {
    san: { subj: "/CN=mail-san", san: "email:Alice@Example.com,email:bob@example.org" },
    subject: { subj: "/CN=mail-subject/emailAddress=carol@example.net" },
    both: { subj: "/CN=mail-both/emailAddress=carol@example.net", san: "email:dave@example.com" },
    dnsOnly: { subj: "/CN=mail-dns/emailAddress=erin@example.com", san: "DNS:example.com" },
    none: { subj: "/CN=mail-none" },
  };
  const ADDRESSES = [
    "Alice@Example.com",
    "Alice@example.COM",
    "alice@example.com",
    "bob@example.org",
    "carol@example.net",
    "Carol@example.net",
    "dave@example.com",
    "erin@example.com",
    "mallory@example.com",
  ];
  beforeAll(() => {
    must([
      "req",
      "-x509",
      ...KEY,
      "-keyout",
      "root.key",
      "-out",
      "root.pem",
      "-subj",
      "/CN=Mail Root",
      "-days",
      "3650",
      "-extensions",
      "v3_ca",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    for (const [name, l] of Object.entries(LEAVES)) sign(name, "root", l.subj, LEAF_EXT + (l.san ? `subjectAltName=${l.san}\n` : ""));
  });

  const grid = Object.keys(LEAVES).flatMap((leaf) => ADDRESSES.map((email) => ({ leaf, email })));
  it.for(grid)("$leaf for $email", async ({ leaf, email }) => {
    const want = opensslAccepts(leaf, [], ["-verify_email", email]);
    const got = await ours(leaf, [], { email });
    expect({ valid: got.valid, reason: got.valid ? null : got.reason }).toEqual({
      valid: want,
      reason: want ? null : "chain.email-mismatch",
    });
    if (!want) expect(got.findings.map((f) => f.code)).toContain("chain.email-mismatch");
  });

  it("the grid is not one-sided: openssl accepts some pairs and refuses others", () => {
    const answers = grid.map(({ leaf, email }) => opensslAccepts(leaf, [], ["-verify_email", email]));
    expect(answers).toContain(true);
    expect(answers).toContain(false);
  });
});
