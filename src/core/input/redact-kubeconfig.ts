// The allow-list for a kubeconfig (the fields of k8s.io/client-go/tools/clientcmd/api/v1,
// types.go): a new document is built from the fields known to be public, and nothing else.
// What the audit needs to know was there (a token, a key, a password) is kept as the marker
// `certaudit:stripped`; anything not named below, including fields client-go may add later,
// is left out. Every removal is listed by path, never by value.
//
// Kept:      apiVersion, kind, current-context, preferences.colors, every `name`;
//            clusters: server and proxy-url (without userinfo, query or fragment),
//              certificate-authority(-data), insecure-skip-tls-verify, tls-server-name,
//              disable-compression;
//            users: client-certificate(-data), client-key and tokenFile (paths), as, as-uid,
//              as-groups, the keys of as-user-extra, exec command/apiVersion/interactiveMode/
//              provideClusterInfo and env names, auth-provider name and config keys;
//            contexts: cluster, user, namespace;
//            extensions: their names.
// Marker:    client-key-data, token, password, username, exec args (all of them: `--token=…`
//            is common), exec env values, exec installHint, auth-provider config values,
//            as-user-extra values, extension bodies, a URL that cannot be cut safely, and a
//            *-data field whose content is not certificates.
import { decodeBase64, encodeBase64 } from "../encoding/pem.ts";
import { DerError, frameCertificate } from "../encoding/der.ts";
import { bytesToText } from "./detect.ts";
import { PLACEHOLDERS, STRIPPED } from "./kubeconfig.ts";
import { stripPemText } from "./redact-pem.ts";
import { splitUrl } from "./userinfo.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): boolean => v === null || ["string", "number", "boolean"].includes(typeof v);
/** Nothing there to hide: absent, null, "" or []. */
const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** What a removed value becomes: the marker, a list stays a list so the document keeps its shape. */
const marker = (v: unknown): unknown => (Array.isArray(v) ? [STRIPPED] : STRIPPED);

type Rule = (v: unknown, path: string, r: Redactor) => unknown;

class Redactor {
  readonly removed: string[] = [];
  drop(path: string): void {
    this.removed.push(path);
  }
  /** Applies `rules` to the fields of `v`; fields without a rule are left out. */
  map(v: unknown, path: string, rules: Record<string, Rule>): unknown {
    // Not a mapping where one belongs: it could hold anything.
    if (!isObj(v)) return this.secret(v, path);
    const out: Obj = {};
    for (const [k, value] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      const rule = Object.hasOwn(rules, k) ? rules[k]! : null;
      if (!rule) {
        this.drop(p);
        continue;
      }
      const kept = rule(value, p, this);
      if (kept !== undefined) out[k] = kept;
    }
    return out;
  }
  /** A public scalar is kept; a structure where a scalar belongs could hold anything. */
  public(v: unknown, path: string): unknown {
    if (isScalar(v)) return v;
    this.drop(path);
    return marker(v);
  }
  secret(v: unknown, path: string): unknown {
    // Nothing to hide: empty, already stripped, or kubectl's own placeholder (`config view`).
    if (isEmpty(v) || v === STRIPPED || (typeof v === "string" && PLACEHOLDERS.has(v.trim()))) return v;
    this.drop(path);
    return marker(v);
  }
  /** A list of named entries: `clusters[prod]`, or `clusters[#2]` when the entry has no name. */
  named(v: unknown, path: string, rule: (item: unknown, path: string) => unknown): unknown {
    if (!Array.isArray(v)) return v === null || v === undefined ? v : this.secret(v, path);
    return v.map((item, i) => {
      const name = isObj(item) && typeof item.name === "string" ? item.name : `#${i}`;
      return isObj(item) ? rule(item, `${path}[${name}]`) : this.secret(item, `${path}[${name}]`);
    });
  }
}

const keep: Rule = (v, p, r) => r.public(v, p);
const secret: Rule = (v, p, r) => r.secret(v, p);

/** A list of public scalars (as-groups). */
const scalars: Rule = (v, p, r) => (Array.isArray(v) ? v.map((x, i) => r.public(x, `${p}[${i}]`)) : r.public(v, p));

