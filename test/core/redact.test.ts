// stripSecrets is an allow-list. Its expectations come from outside our code:
// - client-go's own list of secret fields (the `datapolicy` struct tags, copied below with the
//   commit they were read at);
// - a kubeconfig written by kubectl itself (test/fixtures/secrets/make.sh) with every kind of
//   credential kubectl writes, plus a field client-go does not know yet;
// - kubectl loading the stripped file and showing the same public fields as the original;
// - Go's url.Parse, as client-go's rest.DefaultServerURL uses it (test/oracles/serverurl).
import { execFile, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { stripSecrets } from "../../src/core/input/redact.ts";
import { withoutUserinfo } from "../../src/core/input/userinfo.ts";

const FIX = new URL("../fixtures/", import.meta.url).pathname;
const fx = (p: string) => readFileSync(join(FIX, p), "utf8");
const AT = new Date("2026-06-01T00:00:00Z");
const CI = process.env.CI === "true";
const tmp = mkdtempSync(join(tmpdir(), "certaudit-redact-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A tool the test needs: missing is a failure in CI, a skip locally. */
function tool(name: string, args: string[]): boolean {
  const ok = spawnSync(name, args, { encoding: "utf8" }).status === 0;
  if (!ok && CI) throw new Error(`${name} is required in CI`);
  return ok;
}
const hasKubectl = tool("kubectl", ["version", "--client"]);
const hasGo = tool("go", ["version"]);

/**
 * Every field client-go marks with a `datapolicy` struct tag, read from
 * github.com/kubernetes/client-go at 32ce75a7d6bc6960fd048d3d1e3b34185418d8c8
 * (`grep -n datapolicy tools/clientcmd/api/v1/types.go tools/clientcmd/api/types.go`):
 *   v1/types.go:114 ClientKeyData []byte `json:"client-key-data,omitempty" datapolicy:"security-key"`
 *   v1/types.go:117 Token string         `json:"token,omitempty" datapolicy:"token"`
 *   v1/types.go:139 Password string      `json:"password,omitempty" datapolicy:"password"`
 * (api/types.go tags the same three fields.) All are in AuthInfo, i.e. users[].user.
 */
const CLIENT_GO_DATAPOLICY = [
  { json: "client-key-data", policy: "security-key" },
  { json: "token", policy: "token" },
  { json: "password", policy: "password" },
];

/** The values kubectl wrote from make.sh's command line: every one is a secret. */
const SECRETS_KUBECONFIG = fx("secrets/kubeconfig.yaml");
const SECRET_VALUES = [...new Set([...SECRETS_KUBECONFIG.matchAll(/s3cret-[\w-]+/g)].map((m) => m[0]))];
const KEY_DATA = parse(SECRETS_KUBECONFIG).users.find((u: { name: string }) => u.name === "cert").user["client-key-data"] as string;
const keyLines = (b64: string) =>
  Buffer.from(b64, "base64")
    .toString("utf8")
    .split("\n")
    .filter((l: string) => l.length > 20 && !l.startsWith("-----"));

function expectNoSecret(text: string, secrets: string[]) {
  for (const s of secrets) expect(text.includes(s), `secret ${s.slice(0, 24)}… left in the output`).toBe(false);
}

describe("stripSecrets: the fields client-go tags with datapolicy", () => {
  it.each(CLIENT_GO_DATAPOLICY)("users[].user.$json ($policy) is replaced by the marker and listed", ({ json }) => {
    const kc = parse(fx("e2e-users/kubeconfig.yaml"));
    const value = `value-of-${json}-that-must-not-leave`;
    kc.users[0].user[json] = value;
    for (const [text, format] of [
      [stringify(kc), "yaml"],
      [JSON.stringify(kc), "json"],
    ] as const) {
      const r = stripSecrets(text);
      expect(r.complete, format).toBe(true);
      expect(r.text).not.toContain(value);
      expect(r.removed).toContain(`users[e2e-user].${json}`);
      const back = format === "json" ? JSON.parse(r.text) : parse(r.text);
      expect(back.users[0].user[json]).toBe("certaudit:stripped");
    }
  });
});

describe("stripSecrets: a kubeconfig kubectl wrote with every kind of credential", () => {
  const r = stripSecrets(SECRETS_KUBECONFIG);
  it("holds the secrets make.sh gave kubectl (the test is not empty)", () => {
    expect(SECRET_VALUES.length).toBeGreaterThanOrEqual(12);
  });
  it("leaves none of them, nor the private key, and says it is complete", () => {
    expect(r.complete).toBe(true);
    expectNoSecret(r.text, [...SECRET_VALUES, KEY_DATA, ...keyLines(KEY_DATA)]);
    expect(r.text).not.toMatch(/PRIVATE KEY|UFJJVkFURSBLRV/);
  });
  it("lists what it removed by path, from client-go's AuthInfo, ExecConfig and AuthProviderConfig fields", () => {
    // Paths for the fields of k8s.io/client-go/tools/clientcmd/api/v1/types.go that hold the values above.
    const expected = [
      "clusters[creds].server (userinfo)",
      "clusters[creds].proxy-url (userinfo)",
      "users[basic].password",
      "users[basic].username",
      "users[bearer].token",
      "users[bearer].new-secret-thing",
      "users[cert].client-key-data",
      "users[oidc].auth-provider.config.client-secret",
      "users[oidc].auth-provider.config.id-token",
      "users[oidc].auth-provider.config.refresh-token",
      "users[plugin].exec.args",
      "users[plugin].exec.env[API_KEY].value",
      "users[plugin].exec.env[REGION].value",
    ];
    for (const p of expected) expect(r.removed).toContain(p);
    expect(r.removed.join("\n")).not.toMatch(/s3cret/);
  });
  it("keeps what the audit reads: servers without userinfo, CA and client certificates, names, exec command, env names", async () => {
    const out = parse(r.text);
    expect(out.clusters[0].cluster.server).toBe("https://127.0.0.1:6443");
    expect(out.clusters[0].cluster["proxy-url"]).toBe("http://127.0.0.1:3128");
    const orig = parse(SECRETS_KUBECONFIG);
    expect(out.clusters[0].cluster["certificate-authority-data"]).toBe(orig.clusters[0].cluster["certificate-authority-data"]);
    const cert = (doc: any) => doc.users.find((u: any) => u.name === "cert").user["client-certificate-data"];
    expect(cert(out)).toBe(cert(orig));
    const plugin = out.users.find((u: any) => u.name === "plugin").user.exec;
    expect(plugin).toMatchObject({ command: "get-token", apiVersion: "client.authentication.k8s.io/v1", interactiveMode: "Never" });
    expect(plugin.env.map((e: any) => e.name)).toEqual(["API_KEY", "REGION"]);
    expect(out.contexts.map((c: any) => c.name)).toEqual(orig.contexts.map((c: any) => c.name));
    expect(out["current-context"]).toBe("cert");
    // The audit of the stripped file sees the same certificates and the same credentials kinds.
    const [a, b] = await Promise.all([
      audit({ kubeconfig: SECRETS_KUBECONFIG }, { at: AT, subtle: crypto.subtle }),
      audit({ kubeconfig: r.text }, { at: AT, subtle: crypto.subtle }),
    ]);
    expect(b.certificates.map((c) => c.id)).toEqual(a.certificates.map((c) => c.id));
    expect(b.contexts.map((c) => c.client.authMethods)).toEqual(a.contexts.map((c) => c.client.authMethods));
    expect(b.contexts.find((c) => c.name === "cert")!.client.keyMatches).toBeNull();
  });
  it.skipIf(!hasKubectl)("kubectl still loads the stripped file and shows the same public fields", () => {
    // kubectl refuses the marker in a []byte field ("illegal base64 data" for client-key-data),
    // so this check leaves the user with key data out; the audit knows the marker (next test).
    const noKey = parse(SECRETS_KUBECONFIG);
    noKey.users = noKey.users.filter((u: any) => u.name !== "cert");
    noKey.contexts = noKey.contexts.filter((c: any) => c.name !== "cert");
    noKey["current-context"] = "bearer";
    const r = stripSecrets(stringify(noKey));
    const view = (text: string, name: string) => {
      const file = join(tmp, name);
      writeFileSync(file, text);
      const p = spawnSync("kubectl", ["--kubeconfig", file, "config", "view", "--raw", "-o", "json"], {
        encoding: "utf8",
        env: { ...process.env, HOME: tmp },
      });
      expect(p.status, p.stderr).toBe(0);
      return JSON.parse(p.stdout);
    };
    const before = view(stringify(noKey), "before.yaml");
    const after = view(r.text, "after.yaml");
    expect(after.clusters[0].cluster["certificate-authority-data"]).toBe(before.clusters[0].cluster["certificate-authority-data"]);
    expect(after.clusters[0].cluster.server).toBe(before.clusters[0].cluster.server.replace("kube-admin:s3cret-in-server-url@", ""));
    expect(after.contexts).toEqual(before.contexts);
    expect(after["current-context"]).toBe(before["current-context"]);
    expect(after.users.map((u: any) => u.name)).toEqual(before.users.map((u: any) => u.name));
    expectNoSecret(JSON.stringify(after), SECRET_VALUES);
  });
  it("the audit reads the marker as withheld, not as the bad base64 kubectl would refuse", async () => {
    const rep = await audit({ kubeconfig: r.text }, { at: AT, subtle: crypto.subtle });
    const atKey = rep.findings.filter((f) => f.path === "users[cert].client-key-data").map((f) => f.code);
    expect(atKey).toEqual(["input.secret-stripped"]);
  });
});

it("leaves kubectl's own placeholders (`kubectl config view` writes DATA+OMITTED and REDACTED) as they are", () => {
  const view = fx("multi-context/view-redacted.yaml");
  const r = stripSecrets(view);
  expect(r.removed).toEqual([]);
  expect(parse(r.text)).toEqual(parse(view));
});

describe("stripSecrets: an allow-list strips what it does not know", () => {
  // One made-up field at every level of client-go's Config: a future field may hold anything.
  const kc = parse(fx("secrets/kubeconfig.yaml"));
  const planted: string[] = [];
  const plant = (obj: Record<string, unknown>, where: string) => {
    const v = `future-secret-${planted.length}-${where.replace(/\W/g, "")}`;
    obj["zz-future-field"] = v;
    planted.push(v);
  };
  plant(kc, "top");
  plant(kc.preferences, "preferences");
  plant(kc.clusters[0], "cluster entry");
  plant(kc.clusters[0].cluster, "cluster");
  plant(kc.contexts[0].context, "context");
  plant(kc.users[0].user, "user");
  const plugin = kc.users.find((u: any) => u.name === "plugin").user.exec;
  plant(plugin, "exec");
  plant(plugin.env[0], "env entry");
  plant(kc.users.find((u: any) => u.name === "oidc").user["auth-provider"], "auth-provider");
  kc.clusters[0].cluster.extensions = [
    { name: "ext", extension: { apiVersion: "v1", kind: "Secret", data: "future-secret-in-extension" } },
  ];
  planted.push("future-secret-in-extension");
  it.each(["yaml", "json"])("%s: none of the planted values leaves, each is listed", (format) => {
    const r = stripSecrets(format === "json" ? JSON.stringify(kc) : stringify(kc));
    expect(r.complete).toBe(true);
    expectNoSecret(r.text, [...planted, ...SECRET_VALUES]);
    expect(r.removed.filter((p) => p.endsWith(".zz-future-field") || p === "zz-future-field")).toHaveLength(planted.length - 1);
    expect(r.removed).toContain("clusters[creds].extensions[ext].extension");
    expect(r.text).toContain("ext");
  });
  it("a structure where client-go has a string is withheld whole", () => {
    const k = parse(fx("e2e-users/kubeconfig.yaml"));
    k.users[0].user.as = { nested: "secret-under-a-string-field" };
    k.users[0].user["as-groups"] = ["dev", { nested: "secret-in-a-group" }];
    const r = stripSecrets(stringify(k));
    expectNoSecret(r.text, ["secret-under-a-string-field", "secret-in-a-group"]);
    expect(r.removed).toEqual(expect.arrayContaining(["users[e2e-user].as", "users[e2e-user].as-groups[1]"]));
    expect(parse(r.text).users[0].user["as-groups"][0]).toBe("dev");
  });
  it("a private key put in client-certificate-data by mistake is cut out; the certificate stays", async () => {
    const k = parse(fx("e2e-users/kubeconfig.yaml"));
    const both = fx("e2e-users/client.crt") + fx("e2e-users/client.key");
    k.users[0].user["client-certificate-data"] = Buffer.from(both).toString("base64");
    delete k.users[0].user["client-key-data"];
    const r = stripSecrets(stringify(k));
    const data = Buffer.from(parse(r.text).users[0].user["client-certificate-data"], "base64").toString("utf8");
    expect(data).toContain("BEGIN CERTIFICATE");
    expect(data).not.toContain("PRIVATE KEY");
    expectNoSecret(r.text, keyLines(Buffer.from(fx("e2e-users/client.key")).toString("base64")));
    expect(r.removed).toContain("users[e2e-user].client-certificate-data: private key block 1");
    const rep = await audit({ kubeconfig: r.text }, { at: AT, subtle: crypto.subtle });
    expect(rep.certificates.length).toBeGreaterThan(0);
  });
});

describe("stripSecrets: PEM and DER", () => {
  const cert = fx("e2e-users/ca.crt");
  const keys = [
    "keys/rsa-pkcs1.pem",
    "keys/ec-sec1.pem",
    "keys/ed25519-pkcs8.pem",
    "keys/ec-encrypted-pkcs8.pem",
    "keys/rsa-encrypted-legacy.pem",
  ].map(fx);
  const bodyLines = (pem: string) => pem.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----") && !l.includes(":"));
  it("keeps only public blocks: every private key kind, unknown labels and text between blocks go", () => {
    const openssh =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
    const odd = "-----BEGIN SECRET STUFF-----\nc2VjcmV0LXN0dWZmLWJvZHk=\n-----END SECRET STUFF-----\n";
    const text = `# token: comment-secret-123\n${cert}${keys.join("")}${openssh}${odd}trailing note password=note-secret-456\n${cert}`;
    const r = stripSecrets(text);
    expect(r.complete).toBe(true);
    expectNoSecret(r.text, [
      ...keys.flatMap(bodyLines),
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
      "c2VjcmV0LXN0dWZmLWJvZHk=",
      "comment-secret-123",
      "note-secret-456",
    ]);
    expect(r.text.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(r.removed).toEqual([
      ...keys.map((_, i) => `private key block ${i + 1}`),
      "private key block 6",
      "PEM block 8 (SECRET STUFF)",
      "text outside PEM blocks",
    ]);
  });
  it("cuts PEM that lost its line breaks at the same markers", () => {
    const flat = (cert + fx("e2e-users/client.key")).replace(/\n/g, "");
    const r = stripSecrets(flat);
    expect(r.text).toContain("-----BEGIN CERTIFICATE-----");
    expect(r.text).not.toContain("PRIVATE KEY");
    expectNoSecret(r.text, bodyLines(fx("e2e-users/client.key")));
  });
  it("base64 of a DER certificate leaves; base64 of a DER private key does not", () => {
    const b64 = (pem: string) =>
      pem
        .split("\n")
        .filter((l) => l && !l.startsWith("-----"))
        .join("");
    expect(stripSecrets(b64(cert))).toMatchObject({ complete: true, removed: [] });
    expect(stripSecrets(b64(fx("keys/rsa-pkcs8.pem")))).toMatchObject({ complete: false, problem: { code: "input.unrecognized" } });
  });
  it("text the audit cannot read is not complete, with the audit's own reason", () => {
    expect(stripSecrets("hello, password=hunter2")).toMatchObject({ complete: false, problem: { code: "input.unrecognized" } });
    expect(stripSecrets("users: &a [x]\nclusters: *a\n")).toMatchObject({ complete: false, problem: { code: "input.yaml-unsafe" } });
    expect(stripSecrets("apiVersion: v1\nusers: [\n  token: x")).toMatchObject({ complete: false, problem: { code: "input.yaml-syntax" } });
  });
});

describe("userinfo in server URLs", () => {
  const CASES = [
    "https://user:pass@127.0.0.1:6443",
    "https://kube-admin:s3cret@api.example.com:6443/prefix",
    "https://only-user@api.example.com",
    "https://a@b@api.example.com",
    "https://user:p%40ss@[::1]:6443",
    "user:pass@api.example.com:6443",
    "https:user@api.example.com",
    "https://api.example.com/p@th",
    "https://api.example.com?x=@y",
    "https://u:p@api.example.com#frag@x",
    "https://127.1:6443",
    "api.example.com:6443",
  ];
  it.skipIf(!hasGo)("withoutUserinfo keeps the host Go reads and leaves no userinfo (client-go DefaultServerURL + url.Parse)", () => {
    const oracle = (urls: string[]) => {
      const p = spawnSync("go", ["run", new URL("../oracles/serverurl/main.go", import.meta.url).pathname], {
        input: JSON.stringify(urls),
        encoding: "utf8",
        env: { ...process.env, GO111MODULE: "off" },
      });
      expect(p.status, p.stderr).toBe(0);
      return JSON.parse(p.stdout) as { host: string; hasUser: boolean; error?: string }[];
    };
    const before = oracle(CASES);
    const after = oracle(CASES.map(withoutUserinfo));
    CASES.forEach((url, i) => {
      expect(after[i]!.hasUser, url).toBe(false);
      expect(after[i]!.host, url).toBe(before[i]!.host);
    });
    // The oracle sees userinfo where we claim it is (the cases are not vacuous).
    expect(before.filter((b) => b.hasUser)).toHaveLength(8);
    // Without userinfo the text is left exactly as written (no WHATWG rewrite of 127.1).
    expect(withoutUserinfo("https://127.1:6443")).toBe("https://127.1:6443");
  });
  it.skipIf(!hasKubectl)(
    "kubectl sends userinfo as basic auth instead of the user's token (kubeconfig.server-userinfo says so)",
    async () => {
      // A local HTTP server records what kubectl sends for `get --raw /version`.
      const seen: (string | undefined)[] = [];
      const server = createServer((req, res) => {
        seen.push(req.headers.authorization);
        res.writeHead(200, { "content-type": "application/json" }).end('{"major":"1","minor":"30","gitVersion":"v1.30.0"}');
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const port = (server.address() as AddressInfo).port;
      const kc = `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://alice:pw123@127.0.0.1:${port}\nusers:\n- name: u\n  user:\n    token: the-users-token\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`;
      const file = join(tmp, "userinfo.yaml");
      writeFileSync(file, kc);
      try {
        await promisify(execFile)("kubectl", ["--kubeconfig", file, "get", "--raw", "/version", "--request-timeout=5s"], {
          env: { ...process.env, HOME: tmp },
        });
      } finally {
        server.close();
      }
      expect(seen.length).toBeGreaterThan(0);
      for (const h of seen) expect(h).toBe(`Basic ${Buffer.from("alice:pw123").toString("base64")}`);
      const rep = await audit({ kubeconfig: kc }, { at: AT, subtle: crypto.subtle });
      const f = rep.findings.find((x) => x.code === "kubeconfig.server-userinfo");
      expect(f?.path).toBe("clusters[c].server");
      expect(JSON.stringify(rep)).not.toContain("pw123");
    },
  );
  it("the report, its findings and the stripped upload never echo userinfo", async () => {
    const rep = await audit({ kubeconfig: SECRETS_KUBECONFIG }, { at: AT, subtle: crypto.subtle });
    const json = JSON.stringify(rep);
    expect(json).not.toContain("s3cret-in-server-url");
    expect(json).not.toContain("kube-admin");
    expect(json).not.toContain("s3cret-in-proxy-url");
    expect(rep.contexts.map((c) => c.server)).toEqual(rep.contexts.map(() => "https://127.0.0.1:6443"));
  });
});
