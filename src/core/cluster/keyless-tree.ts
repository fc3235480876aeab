// A control-plane directory made fit to leave the machine (issue 12): no private key in it.
// Each private key is replaced, where the directory is (the CLI's process, the form's page), by
// the SHA-256 of its public key (key-fingerprint.ts): a PEM key file becomes `<file>.pubsha256`,
// a kubeconfig's client-key-data becomes `client-key-pubsha256`; tokens and passwords are
// stripped as for a kubeconfig upload. Shared by `certaudit DIR --endpoint` and the web form.
import { stringify } from "yaml";
import { frameCertificate } from "../encoding/der.ts";
import { decodeBase64, scanPem } from "../encoding/pem.ts";
import { bytesToText } from "../input/detect.ts";
import { stripSecrets } from "../input/redact.ts";
import { parseYaml } from "../input/yaml.ts";
import { readPrivateKey } from "../keys/private.ts";
import { goPrivateKeyRefusal } from "../keys/go-keypair.ts";
import { KUBECONFIG_PUBSHA256, PUBSHA256_SUFFIX, pubsha256Text } from "./key-fingerprint.ts";

const enc = new TextEncoder();
/** Narrower than detect.ts's KUBECONFIG_KEY on purpose: a kubeconfig with users is one that can carry keys. */
const KUBECONFIG_KEY = /^(clusters|users|contexts|current-context)\s*:/m;
const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g;

/** The SHA-256 of the public half of the first private key in `pem` (hex); null when there is none. */
export async function keyFingerprint(pem: string, subtle: SubtleCrypto): Promise<string | null> {
  const block = scanPem(pem).blocks.find((b) => b.label.endsWith("PRIVATE KEY"));
  return block ? ((await readPrivateKey(block, subtle)).info.publicKeyFingerprint ?? null) : null;
}

type Users = { name?: unknown; user?: Record<string, unknown> }[];

/** A kubeconfig with its secrets stripped and each client key replaced by its public key's fingerprint; null when it cannot be read. */
async function kubeconfigWithoutKeys(text: string, subtle: SubtleCrypto, path: string, removed: string[]): Promise<string | null> {
  const fps = new Map<unknown, string>();
  const doc = parseYaml(text) as { users?: Users };
  for (const u of Array.isArray(doc?.users) ? doc.users : []) {
    const data = u?.user?.["client-key-data"];
    const bytes = typeof data === "string" ? decodeBase64(data) : null;
    const pem = bytes ? new TextDecoder().decode(bytes) : null;
    const fp = pem !== null ? await keyFingerprint(pem, subtle) : null;
    // Go's refusal of the key goes beside its fingerprint, as for a key file.
    const sent = pubsha256Text(fp, pem !== null ? goPrivateKeyRefusal(pem) : null);
    if (sent) fps.set(u.name, sent.trim());
  }
  const s = stripSecrets(text, path);
  if (!s.complete) return null;
  removed.push(...s.removed.map((r) => `${path}: ${r}`));
  const out = parseYaml(s.text) as { users?: Users };
  for (const u of Array.isArray(out?.users) ? out.users : []) {
    const fp = fps.get(u.name);
    if (!fp || !u.user) continue;
    delete u.user["client-key-data"]; // stripSecrets left its marker there
    u.user[KUBECONFIG_PUBSHA256] = fp;
  }
  return stringify(out, { lineWidth: 0 });
}

/** The files that may leave: certificates, manifests, public keys, kubeconfigs without secrets, key fingerprints. */
export async function uploadableTree(
  tree: ReadonlyMap<string, Uint8Array>,
  subtle: SubtleCrypto,
): Promise<{ files: Map<string, Uint8Array>; removed: string[] }> {
  const files = new Map<string, Uint8Array>();
  const removed: string[] = [];
  for (const [path, bytes] of tree) {
    const text = bytesToText(bytes);
    if (text === null) {
      try {
        frameCertificate(bytes);
        files.set(path, bytes);
      } catch {
        removed.push(`${path}: binary data that is not a DER certificate (not sent)`);
      }
      continue;
    }
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
      const fp = await keyFingerprint(text, subtle);
      // Go's refusal of the key goes too, so the service judges the pair as Go would (cluster/key-pair.ts).
      const refusal = goPrivateKeyRefusal(text);
      const sent = pubsha256Text(fp, refusal);
      if (sent) files.set(path + PUBSHA256_SUFFIX, enc.encode(sent));
      // Certificate and key in one file (the kubelet's kubelet-client-current.pem): the certificates go, the key stays.
      const certs = text.match(CERTIFICATE_BLOCK);
      if (certs) files.set(path, enc.encode(certs.join("\n")));
      removed.push(
        fp
          ? `${path}: private key (its public key's SHA-256 sent instead)`
          : refusal
            ? `${path}: private key Go cannot parse (only that it cannot, "${refusal}", sent instead)`
            : `${path}: private key that cannot be read (not sent)`,
      );
      continue;
    }
    if (KUBECONFIG_KEY.test(text) && /^users\s*:/m.test(text)) {
      const out = await kubeconfigWithoutKeys(text, subtle, path, removed);
      if (out === null) removed.push(`${path}: a kubeconfig whose secrets cannot be stripped (not sent)`);
      else files.set(path, enc.encode(out));
      continue;
    }
    files.set(path, bytes);
  }
  return { files, removed };
}
