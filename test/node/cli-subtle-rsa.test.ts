// src/cli/subtle-rsa.ts: the CLI's WebCrypto imports RSASSA-PKCS1-v1_5 keys, exports them as
// JWK and verifies with them through node:crypto. The oracle is Node's WebCrypto itself
// (crypto.subtle): on every private key and certificate of the fixtures, on generated keys of
// every kind and form, and on damaged ones, the core must read the same key (format, algorithm,
// problem, fingerprint, public members), give the same signature outcome for every pair of
// certificates, and write the same report for every kubeconfig, through either. The key-match
// rule itself is held to Go's crypto/tls X509KeyPair by test/core/key-match.test.ts (its oracle,
// test/oracles/keypair) through Node's WebCrypto; equal answers here carry that over to the CLI.
import { generateKeyPairSync, type KeyObject, webcrypto } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cliSubtle } from "../../src/cli/subtle.ts";
import { audit } from "../../src/core/audit.ts";
import { children, concatBytes, encodeTlv, readTlv } from "../../src/core/encoding/der.ts";
import { type PemBlock, scanPem } from "../../src/core/encoding/pem.ts";
import { readPrivateKey } from "../../src/core/keys/private.ts";
import { type Cert, parseCertificate } from "../../src/core/x509/cert.ts";
import { SignatureVerifier } from "../../src/core/x509/signature.ts";
import { FIX } from "../cli/helpers.ts";
import { asRsaPss, rsaWithoutNull } from "../helpers/spki.ts";

const real = webcrypto.subtle as unknown as SubtleCrypto;
const ours = cliSubtle();
const AT = new Date("2026-06-01T00:00:00Z");
const digest = async (d: Uint8Array) => new Uint8Array(await real.digest("SHA-256", d as BufferSource));
const outcome = <T>(p: Promise<T>) =>
  p.then(
    (v) => ({ ok: v }),
    (e: Error) => ({ error: e.name }),
  );

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}
const texts = [...new Set(files(FIX).map((f) => readFileSync(f, "latin1")))];
const blocks = (label: RegExp) => texts.flatMap((t) => scanPem(t).blocks.filter((b) => label.test(b.label) && b.der));
const fixtureKeys = blocks(/PRIVATE KEY$/);
const fixtureCerts = blocks(/^CERTIFICATE$/);

const bytes = (b: Buffer) => new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
const pemBlock = (label: string, der: Uint8Array): PemBlock =>
  scanPem(`-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64")}\n-----END ${label}-----\n`).blocks[0]!;

