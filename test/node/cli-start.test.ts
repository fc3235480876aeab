// The CLI as it is shipped since its start-up work (docs/performance.md, "The CLI's start-up"):
// a launcher (bin/certaudit.cjs) that runs the CLI's script (bin/lib/cli-*.cjs) with a V8 code
// cache of its own (src/cli/code-cache.ts).
// - `npm pack` + an install into an empty project runs, the PKCS#12 reader included, on Node 24
//   and on the system's Node 20 (engines: >= 20).
// - The code cache follows Node's compile-cache variables, on every Node: written to
//   $NODE_COMPILE_CACHE, not at all with NODE_DISABLE_COMPILE_CACHE=1, read back by the next run
//   (V8 accepts it: the run writes nothing new), and a directory that cannot be written changes
//   nothing the user sees.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AT, BIN, FIX, ROOT, runNode } from "../cli/helpers.ts";
import { needTool } from "./helpers/tools.ts";

const KUBECONFIG = join(FIX, "e2e-users/kubeconfig.yaml");
const NODE20 = ["/usr/bin/node", "/usr/local/bin/node"].find((p) => existsSync(p));
const nodes = [["this Node", process.execPath], ...(NODE20 ? [["the system's Node", NODE20]] : [])] as const;

describe("the packed CLI", () => {
  let installed = "";
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), "certaudit-pack-"));
    const pack = spawnSync("npm", ["pack", "--ignore-scripts", "--pack-destination", dir, "--json"], { cwd: ROOT, encoding: "utf8" });
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = join(dir, JSON.parse(pack.stdout)[0].filename);
    const project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), '{"name":"uses-certaudit","version":"1.0.0","private":true}\n');
    // Offline: the package has no dependencies, nothing is fetched.
    const inst = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], {
      cwd: project,
      encoding: "utf8",
    });
    expect(inst.status, inst.stderr).toBe(0);
    installed = join(project, "node_modules/.bin/certaudit");
  }, 120_000);

  for (const [what, node] of nodes)
    it(`installed from the tarball, runs on ${what} and prints what the clone's bin prints`, async () => {
      const args = ["--format", "json", "--at", AT, KUBECONFIG];
      const here = await runNode(BIN, args, { node });
      const there = await runNode(installed, args, { node, cwd: tmpdir() });
      expect(there.stderr).toBe("");
      expect(there.code).toBe(here.code);
      expect(there.stdout).toBe(here.stdout);
      expect(JSON.parse(there.stdout).input.kind).toBe("kubeconfig");
    });

  it("installed, loads its PKCS#12 chunk (a file made by openssl pkcs12 -export)", async (ctx) => {
    needTool(ctx, "openssl");
    const dir = mkdtempSync(join(tmpdir(), "certaudit-p12-"));
    const p12 = join(dir, "client.p12");
    const e2e = join(FIX, "e2e-users");
    const r = spawnSync("openssl", [
      "pkcs12",
      "-export",
      "-in",
      join(e2e, "client.crt"),
      "-inkey",
      join(e2e, "client.key"),
      "-passout",
      "pass:pw",
      "-out",
      p12,
    ]);
    expect(r.status).toBe(0);
    for (const [, node] of nodes) {
      const out = await runNode(installed, ["--format", "json", "--at", AT, p12], { node, env: { CERTAUDIT_P12_PASSWORD: "pw" } });
      expect(out.stderr).toBe("");
      const report = JSON.parse(out.stdout);
      // The certificate openssl put in: the e2e user's, by its subject.
      expect(report.certificates.map((c: { subject: string }) => c.subject)).toEqual([expect.stringContaining("O=system:users")]);
    }
  });
});

