// RSASSA-PKCS1-v1_5 keys for the CLI's WebCrypto (subtle.ts) through node:crypto's synchronous
// calls. A kubeconfig audit imports an RSA private key (to read its public half) and an issuer's
// RSA public key (to check a signature): Node's WebCrypto costs ~3 ms of CPU on its first call
// (its modules, argument conversions, a job on the thread pool: docs/performance.md, "The CLI's
// start-up"), node:crypto's createPublicKey and verify ~0.4 ms. Node's WebCrypto is itself built
// on these (importKey: the same KeyObjectHandle init of SPKI or PKCS#8 DER as createPublicKey and
// createPrivateKey, then "is it an rsa key"; verify: the same SignJob, synchronous here), so only
// the plain successful case is answered here: whatever else (another algorithm, usage or form,
// bytes that do not parse, a key of another type, a verify that throws, any other method) goes
// to WebCrypto itself with a CryptoKey it imports from the same arguments, and its answer or
// error is the answer. test/node/cli-subtle.test.ts holds both to the same results.
import { constants, createPrivateKey, createPublicKey, type KeyObject, verify } from "node:crypto";

/** The SHA names WebCrypto and node:crypto both know: WebCrypto's to node:crypto's. */
export const NODE_HASHES: Record<string, string> = { "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

/** A WebCrypto hash (a name or { name }) as its upper-case name when it is one of NODE_HASHES, else undefined. */
export function shaName(hash: unknown): string | undefined {
  const h = typeof hash === "string" ? hash : (hash as { name?: unknown } | null)?.name;
  return typeof h === "string" && NODE_HASHES[h.toUpperCase()] ? h.toUpperCase() : undefined;
}
const JWK_ALG: Record<string, string> = { "SHA-1": "RS1", "SHA-256": "RS256", "SHA-384": "RS384", "SHA-512": "RS512" };
const NAME = "RSASSA-PKCS1-V1_5";

/** The arguments importKey was called with (the bytes copied), to import the key into WebCrypto when it is needed there. */
interface ImportArgs {
  format: "spki" | "pkcs8";
  keyData: Uint8Array;
  algorithm: RsaHashedImportParams;
  extractable: boolean;
  usages: KeyUsage[];
}

/** A key imported by importRsa: node:crypto's KeyObject, and WebCrypto's own CryptoKey once something needs it. */
export class RsaKey {
  real: Promise<CryptoKey> | undefined;
  readonly keyObject: KeyObject;
  readonly hash: string;
  readonly args: ImportArgs;
  constructor(keyObject: KeyObject, hash: string, args: ImportArgs) {
    this.keyObject = keyObject;
    this.hash = hash;
    this.args = args;
  }
}

/** `key` as WebCrypto's CryptoKey (imported by `real` from the same arguments, once), any other value as it is. */
export function realKey(real: SubtleCrypto, key: unknown): unknown {
  if (!(key instanceof RsaKey)) return key;
  const a = key.args;
  key.real ??= real.importKey(a.format, a.keyData as BufferSource, a.algorithm, a.extractable, a.usages);
  return key.real;
}

/** The hash of a plain RSASSA-PKCS1-v1_5 algorithm ({ name, hash } with a SHA name as a string or { name }), else undefined. */
function rsaHash(algorithm: unknown): string | undefined {
  if (typeof algorithm !== "object" || algorithm === null) return undefined;
  const { name, hash } = algorithm as { name?: unknown; hash?: unknown };
  if (typeof name !== "string" || name.toUpperCase() !== NAME) return undefined;
  return shaName(hash);
}

/** Plain bytes: an ArrayBuffer or a view of one, as a view of the same memory; else undefined (WebCrypto has its own rules for the rest). */
export function bytesOf(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  // Not over a SharedArrayBuffer: WebCrypto refuses those, so they go to it for its error.
  if (ArrayBuffer.isView(data) && data.buffer instanceof ArrayBuffer) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

/** bytesOf, copied (an imported key keeps its own bytes). */
const copyOf = (data: unknown): Uint8Array | undefined => bytesOf(data)?.slice();

/**
 * importKey of an RSASSA-PKCS1-v1_5 key from SPKI (usages ["verify"]) or PKCS#8 (["sign"]) that
 * node:crypto reads as an "rsa" key; null when the call is anything else (the caller asks WebCrypto).
 */
export function importRsa(format: unknown, keyData: unknown, algorithm: unknown, extractable: unknown, usages: unknown): RsaKey | null {
  const hash = rsaHash(algorithm);
  if (!hash || typeof extractable !== "boolean" || !Array.isArray(usages) || usages.length !== 1) return null;
  if (!((format === "spki" && usages[0] === "verify") || (format === "pkcs8" && usages[0] === "sign"))) return null;
  const bytes = copyOf(keyData);
  if (!bytes) return null;
  let keyObject: KeyObject;
  try {
    keyObject =
      format === "spki"
        ? createPublicKey({ key: Buffer.from(bytes.buffer), format: "der", type: "spki" })
        : createPrivateKey({ key: Buffer.from(bytes.buffer), format: "der", type: "pkcs8" });
  } catch {
    return null; // WebCrypto's DataError, from WebCrypto
  }
  if (keyObject.asymmetricKeyType !== "rsa") return null;
  const alg: RsaHashedImportParams = { name: "RSASSA-PKCS1-v1_5", hash };
  return new RsaKey(keyObject, hash, { format, keyData: bytes, algorithm: alg, extractable, usages: [usages[0]] });
}

/** verify() with an RsaKey imported for "verify": true or false, or undefined when WebCrypto must answer. */
export function verifyRsa(algorithm: unknown, key: RsaKey, signature: unknown, data: unknown): boolean | undefined {
  const name = typeof algorithm === "string" ? algorithm : (algorithm as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || name.toUpperCase() !== NAME || key.args.usages[0] !== "verify") return undefined;
  const sig = copyOf(signature);
  const bytes = copyOf(data);
  if (!sig || !bytes) return undefined;
  try {
    return verify(NODE_HASHES[key.hash]!, bytes, { key: key.keyObject, padding: constants.RSA_PKCS1_PADDING }, sig);
  } catch {
    return undefined;
  }
}

/** exportKey("jwk") of an extractable RsaKey, as WebCrypto writes it (alg, ext, key_ops beside the key's members); else undefined. */
export function exportRsaJwk(format: unknown, key: RsaKey): JsonWebKey | undefined {
  if (format !== "jwk" || !key.args.extractable) return undefined;
  try {
    const jwk = key.keyObject.export({ format: "jwk" }) as JsonWebKey;
    return { ...jwk, alg: JWK_ALG[key.hash]!, ext: true, key_ops: [...key.args.usages] };
  } catch {
    return undefined;
  }
}