/** Generated keys of every kind in every form the core reads, and damaged RSA keys. */
function generatedKeys(): PemBlock[] {
  const out: PemBlock[] = [];
  const der = (k: KeyObject, type: "pkcs1" | "pkcs8" | "sec1") => bytes(k.export({ format: "der", type } as never) as Buffer);
  for (const [kind, opts] of [
    ["rsa", { modulusLength: 2048 }],
    ["rsa", { modulusLength: 1024, publicExponent: 3 }],
    ["rsa", { modulusLength: 4096 }],
    ["rsa-pss", { modulusLength: 2048 }],
    ["ec", { namedCurve: "P-256" }],
    ["ec", { namedCurve: "P-384" }],
    ["ec", { namedCurve: "secp256k1" }],
    ["ed25519", {}],
  ] as const) {
    const { privateKey } = generateKeyPairSync(kind as "rsa", opts as never) as unknown as { privateKey: KeyObject };
    out.push(pemBlock("PRIVATE KEY", der(privateKey, "pkcs8")));
    if (kind === "rsa") {
      const p1 = der(privateKey, "pkcs1");
      out.push(pemBlock("RSA PRIVATE KEY", p1));
      // Damaged: truncated, a byte changed (in the modulus, the exponent, a prime, the tail), trailing bytes.
      for (const cut of [1, 20, p1.length >> 1, p1.length - 1]) out.push(pemBlock("RSA PRIVATE KEY", p1.subarray(0, cut)));
      for (const at of [5, 40, p1.length >> 1, p1.length - 3]) {
        const bad = p1.slice();
        bad[at]! ^= 0x41;
        out.push(pemBlock("RSA PRIVATE KEY", bad));
      }
      out.push(pemBlock("RSA PRIVATE KEY", concatBytes(p1, new Uint8Array([0, 0]))));
      // PKCS#8 labelled as such but holding the RSA key under another algorithm (ecPublicKey's OID).
      const p8 = der(privateKey, "pkcs8");
      const relabelled = p8.slice();
      const oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
      const i = Buffer.from(relabelled).indexOf(Buffer.from(oid));
      relabelled.set([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x05, 0x00], i);
      out.push(pemBlock("PRIVATE KEY", relabelled));
    }
    if (kind === "ec") out.push(pemBlock("EC PRIVATE KEY", der(privateKey, "sec1")));
  }
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the CLI's WebCrypto for RSA keys (subtle-rsa.ts) answers as Node's WebCrypto", () => {
  const keys = [...fixtureKeys, ...generatedKeys()];

  it("reads every private key of the fixtures and every generated or damaged key as WebCrypto does", async () => {
    expect(fixtureKeys.length).toBeGreaterThan(20);
    let rsaRead = 0;
    for (const block of keys) {
      const want = await readPrivateKey(block, real);
      const got = await readPrivateKey(block, ours);
      expect(got, `${block.label} ${want.info.problem ?? ""}`).toEqual(want);
      if (want.info.algorithm === "RSA" && want.publicJwk) rsaRead++;
    }
    expect(rsaRead).toBeGreaterThan(10);
  });

  it("gives the signature outcome WebCrypto gives for every pair of fixture certificates, and for altered signatures", async () => {
    const certs: Cert[] = [];
    for (const b of fixtureCerts) certs.push(await parseCertificate(b.der!, digest));
    // Each certificate with its signature's last byte changed, and issuers whose RSA key is
    // written without NULL parameters or relabelled RSASSA-PSS (RFC 4055).
    const altered: Cert[] = [];
    for (const c of certs.slice(0, 40)) {
      const der = c.der.slice();
      der[der.length - 1]! ^= 0x01;
      altered.push(await parseCertificate(der, digest));
    }
    const issuers = [...certs];
    for (const c of certs.filter((c) => c.publicKey.algorithm === "RSA").slice(0, 5))
      for (const f of [rsaWithoutNull, asRsaPss]) {
        const swapped = await withSpki(c.der, f(c.frame.spki));
        if (swapped) issuers.push(await parseCertificate(swapped, digest));
      }
    const a = new SignatureVerifier(real);
    const b = new SignatureVerifier(ours);
    let valid = 0;
    let rsa = 0;
    // Every issuer that names the child's issuer, and one pair in 17 of the others (keys that did not sign it).
    let n = 0;
    for (const child of [...certs, ...altered])
      for (const issuer of issuers) {
        if (child.issuer !== issuer.subject && n++ % 17 !== 0) continue;
        const want = await a.verify(child, issuer);
        expect(await b.verify(child, issuer), `${child.id} by ${issuer.id}`).toEqual(want);
        if (want.result === "valid") valid++;
        if (issuer.publicKey.algorithm === "RSA") rsa++;
      }
    expect(valid).toBeGreaterThan(20);
    expect(rsa).toBeGreaterThan(100);
  });

  it("writes the same report for every kubeconfig of the fixtures", async () => {
    const kubeconfigs = files(FIX).filter((f) => /(kubeconfig[^/]*\.yaml|\.conf)$/.test(f));
    expect(kubeconfigs.length).toBeGreaterThan(20);
    for (const f of kubeconfigs) {
      const input = { kubeconfig: readFileSync(f, "utf8") };
      const want = await outcome(audit(input, { at: AT, subtle: real, local: true }));
      const got = await outcome(audit(input, { at: AT, subtle: ours, local: true }));
      expect(got, f).toEqual(want);
    }
  });

  it("imports, exports and verifies with node:crypto on the plain path (WebCrypto is not called)", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const spki = bytes(publicKey.export({ format: "der", type: "spki" }));
    const p8 = bytes(privateKey.export({ format: "der", type: "pkcs8" }));
    const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    const spies = (["importKey", "exportKey", "verify"] as const).map((m) => vi.spyOn(webcrypto.subtle, m));
    const pub = await ours.importKey("spki", spki, alg, false, ["verify"]);
    const priv = await ours.importKey("pkcs8", p8, alg, true, ["sign"]);
    await ours.exportKey("jwk", priv);
    await ours.verify("RSASSA-PKCS1-v1_5", pub, new Uint8Array(256), new Uint8Array(3));
    for (const s of spies) expect(s).not.toHaveBeenCalled();
  });

  it("imports, exports and verifies as WebCrypto: the same JWK, answers and errors, and its keys work in every other method", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const spki = bytes(publicKey.export({ format: "der", type: "spki" }));
    const p8 = bytes(privateKey.export({ format: "der", type: "pkcs8" }));
    const ecSpki = bytes(ec.publicKey.export({ format: "der", type: "spki" }));
    const msg = new TextEncoder().encode("certaudit");
    for (const hash of ["SHA-1", "SHA-256", "sha-384", { name: "SHA-512" }]) {
      const alg = { name: "RSASSA-PKCS1-v1_5", hash };
      const both = async <T>(f: (s: SubtleCrypto) => Promise<T>) => {
        const [w, g] = [await outcome(f(real)), await outcome(f(ours))];
        expect(g).toEqual(w);
        return w;
      };
      // Private: JWK export, and sign (not ours: WebCrypto's, with its own key imported from the same bytes).
      await both(async (s) => s.exportKey("jwk", await s.importKey("pkcs8", p8, alg, true, ["sign"])));
      const sig = new Uint8Array(await real.sign(alg, await real.importKey("pkcs8", p8, alg, false, ["sign"]), msg));
      const signedByOurs = new Uint8Array(await ours.sign(alg, await ours.importKey("pkcs8", p8, alg, false, ["sign"]), msg));
      expect(signedByOurs).toEqual(sig);
      const bad = sig.slice();
      bad[0]! ^= 1;
      for (const [s, m] of [
        [sig, msg],
        [bad, msg],
        [sig, msg.subarray(1)],
        [sig.subarray(1), msg],
        [new Uint8Array(0), msg],
      ] as const) {
        const answer = await both(async (x) =>
          x.verify("RSASSA-PKCS1-v1_5", await x.importKey("spki", spki, alg, false, ["verify"]), s, m),
        );
        expect("ok" in answer && typeof answer.ok).toBe("boolean");
        await both(async (x) => x.verify({ name: "RSASSA-PKCS1-v1_5" }, await x.importKey("spki", spki, alg, true, ["verify"]), s, m));
      }
      // What WebCrypto refuses, refused the same way.
      await both(async (x) => x.verify("RSA-PSS", await x.importKey("spki", spki, alg, false, ["verify"]), sig, msg));
      await both(async (x) => x.verify(alg, await x.importKey("pkcs8", p8, alg, false, ["sign"]), sig, msg));
      await both(async (x) => x.exportKey("jwk", await x.importKey("spki", spki, alg, false, ["verify"])));
      await both(async (x) => x.exportKey("spki", await x.importKey("spki", spki, alg, true, ["verify"])));
      await both(async (x) => x.exportKey("pkcs8", await x.importKey("pkcs8", p8, alg, true, ["sign"])));
      await both((x) => x.importKey("spki", ecSpki, alg, false, ["verify"]));
      await both((x) => x.importKey("spki", p8, alg, false, ["verify"]));
      await both((x) => x.importKey("pkcs8", spki, alg, false, ["sign"]));
      await both((x) => x.importKey("spki", spki, alg, false, ["sign"]));
      await both((x) => x.importKey("spki", spki, alg, false, []));
      await both((x) => x.importKey("spki", spki.subarray(0, 100), alg, false, ["verify"]));
      await both((x) => x.importKey("spki", asRsaPss(spki) as BufferSource, alg, false, ["verify"]));
      await both((x) => x.importKey("spki", spki, { name: "RSASSA-PKCS1-v1_5", hash: "MD5" }, false, ["verify"]));
      await both((x) => x.importKey("spki", new Uint8Array(new SharedArrayBuffer(4)) as unknown as BufferSource, alg, false, ["verify"]));
    }
  });
});

/** The certificate DER with its SubjectPublicKeyInfo replaced (the signature no longer matters: used as an issuer). */
async function withSpki(der: Uint8Array, spki: Uint8Array): Promise<Uint8Array | null> {
  const [tbsT, algT, sigT] = children(der, readTlv(der, 0));
  const tbs = der.subarray(tbsT!.start, tbsT!.end);
  const fields = children(tbs, readTlv(tbs, 0)).map((t) => tbs.subarray(t.start, t.end));
  const at = fields[0]![0] === 0xa0 ? 6 : 5;
  if (!fields[at] || fields[at]![0] !== 0x30) return null;
  fields[at] = spki;
  const newTbs = encodeTlv(0x30, concatBytes(...fields));
  return encodeTlv(0x30, concatBytes(newTbs, der.subarray(algT!.start, algT!.end), der.subarray(sigT!.start, sigT!.end)));
}
