// The `kubernetes` Service's ClusterIP Pods dial (KUBERNETES_SERVICE_HOST) for IPv4 and IPv6 service
// ranges, against Go (test/oracles/service-ip.go: net.ParseCIDR of the primary range + 1, net.IP.String,
// as kube-apiserver's ServiceIPRange does); and the Pods edge of an IPv6 cluster checks it (openssl
// -checkip says the fixture's apiserver.crt lacks it).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { firstServiceIp } from "../../src/core/cluster/edges-serving.ts";
import { auditControlPlane } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { editTree, KUBEADM_AT, KUBEADM_DIR } from "./helpers/kubeadm-tree.ts";

const ORACLE = fileURLToPath(new URL("../oracles/service-ip.go", import.meta.url));
const withGo = describeWithTool("go", toolWorks("go", ["version"]), "apt-get install golang-go");
const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");

const RANGES = [
  "10.96.0.0/12",
  "172.20.0.0/16,fd00::/108",
  "fd00:10:96::/112",
  "fd00::/108,10.96.0.0/12",
  "2001:db8:0:0:1::/80",
  "2001:db8::/64",
  "fd00::ffff/112",
  "FD00:0:0:0:0:0:A:0/112",
  "2001:db8:0:1:0:0:0:0/96",
];

withGo("first service IP, as Go computes it", () => {
  it("every range", () => {
    const r = spawnSync("go", ["run", ORACLE], {
      input: JSON.stringify(RANGES),
      encoding: "utf8",
      env: { ...process.env, GOTOOLCHAIN: "local" },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(RANGES.map(firstServiceIp)).toEqual(JSON.parse(r.stdout));
  });
});

withOpenssl("an IPv6 service range", () => {
  it("the Pods edge is broken when apiserver.crt lacks the first IPv6 service IP", async () => {
    const crt = `${KUBEADM_DIR}base/pki/apiserver.crt`;
    const check = spawnSync("openssl", ["x509", "-in", crt, "-noout", "-checkip", "fd00:10:96::1"], { encoding: "utf8" }).stdout;
    expect(check).toContain("does NOT match certificate");
    const tree = editTree("base", "manifests/kube-apiserver.yaml", (t) =>
      t.replace("--service-cluster-ip-range=10.96.0.0/12", "--service-cluster-ip-range=fd00:10:96::/112"),
    );
    const r = await auditControlPlane(tree, { at: KUBEADM_AT, subtle: crypto.subtle });
    const pods = r.edges.find((e) => e.relation === "root-ca")!;
    expect(pods.verdict).toBe("broken");
    expect(pods.findings.map((f) => f.code)).toContain("cluster.in-cluster-name-missing");
    expect(pods.findings[0]!.message).toContain("fd00:10:96::1");
  });
});
