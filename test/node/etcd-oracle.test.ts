// Real etcd decides the apiserver → etcd edges. For the base fixture and the etcd outage variants
// (test/fixtures/kubeadm/make.sh), etcd (Debian's etcd-server) is started on 127.0.0.1 with the
// fixture's own etcd flags (--client-cert-auth, --trusted-ca-file, --cert-file/--key-file, the peer
// flags; only listen addresses and ports are changed to free loopback ones), and `etcdctl endpoint
// health` connects with what kube-apiserver uses (--etcd-cafile, --etcd-certfile, --etcd-keyfile).
// It must succeed exactly when the report says both apiserver↔etcd edges hold. etcd validates at the
// real time, so the report is computed at the real time too.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { auditControlPlane } from "../../src/core/cluster/index.ts";
import { readStaticPodFlags } from "../../src/core/cluster/manifest.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { KUBEADM_DIR, kubeadmTree } from "../core/helpers/kubeadm-tree.ts";
import { freePort } from "./helpers/sserver.ts";

const HAVE = toolWorks("etcd", ["--version"], /etcd Version/) && toolWorks("etcdctl", ["version"], /etcdctl version/);
const started = new Set<ChildProcess>();
const dirs: string[] = [];
afterAll(() => {
  for (const p of started) p.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A path a manifest flag names, in the fixture directory. */
const onDisk = (variant: string, flagPath: string) => join(KUBEADM_DIR, variant, flagPath.replace(/^\/etc\/kubernetes\//, ""));

function manifestFlags(variant: string, file: string): Map<string, string> {
  const r = readStaticPodFlags(new TextDecoder().decode(kubeadmTree(variant).get(file)!));
  if (!("flags" in r)) throw new Error(`${file}: ${r.problem}`);
  return r.flags;
}

async function startEtcd(variant: string): Promise<{ url: string; proc: ChildProcess; log: () => string }> {
  const f = manifestFlags(variant, "manifests/etcd.yaml");
  const [client, peer] = [await freePort(), await freePort()];
  const data = mkdtempSync(join(tmpdir(), "certaudit-etcd-"));
  dirs.push(data);
  const url = `https://127.0.0.1:${client}`;
  const peerUrl = `https://127.0.0.1:${peer}`;
  const args = [
    `--name=${f.get("name")}`,
    `--data-dir=${data}`,
    `--listen-client-urls=${url}`,
    `--advertise-client-urls=${url}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=${f.get("name")}=${peerUrl}`,
    `--client-cert-auth=${f.get("client-cert-auth")}`,
    `--trusted-ca-file=${onDisk(variant, f.get("trusted-ca-file")!)}`,
    `--cert-file=${onDisk(variant, f.get("cert-file")!)}`,
    `--key-file=${onDisk(variant, f.get("key-file")!)}`,
    `--peer-client-cert-auth=${f.get("peer-client-cert-auth")}`,
    `--peer-trusted-ca-file=${onDisk(variant, f.get("peer-trusted-ca-file")!)}`,
    `--peer-cert-file=${onDisk(variant, f.get("peer-cert-file")!)}`,
    `--peer-key-file=${onDisk(variant, f.get("peer-key-file")!)}`,
  ];
  const proc = spawn("etcd", args, { stdio: ["ignore", "pipe", "pipe"] });
  started.add(proc);
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const deadline = Date.now() + 20_000;
  while (!/ready to serve client requests/.test(out)) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`etcd did not start:\n${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, proc, log: () => out };
}

function etcdctlHealth(url: string, cacert: string, cert: string, key: string): { ok: boolean; output: string } {
  const r = spawnSync(
    "etcdctl",
    [
      `--endpoints=${url}`,
      `--cacert=${cacert}`,
      `--cert=${cert}`,
      `--key=${key}`,
      "--dial-timeout=3s",
      "--command-timeout=5s",
      "endpoint",
      "health",
    ],
    { encoding: "utf8", timeout: 30_000, env: { ...process.env, ETCDCTL_API: "3" } },
  );
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

describeWithTool(
  "etcd and etcdctl",
  HAVE,
  "apt-get install etcd-server etcd-client",
)("real etcd agrees with the apiserver → etcd edges", () => {
  for (const variant of ["base", "expired-etcd-client", "rotated-etcd-ca"]) {
    it(variant, { timeout: 60_000 }, async () => {
      const at = new Date();
      const report = await auditControlPlane(kubeadmTree(variant), { at, subtle: crypto.subtle });
      const etcdEdges = report.edges.filter(
        (e) => e.relation === "etcd-client" || (e.relation === "etcd-serving" && e.from.includes("127.0.0.1")),
      );
      expect(etcdEdges.map((e) => e.relation).sort()).toEqual(["etcd-client", "etcd-serving"]);
      const reportSaysOk = etcdEdges.every((e) => e.verdict === "holds");

      const etcd = await startEtcd(variant);
      try {
        const api = manifestFlags(variant, "manifests/kube-apiserver.yaml");
        const asApiserver = etcdctlHealth(
          etcd.url,
          onDisk(variant, api.get("etcd-cafile")!),
          onDisk(variant, api.get("etcd-certfile")!),
          onDisk(variant, api.get("etcd-keyfile")!),
        );
        // Control: etcd serves its own healthcheck client (same etcd CA as its --trusted-ca-file), so a
        // refusal above is about the API server's certificate, not an etcd that is not serving.
        const control = etcdctlHealth(
          etcd.url,
          onDisk(variant, "pki/etcd/ca.crt"),
          onDisk(variant, "pki/etcd/healthcheck-client.crt"),
          onDisk(variant, "pki/etcd/healthcheck-client.key"),
        );
        expect(control.ok, control.output).toBe(true);
        expect(asApiserver.ok, `etcdctl: ${asApiserver.output}\nreport: ${JSON.stringify(etcdEdges, null, 1)}`).toBe(reportSaysOk);
        // A refused handshake: etcdctl reports the endpoint unhealthy (not, say, a file it could not read).
        if (!asApiserver.ok) expect(asApiserver.output).toMatch(/is unhealthy/);
      } finally {
        etcd.proc.kill("SIGKILL");
        started.delete(etcd.proc);
      }
    });
  }
});
