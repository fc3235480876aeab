// Which kubeconfig the CLI audits, and how it reads the files it names, against kubectl itself:
// `KUBECONFIG=a:b kubectl config view --raw --flatten -o json` is the oracle for the merge
// (client-go tools/clientcmd/loader.go ClientConfigLoadingRules.Load: the first file to define a
// name wins it whole; current-context from the first file that sets it; missing files in the
// list are skipped) and for relative paths (loader.go ResolveLocalPaths: relative to the
// directory of the file that holds them; FlattenConfig embeds them as *-data).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { AT, BIN, FIX, runNode } from "../cli/helpers.ts";
import { describeWithTool } from "../helpers/tools.ts";

const KUBECTL = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].find((p) => existsSync(p));
const withKubectl = describeWithTool("kubectl", KUBECTL !== undefined, "apt-get install kubectl");
const root = mkdtempSync(join(tmpdir(), "certaudit-kubeconfig-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fp = (pem: string) => {
  const b64 = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)![1]!.replace(/\s+/g, "");
  return `sha256:${createHash("sha256").update(Buffer.from(b64, "base64")).digest("hex")}`;
};

/** Two kubeconfigs in different directories, with overlapping names and relative file references. */
function setup() {
  const a = join(root, "a");
  const b = join(root, "b", "nested");
  mkdirSync(join(a, "pki"), { recursive: true });
  mkdirSync(join(root, "b", "shared"), { recursive: true });
  mkdirSync(b, { recursive: true });
  for (const f of ["ca.crt", "client.crt", "client.key"]) copyFileSync(join(FIX, "e2e-users", f), join(a, "pki", f));
  for (const f of ["ca.crt", "client.crt", "client.key"]) copyFileSync(join(FIX, "intermediate", f), join(root, "b", "shared", f));
  // a: no current-context; defines shared, only-a, u, ctx.
  writeFileSync(
    join(a, "config"),
    `apiVersion: v1
kind: Config
clusters:
- name: shared
  cluster:
    server: https://a.example:6443
    certificate-authority: pki/ca.crt
- name: only-a
  cluster:
    server: https://only-a.example:6443
    certificate-authority: ./pki/ca.crt
users:
- name: u
  user:
    client-certificate: pki/client.crt
    client-key: pki/client.key
contexts:
- name: ctx
  context: {cluster: shared, user: u}
- name: ctx-a
  context: {cluster: only-a, user: u}
`,
  );
  // b: redefines shared, u and ctx (all lose to a), adds only-b; sets current-context.
  writeFileSync(
    join(b, "config"),
    `apiVersion: v1
kind: Config
current-context: ctx-b
clusters:
- name: shared
  cluster:
    server: https://b.example:6443
    certificate-authority: ../shared/ca.crt
- name: only-b
  cluster:
    server: https://only-b.example:6443
    certificate-authority: ../shared/ca.crt
users:
- name: u
  user:
    client-certificate: ../shared/client.crt
    client-key: ../shared/client.key
- name: ub
  user:
    client-certificate: ../shared/client.crt
    client-key: ../shared/client.key
contexts:
- name: ctx
  context: {cluster: only-b, user: ub}
- name: ctx-b
  context: {cluster: only-b, user: ub}
`,
  );
  return { a: join(a, "config"), b: join(b, "config"), missing: join(root, "nope", "config") };
}

