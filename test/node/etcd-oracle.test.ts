// Real etcd decides the apiserver → etcd edges. For the base fixture and the etcd outage variants
// (test/fixtures/kubeadm/make.sh), etcd (Debian's etcd-server) is started on 127.0.0.1 with the
// fixture's own etcd flags (--client-cert-auth, --trusted-ca-file, --cert-file/--key-file, the peer
// flags; only listen addresses and ports are changed to free loopback ones), and `etcdctl endpoint
// health` connects with what kube-apiserver uses (--etcd-cafile, --etcd-certfile, --etcd-keyfile).
// It must succeed exactly when the report says both apiserver↔etcd edges hold. etcd validates at the
// real time, so the report is computed at the real time too.
import { afterAll, expect, it } from "vitest";
import { auditControlPlane } from "../../src/core/cluster/index.ts";
import { describeWithTool } from "../helpers/tools.ts";
import { kubeadmTree } from "../core/helpers/kubeadm-tree.ts";
import { etcdctl, HAVE_ETCD as HAVE, manifestFlags, onDisk, startEtcd, stopEtcd } from "./helpers/etcd.ts";
import { freePort } from "./helpers/sserver.ts";

afterAll(stopEtcd);

const etcdctlHealth = (url: string, cacert: string, cert: string, key: string) =>
  etcdctl(url, { cacert, cert, key }, ["endpoint", "health"]);

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

      const etcd = await startEtcd(variant, freePort);
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
        stopEtcd();
      }
    });
  }
});
