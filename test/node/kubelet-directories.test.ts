// How the kubelet's directory arrives, on both surfaces: `certaudit /etc/kubernetes /var/lib/kubelet`
// (each directory placed where the flags and config files name it; links followed, as the kubelet
// follows kubelet-client-current.pem; pods/ never read), `--endpoint` (the certificate of a
// certificate+key file goes, its key becomes the public key's SHA-256, computed here by openssl), and
// one tar over the API (`tar -h` stores the link's target; a tar with the link itself is refused).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDirectories } from "../../src/cli/directories.ts";
import { runCli } from "./helpers/in-process-cli.ts";
import { controlPlaneReport } from "../../src/core/cluster/index.ts";
import { KUBEADM_DIR } from "../core/helpers/kubeadm-tree.ts";
import { needTool } from "./helpers/tools.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { postAudit } from "./helpers/post-audit.ts";

const AT = "2026-11-01T00:00:00Z";
const KUBELET = join(KUBEADM_DIR, "kubelet");
const PEM = "pki/kubelet-client-current.pem";

async function run(args: string[]) {
  const r = await runCli(args);
  return { ...r, sent: r.requests.map((q) => q.body as FormData) };
}
// `from` names where a kubeconfig's key came from (client-key-data here, client-key-pubsha256 in an upload): compare the rest.
const verdicts = (j: any) =>
  j.cluster.edges.map((e: any) => `${e.relation} ${e.from.replace("client-key-pubsha256", "client-key-data")} → ${e.to}: ${e.verdict}`);
const edge = (j: any, relation: string, from: RegExp) => j.cluster.edges.find((e: any) => e.relation === relation && from.test(e.from));

/** A node's root: etc/kubernetes (a control-plane fixture) and var/lib/kubelet (a kubelet fixture, its link kept). */
function nodeRoot(cp: string, kubelet: string): string {
  const root = mkdtempSync(join(tmpdir(), "certaudit-node-"));
  cpSync(join(KUBEADM_DIR, cp), join(root, "etc/kubernetes"), { recursive: true });
  cpSync(join(KUBELET, kubelet), join(root, "var/lib/kubelet"), { recursive: true, verbatimSymlinks: true });
  return root;
}

