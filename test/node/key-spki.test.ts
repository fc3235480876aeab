// The public-key fingerprint of a private key (src/core/keys/private.ts, SPKI built by
// src/core/keys/spki.ts from WebCrypto's exported JWK) against two outside encoders: WebCrypto's
// own "spki" export of the same public key, and `openssl pkey -pubout -outform DER` of the key
// file (the bytes `openssl pkey -pubout | openssl sha256` hashes after PEM decoding).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { scanPem } from "../../src/core/encoding/pem.ts";
import { toHex } from "../../src/core/encoding/der.ts";
import { readPrivateKey } from "../../src/core/keys/private.ts";
import { spkiFromJwk } from "../../src/core/keys/spki.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const KEYS = ["rsa-pkcs1.pem", "rsa-pkcs8.pem", "ec-sec1.pem", "ec-pkcs8.pem", "ec384-sec1.pem", "ed25519-pkcs8.pem"];
const subtle = crypto.subtle;

it("builds the SPKI WebCrypto exports, for RSA of several sizes, P-256, P-384, P-521 and Ed25519", async () => {
  const algs: (RsaHashedKeyGenParams | EcKeyGenParams | Algorithm)[] = [
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: Uint8Array.of(1, 0, 1), hash: "SHA-256" },
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: Uint8Array.of(3), hash: "SHA-256" },
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 3072, publicExponent: Uint8Array.of(1, 0, 1), hash: "SHA-256" },
    { name: "ECDSA", namedCurve: "P-256" },
    { name: "ECDSA", namedCurve: "P-384" },
    { name: "ECDSA", namedCurve: "P-521" },
    { name: "Ed25519" },
  ];
  for (const alg of algs)
    for (let i = 0; i < 3; i++) {
      const pair = (await subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
      const jwk = (await subtle.exportKey("jwk", pair.publicKey)) as Record<string, string>;
      const theirs = new Uint8Array(await subtle.exportKey("spki", pair.publicKey));
      expect(toHex(spkiFromJwk(jwk)!), `${alg.name} ${JSON.stringify(alg)}`).toBe(toHex(theirs));
    }
});

const describe = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");
describe("the fingerprint openssl computes", () => {
  it.each(KEYS)("%s", async (name) => {
    const file = `${ROOT}test/fixtures/keys/${name}`;
    const der = execFileSync("openssl", ["pkey", "-in", file, "-pubout", "-outform", "DER"]);
    const block = scanPem(readFileSync(file, "utf8")).blocks[0]!;
    const key = await readPrivateKey(block, subtle);
    expect(key.info.problem).toBeUndefined();
    expect(key.info.publicKeyFingerprint).toBe(createHash("sha256").update(der).digest("hex"));
  });
});