/** A map whose keys are kept and whose values are withheld (auth-provider config, as-user-extra). */
const keysOnly: Rule = (v, p, r) => {
  if (!isObj(v)) return r.secret(v, p);
  const out: Obj = {};
  for (const [k, value] of Object.entries(v)) {
    if (k === "__proto__") r.drop(`${p}.${k}`);
    else out[k] = r.secret(value, `${p}.${k}`);
  }
  return out;
};

/** server and proxy-url: kept without userinfo, query and fragment; a URL with "@" left after that is withheld whole. */
const url: Rule = (v, p, r) => {
  if (typeof v !== "string") return r.public(v, p);
  const u = splitUrl(v);
  if (u.userinfo !== null) r.drop(`${p} (userinfo)`);
  if (u.query) r.drop(`${p} (query)`);
  if (u.fragment) r.drop(`${p} (fragment)`);
  const cut = u.prefix + u.host + u.path;
  if (cut.includes("@")) {
    r.drop(p);
    return STRIPPED;
  }
  return cut;
};

/** A *-data field that should hold base64 of certificate PEM: private key blocks and anything else are cut out. */
const certData: Rule = (v, p, r) => {
  if (typeof v !== "string") return r.public(v, p);
  if (v.trim() === "" || v.trim() === STRIPPED || PLACEHOLDERS.has(v.trim())) return v;
  const bytes = decodeBase64(v);
  const text = bytes ? bytesToText(bytes) : null;
  if (bytes && text === null) {
    // Base64 of DER: only a certificate may leave.
    try {
      frameCertificate(bytes);
      return v;
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
      return r.secret(v, p);
    }
  }
  if (text === null || !text.includes("-----BEGIN ")) return r.secret(v, p);
  const pem = stripPemText(text);
  if (pem.removed.length === 0) return v;
  for (const what of pem.removed) r.drop(`${p}: ${what}`);
  return pem.kept ? encodeBase64(new TextEncoder().encode(pem.text)) : STRIPPED;
};

const extensions: Rule = (v, p, r) => r.named(v, p, (item, ip) => r.map(item, ip, { name: keep, extension: secret }));

const CLUSTER: Record<string, Rule> = {
  server: url,
  "tls-server-name": keep,
  "insecure-skip-tls-verify": keep,
  "certificate-authority": keep,
  "certificate-authority-data": certData,
  "proxy-url": url,
  "disable-compression": keep,
  extensions,
};

const EXEC: Record<string, Rule> = {
  command: keep,
  args: secret,
  env: (v, p, r) => r.named(v, p, (item, ip) => r.map(item, ip, { name: keep, value: secret })),
  apiVersion: keep,
  installHint: secret,
  provideClusterInfo: keep,
  interactiveMode: keep,
};

const USER: Record<string, Rule> = {
  "client-certificate": keep,
  "client-certificate-data": certData,
  "client-key": keep,
  "client-key-data": secret,
  token: secret,
  tokenFile: keep,
  as: keep,
  "as-uid": keep,
  "as-groups": scalars,
  "as-user-extra": keysOnly,
  username: secret,
  password: secret,
  "auth-provider": (v, p, r) => r.map(v, p, { name: keep, config: keysOnly }),
  exec: (v, p, r) => r.map(v, p, EXEC),
  extensions,
};

const CONTEXT: Record<string, Rule> = { cluster: keep, user: keep, namespace: keep, extensions };

const CONFIG: Record<string, Rule> = {
  apiVersion: keep,
  kind: keep,
  "current-context": keep,
  preferences: (v, p, r) => r.map(v, p, { colors: keep, extensions }),
  clusters: (v, p, r) => r.named(v, p, (item, ip) => r.map(item, ip, { name: keep, cluster: (c) => r.map(c, ip, CLUSTER) })),
  users: (v, p, r) => r.named(v, p, (item, ip) => r.map(item, ip, { name: keep, user: (u) => r.map(u, ip, USER) })),
  contexts: (v, p, r) => r.named(v, p, (item, ip) => r.map(item, ip, { name: keep, context: (c) => r.map(c, ip, CONTEXT) })),
  extensions,
};
// Paths name the entry, not its inner mapping (`users[admin].token`, as findings do).

/** The kubeconfig as an object holding only public fields, and the paths of what was removed. */
export function redactKubeconfig(doc: Obj): { doc: Obj; removed: string[] } {
  const r = new Redactor();
  return { doc: r.map(doc, "", CONFIG) as Obj, removed: r.removed };
}