describe("certaudit DIR DIR: the control plane and the kubelet's directory", () => {
  it("kubelet-ca + kubelet/base: the kubelet's files resolve at /var/lib/kubelet, in either order; the link is read as its target", async () => {
    const cp = join(KUBEADM_DIR, "kubelet-ca");
    const kl = join(KUBELET, "base");
    const a = await run([cp, kl, "--at", AT, "--format", "json"]);
    const b = await run([kl, cp, "--at", AT, "--format", "json"]);
    expect(a.err).toBe("");
    expect(a.code).toBe(1);
    const ja = JSON.parse(a.out);
    expect(verdicts(ja)).toEqual(verdicts(JSON.parse(b.out)));
    expect(edge(ja, "kubelet-serving", /^kubelet \(serving/).verdict).toBe("broken");
    expect(edge(ja, "client", /^kubelet$/).verdict).toBe("holds");
    expect(ja.input.parts).toContain("var/lib/kubelet/pki/kubelet-client-current.pem");
    // The link and its target hold the same bytes (the link was followed, not read as a path).
    const tree = readDirectories([cp, kl], "/");
    expect(Buffer.from(tree.get("var/lib/kubelet/pki/kubelet-client-current.pem")!)).toEqual(
      readFileSync(join(kl, "pki/kubelet-client-2026-08-20-00-00-00.pem")),
    );
  });

  it("the table names both directories and puts the broken kubelet edge first", async () => {
    const r = await run([join(KUBEADM_DIR, "kubelet-ca"), join(KUBELET, "base"), "--at", AT]);
    const lines = r.out.split("\n");
    expect(lines[0]).toContain(`${join(KUBEADM_DIR, "kubelet-ca")} ${join(KUBELET, "base")}: kubeadm control plane`);
    expect(lines.find((l) => /^ {2}(holds|BROKEN|unknown) /.test(l))).toMatch(/^ {2}BROKEN\s+now\s+kubelet-serving\s+kubelet \(serving/);
  });

  it("pods/ (the Pods' Secret volumes) is never read; a dangling kubelet-client-current.pem is a missing file", async () => {
    const root = nodeRoot("kubelet-finalized", "base");
    const vol = join(root, "var/lib/kubelet/pods/0000/volumes/kubernetes.io~secret/tls");
    mkdirSync(vol, { recursive: true });
    writeFileSync(join(vol, "tls.crt"), readFileSync(join(KUBEADM_DIR, "base/pki/ca.crt")));
    const tree = readDirectories([join(root, "etc/kubernetes"), join(root, "var/lib/kubelet")], "/");
    expect([...tree.keys()].filter((k) => k.includes("pods/"))).toEqual([]);
    const link = join(root, "var/lib/kubelet", PEM);
    execFileSync("rm", [link]);
    symlinkSync("kubelet-client-2031-01-01-00-00-00.pem", link);
    const r = JSON.parse((await run([join(root, "etc/kubernetes"), join(root, "var/lib/kubelet"), "--at", AT, "--format", "json"])).out);
    expect(edge(r, "client", /^kubelet$/).verdict).toBe("unknown");
    expect(r.findings.some((f: any) => f.code === "cluster.file-missing" && f.path === `var/lib/kubelet/${PEM}`)).toBe(true);
  });

  it("--endpoint: the certificate+key file goes as its certificate and the key's SHA-256; the edges are the local ones", async (ctx) => {
    needTool(ctx, "openssl");
    const dirs = [join(KUBEADM_DIR, "kubelet-finalized"), join(KUBELET, "base")];
    const remote = await run([...dirs, "--endpoint", "http://certaudit.test", "--at", AT, "--format", "json"]);
    const local = await run([...dirs, "--at", AT, "--format", "json"]);
    expect(remote.err).toBe("");
    const body = await new Response(remote.sent[0]!).text();
    expect(body).not.toMatch(/PRIVATE KEY/);
    expect(body).toContain(`filename="var/lib/kubelet/${PEM}"`);
    expect(body).toContain(`filename="var/lib/kubelet/${PEM}.pubsha256"`);
    const der = execFileSync("openssl", ["pkey", "-in", join(KUBELET, "base", PEM), "-pubout", "-outform", "DER"]);
    expect(body).toContain(execFileSync("openssl", ["dgst", "-sha256", "-r"], { input: der }).toString().split(" ")[0]);
    const cert = execFileSync("openssl", ["x509", "-in", join(KUBELET, "base", PEM)], { encoding: "utf8" });
    expect(body).toContain(cert.trim());
    expect(verdicts(JSON.parse(remote.out)).join("\n")).toEqual(verdicts(JSON.parse(local.out)).join("\n"));
    const pair = edge(JSON.parse(remote.out), "key-pair", /kubelet-client-current\.pem/);
    expect(pair.verdict).toBe("holds");
  });
});

const haveTar = toolWorks("tar", ["--version"]);
const withTar = describeWithTool("tar", haveTar, "apt-get install tar");

withTar("one tar of / over the API: etc/kubernetes and var/lib/kubelet", () => {
  const post = (body: Uint8Array) => postAudit(body as Uint8Array<ArrayBuffer>, "application/gzip", AT);
  const tar = (root: string, args: string[]) => {
    // GNU tar stores a second name of one inode as a hard link, even with -h: --hard-dereference stores the file again.
    const r = spawnSync("tar", ["-C", root, ...args, "etc/kubernetes", "var/lib/kubelet/config.yaml", "var/lib/kubelet/pki"], {
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
    return new Uint8Array(r.stdout);
  };

  it("tar --dereference --hard-dereference (links followed) gives the edges the local directories give", async () => {
    const root = nodeRoot("kubelet-ca", "base");
    const r = await post(tar(root, ["--dereference", "--hard-dereference", "-czf", "-"]));
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const local = await controlPlaneReport(readDirectories([join(root, "etc/kubernetes"), join(root, "var/lib/kubelet")], "/"), {
      at: new Date(AT),
      subtle: crypto.subtle,
    });
    expect(verdicts(r.json)).toEqual(verdicts(local));
    expect(edge(r.json, "kubelet-serving", /^kubelet \(serving/).verdict).toBe("broken");
    expect(edge(r.json, "client", /^kubelet$/).verdict).toBe("holds");
  });

  it("a tar of var/lib/kubelet alone keeps its place (the one top folder var/ is not stripped)", async () => {
    const root = nodeRoot("base", "base");
    const r = spawnSync("tar", [
      "-C",
      root,
      "--dereference",
      "--hard-dereference",
      "-czf",
      "-",
      "var/lib/kubelet/config.yaml",
      "var/lib/kubelet/pki",
    ]);
    const res = await post(new Uint8Array(r.stdout));
    expect(res.status).toBe(200);
    expect(res.json.cluster.files.map((f: any) => f.path)).toContain("var/lib/kubelet/pki/kubelet.crt");
    expect(res.json.cluster.assumptions.some((a: string) => a.startsWith("the kubelet runs with kubeadm's"))).toBe(false);
  });

  it("tar -czf keeps kubelet-client-current.pem as a link, and tar -h alone as a hard link: both refused (archive.link-refused), naming the flags", async () => {
    for (const args of [
      ["-czf", "-"],
      ["-chzf", "-"],
    ]) {
      const r = await post(tar(nodeRoot("kubelet-ca", "base"), args));
      expect(r.status).toBe(400);
      expect(r.json.code).toBe("archive.link-refused");
      expect(r.json.detail).toContain("tar -h --hard-dereference");
    }
  });
});