interface Flat {
  "current-context"?: string;
  clusters: { name: string; cluster: { server: string; "certificate-authority-data"?: string } }[];
  users: { name: string; user: { "client-certificate-data"?: string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

withKubectl("certaudit with no FILE reads what kubectl reads", () => {
  it("KUBECONFIG=a:missing:b: the same contexts, clusters, users, CA and client certificates as `kubectl config view --raw --flatten`", async () => {
    const { a, b, missing } = setup();
    const KUBECONFIG = [a, missing, b].join(":");
    const k = spawnSync(KUBECTL!, ["config", "view", "--raw", "--flatten", "-o", "json"], {
      env: { PATH: process.env.PATH ?? "", HOME: root, KUBECONFIG },
      encoding: "utf8",
    });
    expect(k.status, k.stderr).toBe(0);
    const flat = JSON.parse(k.stdout) as Flat;
    const r = await runNode(BIN, ["--format", "json", "--at", AT], { env: { KUBECONFIG, HOME: root } });
    expect(r.stderr).toContain(`${missing} does not exist (skipped`);
    const rep = JSON.parse(r.stdout);

    const want = flat.contexts.map((c) => {
      const cl = flat.clusters.find((x) => x.name === c.context.cluster)!;
      const us = flat.users.find((x) => x.name === c.context.user)!;
      return {
        name: c.name,
        cluster: c.context.cluster,
        user: c.context.user,
        server: cl.cluster.server,
        current: c.name === flat["current-context"],
        ca: fp(Buffer.from(cl.cluster["certificate-authority-data"]!, "base64").toString()),
        client: fp(Buffer.from(us.user["client-certificate-data"]!, "base64").toString()),
      };
    });
    const got = rep.contexts.map(
      (c: {
        name: string;
        cluster: string;
        user: string;
        server: string;
        current: boolean;
        clusterCA: string[];
        client: { certificate: string };
      }) => ({
        name: c.name,
        cluster: c.cluster,
        user: c.user,
        server: c.server,
        current: c.current,
        ca: c.clusterCA[0],
        client: c.client.certificate,
      }),
    );
    const byName = (x: { name: string }, y: { name: string }) => x.name.localeCompare(y.name);
    expect(got.sort(byName)).toEqual(want.sort(byName));
    // The oracle really exercised the rules: a's "ctx" and "shared" won over b's, b's current-context was used.
    expect(flat["current-context"]).toBe("ctx-b");
    expect(want.find((c) => c.name === "ctx")!.server).toBe("https://a.example:6443");
    expect(rep.findings.map((f: { code: string }) => f.code)).not.toContain("kubeconfig.file-reference");

    // The table says where each certificate was read from.
    const t = await runNode(BIN, ["--at", AT], { env: { KUBECONFIG, HOME: root } });
    expect(t.stdout).toContain(`users[u].client-certificate-data[0], read from ${join(root, "a", "pki", "client.crt")}`);
  });

  it("no KUBECONFIG: ~/.kube/config; --kubeconfig FILE: that file alone; --context NAME: only that context, made current", async () => {
    const { b } = setup();
    mkdirSync(join(root, "home", ".kube"), { recursive: true });
    copyFileSync(b, join(root, "home", ".kube", "config"));
    // The copy's relative paths now point elsewhere: kubectl resolves them against ~/.kube too.
    const k = spawnSync(KUBECTL!, ["config", "view", "--raw", "--flatten", "-o", "json"], {
      env: { PATH: process.env.PATH ?? "", HOME: join(root, "home") },
      encoding: "utf8",
    });
    expect(k.status).not.toBe(0);
    expect(k.stderr).toMatch(/no such file or directory/);
    const home = await runNode(BIN, ["--format", "json", "--at", AT], { env: { HOME: join(root, "home") } });
    expect(home.code).toBe(1);
    const rep = JSON.parse(home.stdout);
    const unreadable = rep.findings.filter((f: { code: string }) => f.code === "kubeconfig.file-unreadable");
    expect(unreadable.map((f: { path: string }) => f.path).sort()).toEqual([
      "clusters[only-b].certificate-authority",
      "clusters[shared].certificate-authority",
      "users[u].client-certificate",
      "users[u].client-key",
      "users[ub].client-certificate",
      "users[ub].client-key",
    ]);
    expect(unreadable[0].severity).toBe("error");
    expect(unreadable.map((f: { message: string }) => f.message).join(" ")).toContain(join(root, "home", "shared", "ca.crt"));
    expect(rep.contexts.every((c: { verdict: string }) => c.verdict === "fail")).toBe(true);

    const explicit = await runNode(BIN, ["--format", "json", "--at", AT, "--kubeconfig", b, "--context", "ctx"], {
      env: { HOME: join(root, "home") },
    });
    const one = JSON.parse(explicit.stdout);
    expect(one.contexts.map((c: { name: string; current: boolean; cluster: string }) => [c.name, c.current, c.cluster])).toEqual([
      ["ctx", true, "only-b"],
    ]);
    // Only what that context uses: cluster only-b and user ub (the other user and cluster are not audited).
    const paths = one.certificates.flatMap((c: { sources: { path: string }[] }) => c.sources.map((x) => x.path.replace(/\].*$/, "]")));
    expect([...new Set(paths)].sort()).toEqual(["clusters[only-b]", "users[ub]"]);

    // A FILE argument is read the same way, whatever the working directory (minikube-style
    // kubeconfigs name their certificates by path): relative to the file, not to the cwd.
    const positional = await runNode(BIN, ["--format", "json", "--at", AT, "a/config"], { cwd: root, env: { HOME: join(root, "home") } });
    const pr = JSON.parse(positional.stdout);
    expect(pr.summary.certificates).toBeGreaterThan(0);
    expect(pr.contexts.map((c: { clusterCA: string[] }) => c.clusterCA.length)).toEqual([1, 1]);
    expect(pr.findings.map((f: { code: string }) => f.code)).not.toContain("kubeconfig.file-unreadable");

    const none = await runNode(BIN, [], { env: { HOME: join(root, "empty-home") } });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      `certaudit: error [cli.no-kubeconfig]: ${join(root, "empty-home", ".kube", "config")}: no kubeconfig found: the file does not exist (pass FILE or --kubeconfig FILE)\n`,
    );

    const gone = await runNode(BIN, ["--kubeconfig", join(root, "none")], { env: { HOME: join(root, "home") } });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/^certaudit: error \[cli\.unreadable\]: \S+none: cannot read \(ENOENT\)\n$/);
  });

  it("a missing tokenFile: kubectl refuses to start with the path resolved against the kubeconfig's directory; certaudit names the same file as an error", async () => {
    const dir = join(root, "tok", "sub");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "config");
    writeFileSync(
      file,
      `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
users:
- name: u
  user: {tokenFile: ../nothere.token}
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
`,
    );
    const k = spawnSync(KUBECTL!, ["--kubeconfig", file, "get", "--raw", "/version", "--request-timeout=3s"], {
      env: { PATH: process.env.PATH ?? "", HOME: root },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(k.status).not.toBe(0);
    const kubectlPath = /open (\S+): no such file or directory/.exec(k.stderr)?.[1];
    expect(kubectlPath).toBe(join(root, "tok", "nothere.token"));
    const r = await runNode(BIN, ["--format", "json", "--at", AT, file], { cwd: "/" });
    const rep = JSON.parse(r.stdout);
    const f = rep.findings.find((x: { code: string }) => x.code === "kubeconfig.file-unreadable");
    expect(f.path).toBe("users[u].tokenFile");
    expect(f.message).toContain(`names ${kubectlPath}, which cannot be read (ENOENT)`);
    expect(rep.verdict).toBe("fail");
    // Readable: not inlined (kubectl reads it on each request), no error.
    writeFileSync(join(root, "tok", "nothere.token"), "abc\n");
    const ok = JSON.parse((await runNode(BIN, ["--format", "json", "--at", AT, file])).stdout);
    expect(ok.findings.map((x: { code: string }) => x.code)).not.toContain("kubeconfig.file-unreadable");
  });

  it("a reference to something that is not a regular file (/dev/zero) is an error finding, not a hang", async () => {
    const file = join(root, "zero.yaml");
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1", certificate-authority: /dev/zero}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n`,
    );
    const r = await runNode(BIN, ["--format", "json", "--at", AT, file]);
    const f = JSON.parse(r.stdout).findings.find((x: { code: string }) => x.code === "kubeconfig.file-unreadable");
    expect(f.path).toBe("clusters[c].certificate-authority");
    expect(f.message).toContain("not a regular file");
  }, 10_000);
});
