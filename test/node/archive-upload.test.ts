// A control-plane directory uploaded to POST /v1/audit as real `tar` makes it (GNU tar -cf /
// -czf, read back as bytes) and as multipart parts named by their relative paths, fed to the
// Worker's Hono app in-process. The upload must give the same edges as `certaudit DIR` reads
// locally, and the refusals real tar can produce (links, devices, absolute paths, `..`) are
// each a 4xx problem with its own code.
import { spawnSync } from "node:child_process";
import { linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTree } from "../../src/cli/cluster.ts";
import { controlPlaneReport } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { postAudit } from "./helpers/post-audit.ts";

const haveTar = toolWorks("tar", ["--version"]);
const withTar = describeWithTool("tar", haveTar, "apt-get install tar");

const KUBEADM = new URL("../fixtures/kubeadm/", import.meta.url).pathname;
const AT = "2026-11-01T00:00:00Z";

/** Runs real tar with `args` (cwd `cwd`) and returns what it wrote to standard output. */
function tar(cwd: string, args: string[]): Uint8Array<ArrayBuffer> {
  const r = spawnSync("tar", args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tar ${args.join(" ")} failed: ${r.stderr}`);
  return new Uint8Array(r.stdout);
}

const post = (body: BodyInit, type?: string) => postAudit(body, type, AT);

const edges = (r: any) => r.cluster.edges.map((e: any) => `${e.from} → ${e.to} ${e.relation} ${e.verdict} ${e.breaksAt}`);
const local = async (dir: string) => controlPlaneReport(readTree(join(KUBEADM, dir)), { at: new Date(AT), subtle: crypto.subtle });

withTar("a kubeadm directory as tar.gz, tar and multipart", () => {
  for (const dir of ["base", "rotated-etcd-ca"]) {
    it(`${dir}: tar -czf gives the edges the local directory gives`, async () => {
      const r = await post(tar(join(KUBEADM, dir), ["-czf", "-", "."]), "application/gzip");
      expect(r.status).toBe(200);
      expect(r.json.input.kind).toBe("directory");
      expect(edges(r.json)).toEqual(edges(await local(dir)));
      // What real etcd says of these fixtures (test/node/etcd-oracle.test.ts): refused only after the rotation.
      const codes = r.json.findings.map((f: any) => f.code);
      if (dir === "base") expect(codes).not.toContain("cluster.etcd-client-refused");
      else expect(codes).toContain("cluster.etcd-client-refused");
    });
  }

  // `curl --data-binary @cp.tgz URL` without -H sends application/x-www-form-urlencoded; other clients send
  // octet-stream or no type. The archive is known by its content: gzip's 1f 8b (RFC 1952 2.3.1), tar's ustar magic.
  it("a tar.gz or tar sent as octet-stream, as curl's form type or without a type: read as the archive", async () => {
    const want = edges(await local("rotated-etcd-ca"));
    const gz = tar(join(KUBEADM, "rotated-etcd-ca"), ["-czf", "-", "."]);
    const plain = tar(join(KUBEADM, "rotated-etcd-ca"), ["-cf", "-", "."]);
    for (const [body, type] of [
      [gz, "application/octet-stream"],
      [gz, "application/x-www-form-urlencoded"],
      [gz, undefined],
      [plain, "application/octet-stream"],
      [plain, undefined],
    ] as const) {
      const r = await post(new Uint8Array(body), type);
      expect(r.status, String(type)).toBe(200);
      expect(r.json.input.kind).toBe("directory");
      expect(edges(r.json)).toEqual(want);
    }
    // Cut short, it is still refused as an archive, not read as a document.
    const cut = await post(gz.slice(0, 3000), "application/octet-stream");
    expect(cut.status).toBe(400);
    expect(cut.json.code).toBe("archive.corrupt");
  });

  it("an uncompressed tar with ./ prefixes, and one with the directory as its top folder (tar -cf - base)", async () => {
    const want = edges(await local("base"));
    for (const body of [tar(join(KUBEADM, "base"), ["-cf", "-", "."]), tar(KUBEADM, ["-cf", "-", "base"])]) {
      const plain = await post(body, "application/x-tar");
      expect(plain.status).toBe(200);
      expect(edges(plain.json)).toEqual(want);
    }
  });

  it("multipart: each part's filename is its relative path, or the path field says it", async () => {
    const tree = readTree(join(KUBEADM, "base"));
    const byName = new FormData();
    const byField = new FormData();
    for (const [p, bytes] of tree) {
      byName.append("files", new File([bytes as Uint8Array<ArrayBuffer>], p));
      byField.append("path", p);
      byField.append("files", new File([bytes as Uint8Array<ArrayBuffer>], "blob"));
    }
    byName.set("at", AT);
    const want = edges(await local("base"));
    for (const form of [byName, byField]) {
      const r = await post(form);
      expect(r.status).toBe(200);
      expect(edges(r.json)).toEqual(want);
    }
    const bad = new FormData();
    bad.append("files", new File(["x"], "../pki/ca.crt"));
    const r = await post(bad);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("archive.path-unsafe");
  });

  describe("what real tar writes and the service refuses", () => {
    const root = mkdtempSync(join(tmpdir(), "certaudit-tar-"));
    mkdirSync(join(root, "pki"));
    writeFileSync(join(root, "pki", "ca.crt"), readFileSync(join(KUBEADM, "base/pki/ca.crt")));
    const refused = async (body: Uint8Array<ArrayBuffer>, status: number, code: string) => {
      const r = await post(body, "application/gzip");
      expect(r.type).toBe("application/problem+json");
      expect(r.json.code).toBe(code);
      expect(r.status).toBe(status);
    };

    it("a symbolic link (ln -s) and a hard link (ln): archive.link-refused", async () => {
      const d = mkdtempSync(join(root, "links-"));
      mkdirSync(join(d, "pki"));
      writeFileSync(join(d, "pki", "ca.crt"), "x");
      symlinkSync("/etc/passwd", join(d, "pki", "sym.crt"));
      await refused(tar(d, ["-czf", "-", "pki/ca.crt", "pki/sym.crt"]), 400, "archive.link-refused");
      const h = mkdtempSync(join(root, "hard-"));
      writeFileSync(join(h, "a.crt"), "x");
      linkSync(join(h, "a.crt"), join(h, "b.crt"));
      await refused(tar(h, ["-czf", "-", "a.crt", "b.crt"]), 400, "archive.link-refused");
    });

    it("a character device (tar -P /dev/null): archive.special-file-refused", async () => {
      await refused(tar(root, ["-czPf", "-", "/dev/null"]), 400, "archive.special-file-refused");
    });

    it("an absolute path and a path with .. (tar -P keeps both): archive.path-unsafe", async () => {
      await refused(tar(root, ["-czPf", "-", join(root, "pki", "ca.crt")]), 400, "archive.path-unsafe");
      const sub = join(root, "sub");
      mkdirSync(sub, { recursive: true });
      await refused(tar(sub, ["-czPf", "-", "../pki/ca.crt"]), 400, "archive.path-unsafe");
    });

    it("more entries than the limit: archive.too-many-entries (413)", async () => {
      const many = mkdtempSync(join(root, "many-"));
      for (let i = 0; i < 2001; i++) writeFileSync(join(many, `f${i}`), "");
      await refused(tar(many, ["-czf", "-", "."]), 413, "archive.too-many-entries");
    });

    it("a file that expands past 8 × the body limit (gzip of zeros): archive.too-large (413)", async () => {
      const big = mkdtempSync(join(root, "big-"));
      writeFileSync(join(big, "zeros"), new Uint8Array(9 * 1024 * 1024));
      const body = tar(big, ["-czf", "-", "zeros"]);
      expect(body.length).toBeLessThan(1024 * 1024); // under the body limit: only the expansion is too large
      await refused(body, 413, "archive.too-large");
    });

    it("the body cut short, or not gzip at all: archive.corrupt", async () => {
      const whole = tar(join(KUBEADM, "base"), ["-czf", "-", "."]);
      await refused(whole.slice(0, whole.length >> 1), 400, "archive.corrupt");
      await refused(new TextEncoder().encode("not a gzip stream at all"), 400, "archive.corrupt");
    });
  });
});
