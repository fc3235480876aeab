// Values kubectl refuses because of their type. client-go decodes a kubeconfig by turning the
// YAML into JSON and unmarshalling it into clientcmd/api/v1.Config with encoding/json, which
// fails the whole file on the first value of the wrong type (`json: cannot unmarshal bool into
// Go struct field AuthInfo.users.user.token of type string`). The field types are those of
// k8s.io/client-go/tools/clientcmd/api/v1/types.go.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Go type per JSON field, for each struct of v1.Config that holds scalars. */
type Fields = Record<string, "string" | "bool" | "[]uint8" | "[]string">;
const CONFIG: Fields = { kind: "string", apiVersion: "string", "current-context": "string" };
const PREFERENCES: Fields = { colors: "bool" };
const NAMED: Fields = { name: "string" };
const CLUSTER: Fields = {
  server: "string",
  "tls-server-name": "string",
  "insecure-skip-tls-verify": "bool",
  "certificate-authority": "string",
  "certificate-authority-data": "[]uint8",
  "proxy-url": "string",
  "disable-compression": "bool",
};
const AUTH_INFO: Fields = {
  "client-certificate": "string",
  "client-certificate-data": "[]uint8",
  "client-key": "string",
  "client-key-data": "[]uint8",
  token: "string",
  tokenFile: "string",
  as: "string",
  "as-uid": "string",
  "as-groups": "[]string",
  username: "string",
  password: "string",
};
const CONTEXT: Fields = { cluster: "string", user: "string", namespace: "string" };
const EXEC: Fields = {
  command: "string",
  args: "[]string",
  apiVersion: "string",
  installHint: "string",
  provideClusterInfo: "bool",
  interactiveMode: "string",
};
const EXEC_ENV: Fields = { name: "string", value: "string" };
const AUTH_PROVIDER: Fields = { name: "string" };

export interface KubectlTypeError {
  /** Where, in our path style (`users[admin].token`). */
  path: string;
  /** What kubectl prints after `error loading config file "...": `. */
  said: string;
}

const jsonKind = (v: unknown) =>
  typeof v === "boolean"
    ? "bool"
    : typeof v === "number"
      ? "number"
      : typeof v === "string"
        ? "string"
        : Array.isArray(v)
          ? "array"
          : "object";

/** Every value of the wrong type in `doc` (typed as kubectl's YAML reader types it). */
export function kubectlTypeErrors(doc: unknown): KubectlTypeError[] {
  const out: KubectlTypeError[] = [];
  if (!isObj(doc)) return out;
  const check = (obj: unknown, fields: Fields, goStruct: string, jsonPath: string, path: string) => {
    if (!isObj(obj)) return;
    for (const [key, type] of Object.entries(fields)) {
      const v = obj[key];
      if (v === undefined || v === null) continue;
      const field = `${goStruct}.${jsonPath ? `${jsonPath}.` : ""}${key}`;
      const at = path ? `${path}.${key}` : key;
      const bad = (got: unknown, as: string) =>
        out.push({ path: at, said: `json: cannot unmarshal ${jsonKind(got)} into Go struct field ${field} of type ${as}` });
      if (type === "[]string") {
        if (!Array.isArray(v)) bad(v, "[]string");
        else {
          const wrong = v.find((x) => x !== null && typeof x !== "string");
          if (wrong !== undefined) bad(wrong, "string");
        }
      } else if (type === "bool" ? typeof v !== "boolean" : typeof v !== "string") bad(v, type);
    }
  };
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  const nameOf = (e: unknown) => (isObj(e) && e.name !== null && e.name !== undefined && typeof e.name !== "object" ? String(e.name) : "");
  check(doc, CONFIG, "Config", "", "");
  check(doc.preferences, PREFERENCES, "Preferences", "preferences", "preferences");
  for (const c of list(doc.clusters)) {
    check(c, NAMED, "NamedCluster", "clusters", `clusters[${nameOf(c)}]`);
    if (isObj(c)) check(c.cluster, CLUSTER, "Cluster", "clusters.cluster", `clusters[${nameOf(c)}]`);
  }
  for (const u of list(doc.users)) {
    const path = `users[${nameOf(u)}]`;
    check(u, NAMED, "NamedAuthInfo", "users", path);
    const user = isObj(u) ? u.user : undefined;
    check(user, AUTH_INFO, "AuthInfo", "users.user", path);
    if (!isObj(user)) continue;
    check(user.exec, EXEC, "ExecConfig", "users.user.exec", `${path}.exec`);
    if (isObj(user.exec)) for (const e of list(user.exec.env)) check(e, EXEC_ENV, "ExecEnvVar", "users.user.exec.env", `${path}.exec.env`);
    check(user["auth-provider"], AUTH_PROVIDER, "AuthProviderConfig", "users.user.auth-provider", `${path}.auth-provider`);
    const config = isObj(user["auth-provider"]) ? user["auth-provider"].config : undefined;
    if (isObj(config))
      for (const [k, v] of Object.entries(config))
        if (v !== null && typeof v !== "string")
          out.push({
            path: `${path}.auth-provider.config.${k}`,
            said: `json: cannot unmarshal ${jsonKind(v)} into Go struct field AuthProviderConfig.users.user.auth-provider.config of type string`,
          });
  }
  for (const c of list(doc.contexts)) {
    check(c, NAMED, "NamedContext", "contexts", `contexts[${nameOf(c)}]`);
    if (isObj(c)) check(c.context, CONTEXT, "Context", "contexts.context", `contexts[${nameOf(c)}]`);
  }
  return out;
}
