// Stripping secrets before an upload: private keys, tokens and passwords are replaced by the
// marker `certaudit:stripped` (PEM key blocks are dropped), so a
// kubeconfig or bundle can be sent to a remote certaudit without exposing credentials. What
// is left still audits everything but the key-match check.
import { isMap, isSeq, parseDocument, type Document, type YAMLMap } from "yaml";
import { looksLikePem } from "../encoding/pem.ts";
import { STRIPPED } from "./kubeconfig.ts";

/** Keys under users[].user whose values are secrets. */
const SECRET_USER_KEYS = ["client-key-data", "token", "password"];

export interface StripResult {
  text: string;
  /** What was removed, as paths (never values): `users[admin].client-key-data`, `private key block 1`. */
  removed: string[];
  /** False when the text could not be read, so secrets may remain: callers must not upload it. */
  complete: boolean;
}

function stripPem(text: string): StripResult {
  const removed: string[] = [];
  const out: string[] = [];
  let inKey = false;
  let n = 0;
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!inKey && t.startsWith("-----BEGIN ") && t.includes("PRIVATE KEY-----")) {
      inKey = true;
      n++;
      removed.push(`private key block ${n}`);
      continue;
    }
    if (inKey) {
      if (t.startsWith("-----END ")) inKey = false;
      continue;
    }
    out.push(line);
  }
  return { text: out.join("\n"), removed, complete: !inKey };
}

function stripKubeconfig(doc: Document): StripResult {
  const removed: string[] = [];
  const users = doc.get("users");
  if (isSeq(users)) {
    for (const item of users.items) {
      if (!isMap(item)) continue;
      const name = String(item.get("name") ?? "");
      const user = item.get("user");
      if (!isMap(user)) continue;
      for (const key of SECRET_USER_KEYS) {
        if ((user as YAMLMap).has(key)) {
          // Left as a marker so the audit knows the secret exists but was withheld.
          (user as YAMLMap).set(key, STRIPPED);
          removed.push(`users[${name}].${key}`);
        }
      }
    }
  }
  return { text: doc.toString(), removed, complete: true };
}

/**
 * Removes private keys, tokens and passwords. Text that is neither a readable kubeconfig nor
 * PEM is returned unchanged (the audit will report what it is).
 */
export function stripSecrets(text: string): StripResult {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      const obj = JSON.parse(trimmed) as { users?: { name?: string; user?: Record<string, unknown> }[] };
      const removed: string[] = [];
      for (const u of Array.isArray(obj.users) ? obj.users : []) {
        for (const key of SECRET_USER_KEYS) {
          if (u?.user && key in u.user) {
            u.user[key] = STRIPPED;
            removed.push(`users[${u.name ?? ""}].${key}`);
          }
        }
      }
      return { text: JSON.stringify(obj, null, 2), removed, complete: true };
    } catch {
      return { text, removed: [], complete: false };
    }
  }
  if (/^(apiVersion|kind|clusters|users|contexts|current-context)\s*:/m.test(text)) {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    if (doc.errors.length === 0) return stripKubeconfig(doc);
    return { text, removed: [], complete: false };
  }
  if (looksLikePem(text)) return stripPem(text);
  // Neither kubeconfig nor PEM: complete only if nothing in it looks like a secret.
  return { text, removed: [], complete: !/PRIVATE KEY|token|password/i.test(text) };
}
