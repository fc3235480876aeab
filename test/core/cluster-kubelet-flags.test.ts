// The kubelet's flags and files beyond config.yaml's first reading (test/fixtures/kubeadm/make-node.sh):
// - --rotate-certificates in kubeadm-flags.env beats config.yaml's rotateCertificates: the kubelet
//   re-parses its command line over the config file (k8s.io/kubernetes cmd/kubelet/app/server.go
//   kubeletConfigFlagPrecedence: "We must enforce flag precedence by re-parsing the command line
//   into the new object"); the flag is a pflag bool (options.AddKubeletConfigFlags: BoolVar
//   "rotate-certificates"): bare is true, a value is strconv.ParseBool's, the last one wins.
// - with serverTLSBootstrap the kubelet serves what its certificate manager's file store loads
//   (pkg/kubelet/certificate NewKubeletServerCertificateManager → client-go
//   util/certificate/certificate_store.go fileStore.Current): kubelet-server-current.pem first, then
//   tlsCertFile/tlsPrivateKeyFile; without it, the self-signed kubelet.crt only when tlsCertFile and
//   tlsPrivateKeyFile are empty (server.go InitializeTLS).
// - the node name: Go's crypto/x509 matches the dialed host against the SANs only (VerifyHostname;
//   the CN system:node:<name> is not consulted), so only a Hostname the SANs lack breaks; openssl
//   x509 -checkhost says which names the certificate carries.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditControlPlane, type ClusterJson } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { KUBEADM_AT, KUBEADM_DIR, nodeTree } from "./helpers/kubeadm-tree.ts";

const plane = (tree: Map<string, Uint8Array>) => auditControlPlane(tree, { at: KUBEADM_AT, subtle: crypto.subtle });
const edit = (t: Map<string, Uint8Array>, path: string, f: (s: string) => string) =>
  t.set(path, new TextEncoder().encode(f(new TextDecoder().decode(t.get(path)!))));
const FLAGS = "var/lib/kubelet/kubeadm-flags.env";
const CONFIG = "var/lib/kubelet/config.yaml";
const withFlag = (t: Map<string, Uint8Array>, flag: string) => edit(t, FLAGS, (s) => s.replace('ARGS="', `ARGS="${flag} `));
const rotationOff = (r: ClusterJson) => r.findings.filter((f) => f.code === "cluster.kubelet-rotation-off");
const serving = (r: ClusterJson) => r.edges.find((e) => e.relation === "kubelet-serving")!;

describe("--rotate-certificates in kubeadm-flags.env beats config.yaml", () => {
  it.each([
    ["--rotate-certificates=false", true, 1],
    ["--rotate-certificates=0", true, 1],
    ["--rotate-certificates=False", true, 1],
    ["--rotate-certificates=true --rotate-certificates=false", true, 1],
    ["--rotate-certificates", false, 0],
    ["--rotate-certificates=t", false, 0],
    ["--rotate-certificates=false --rotate-certificates", true, 0],
  ])("%s over rotateCertificates: %s → %i warning(s)", async (flag, configOn, warnings) => {
    const t = nodeTree("kubelet-finalized", "base");
    if (!configOn) edit(t, CONFIG, (s) => s.replace("rotateCertificates: true", "rotateCertificates: false"));
    withFlag(t, flag);
    const r = await plane(t);
    expect(rotationOff(r)).toHaveLength(warnings);
    if (warnings) {
      expect(rotationOff(r)[0]!.path).toBe(FLAGS);
      expect(rotationOff(r)[0]!.message).toContain("--rotate-certificates=false, which beats /var/lib/kubelet/config.yaml");
      expect(r.renewals.some((x) => x.command.startsWith("rotateCertificates is off"))).toBe(true);
    }
  });

  it("without config.yaml, a false flag still turns rotation off (kubeadm's config would have it on)", async () => {
    const t = nodeTree("kubelet-finalized", "base");
    t.delete(CONFIG);
    withFlag(t, "--rotate-certificates=false");
    expect(rotationOff(await plane(t))).toHaveLength(1);
  });

  it("without the flag, config.yaml decides (the fixture's kubeadm-flags.env has none)", async () => {
    const t = nodeTree("kubelet-finalized", "base");
    expect(new TextDecoder().decode(t.get(FLAGS))).not.toContain("rotate-certificates");
    expect(rotationOff(await plane(t))).toHaveLength(0);
    edit(t, CONFIG, (s) => s.replace("rotateCertificates: true", "rotateCertificates: false"));
    const off = rotationOff(await plane(t));
    expect(off.map((f) => f.path)).toEqual([CONFIG]);
  });
});

