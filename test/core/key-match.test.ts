// Does client-key-data belong to client-certificate-data? client-go loads the pair with Go's
// crypto/tls X509KeyPair (crypto/tls/tls.go), which compares keys, not encodings: RSA pub.N with
// priv.N, ECDSA X and Y, Ed25519 bytes, and fails with "tls: private key does not match public key"
// (or "... type does not match public key type"). kube-apiserver never sees such a client.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { children, concatBytes, encodeTlv, readTlv } from "../../src/core/encoding/der.ts";
import { scanPem } from "../../src/core/encoding/pem.ts";
import { keyMatchesCert, readPrivateKey } from "../../src/core/keys/private.ts";
import { parseCertificate } from "../../src/core/x509/cert.ts";
import { AT, issue, kubeadmPki, kubeconfig, keyPair, type KeyKind } from "../helpers/pki.ts";
import { asRsaPss, certWithSpki, ecCompressed, rsaWithoutNull } from "../helpers/spki.ts";
import { runGoOracle } from "./helpers/go-oracle.ts";

const CLIENT = ["1.3.6.1.5.5.7.3.2"];
const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));
const pem = (label: string, der: Uint8Array) => x509.PemConverter.encode(der.slice().buffer as ArrayBuffer, label);
const pkcs8Of = async (keys: CryptoKeyPair) => new Uint8Array((await crypto.subtle.exportKey("pkcs8", keys.privateKey)) as ArrayBuffer);

/** The key inside a PKCS#8 PrivateKeyInfo (RSA: PKCS#1 RSAPrivateKey; EC: SEC1 ECPrivateKey). */
function innerKey(p8: Uint8Array): Uint8Array {
  const [, , octet] = children(p8, readTlv(p8, 0));
  return p8.subarray(octet!.contentStart, octet!.end);
}

/** SEC1 ECPrivateKey naming its curve ([0] parameters), as `openssl ec` writes it. */
function sec1WithCurve(p8: Uint8Array, curveOid: number[]): Uint8Array {
  const inner = innerKey(p8);
  const parts = children(inner, readTlv(inner, 0)).map((t) => inner.subarray(t.start, t.end));
  const [version, priv, ...rest] = parts;
  const params = encodeTlv(0xa0, encodeTlv(0x06, new Uint8Array(curveOid)));
  return encodeTlv(0x30, concatBytes(version!, priv!, params, ...rest.filter((p) => p[0] !== 0xa0)));
}

const P256 = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

const b64 = (s: string) => Buffer.from(s).toString("base64");

async function oursFor(certPem: string, keyPem: string): Promise<boolean | null> {
  const cert = await parseCertificate(scanPem(certPem).blocks[0]!.der!, digest);
  const key = await readPrivateKey(scanPem(keyPem).blocks[0]!, crypto.subtle);
  return keyMatchesCert(key, cert);
}

describe("the key-mismatch rule on clientAccepted (crypto/tls X509KeyPair)", () => {
  // No tool needed: a certificate for one key with another key in client-key-data.
  it("a key that is not the certificate's makes clientAccepted false, even with a verifying chain", async () => {
    const pki = await kubeadmPki();
    const other = await issue({ subject: "CN=other" });
    const withKey = (key?: string) =>
      kubeconfig({
        clusters: [{ name: "c", ca: [pki.ca] }],
        users: [{ name: "u", cert: pki.client, ...(key ? { key } : {}) }],
        contexts: [{ name: "ctx", cluster: "c", user: "u" }],
        current: "ctx",
      });
    const good = await audit({ kubeconfig: withKey(), clientCA: pki.ca.pem }, { at: AT, subtle: crypto.subtle });
    expect(good.contexts[0]!.client.keyMatches).toBe(true);
    expect(good.contexts[0]!.clientAccepted).toBe(true);
    for (const clientCA of [pki.ca.pem, undefined]) {
      const bad = await audit({ kubeconfig: withKey(other.keyPem), ...(clientCA ? { clientCA } : {}) }, { at: AT, subtle: crypto.subtle });
      expect(bad.contexts[0]!.client.keyMatches).toBe(false);
      expect(bad.contexts[0]!.clientAccepted).toBe(false);
      expect(bad.findings.map((f) => f.code)).toContain("key.mismatch");
    }
  });
});

