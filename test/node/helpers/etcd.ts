// Real etcd (Debian's etcd-server 3.4) and etcdctl for the etcd oracles: members started on
// 127.0.0.1 with a kubeadm fixture's own etcd flags (only listen addresses, ports, names and
// --initial-cluster changed), and `etcdctl` runs bounded by timeouts. Every process and data
// directory is tracked; call stopEtcd() in afterAll.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStaticPodFlags } from "../../../src/core/cluster/manifest.ts";
import { toolWorks } from "../../helpers/tools.ts";
import { KUBEADM_DIR, kubeadmTree } from "../../core/helpers/kubeadm-tree.ts";

export const HAVE_ETCD = toolWorks("etcd", ["--version"], /etcd Version/) && toolWorks("etcdctl", ["version"], /etcdctl version/);

const started = new Set<ChildProcess>();
const dirs: string[] = [];

/** Kills every member started here and removes their data directories. */
export function stopEtcd(): void {
  for (const p of started) p.kill("SIGKILL");
  started.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A path a manifest flag names, in the fixture directory. */
export const onDisk = (variant: string, flagPath: string) => join(KUBEADM_DIR, variant, flagPath.replace(/^\/etc\/kubernetes\//, ""));

export function manifestFlags(variant: string, file: string): Map<string, string> {
  const r = readStaticPodFlags(new TextDecoder().decode(kubeadmTree(variant).get(file)!));
  if (!("flags" in r)) throw new Error(`${file}: ${r.problem}`);
  return r.flags;
}

export interface Member {
  name: string;
  url: string;
  proc: ChildProcess;
  log: () => string;
}

/**
 * One member with `variant`'s etcd.yaml TLS flags (client and peer), listening on `client` and
 * `peer` ports of 127.0.0.1, in the cluster `initialCluster` (name=https://127.0.0.1:port,...).
 */
export function startMember(variant: string, name: string, client: number, peer: number, initialCluster: string): Member {
  const f = manifestFlags(variant, "manifests/etcd.yaml");
  const data = mkdtempSync(join(tmpdir(), "certaudit-etcd-"));
  dirs.push(data);
  const url = `https://127.0.0.1:${client}`;
  const peerUrl = `https://127.0.0.1:${peer}`;
  const args = [
    `--name=${name}`,
    `--data-dir=${data}`,
    `--listen-client-urls=${url}`,
    `--advertise-client-urls=${url}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=${initialCluster}`,
    "--initial-cluster-state=new",
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
  return { name, url, proc, log: () => out };
}

/** A one-member etcd of `variant`, once it serves clients. */
export async function startEtcd(variant: string, freePort: () => Promise<number>): Promise<Member> {
  const [client, peer] = [await freePort(), await freePort()];
  const name = manifestFlags(variant, "manifests/etcd.yaml").get("name")!;
  const m = startMember(variant, name, client, peer, `${name}=https://127.0.0.1:${peer}`);
  const deadline = Date.now() + 20_000;
  while (!/ready to serve client requests/.test(m.log())) {
    if (m.proc.exitCode !== null || Date.now() > deadline) throw new Error(`etcd did not start:\n${m.log().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return m;
}

/** `etcdctl --endpoints=url ... args` with a client certificate, bounded (dial 3 s, command 5 s, process 30 s). */
export function etcdctl(url: string, tls: { cacert: string; cert: string; key: string }, args: string[]): { ok: boolean; output: string } {
  const r = spawnSync(
    "etcdctl",
    [
      `--endpoints=${url}`,
      `--cacert=${tls.cacert}`,
      `--cert=${tls.cert}`,
      `--key=${tls.key}`,
      "--dial-timeout=3s",
      "--command-timeout=5s",
      ...args,
    ],
    { encoding: "utf8", timeout: 30_000, env: { ...process.env, ETCDCTL_API: "3" } },
  );
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
