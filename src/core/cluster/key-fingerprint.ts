// Private keys that never left the machine (issue 12): where a client uploads a directory, it
// sends, in place of each private key, the SHA-256 of the key's public half (hex), as a file
// `<key>.pubsha256` or a kubeconfig user's `client-key-pubsha256`. What is hashed is the key's
// canonical SubjectPublicKeyInfo (keys/canonical.ts: RSA n and e, EC curve and uncompressed point,
// Ed25519's 32 bytes, each in one fixed DER form), on both sides, so a certificate that encodes
// the same key unusually (RSA parameters absent, explicit EC parameters, a compressed point) still
// matches. Such a key is matched to a certificate by that fingerprint; a key that is here in full
// is matched by its key material, as Go's tls.X509KeyPair does. A key Go's X509KeyPair cannot
// parse (keys/go-keypair.ts) is sent as the line `x509keypair: <Go's error>` in the same file, in
// place of (or beside) its fingerprint, so the service judges the pair as the local audit does.
import { certKeyFingerprint } from "../keys/canonical.ts";
import { GO_KEY_REFUSALS } from "../keys/go-keypair.ts";
import { keyMatchesCert, type PrivateKey } from "../keys/private.ts";
import type { Cert } from "../x509/cert.ts";

/** The file a client sends in place of the private key at `path`. */
export const PUBSHA256_SUFFIX = ".pubsha256";
/** The kubeconfig user field sent in place of client-key-data. */
export const KUBECONFIG_PUBSHA256 = "client-key-pubsha256";

/** The line of a `.pubsha256` file that carries Go's refusal of the key. */
const REFUSAL_PREFIX = "x509keypair: ";

/** The text of the file sent in place of a key: its fingerprint and/or Go's refusal, one a line. */
export function pubsha256Text(fingerprint: string | null, refusal: string | null): string | null {
  const lines = [...(fingerprint ? [fingerprint] : []), ...(refusal ? [REFUSAL_PREFIX + refusal.replace(/\s+/g, " ")] : [])];
  return lines.length ? `${lines.join("\n")}\n` : null;
}

/** Reads a `.pubsha256` file: null when it holds neither one fingerprint nor one of Go's key refusals, or anything else. */
export function readPubsha256(text: string): { key: PrivateKey | null; refusal: string | null } | null {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const refusals = lines.filter((l) => l.startsWith(REFUSAL_PREFIX));
  const rest = lines.filter((l) => !l.startsWith(REFUSAL_PREFIX));
  if (refusals.length > 1 || rest.length > 1 || lines.length === 0) return null;
  const key = rest.length ? fingerprintKey(rest[0]!) : null;
  if (rest.length && !key) return null;
  const refusal = refusals[0]?.slice(REFUSAL_PREFIX.length) ?? null;
  // Only an error Go's X509KeyPair gives for a key: the text goes into the report.
  if (refusal !== null && !GO_KEY_REFUSALS.has(refusal)) return null;
  return { key, refusal };
}

/** A key known only by its public key's fingerprint; null when the text is not one SHA-256 in hex. */
export function fingerprintKey(text: string): PrivateKey | null {
  const fp = text.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(fp)) return null;
  return { info: { format: "pkcs8", algorithm: "unknown", encrypted: false, publicKeyFingerprint: fp }, publicJwk: null };
}

/** The fingerprint a certificate's key is known by (the canonical SPKI's SHA-256). */
export function certificateKeyFingerprint(cert: Cert, subtle: SubtleCrypto): Promise<string> {
  return certKeyFingerprint(cert.frame.spki, cert.publicKey.fingerprint, subtle);
}

/** Does the key belong to the certificate: by key material, or by fingerprint for a key that stayed home. */
export async function keyPairMatches(key: PrivateKey, cert: Cert, subtle: SubtleCrypto): Promise<boolean | null> {
  if (key.publicJwk === null && key.info.publicKeyFingerprint !== null)
    return key.info.publicKeyFingerprint === (await certificateKeyFingerprint(cert, subtle));
  return keyMatchesCert(key, cert);
}