describe("the serving certificate with serverTLSBootstrap and tlsCertFile both set (certificate_store.go Current)", () => {
  const both = () => {
    const t = nodeTree("kubelet-ca", "serving-bootstrap");
    // kubelet/base's self-signed pair as tlsCertFile: refused by --kubelet-certificate-authority (make-node.sh).
    const base = nodeTree("kubelet-ca", "base");
    t.set("var/lib/kubelet/pki/own.crt", base.get("var/lib/kubelet/pki/kubelet.crt")!);
    t.set("var/lib/kubelet/pki/own.key", base.get("var/lib/kubelet/pki/kubelet.key")!);
    edit(t, CONFIG, (s) => `${s}tlsCertFile: /var/lib/kubelet/pki/own.crt\ntlsPrivateKeyFile: /var/lib/kubelet/pki/own.key\n`);
    return t;
  };

  it("kubelet-server-current.pem comes first: the edge holds", async () => {
    const e = serving(await plane(both()));
    expect(e.from).toBe("kubelet (serving, /var/lib/kubelet/pki/kubelet-server-current.pem)");
    expect(e.verdict).toBe("holds");
  });

  it("before the first CSR is issued (no kubelet-server-current.pem), tlsCertFile is served: refused", async () => {
    const t = both();
    for (const k of [...t.keys()]) if (k.startsWith("var/lib/kubelet/pki/kubelet-server-")) t.delete(k);
    const e = serving(await plane(t));
    expect(e.from).toBe("kubelet (serving, /var/lib/kubelet/pki/own.crt)");
    expect(e.verdict).toBe("broken");
  });
});

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");
withOpenssl("the node name in the serving certificate: only a dialed name the SANs lack breaks", () => {
  const pem = join(KUBEADM_DIR, "kubelet", "serving-bootstrap", "pki", "kubelet-server-current.pem");
  const checkhost = (host: string) => spawnSync("openssl", ["x509", "-in", pem, "-noout", "-checkhost", host], { encoding: "utf8" }).stdout;
  const subject = () => spawnSync("openssl", ["x509", "-in", pem, "-noout", "-subject"], { encoding: "utf8" }).stdout;
  const dialHostname = (t: Map<string, Uint8Array>) =>
    edit(t, "manifests/kube-apiserver.yaml", (s) =>
      s.replace("--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname", "--kubelet-preferred-address-types=Hostname"),
    );

  it("the node cp-1 (kubelet.conf's system:node:cp-1) is in the SANs: holds", async () => {
    expect(subject()).toContain("CN = system:node:cp-1");
    expect(checkhost("cp-1")).toContain("does match");
    const t = nodeTree("kubelet-ca", "serving-bootstrap");
    dialHostname(t);
    const e = serving(await plane(t));
    expect(e.detail).toContain("for cp-1 (the node's Hostname)");
    expect(e.verdict).toBe("holds");
  });

  it("--hostname-override=cp-2: the API server dials cp-2, which the certificate (CN system:node:cp-1) lacks: broken", async () => {
    expect(checkhost("cp-2")).toContain("does NOT match");
    const t = nodeTree("kubelet-ca", "serving-bootstrap");
    dialHostname(t);
    withFlag(t, "--hostname-override=cp-2");
    const e = serving(await plane(t));
    expect(e.detail).toContain("for cp-2 (the node's Hostname)");
    expect(e.verdict).toBe("broken");
    expect(e.findings.map((f) => f.code)).toEqual(["cluster.kubelet-serving-untrusted"]);
  });
});