describe("keys are compared as keys, as X509KeyPair compares them (Go oracle)", () => {
  it("agrees with Go on matching and mismatching pairs in every key form", async (ctx) => {
    const ca = await issue({ subject: "CN=ca", ca: true });
    const cases: { name: string; certPem: string; keyPem: string }[] = [];
    const pair = async (kind: KeyKind) => {
      const keys = await keyPair(kind);
      const cert = await issue({ subject: "CN=jane", issuer: ca, keys, kind, eku: CLIENT });
      return {
        keys,
        cert,
        p8: await pkcs8Of(keys),
        spki: new Uint8Array((await crypto.subtle.exportKey("spki", keys.publicKey)) as ArrayBuffer),
      };
    };
    const [rsa, rsa2, ec, ec2, p384, ed, ed2] = await Promise.all(
      (["rsa2048", "rsa2048", "p256", "p256", "p384", "ed25519", "ed25519"] as KeyKind[]).map(pair),
    );
    const add = (name: string, certPem: string, keyPem: string) => cases.push({ name, certPem, keyPem });
    add("rsa pkcs8", rsa!.cert.pem, pem("PRIVATE KEY", rsa!.p8));
    add("rsa pkcs1", rsa!.cert.pem, pem("RSA PRIVATE KEY", innerKey(rsa!.p8)));
    add("rsa other key", rsa!.cert.pem, pem("PRIVATE KEY", rsa2!.p8));
    add("p256 pkcs8", ec!.cert.pem, pem("PRIVATE KEY", ec!.p8));
    add("p256 sec1", ec!.cert.pem, pem("EC PRIVATE KEY", sec1WithCurve(ec!.p8, P256)));
    add("p256 other key", ec!.cert.pem, pem("PRIVATE KEY", ec2!.p8));
    add("p384 pkcs8", p384!.cert.pem, pem("PRIVATE KEY", p384!.p8));
    add("ed25519", ed!.cert.pem, pem("PRIVATE KEY", ed!.p8));
    add("ed25519 other key", ed!.cert.pem, pem("PRIVATE KEY", ed2!.p8));
    add("rsa cert, p256 key", rsa!.cert.pem, pem("PRIVATE KEY", ec!.p8));
    add("p256 cert, ed25519 key", ec!.cert.pem, pem("PRIVATE KEY", ed!.p8));
    // One key, another SPKI encoding: the same key (Go's X509KeyPair comparison says so once the
    // key is read), although x509.ParseCertificate refuses both encodings (a certificate-parse
    // problem, reported by the certificate checks, not a key mismatch).
    add("rsa spki without NULL", await certWithSpki(rsaWithoutNull(rsa!.spki), ca), pem("PRIVATE KEY", rsa!.p8));
    add("rsa spki without NULL, other key", await certWithSpki(rsaWithoutNull(rsa!.spki), ca), pem("PRIVATE KEY", rsa2!.p8));
    add("p256 compressed point", await certWithSpki(ecCompressed(ec!.spki), ca), pem("PRIVATE KEY", ec!.p8));
    add("p256 compressed point, other key", await certWithSpki(ecCompressed(ec!.spki), ca), pem("PRIVATE KEY", ec2!.p8));
    add("p384 compressed point", await certWithSpki(ecCompressed(p384!.spki), ca), pem("PRIVATE KEY", p384!.p8));
    add("rsa key labelled RSASSA-PSS", await certWithSpki(asRsaPss(rsa!.spki), ca), pem("PRIVATE KEY", rsa!.p8));

    const go = runGoOracle<{ keyPair: string; sameKey: string }[]>("keypair", cases);
    if (!go) return ctx.skip();
    for (const [i, c] of cases.entries()) {
      const o = go[i]!;
      const ours = await oursFor(c.certPem, c.keyPem);
      // The oracle reads every key here except RSA-PSS, which Go's crypto/x509 does not know.
      if (o.sameKey !== "n/a" || !c.name.includes("PSS"))
        expect({ name: c.name, keyMatches: ours }).toEqual({ name: c.name, keyMatches: o.sameKey === "yes" });
      // Where X509KeyPair gets as far as comparing, its verdict is ours.
      if (o.keyPair === "ok") expect(ours, c.name).toBe(true);
      if (/does not match/.test(o.keyPair)) expect(ours, c.name).toBe(false);
      // And clientAccepted is what loading the pair allows: the chain verifies for every case.
      const text = kubeconfig({
        clusters: [{ name: "c", ca: [ca] }],
        users: [{ name: "u", cert: b64(c.certPem), key: c.keyPem }],
        contexts: [{ name: "ctx", cluster: "c", user: "u" }],
        current: "ctx",
      });
      const r = await audit({ kubeconfig: text, clientCA: ca.pem }, { at: AT, subtle: crypto.subtle });
      expect({ name: c.name, clientAccepted: r.contexts[0]!.clientAccepted }).toEqual({ name: c.name, clientAccepted: o.keyPair === "ok" });
      if (o.keyPair.startsWith("x509:") || o.keyPair === "tls: unknown public key algorithm")
        expect(
          r.findings.map((f) => f.code),
          c.name,
        ).toContain("key.certificate-unloadable");
    }
    // The oracle really exercised both X509KeyPair outcomes and the encodings it refuses.
    expect(go.filter((o) => o.keyPair === "ok").length).toBeGreaterThan(3);
    expect(go.some((o) => o.keyPair === "tls: private key does not match public key")).toBe(true);
    expect(go.some((o) => o.keyPair === "tls: private key type does not match public key type")).toBe(true);
    expect(go.some((o) => /RSA key missing NULL parameters/.test(o.keyPair))).toBe(true);
    expect(go.some((o) => /unmarshal elliptic curve point/.test(o.keyPair))).toBe(true);
    expect(go.some((o) => o.keyPair === "tls: unknown public key algorithm")).toBe(true);
  });
});
