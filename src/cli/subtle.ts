// The WebCrypto the CLI hands to the core: Node's own, except that SHA digests are computed
// with node:crypto's synchronous createHash, and RSASSA-PKCS1-v1_5 keys are imported, exported as
// JWK and verified with through node:crypto (subtle-rsa.ts). A digest is the same bytes either
// way; WebCrypto's costs its argument checks and a trip through Node's thread pool, ~0.3 ms per
// digest with cold code, and the core takes several per certificate (ids, key fingerprints):
// docs/performance.md, "The CLI's start-up". Anything else, and any argument not plainly a SHA
// name and bytes (or what subtle-rsa.ts answers), goes to WebCrypto itself, so its answers and
// errors stay WebCrypto's. WebCrypto is loaded on its first use only (its modules cost ~1 ms).
import { createHash } from "node:crypto";
import { bytesOf, exportRsaJwk, importRsa, NODE_HASHES, RsaKey, realKey, shaName, verifyRsa } from "./subtle-rsa.ts";

/** node:crypto's name of a digest algorithm (a SHA name or { name }), else undefined. */
function hashName(algorithm: unknown): string | undefined {
  const sha = shaName(algorithm);
  return sha ? NODE_HASHES[sha] : undefined;
}

export function cliSubtle(): SubtleCrypto {
  let loaded: SubtleCrypto | undefined;
  // Node's WebCrypto is globalThis.crypto (node:crypto's webcrypto, the same object). Not a named
  // import of webcrypto: the bundle reads named imports of built-ins at start (scripts/build-cli.mjs),
  // and reading node:crypto's webcrypto loads its module.
  const real = () => (loaded ??= globalThis.crypto.subtle);
  const digest = (algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> => {
    const hash = hashName(algorithm);
    const bytes = bytesOf(data);
    if (!hash || !bytes) return real().digest(algorithm, data);
    const out = createHash(hash).update(bytes).digest();
    return Promise.resolve(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer);
  };
  const ours: Record<string, (...a: unknown[]) => Promise<unknown>> = {
    digest: digest as (...a: unknown[]) => Promise<unknown>,
    importKey: (...a) => {
      const key = importRsa(a[0], a[1], a[2], a[3], a[4]);
      return key ? Promise.resolve(key) : forward("importKey", a);
    },
    verify: (...a) => {
      const answer = a[1] instanceof RsaKey ? verifyRsa(a[0], a[1], a[2], a[3]) : undefined;
      return answer === undefined ? forward("verify", a) : Promise.resolve(answer);
    },
    exportKey: (...a) => {
      const jwk = a[1] instanceof RsaKey ? exportRsaJwk(a[0], a[1]) : undefined;
      return jwk === undefined ? forward("exportKey", a) : Promise.resolve(jwk);
    },
  };
  /** A call for WebCrypto itself, with its own CryptoKey in place of any key imported by subtle-rsa.ts. */
  const forward = async (method: string, args: unknown[]): Promise<unknown> => {
    const s = real();
    const f = Reflect.get(s, method, s) as (...a: unknown[]) => Promise<unknown>;
    const plain = args.some((a) => a instanceof RsaKey) ? await Promise.all(args.map((a) => realKey(s, a))) : args;
    return Reflect.apply(f, s, plain);
  };
  return new Proxy({} as SubtleCrypto, {
    get(_, prop) {
      if (typeof prop === "string" && Object.hasOwn(ours, prop)) return ours[prop];
      const s = real();
      const v = Reflect.get(s, prop, s);
      return typeof v === "function" ? (...a: unknown[]) => forward(prop as string, a) : v;
    },
  });
}
