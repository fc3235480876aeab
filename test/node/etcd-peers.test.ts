// Two real etcd members (Debian's etcd-server 3.4) decide the etcd peer edge: each member runs with
// one fixture's etcd flags (--peer-cert-file, --peer-key-file, --peer-trusted-ca-file,
// --peer-client-cert-auth; make.sh and make-node.sh), on 127.0.0.1 with its own client and peer
// ports and --initial-cluster naming both. They form a cluster when `etcdctl endpoint health`
// succeeds on both endpoints (a proposal committed through raft, so the peers talk) and
// `member list` shows both started. etcd checks at the real time, so the report does too.
import { afterAll, expect, it } from "vitest";
import { auditControlPlane, type ClusterJson } from "../../src/core/cluster/index.ts";
import { kubeadmTree } from "../core/helpers/kubeadm-tree.ts";
import { describeWithTool } from "../helpers/tools.ts";
import { etcdctl, HAVE_ETCD, onDisk, startMember, stopEtcd, type Member } from "./helpers/etcd.ts";
import { freePort } from "./helpers/sserver.ts";

afterAll(stopEtcd);

const peerEdge = async (variant: string) => {
  const r = await auditControlPlane(kubeadmTree(variant), { at: new Date(), subtle: crypto.subtle });
  return r.edges.find((e) => e.relation === "etcd-peer")! as ClusterJson["edges"][number];
};

/** Starts members a (variant `a`) and b (variant `b`) as one two-member cluster. */
async function pair(a: string, b: string): Promise<[Member, Member]> {
  const [ca, pa, cb, pb] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const cluster = `a=https://127.0.0.1:${pa},b=https://127.0.0.1:${pb}`;
  return [startMember(a, "a", ca, pa, cluster), startMember(b, "b", cb, pb, cluster)];
}

// etcdctl as etcd's own healthcheck client (same etcd CA in every variant here), so a failure is the peers', not the client's.
const tls = {
  cacert: onDisk("base", "pki/etcd/ca.crt"),
  cert: onDisk("base", "pki/etcd/healthcheck-client.crt"),
  key: onDisk("base", "pki/etcd/healthcheck-client.key"),
};

/** Both endpoints healthy within `ms` (polled; each try is bounded by etcdctl's timeouts). */
async function formed(members: Member[], ms: number): Promise<{ ok: boolean; output: string }> {
  const deadline = Date.now() + ms;
  let last = { ok: false, output: "" };
  while (Date.now() < deadline) {
    const runs = members.map((m) => etcdctl(m.url, tls, ["endpoint", "health"]));
    last = { ok: runs.every((r) => r.ok), output: runs.map((r) => r.output).join("\n") };
    if (last.ok) return last;
    if (members.some((m) => m.proc.exitCode !== null)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

describeWithTool(
  "etcd and etcdctl",
  HAVE_ETCD,
  "apt-get install etcd-server etcd-client",
)("two real etcd members agree with the etcd peer edge", () => {
  it("base + base: the peer edge holds and the two members form a cluster", { timeout: 60_000 }, async () => {
    expect((await peerEdge("base")).verdict).toBe("holds");
    const members = await pair("base", "base");
    const health = await formed(members, 20_000);
    expect(health.ok, health.output).toBe(true);
    for (const m of members) {
      const list = etcdctl(m.url, tls, ["member", "list"]);
      expect(list.ok, list.output).toBe(true);
      expect(list.output.match(/, started, [ab], /g)).toHaveLength(2);
    }
    stopEtcd();
  });

  it("base + peer-other-ca: b's peer certificate is from another CA; the edge is broken and the members never form a cluster", {
    timeout: 60_000,
  }, async () => {
    const edge = await peerEdge("peer-other-ca");
    expect(edge.verdict).toBe("broken");
    expect(edge.findings.map((f) => f.code)).toEqual(["cluster.etcd-peer-refused"]);
    const members = await pair("base", "peer-other-ca");
    const health = await formed(members, 10_000);
    expect(health.ok, health.output).toBe(false);
    expect(health.output).toMatch(/unhealthy/);
    // a dials b and refuses its certificate with Go's own words for the report's reason.
    expect(members[0].log()).toMatch(/x509: certificate signed by unknown authority/);
    stopEtcd();
  });

  it("peer-server-only on both members: no clientAuth, the edge is broken and no member accepts another's connection", {
    timeout: 60_000,
  }, async () => {
    const edge = await peerEdge("peer-server-only");
    expect(edge.verdict).toBe("broken");
    expect(edge.findings[0]!.message).toContain("as a peer client");
    const members = await pair("peer-server-only", "peer-server-only");
    const health = await formed(members, 10_000);
    expect(health.ok, health.output).toBe(false);
    expect(members.map((m) => m.log()).join("\n")).toMatch(/tls: bad certificate/);
    stopEtcd();
  });

  it("base + peer-server-only: b is refused as a client (as the report says), yet a's connections carry both directions and the pair forms", {
    timeout: 60_000,
  }, async () => {
    // What etcd 3.4 does (observed, not assumed): rafthttp streams opened by a carry b's messages back,
    // so one member whose peer certificate lacks clientAuth keeps quorum; its own dials fail.
    const members = await pair("base", "peer-server-only");
    const health = await formed(members, 20_000);
    expect(health.ok, health.output).toBe(true);
    const deadline = Date.now() + 10_000;
    while (!/remote error: tls: bad certificate/.test(members[1].log()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(members[1].log()).toMatch(/remote error: tls: bad certificate/);
    expect((await peerEdge("peer-server-only")).findings[0]!.message).toContain("keeps quorum");
    stopEtcd();
  });
});
