// src/cli/subtle.ts: the CLI's WebCrypto computes SHA digests with node:crypto's createHash. Its
// answers must be WebCrypto's own (Node's crypto.subtle, the oracle) for every way the algorithm
// and the data can be given, and everything else must still be WebCrypto.
import { webcrypto } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { cliSubtle } from "../../src/cli/subtle.ts";

const real = webcrypto.subtle as unknown as SubtleCrypto;
const ours = cliSubtle();
const hex = (b: ArrayBuffer) => Buffer.from(b).toString("hex");

describe("the CLI's WebCrypto", () => {
  it("digests as WebCrypto does: SHA-1/256/384/512 by string or {name}, any case, ArrayBuffer, views and offsets", async () => {
    const names = ["SHA-1", "SHA-256", "SHA-384", "SHA-512", "sha-256", "Sha-384"];
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...names),
        fc.nat(8),
        fc.boolean(),
        async (bytes, name, skip, asObject) => {
          const algo = asObject ? { name } : name;
          const padded = new Uint8Array(bytes.length + skip);
          padded.set(bytes, skip);
          const view = padded.subarray(skip);
          for (const data of [bytes, view, new DataView(padded.buffer, skip, bytes.length), bytes.slice().buffer])
            expect(hex(await ours.digest(algo, data))).toBe(hex(await real.digest(algo, data)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("takes the SHA digests itself (WebCrypto's digest is not called for them)", async () => {
    const spy = vi.spyOn(webcrypto.subtle, "digest");
    try {
      await ours.digest("SHA-256", new Uint8Array(3));
      expect(spy).not.toHaveBeenCalled();
      await ours.digest("SHA-256", new Uint8Array(new SharedArrayBuffer(3)) as unknown as BufferSource).catch(() => undefined);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("leaves what is not a plain SHA digest to WebCrypto: its errors, and every other method", async () => {
    const bad = async (s: SubtleCrypto, algo: unknown, data: unknown) =>
      s.digest(algo as AlgorithmIdentifier, data as BufferSource).then(
        () => "resolved",
        (e: Error) => e.name,
      );
    for (const [algo, data] of [
      ["MD5", new Uint8Array(1)],
      ["SHA-256", "text"],
      [{}, new Uint8Array(1)],
      ["SHA-256", new Uint8Array(new SharedArrayBuffer(4))],
    ] as const) {
      const want = await bad(real, algo, data);
      expect(want).not.toBe("resolved");
      expect(await bad(ours, algo, data)).toBe(want);
    }
    const keys = (await ours.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const msg = new TextEncoder().encode("certaudit");
    const sig = await ours.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, msg);
    expect(await real.verify({ name: "ECDSA", hash: "SHA-256" }, keys.publicKey, sig, msg)).toBe(true);
    const spki = await ours.exportKey("spki", keys.publicKey);
    const imported = await ours.importKey("spki", spki, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    expect(await ours.verify({ name: "ECDSA", hash: "SHA-256" }, imported, sig, msg)).toBe(true);
  });
});
