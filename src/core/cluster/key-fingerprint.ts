// Private keys that never left the machine (issue 12): where a client uploads a directory, it
// sends, in place of each private key, the SHA-256 of the key's public half (hex), as a file
// `<key>.pubsha256` or a kubeconfig user's `client-key-pubsha256`. What is hashed is the key's
// canonical SubjectPublicKeyInfo (keys/canonical.ts: RSA n and e, EC curve and uncompressed point,
// Ed25519's 32 bytes, each in one fixed DER form), on both sides, so a certificate that encodes
// the same key unusually (RSA parameters absent, explicit EC parameters, a compressed point) still
// matches. Such a key is matched to a certificate by that fingerprint; a key that is here in full
// is matched by its key material, as Go's tls.X509KeyPair does.
import { certKeyFingerprint } from "../keys/canonical.ts";
import { keyMatchesCert, type PrivateKey } from "../keys/private.ts";
import type { Cert } from "../x509/cert.ts";

/** The file a client sends in place of the private key at `path`. */
export const PUBSHA256_SUFFIX = ".pubsha256";
/** The kubeconfig user field sent in place of client-key-data. */
export const KUBECONFIG_PUBSHA256 = "client-key-pubsha256";

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
