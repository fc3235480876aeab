// key.reused: one key pair shared by several kubeconfig users (by the public key of the
// user's certificate, or of its key when there is no certificate).
import type { Findings } from "../findings/index.ts";
import type { StoredKey } from "../input/store.ts";
import type { Cert } from "../x509/cert.ts";

export function reportSharedKeys(userMaterial: Map<string, { chain: Cert[]; keys: StoredKey[] }>, findings: Findings): void {
  const byFingerprint = new Map<string, string[]>();
  for (const [name, m] of userMaterial) {
    const fp = m.chain[0]?.publicKey.fingerprint ?? m.keys[0]?.key.info.publicKeyFingerprint;
    if (fp) byFingerprint.set(fp, [...(byFingerprint.get(fp) ?? []), name]);
  }
  for (const [, names] of byFingerprint)
    if (names.length > 1)
      findings.add("key.reused", `Users ${names.map((n) => `"${n}"`).join(", ")} share one key pair.`, {
        path: `users[${names[0]}].client-key-data`,
      });
}
