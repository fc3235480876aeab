// The kubeconfig model as client-go reads it (k8s.io/client-go/tools/clientcmd/api/v1), and
// client-go's validation rules (tools/clientcmd/validation.go), all reported at once.
// Secrets (tokens, passwords) are reduced to their presence; their values never leave here.
import { InputProblem } from "../errors.ts";
import type { Findings } from "../findings/index.ts";
import { defaultServerUrl } from "./server-url.ts";
import { splitUrl, withoutUserinfo } from "./userinfo.ts";

export interface KubeCluster {
  name: string;
  server: string | null;
  caData: string | null;
  caFile: string | null;
  insecure: boolean;
  tlsServerName: string | null;
  proxyUrl: string | null;
}

export interface KubeUser {
  name: string;
  certData: string | null;
  certFile: string | null;
  keyData: string | null;
  keyFile: string | null;
  hasToken: boolean;
  tokenFile: string | null;
  hasBasicAuth: boolean;
  exec: { command: string | null; apiVersion: string | null; interactiveMode: string | null; envNamesOk: boolean } | null;
  authProvider: string | null;
  impersonate: { user: string | null; uid: string | null; groups: string[]; hasExtra: boolean };
}

export interface KubeContext {
  name: string;
  cluster: string | null;
  user: string | null;
  namespace: string | null;
}

export interface Kubeconfig {
  clusters: KubeCluster[];
  users: KubeUser[];
  contexts: KubeContext[];
  currentContext: string | null;
}

export const PLACEHOLDERS = new Set(["DATA+OMITTED", "REDACTED"]);
/** What stripSecrets (input/redact.ts) leaves in place of a removed secret: present, but withheld on purpose. */
export const STRIPPED = "certaudit:stripped";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);
const withoutUserinfoOrNull = (v: string | null): string | null => (v === null ? null : withoutUserinfo(v));

export function looksLikeKubeconfig(v: unknown): v is Obj {
  if (!isObj(v)) return false;
  if (v.kind === "Config") return true;
  return Array.isArray(v.clusters) || Array.isArray(v.users) || Array.isArray(v.contexts) || "current-context" in v;
}

/** The Go types in kubectl's message for a duplicate name (client-go clientcmd/api/v1 conversion.go). */
const GO_LIST: Record<string, string> = {
  clusters: "*[]NamedCluster into *map[string]*api.Cluster",
  users: "*[]NamedAuthInfo into *map[string]*api.AuthInfo",
  contexts: "*[]NamedContext into *map[string]*api.Context",
  extensions: "*[]NamedExtension into *map[string]runtime.Object",
};

/**
 * client-go converts each named list to a map and refuses a repeated name, so kubectl loads
 * nothing (k8s.io/client-go/tools/clientcmd/api/v1/conversion.go). One finding per repeated
 * name, quoting kubectl without the list it appends (which holds the entries' secrets).
 */
function reportDuplicates(names: string[], what: keyof typeof GO_LIST, path: string, findings: Findings): void {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  for (const [name, n] of counts) {
    if (n < 2) continue;
    findings.add(
      "kubeconfig.duplicate-name",
      `${n} ${what === path ? what : `${path} entries`} are named "${name}": kubectl will refuse to load this file, printing \`error: error loading config file "…": error converting ${GO_LIST[what]}: duplicate name "${name}" in list: […]\``,
      { path: `${path}[${name}]` },
    );
  }
}

/** Named extension lists (`extensions:` at the top, in preferences, and in each entry). */
function checkExtensions(list: unknown, path: string, findings: Findings): void {
  if (!Array.isArray(list)) return;
  reportDuplicates(
    list.map((e) => (isObj(e) && typeof e.name === "string" ? e.name : "")),
    "extensions",
    path,
    findings,
  );
}

function named(
  list: unknown,
  field: string,
  what: "clusters" | "users" | "contexts",
  findings: Findings,
): { name: string; body: Obj; path: string }[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new InputProblem("input.not-kubeconfig", 422, `"${what}" must be a list`, { pointer: `/${what}` });
  const out: { name: string; body: Obj; path: string }[] = [];
  list.forEach((item, i) => {
    if (!isObj(item)) throw new InputProblem("input.not-kubeconfig", 422, `${what}[${i}] must be a mapping`, { pointer: `/${what}/${i}` });
    const name = typeof item.name === "string" ? item.name : "";
    const body = isObj(item[field]) ? (item[field] as Obj) : {};
    checkExtensions(body.extensions, `${what}[${name}].extensions`, findings);
    out.push({ name, body, path: `${what}[${name}]` });
  });
  reportDuplicates(
    out.map((x) => x.name),
    what,
    what,
    findings,
  );
  return out;
}

