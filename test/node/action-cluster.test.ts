// The Action with directories and objects in `files` (issue 12), run as the runner runs
// `- uses: ./` (test/node/helpers/runner.ts): a kubeadm control-plane directory audited edge by
// edge, a file of Kubernetes objects audited as objects, the findings of broken and expiring edges
// annotated on the certificate files, the edge table in the job summary. Expectations from outside
// our code: openssl reads the certificate at each annotated line (its notAfter and whether it
// verifies), `grep -n` gives the lines, the SARIF 2.1.0 schema validates the log, and the edges
// broken are those real etcd and openssl verify refuse (test/node/etcd-oracle.test.ts,
// test/node/cli-objects.test.ts: the expired etcd client and the stale caBundle).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.ts";
import { FIX, ROOT, sarifValidator } from "../cli/helpers.ts";
import { grepLines } from "./helpers/file-lines.ts";
import { runUses, type StepResult } from "./helpers/runner.ts";
import { needTool } from "./helpers/tools.ts";

const AT = "2026-12-01T00:00:00Z"; // after apiserver-etcd-client.crt of expired-etcd-client ends (2026-09-01; make.sh)
let tmp: string;
let ws: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "certaudit-action-cluster-"));
  ws = join(tmp, "workspace");
  cpSync(join(FIX, "kubeadm/expired-etcd-client"), join(ws, "nodes/cp-1/etc-kubernetes"), { recursive: true });
  cpSync(join(FIX, "kubeadm/base"), join(ws, "nodes/cp-2/etc-kubernetes"), { recursive: true });
  mkdirSync(join(ws, "objects"), { recursive: true });
  cpSync(join(FIX, "k8s-objects/ca-renewed/objects.yaml"), join(ws, "objects/webhooks.yaml"));
  mkdirSync(join(ws, "nodes/notes"), { recursive: true });
  writeFileSync(join(ws, "nodes/notes/README.txt"), "not a control plane\n");
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const uses = (inputs: Record<string, string>) => runUses(ROOT, inputs, { workspace: ws, tmp });
const annotations = (r: StepResult) => r.commands.filter((c) => ["error", "warning"].includes(c.command) && c.properties.file);

/** The certificate at a line, as openssl reads it: a PEM block from its BEGIN line, or a kubeconfig `*-data` value. */
function certAt(file: string, line: number): string {
  const lines = readFileSync(join(ws, file), "utf8").split("\n");
  const l = lines[line - 1]!;
  if (l.startsWith("-----BEGIN CERTIFICATE-----")) {
    const end = lines.findIndex((x, i) => i >= line - 1 && x.startsWith("-----END"));
    return lines.slice(line - 1, end + 1).join("\n");
  }
  const data = /-data:\s*(\S+)/.exec(l);
  if (!data) throw new Error(`no certificate at ${file}:${line}: ${l}`);
  return Buffer.from(data[1]!, "base64").toString("utf8");
}
const notAfter = (pem: string) =>
  new Date(execFileSync("openssl", ["x509", "-noout", "-enddate"], { input: pem }).toString().replace("notAfter=", "").trim());

