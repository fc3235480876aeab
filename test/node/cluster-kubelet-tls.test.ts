// Real TLS handshakes (Node's tls) decide the kubelet edges beside the report, at the real time:
// a "kubelet" serves its serving certificate (the self-signed kubelet.crt, or with serverTLSBootstrap
// kubelet-server-current.pem, certificate and key in one file) and requires a client certificate
// from its config.yaml's authentication.x509.clientCAFile; the "API server" presents
// --kubelet-client-certificate and verifies the kubelet only when --kubelet-certificate-authority is
// set, for the address it dials (kubeadm's --kubelet-preferred-address-types starts with InternalIP:
// the node's advertise address), as pkg/kubelet/client/kubelet_client.go transportConfig and
// GetConnectionInfo do. The files are read with the yaml package, by the paths the flags name.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { auditControlPlane, type ClusterJson } from "../../src/core/cluster/index.ts";
import { KUBEADM_DIR, nodeTree } from "../core/helpers/kubeadm-tree.ts";
import { handshake } from "./helpers/tls-pair.ts";

const COMBOS: [string, string][] = [
  ["base", "base"],
  ["base", "client-ca-other"],
  ["kubelet-ca", "base"],
  ["kubelet-ca", "serving-bootstrap"],
];

function files(cp: string, kubelet: string) {
  const f = (path: string) =>
    readFileSync(
      path.startsWith("/var/lib/kubelet/")
        ? join(KUBEADM_DIR, "kubelet", kubelet, path.slice("/var/lib/kubelet/".length))
        : join(KUBEADM_DIR, cp, path.replace(/^\/etc\/kubernetes\//, "")),
      "utf8",
    );
  const api = parse(f("/etc/kubernetes/manifests/kube-apiserver.yaml")).spec.containers[0].command as string[];
  const flag = (n: string) => api.find((w) => w.startsWith(`--${n}=`))?.slice(n.length + 3);
  const config = parse(f("/var/lib/kubelet/config.yaml"));
  const serving = config.serverTLSBootstrap
    ? { cert: f("/var/lib/kubelet/pki/kubelet-server-current.pem"), key: f("/var/lib/kubelet/pki/kubelet-server-current.pem") }
    : { cert: f("/var/lib/kubelet/pki/kubelet.crt"), key: f("/var/lib/kubelet/pki/kubelet.key") };
  const ca = flag("kubelet-certificate-authority");
  return {
    kubelet: { ...serving, clientCa: f(config.authentication.x509.clientCAFile) },
    apiserver: {
      cert: f(flag("kubelet-client-certificate")!),
      key: f(flag("kubelet-client-key")!),
      ...(ca ? { ca: f(ca), host: flag("advertise-address")! } : {}),
    },
  };
}

const edge = (r: ClusterJson, relation: string, from: RegExp) => r.edges.find((e) => e.relation === relation && from.test(e.from))!;

describe("Node's TLS agrees with the kube-apiserver ↔ kubelet edges", () => {
  for (const [cp, kubelet] of COMBOS) {
    it(`${cp} + kubelet/${kubelet}`, { timeout: 30_000 }, async () => {
      const r = await auditControlPlane(nodeTree(cp, kubelet), { at: new Date(), subtle: crypto.subtle });
      const { kubelet: k, apiserver: a } = files(cp, kubelet);
      // Both directions in one handshake: the kubelet judges the API server's client certificate,
      // and the API server judges the kubelet's serving certificate (or, without a CA, does not).
      const both = await handshake(k, a);
      const client = edge(r, "client", /^kube-apiserver \(kubelet client\)$/);
      const serving = edge(r, "kubelet-serving", /^kubelet \(serving, /);
      expect(both.ok, `${both.why}; report: client ${client.verdict}, serving ${serving.verdict}`).toBe(
        client.verdict === "holds" && serving.verdict === "holds",
      );
      // Each direction alone, so a failure is pinned on the edge the report names.
      const clientOnly = await handshake(k, { cert: a.cert, key: a.key });
      expect(clientOnly.ok, clientOnly.why).toBe(client.verdict === "holds");
      const servingOnly = await handshake({ cert: k.cert, key: k.key }, a);
      expect(servingOnly.ok, servingOnly.why).toBe(serving.verdict === "holds");
    });
  }
});