/**
 * What kubectl connects to for a server URL without a scheme, or null when it has one. client-go
 * adds a scheme when Go's url.Parse finds no scheme or no host (rest.DefaultServerURL), and it
 * decides before reading the TLS settings (clientcmd DirectClientConfig.ClientConfig calls
 * rest.IsConfigTransportTLS on a config without them), so it is always http://: seen with
 * kubectl 1.27 to 1.33 at -v=6 (`GET http://localhost:6443/version`), even with a CA set.
 */
export function schemelessServerUrl(server: string): string | null {
  const r = defaultServerUrl(server, false);
  return r.ok && r.schemeAdded ? `http://${r.url.host}` : null;
}

/** exec apiVersions client-go's exec authenticator accepts (plugin/pkg/client/auth/exec/exec.go, validVersions). */
const EXEC_VERSIONS = new Set(["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]);
/** apiVersions for which client-go defaults interactiveMode to IfAvailable (clientcmd/api/v1/defaults.go, SetDefaults_ExecConfig). */
const EXEC_DEFAULTS_INTERACTIVE = new Set(["client.authentication.k8s.io/v1beta1", "client.authentication.k8s.io/v1alpha1"]);

/** Builds the model and reports every client-go validation problem (not only the first). */
export function readKubeconfig(doc: Obj, findings: Findings): Kubeconfig {
  checkExtensions(isObj(doc.preferences) ? doc.preferences.extensions : undefined, "preferences.extensions", findings);
  checkExtensions(doc.extensions, "extensions", findings);
  const clusters: KubeCluster[] = named(doc.clusters, "cluster", "clusters", findings).map(({ name, body, path }) => {
    const c: KubeCluster = {
      name,
      // Userinfo is a credential (input/userinfo.ts): never part of the model, so never echoed.
      server: withoutUserinfoOrNull(str(body.server)),
      caData: str(body["certificate-authority-data"]),
      caFile: str(body["certificate-authority"]),
      insecure: body["insecure-skip-tls-verify"] === true,
      tlsServerName: str(body["tls-server-name"]),
      proxyUrl: withoutUserinfoOrNull(str(body["proxy-url"])),
    };
    const userinfo = typeof body.server === "string" ? splitUrl(body.server).userinfo : null;
    if (userinfo !== null)
      findings.add(
        "kubeconfig.server-userinfo",
        `Cluster "${name}" has a user name${userinfo.includes(":") ? " and password" : ""} in its server URL (not shown here).`,
        { path: `${path}.server` },
      );
    const plainHttp = c.server ? schemelessServerUrl(c.server) : null;
    if (!c.server) findings.add("kubeconfig.no-server", `Cluster "${name}" has no server.`, { path: `${path}.server` });
    else if (plainHttp)
      findings.add(
        "kubeconfig.server-without-scheme",
        `Cluster "${name}" has server "${c.server}" with no scheme: kubectl connects to ${plainHttp} in plain HTTP, sends no credentials and no client certificate, and does not use the cluster CA.`,
        { path: `${path}.server` },
      );
    else {
      // As client-go reads it (Go's url.Parse; a scheme-less host:port is completed, see server-url.ts).
      const url = defaultServerUrl(c.server, true);
      if (!url.ok)
        findings.add("kubeconfig.bad-server-url", `Cluster "${name}" has a server URL that client-go cannot use (${url.error}).`, {
          path: `${path}.server`,
        });
      else if (url.url.scheme === "http" && !url.schemeAdded)
        findings.add("kubeconfig.http-server", `Cluster "${name}" uses http://${url.url.host}.`, { path: `${path}.server` });
    }
    if (c.caData && c.caFile)
      findings.add("kubeconfig.ca-data-and-file", `Cluster "${name}" sets both.`, { path: `${path}.certificate-authority-data` });
    if (c.insecure) {
      if (c.caData || c.caFile)
        findings.add("kubeconfig.insecure-with-ca", `Cluster "${name}" sets insecure-skip-tls-verify and a CA.`, {
          path: `${path}.insecure-skip-tls-verify`,
        });
      findings.add("kubeconfig.insecure-skip-tls-verify", `Cluster "${name}" has insecure-skip-tls-verify: true.`, {
        path: `${path}.insecure-skip-tls-verify`,
      });
    }
    if (c.caFile)
      findings.add("kubeconfig.file-reference", `Cluster "${name}" reads its CA from a file.`, { path: `${path}.certificate-authority` });
    if (!c.caData && !c.caFile && !c.insecure && c.server?.startsWith("https:"))
      findings.add("kubeconfig.no-cluster-ca", `Cluster "${name}" has no certificate-authority-data.`, { path: path });
    if (c.proxyUrl) findings.add("kubeconfig.proxy-url", `Cluster "${name}" uses a proxy.`, { path: `${path}.proxy-url` });
    if (c.tlsServerName)
      findings.add("kubeconfig.tls-server-name", `Cluster "${name}" verifies the server certificate against "${c.tlsServerName}".`, {
        path: `${path}.tls-server-name`,
      });
    return c;
  });

  const users: KubeUser[] = named(doc.users, "user", "users", findings).map(({ name, body, path }) => {
    const exec = isObj(body.exec) ? body.exec : null;
    const env = exec && Array.isArray(exec.env) ? exec.env : [];
    const groups = Array.isArray(body["as-groups"]) ? body["as-groups"].filter((g): g is string => typeof g === "string") : [];
    const u: KubeUser = {
      name,
      certData: str(body["client-certificate-data"]),
      certFile: str(body["client-certificate"]),
      keyData: str(body["client-key-data"]),
      keyFile: str(body["client-key"]),
      hasToken: str(body.token) !== null,
      tokenFile: str(body.tokenFile),
      hasBasicAuth: str(body.username) !== null || str(body.password) !== null,
      exec: exec
        ? {
            command: str(exec.command),
            apiVersion: str(exec.apiVersion),
            interactiveMode: str(exec.interactiveMode),
            envNamesOk: env.every((e) => isObj(e) && str(e.name) !== null),
          }
        : null,
      authProvider: isObj(body["auth-provider"]) ? (str((body["auth-provider"] as Obj).name) ?? "unnamed") : null,
      impersonate: {
        user: str(body.as),
        uid: str(body["as-uid"]),
        groups,
        hasExtra: isObj(body["as-user-extra"]) && Object.keys(body["as-user-extra"] as Obj).length > 0,
      },
    };
    const hasCert = u.certData !== null || u.certFile !== null;
    const hasKey = u.keyData !== null || u.keyFile !== null;
    if (hasCert) {
      if (u.certData && u.certFile)
        findings.add("kubeconfig.cert-data-and-file", `User "${name}" sets both.`, { path: `${path}.client-certificate-data` });
      if (u.keyData && u.keyFile)
        findings.add("kubeconfig.key-data-and-file", `User "${name}" sets both.`, { path: `${path}.client-key-data` });
      if (!hasKey)
        findings.add("kubeconfig.cert-without-key", `User "${name}" has a client certificate but no key.`, {
          path: `${path}.client-certificate-data`,
        });
    } else if (hasKey)
      findings.add("kubeconfig.key-without-cert", `User "${name}" has a client key but no certificate.`, {
        path: `${path}.client-key-data`,
      });
    if (u.certFile)
      findings.add("kubeconfig.file-reference", `User "${name}" reads its client certificate from a file.`, {
        path: `${path}.client-certificate`,
      });
    if (u.keyFile)
      findings.add("kubeconfig.file-reference", `User "${name}" reads its client key from a file.`, { path: `${path}.client-key` });
    if (u.tokenFile)
      findings.add("kubeconfig.file-reference", `User "${name}" reads its token from a file.`, { path: `${path}.tokenFile` });
    const tokenValue = str(body.token);
    if (tokenValue === STRIPPED)
      findings.add("kubeconfig.static-token", `User "${name}" has a static token (removed before upload).`, { path: `${path}.token` });
    else if (tokenValue && !PLACEHOLDERS.has(tokenValue))
      findings.add("kubeconfig.static-token", `User "${name}" has a static token (${tokenValue.length} characters, value withheld).`, {
        path: `${path}.token`,
      });
    if (u.hasBasicAuth)
      findings.add("kubeconfig.basic-auth", `User "${name}" has a username/password (values withheld).`, { path: `${path}.username` });
    const methods = [...(u.hasToken ? ["token"] : []), ...(u.hasBasicAuth ? ["basicAuth"] : [])];
    if (methods.length > 1) findings.add("kubeconfig.multiple-auth-methods", `User "${name}" has ${methods.join(" and ")}.`, { path });
    if (u.exec) {
      findings.add("kubeconfig.exec-plugin", `User "${name}" runs ${u.exec.command ? `"${u.exec.command}"` : "an exec plugin"}.`, {
        path: `${path}.exec`,
      });
      // client-go's wording (clientcmd/validation.go, validateAuthInfo), all reported at once.
      const problems: string[] = [];
      if (u.authProvider) problems.push(`authProvider cannot be provided in combination with an exec plugin for ${name}`);
      if (!u.exec.command) problems.push(`command must be specified for ${name} to use exec authentication plugin`);
      if (!u.exec.apiVersion) problems.push(`apiVersion must be specified for ${name} to use exec authentication plugin`);
      if (!u.exec.envNamesOk) problems.push(`env variable name must be specified for ${name} to use exec authentication plugin`);
      const mode = u.exec.interactiveMode ?? (u.exec.apiVersion && EXEC_DEFAULTS_INTERACTIVE.has(u.exec.apiVersion) ? "IfAvailable" : null);
      if (!mode) problems.push(`interactiveMode must be specified for ${name} to use exec authentication plugin`);
      else if (!["Never", "IfAvailable", "Always"].includes(mode)) problems.push(`invalid interactiveMode for ${name}: "${mode}"`);
      // Past validation, the exec authenticator refuses versions it does not know (v1alpha1 was removed in Kubernetes 1.24).
      if (problems.length)
        findings.add(
          "kubeconfig.exec-invalid",
          `User "${name}": kubectl refuses to use this user and prints \`Error in configuration: ${problems.map((p) => `* ${p}`).join(" ")}\``,
          { path: `${path}.exec` },
        );
      else if (u.exec.apiVersion && !EXEC_VERSIONS.has(u.exec.apiVersion))
        findings.add(
          "kubeconfig.exec-invalid",
          `User "${name}": kubectl refuses to use this user and prints \`error: exec plugin: invalid apiVersion "${u.exec.apiVersion}"\``,
          { path: `${path}.exec` },
        );
    }
    if (u.authProvider)
      findings.add("kubeconfig.auth-provider", `User "${name}" uses the "${u.authProvider}" auth-provider.`, {
        path: `${path}.auth-provider`,
      });
    const imp = u.impersonate;
    if (imp.user)
      findings.add(
        "kubeconfig.impersonation",
        `User "${name}" impersonates "${imp.user}"${imp.groups.length ? ` with groups ${imp.groups.join(", ")}` : ""}.`,
        { path: `${path}.as` },
      );
    if (!imp.user && (imp.uid || imp.groups.length || imp.hasExtra))
      findings.add("kubeconfig.impersonation-without-user", `User "${name}".`, { path: `${path}.as-groups` });
    if (!hasCert && !hasKey && !u.hasToken && !u.tokenFile && !u.hasBasicAuth && !u.exec && !u.authProvider)
      findings.add("kubeconfig.no-credentials", `User "${name}" has no credentials.`, { path });
    return u;
  });

  const contexts: KubeContext[] = named(doc.contexts, "context", "contexts", findings).map(({ name, body, path }) => {
    const c: KubeContext = { name, cluster: str(body.cluster), user: str(body.user), namespace: str(body.namespace) };
    if (!c.cluster)
      findings.add("kubeconfig.context-missing-cluster", `Context "${name}" names no cluster.`, { context: name, path: `${path}.cluster` });
    else if (!clusters.some((x) => x.name === c.cluster))
      findings.add("kubeconfig.context-missing-cluster", `Context "${name}" names cluster "${c.cluster}", which is not defined.`, {
        context: name,
        path: `${path}.cluster`,
      });
    if (!c.user)
      findings.add("kubeconfig.context-missing-user", `Context "${name}" names no user, so kubectl uses it without credentials.`, {
        context: name,
        path: `${path}.user`,
      });
    else if (!users.some((x) => x.name === c.user))
      findings.add(
        "kubeconfig.context-missing-user",
        `Context "${name}" names user "${c.user}", which is not defined, so kubectl uses it without credentials.`,
        { context: name, path: `${path}.user` },
      );
    return c;
  });

  const currentContext = str(doc["current-context"]);
  if (contexts.length === 0) findings.add("kubeconfig.no-contexts", null, { path: "contexts" });
  if (currentContext && !contexts.some((c) => c.name === currentContext))
    findings.add("kubeconfig.current-context-missing", `current-context is "${currentContext}", which is not defined.`, {
      path: "current-context",
    });
  else if (!currentContext && contexts.length > 0) findings.add("kubeconfig.no-current-context", null, { path: "current-context" });

  return { clusters, users, contexts, currentContext };
}