interface Sarif {
  runs: {
    results: {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
  }[];
}

describe("the Action takes control-plane directories and objects files", () => {
  it("audits each directory and objects file as the CLI does, annotates the certificate files, shows the edges by date", async (ctx) => {
    needTool(ctx, "openssl");
    const r = await uses({
      files: "nodes/*/etc-kubernetes\nnodes/*\nobjects/*.yaml",
      at: AT,
      "sarif-file": "out/cluster.sarif",
    });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(1); // errors: the expired etcd client and the stale caBundle

    // The audited inputs: two directories (matched by the wildcard: they hold pki/), one objects
    // file; nodes/notes (no pki/ or manifests/) and the files inside the directories are not audited alone.
    const report = JSON.parse(readFileSync(r.outputs.report!, "utf8")) as {
      file: string;
      report: { input: { kind: string }; cluster: { edges: { verdict: string; relation: string; breaksAt: string | null }[] } };
    }[];
    expect(report.map((x) => [x.file, x.report.input.kind])).toEqual([
      ["nodes/cp-1/etc-kubernetes", "directory"],
      ["nodes/cp-2/etc-kubernetes", "directory"],
      ["objects/webhooks.yaml", "objects"],
    ]);
    // As `certaudit DIR` audits it: the same edges.
    const cli = JSON.parse(
      spawnSync(
        process.execPath,
        [join(ROOT, "bin/certaudit.cjs"), join(FIX, "kubeadm/expired-etcd-client"), "--at", AT, "--format", "json"],
        {
          encoding: "utf8",
        },
      ).stdout,
    ) as { cluster: { edges: unknown[] } };
    expect(report[0]!.report.cluster.edges).toEqual(cli.cluster.edges);

    // Broken edges: exactly those real etcd and openssl verify refuse (etcd client; the two webhooks).
    const broken = report.flatMap((x) =>
      x.report.cluster.edges.filter((e) => e.verdict === "broken").map((e) => `${x.file} ${e.relation}`),
    );
    expect(broken).toEqual(["nodes/cp-1/etc-kubernetes etcd-client", "objects/webhooks.yaml webhook", "objects/webhooks.yaml webhook"]);
    expect(r.outputs["broken-edges"]).toBe("3");
    // The first break is the etcd client's notAfter, as openssl reads it.
    const etcdClient = "nodes/cp-1/etc-kubernetes/pki/apiserver-etcd-client.crt";
    expect(new Date(r.outputs["first-break"]!).getTime()).toBe(notAfter(readFileSync(join(ws, etcdClient), "utf8")).getTime());
    expect(r.outputs.verdict).toBe("fail");

    // Annotations on the certificate files: the expired etcd client at its BEGIN line, the
    // caBundles at their lines; every annotated line holds a certificate openssl reads.
    const ann = annotations(r);
    const at = (file: string) =>
      ann.filter((a) => a.properties.file === file).map((a) => [a.command, a.properties.title!.split(":")[0], a.properties.line]);
    expect(at(etcdClient)).toEqual([
      ["error", "cluster.etcd-client-refused", String(grepLines("BEGIN CERTIFICATE", join(ws, etcdClient))[0])],
    ]);
    expect(notAfter(certAt(etcdClient, 1)) < new Date(AT)).toBe(true);
    const bundles = grepLines("caBundle:", join(ws, "objects/webhooks.yaml"));
    const onObjects = at("objects/webhooks.yaml");
    expect(onObjects.map((a) => a[1])).toEqual(["cluster.webhook-cabundle-untrusted", "cluster.webhook-cabundle-untrusted"]);
    expect(onObjects.map((a) => Number(a[2])).sort()).toEqual(bundles.sort());
    expect(ann.every((a) => a.properties.file!.startsWith("nodes/cp-1/") || a.properties.file === "objects/webhooks.yaml")).toBe(true);

    // SARIF: valid, every result on an existing file of the workspace.
    const sarif = JSON.parse(readFileSync(join(ws, "out/cluster.sarif"), "utf8")) as Sarif;
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    for (const x of sarif.runs[0]!.results) {
      const loc = x.locations[0]!.physicalLocation;
      expect(spawnSync("test", ["-f", join(ws, loc.artifactLocation.uri)]).status, loc.artifactLocation.uri).toBe(0);
    }
    expect(sarif.runs[0]!.results.map((x) => `${x.ruleId} ${x.locations[0]!.physicalLocation.artifactLocation.uri}`)).toContain(
      `cluster.etcd-client-refused ${etcdClient}`,
    );

    // The job summary: one edge table per input, sorted by the date the edges break.
    const tables = r.summary.split("### Trust edges of ").slice(1);
    expect(tables.map((t) => t.split("`")[1])).toEqual(["nodes/cp-1/etc-kubernetes", "nodes/cp-2/etc-kubernetes", "objects/webhooks.yaml"]);
    for (const [i, t] of tables.entries()) {
      const rows = t.split("\n").filter((l) => /^\| (✅|❌|❔)/.test(l));
      expect(rows).toHaveLength(report[i]!.report.cluster.edges.length);
      const when = rows.map((l) => l.split(" | ")[1]!);
      const rank = (w: string) => (w === "now" ? 0 : w === "-" ? 2 : 1);
      for (let j = 1; j < when.length; j++) {
        expect(rank(when[j]!)).toBeGreaterThanOrEqual(rank(when[j - 1]!));
        if (rank(when[j]!) === 1 && rank(when[j - 1]!) === 1) expect(when[j]! >= when[j - 1]!).toBe(true);
      }
    }
    expect(tables[0]).toMatch(
      /\| ❌ broken \| 2026-09-01 \| etcd-client \| .* \| `nodes\/cp-1\/etc-kubernetes\/pki\/apiserver-etcd-client\.crt` \|/,
    );
  });

  it("warns on the certificate file of each edge that breaks within warn-days", async (ctx) => {
    needTool(ctx, "openssl");
    const at = "2027-08-01T00:00:00Z"; // the leaves end 2027-08-20 (make.sh): within 30 days
    const r = await uses({ files: "nodes/cp-2/etc-kubernetes", at, "warn-days": "30", "fail-on": "warning" });
    expect(r.exitCode).toBe(1);
    const warned = annotations(r).filter((a) => a.properties.title!.startsWith("cluster.edge-expiring"));
    expect(warned.length).toBeGreaterThan(3);
    for (const a of warned) {
      // The line holds the certificate whose notAfter bounds the edge: within the window, by openssl.
      const end = notAfter(certAt(a.properties.file!, Number(a.properties.line)));
      expect(
        end > new Date(at) && end.getTime() - new Date(at).getTime() <= 30 * 86_400_000,
        `${a.properties.file}:${a.properties.line}`,
      ).toBe(true);
    }
    expect(r.outputs["broken-edges"]).toBe("0");
  });

  it("with an endpoint, uploads the directory with fingerprints in place of its private keys, and the edges are the local ones", async () => {
    const app = createApp();
    const bodies: Buffer[] = [];
    const server: Server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      bodies.push(body);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host") headers.set(k, v);
      const got = await app.request(req.url ?? "/", { method: req.method ?? "POST", headers, body });
      res.writeHead(got.status, Object.fromEntries(got.headers));
      res.end(Buffer.from(await got.arrayBuffer()));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const remote = await uses({ files: "nodes/cp-1/etc-kubernetes", at: AT, endpoint: url });
      const local = await uses({ files: "nodes/cp-1/etc-kubernetes", at: AT });
      expect(bodies).toHaveLength(1);
      const body = bodies[0]!.toString("latin1");
      expect(body).not.toMatch(/PRIVATE KEY/);
      expect(body).toContain('filename="pki/apiserver-etcd-client.key.pubsha256"');
      const edges = (r: StepResult) =>
        (
          JSON.parse(readFileSync(r.outputs.report!, "utf8"))[0].report.cluster.edges as { from: string; to: string; verdict: string }[]
        ).map((e) => `${e.from.replace("client-key-pubsha256", "client-key-data")} → ${e.to}: ${e.verdict}`);
      expect(edges(remote)).toEqual(edges(local));
      expect(remote.summary).toContain("each key was replaced by the SHA-256 of its public key");
      expect(annotations(remote)).toEqual(annotations(local));
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("a pattern that matches only directories without pki/ or manifests/ says what it matched and why nothing was audited", async () => {
    // What the pattern matches, as the shell expands it, and that the directory has neither pki/ nor manifests/ (ls).
    const matched = execFileSync("bash", ["-c", "shopt -s nullglob; for d in nodes/not*; do echo $d; ls -A $d; done"], { cwd: ws })
      .toString()
      .trim()
      .split("\n");
    expect(matched).toEqual(["nodes/notes", "README.txt"]);
    const r = await uses({ files: "nodes/not*\nnothing/*.yaml" });
    const warnings = r.commands.filter((c) => c.command === "warning").map((c) => c.data);
    const why = "nodes/not* matched a directory (nodes/notes) but it is not a control-plane directory (no pki/ or manifests/)";
    expect(warnings.find((w) => w.startsWith("nodes/not*"))).toMatch(
      new RegExp(`^${why.replace(/[*()/]/g, "\\$&")}, so nothing was audited`),
    );
    // A pattern that matches nothing at all keeps its plain message.
    expect(warnings).toContain("no file matches nothing/*.yaml");
    expect(warnings.some((w) => w.startsWith("no file matches nodes/not*"))).toBe(false);
    expect(r.commands.some((c) => c.command === "error" && c.data.includes("[cli.no-files]"))).toBe(true);
    expect(r.exitCode).toBe(1); // GitHub tells only zero from non-zero (src/action/index.ts)
    expect(r.outputs.verdict).toBe("error");
    expect(r.summary).toContain("nodes/notes");
    expect(r.summary).toContain("- `nodes/not*`: matched a directory \\(nodes/notes\\) but it is not a control-plane directory");
    // nodes/* matches the node directories themselves, whose pki/ is one level down (in etc-kubernetes/).
    const all = execFileSync("bash", ["-c", "for d in nodes/*; do [ -d $d/pki ] || [ -d $d/manifests ] || echo $d; done"], { cwd: ws })
      .toString()
      .trim()
      .split("\n");
    expect(all).toEqual(["nodes/cp-1", "nodes/cp-2", "nodes/notes"]);
    const plural = await uses({ files: "nodes/*" });
    expect(plural.commands.filter((c) => c.command === "warning").map((c) => c.data)).toEqual([
      `nodes/* matched directories (${all.join(", ")}) but none is a control-plane directory (no pki/ or manifests/), so nothing was audited; name a directory without wildcards to audit it anyway, or match files`,
    ]);
  });

  it("a directory named without wildcards is audited even without pki/; one that holds nothing says so", async () => {
    const r = await uses({ files: "nodes/notes" });
    const report = JSON.parse(readFileSync(r.outputs.report!, "utf8")) as { file: string; report: { findings: { code: string }[] } }[];
    expect(report.map((x) => x.file)).toEqual(["nodes/notes"]);
    expect(report[0]!.report.findings.map((f) => f.code)).toContain("input.nothing-audited");
    expect(r.outputs.verdict).toBe("fail");
    expect(r.exitCode).toBe(1);
  });
});