describe("the code cache", () => {
  const args = ["--format", "json", "--at", AT, KUBECONFIG];

  for (const [what, node] of nodes)
    it(`is written to $NODE_COMPILE_CACHE and used by the next run, not with NODE_DISABLE_COMPILE_CACHE=1 (${what})`, async () => {
      const on = mkdtempSync(join(tmpdir(), "certaudit-cc-"));
      const plain = await runNode(BIN, args, { node, env: { NODE_DISABLE_COMPILE_CACHE: "1" } });
      const first = await runNode(BIN, args, { node, env: { NODE_COMPILE_CACHE: on } });
      const ours = () => readdirSync(on).filter((f) => f.startsWith("certaudit-"));
      const written = ours();
      expect(written).toHaveLength(1);
      const before = statSync(join(on, written[0]!)).mtimeMs;
      const warm = await runNode(BIN, args, { node, env: { NODE_COMPILE_CACHE: on } });
      for (const r of [first, warm]) {
        expect(r.stderr).toBe("");
        expect(r.stdout).toBe(plain.stdout);
      }
      // Accepted by V8 (a rejected cache is written again), and no temporary file left.
      expect(ours()).toEqual(written);
      expect(statSync(join(on, written[0]!)).mtimeMs).toBe(before);
      // A damaged cache is rejected by V8 and written again; the output stays the same.
      writeFileSync(join(on, written[0]!), "not a V8 code cache");
      const damaged = await runNode(BIN, args, { node, env: { NODE_COMPILE_CACHE: on } });
      expect(damaged.stderr).toBe("");
      expect(damaged.stdout).toBe(plain.stdout);
      expect(statSync(join(on, written[0]!)).size).toBeGreaterThan(1000);
      const off = mkdtempSync(join(tmpdir(), "certaudit-cc-off-"));
      const disabled = await runNode(BIN, args, { node, env: { NODE_COMPILE_CACHE: off, NODE_DISABLE_COMPILE_CACHE: "1" } });
      expect(disabled.stdout).toBe(plain.stdout);
      expect(readdirSync(off)).toEqual([]);
    });

  it("is written only by a run that audited: not by --help, --version or a usage error, which would leave the audit's code out of it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "certaudit-cc-first-"));
    const ours = () => readdirSync(dir).filter((f) => f.startsWith("certaudit-") && f.endsWith(".v8"));
    for (const first of [["--help"], ["-v"], ["--no-such-flag"], ["--format", "json", "/nonexistent/kubeconfig"]]) {
      const r = await runNode(BIN, first, { env: { NODE_COMPILE_CACHE: dir } });
      expect(r.code, first.join(" ")).not.toBe(1);
      expect(ours(), first.join(" ")).toEqual([]);
    }
    const audit = await runNode(BIN, args, { env: { NODE_COMPILE_CACHE: dir } });
    expect(audit.code).toBe(0);
    expect(ours()).toHaveLength(1);
  });

  it("a cache directory others may write is neither read nor written (another user could plant code there)", async () => {
    const plain = await runNode(BIN, args, { env: { NODE_DISABLE_COMPILE_CACHE: "1" } });
    const shared = mkdtempSync(join(tmpdir(), "certaudit-cc-shared-"));
    chmodSync(shared, 0o777);
    const first = await runNode(BIN, args, { env: { NODE_COMPILE_CACHE: shared } });
    expect(first.stdout).toBe(plain.stdout);
    expect(readdirSync(shared).filter((f) => f.startsWith("certaudit-"))).toEqual([]);
    // A file planted under the name the cache would have: left as it is (a cache that was read
    // and rejected by V8 would be written again).
    const own = mkdtempSync(join(tmpdir(), "certaudit-cc-own-"));
    await runNode(BIN, args, { env: { NODE_COMPILE_CACHE: own } });
    const [name] = readdirSync(own).filter((f) => f.startsWith("certaudit-"));
    writeFileSync(join(shared, name!), "planted");
    const again = await runNode(BIN, args, { env: { NODE_COMPILE_CACHE: shared } });
    expect(again.stderr).toBe("");
    expect(again.stdout).toBe(plain.stdout);
    expect(readFileSync(join(shared, name!), "utf8")).toBe("planted");
    // In a directory of our own, a file others may write is not read; it is replaced by one only
    // this user may write.
    chmodSync(shared, 0o755);
    chmodSync(join(shared, name!), 0o666);
    const third = await runNode(BIN, args, { env: { NODE_COMPILE_CACHE: shared } });
    expect(third.stdout).toBe(plain.stdout);
    expect(readFileSync(join(shared, name!), "utf8")).not.toBe("planted");
    expect(statSync(join(shared, name!)).mode & 0o077).toBe(0);
  });

  for (const [what, node] of nodes)
    it(`a cache directory that cannot be written changes nothing (${what})`, async () => {
      const plain = await runNode(BIN, args, { node, env: { NODE_DISABLE_COMPILE_CACHE: "1" } });
      // Under a regular file no directory can be made (ENOTDIR): TMPDIR for Node's default place
      // (<tmpdir>/node-compile-cache), NODE_COMPILE_CACHE for the explicit one. (Not /proc: there
      // Node 24's own mkdir -p loops for ever, even for `node -e 0`.)
      const file = join(mkdtempSync(join(tmpdir(), "certaudit-cc-file-")), "a-file");
      writeFileSync(file, "");
      for (const env of [{ TMPDIR: join(file, "tmp") }, { NODE_COMPILE_CACHE: join(file, "cache") }]) {
        const r = await runNode(BIN, args, { node, env });
        expect(r.stderr).toBe("");
        expect(r.code).toBe(plain.code);
        expect(r.stdout).toBe(plain.stdout);
      }
    });
});
