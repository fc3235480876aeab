// The WebCrypto the CLI hands to the core: Node's own, except that SHA digests are computed
// with node:crypto's synchronous createHash. A digest is the same bytes either way; WebCrypto's
// costs its argument checks and a trip through Node's thread pool, ~0.3 ms per digest with cold
// code, and the core takes several per certificate (ids, key fingerprints): docs/performance.md,
// "The CLI's start-up". Anything else, and any digest argument not plainly a SHA name and bytes,
// goes to WebCrypto itself, so its answers and errors stay WebCrypto's.
import { createHash, webcrypto } from "node:crypto";

const HASHES: Record<string, string> = { "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

function hashName(algorithm: unknown): string | undefined {
  const name = typeof algorithm === "string" ? algorithm : (algorithm as { name?: unknown } | null)?.name;
  return typeof name === "string" ? HASHES[name.toUpperCase()] : undefined;
}

function bytesOf(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  // Not over a SharedArrayBuffer: WebCrypto refuses those, so they go to it for its error.
  if (ArrayBuffer.isView(data) && data.buffer instanceof ArrayBuffer) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

export function cliSubtle(): SubtleCrypto {
  const real = webcrypto.subtle as unknown as SubtleCrypto;
  const digest = (algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> => {
    const hash = hashName(algorithm);
    const bytes = bytesOf(data);
    if (!hash || !bytes) return real.digest(algorithm, data);
    const out = createHash(hash).update(bytes).digest();
    return Promise.resolve(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer);
  };
  return new Proxy(real, {
    get(target, prop) {
      if (prop === "digest") return digest;
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
