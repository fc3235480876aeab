// The kubelet's side of the control plane (test/fixtures/kubeadm/make-node.sh): a control-plane
// fixture with a kubelet directory (config.yaml and pki/, under var/lib/kubelet/ as
// `certaudit /etc/kubernetes /var/lib/kubelet` reads it). Expectations: make-node.sh says what each
// variant changes; k8s.io/kubernetes pkg/kubelet/client/kubelet_client.go says the API server
// verifies the kubelet only with --kubelet-certificate-authority (transportConfig: no CA →
// TLS.Insecure) and dials the first --kubelet-preferred-address-types address the node reports
// (GetConnectionInfo → nodeutil.GetPreferredNodeAddress); and Go's crypto/x509 (test/oracles/edges)
// decides every certificate edge at two dates, from the files read here with the yaml package.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { auditControlPlane, type ClusterJson } from "../../src/core/cluster/index.ts";
import { runGoOracle } from "./helpers/go-oracle.ts";
import { KUBEADM_AT, KUBEADM_DIR, nodeTree } from "./helpers/kubeadm-tree.ts";

type Edge = ClusterJson["edges"][number];
const plane = (tree: Map<string, Uint8Array>, at = KUBEADM_AT) => auditControlPlane(tree, { at, subtle: crypto.subtle });
const find = (r: ClusterJson, relation: string, from: RegExp | string) => {
  const e = r.edges.find((x) => x.relation === relation && (typeof from === "string" ? x.from === from : from.test(x.from)));
  if (!e) throw new Error(`no ${relation} edge from ${from}`);
  return e;
};
const codes = (e: Edge) => e.findings.map((f) => f.code);
const broken = (r: ClusterJson) =>
  r.edges
    .filter((e) => e.verdict !== "holds")
    .map((e) => `${e.relation}: ${e.from} → ${e.to}`)
    .sort();
const API_KUBELET = "kube-apiserver (kubelet client)";
const SERVING = /^kubelet \(serving, /;
const edit = (t: Map<string, Uint8Array>, path: string, f: (s: string) => string) =>
  t.set(path, new TextEncoder().encode(f(new TextDecoder().decode(t.get(path)!))));

describe("the kubelet's directory: the edges each variant breaks (make-node.sh)", () => {
  it("base + kubelet/base: every edge holds; the kubelet's serving certificate is not verified (kubeadm sets no --kubelet-certificate-authority)", async () => {
    const r = await plane(nodeTree("base", "base"));
    expect(broken(r)).toEqual([]);
    const serving = find(r, "kubelet-serving", SERVING);
    expect(serving.from).toBe("kubelet (serving, /var/lib/kubelet/pki/kubelet.crt)");
    expect(serving.breaksAt).toBeNull();
    expect(codes(serving)).toEqual(["cluster.kubelet-serving-unverified"]);
    expect(find(r, "client", API_KUBELET).detail).toContain("clientCAFile /etc/kubernetes/pki/ca.crt (/var/lib/kubelet/config.yaml)");
    // config.yaml was read: no kubelet assumption, and its clusterDomain is used.
    // (The files no component loads are listed apart; kubelet-client-current.pem is read: the kubelet presents it, kubelet-client.ts.)
    expect(r.assumptions.filter((a) => /kubelet|DNS domain/.test(a) && !a.startsWith("not checked"))).toEqual([]);
    expect(r.files.map((f) => f.path)).toContain("var/lib/kubelet/pki/kubelet.crt");
  });

  it("base alone: the kubelet edge uses kubeadm's clientCAFile and says it assumed it", async () => {
    const t = nodeTree("base", "base");
    for (const k of [...t.keys()]) if (k.startsWith("var/")) t.delete(k);
    const r = await plane(t);
    expect(find(r, "client", API_KUBELET).detail).toContain("kubeadm's default; /var/lib/kubelet/config.yaml not read");
    expect(r.assumptions.some((a) => a.startsWith("the kubelet runs with kubeadm's KubeletConfiguration"))).toBe(true);
    // Without --kubelet-certificate-authority the serving certificate is not needed: no file-missing for it.
    expect(r.findings.filter((f) => f.code === "cluster.file-missing")).toEqual([]);
  });

  it("a config.yaml that is not a KubeletConfiguration: unreadable, and kubeadm's values assumed and said", async () => {
    const t = nodeTree("base", "base");
    edit(t, "var/lib/kubelet/config.yaml", (s) => s.replace("kind: KubeletConfiguration", "kind: KubeProxyConfiguration"));
    const r = await plane(t);
    expect(r.findings.some((f) => f.code === "cluster.file-unreadable" && f.path === "var/lib/kubelet/config.yaml")).toBe(true);
    expect(r.assumptions.some((a) => a.includes("/var/lib/kubelet/config.yaml unreadable"))).toBe(true);
  });

  it("kubelet/client-ca-other: the kubelet's clientCAFile is another CA, so it refuses apiserver-kubelet-client (kubectl logs breaks)", async () => {
    const r = await plane(nodeTree("base", "client-ca-other"));
    expect(broken(r)).toEqual([`client: ${API_KUBELET} → kubelet`]);
    const e = find(r, "client", API_KUBELET);
    expect(codes(e)).toEqual(["cluster.client-refused"]);
    expect(e.detail).toContain("/var/lib/kubelet/pki/old-ca.crt");
  });

  it("config.yaml without authentication.x509.clientCAFile: the kubelet verifies no client certificate", async () => {
    const t = nodeTree("base", "base");
    edit(t, "var/lib/kubelet/config.yaml", (s) => s.replace("    clientCAFile: /etc/kubernetes/pki/ca.crt\n", ""));
    const r = await plane(t);
    expect(find(r, "client", API_KUBELET).verdict).toBe("broken");
    expect(find(r, "client", API_KUBELET).detail).toContain("sets no authentication.x509.clientCAFile");
  });

  it("kubelet-finalized: kubelet.conf names /var/lib/kubelet/pki/kubelet-client-current.pem (certificate and key in one file)", async () => {
    const r = await plane(nodeTree("kubelet-finalized", "base"));
    expect(broken(r)).toEqual([]);
    const client = find(r, "client", "kubelet");
    expect(client.detail).toMatch(/^var\/lib\/kubelet\/pki\/kubelet-client-current\.pem verified against --client-ca-file/);
    expect(client.detail).toContain("identity CN=system:node:cp-1, O=system:nodes");
    expect(find(r, "key-pair", "var/lib/kubelet/pki/kubelet-client-current.pem").verdict).toBe("holds");
    expect(client.renew).toContain("the kubelet requests a new client certificate itself (rotateCertificates: true)");
    // Without the kubelet's directory the file is missing and the edge undecided.
    const t = nodeTree("kubelet-finalized", "base");
    for (const k of [...t.keys()]) if (k.startsWith("var/")) t.delete(k);
    const alone = await plane(t);
    expect(find(alone, "client", "kubelet").verdict).toBe("unknown");
    expect(
      alone.findings.some((f) => f.code === "cluster.file-missing" && f.path === "var/lib/kubelet/pki/kubelet-client-current.pem"),
    ).toBe(true);
  });

  it("rotateCertificates: false: a warning on the kubelet's client edge, and the renewal plan says nothing renews it", async () => {
    const t = nodeTree("kubelet-finalized", "base");
    edit(t, "var/lib/kubelet/config.yaml", (s) => s.replace("rotateCertificates: true", "rotateCertificates: false"));
    const r = await plane(t);
    const client = find(r, "client", "kubelet");
    expect(codes(client)).toEqual(["cluster.kubelet-rotation-off"]);
    expect(client.renew).toMatch(/^rotateCertificates is off/);
    expect(r.renewals.some((x) => x.command.startsWith("rotateCertificates is off"))).toBe(true);
  });

  it("kubelet-ca + kubelet/base: --kubelet-certificate-authority is the cluster CA; the self-signed kubelet.crt is refused", async () => {
    const r = await plane(nodeTree("kubelet-ca", "base"));
    expect(broken(r)).toEqual([`kubelet-serving: kubelet (serving, /var/lib/kubelet/pki/kubelet.crt) → ${API_KUBELET}`]);
    const e = find(r, "kubelet-serving", SERVING);
    expect(codes(e)).toEqual(["cluster.kubelet-serving-untrusted"]);
    // kubeadm's --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname: the node's InternalIP (its advertise address).
    expect(e.detail).toContain("for 192.168.56.10 (the node's InternalIP)");
    expect(r.assumptions.some((a) => a.includes("192.168.56.10 as its InternalIP"))).toBe(true);
  });

  it("kubelet-ca + the default address types (Hostname first): the self-signed certificate names cp-1 but its CA is not the cluster CA", async () => {
    const t = nodeTree("kubelet-ca", "base");
    edit(t, "manifests/kube-apiserver.yaml", (s) =>
      s.replace("    - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname\n", ""),
    );
    const e = find(await plane(t), "kubelet-serving", SERVING);
    expect(e.verdict).toBe("broken");
    expect(e.detail).toContain("for cp-1 (the node's Hostname)");
    expect(e.findings[0]!.message).toMatch(/unknown authority|not trusted|untrusted/i);
  });

  it("kubelet-ca + kubelet/serving-bootstrap: kubelet-server-current.pem from the cluster CA for cp-1 and 192.168.56.10 holds", async () => {
    const r = await plane(nodeTree("kubelet-ca", "serving-bootstrap"));
    expect(broken(r)).toEqual([]);
    const e = find(r, "kubelet-serving", SERVING);
    expect(e.from).toBe("kubelet (serving, /var/lib/kubelet/pki/kubelet-server-current.pem)");
    expect(e.breaksAt).toBe("2027-08-20T00:00:00Z");
    expect(e.renew).toContain("kubernetes.io/kubelet-serving CSR");
  });

  it("kubeadm-flags.env's --node-ip is the InternalIP the API server dials: serving-bootstrap's certificate lacks 192.168.56.20", async () => {
    // The kubelet reports --node-ip as its InternalIP (pkg/kubelet/nodestatus/setters.go NodeAddress); make-node.sh's SANs: cp-1, 192.168.56.10.
    const t = nodeTree("kubelet-ca", "serving-bootstrap");
    edit(t, "var/lib/kubelet/kubeadm-flags.env", (s) => s.replace('ARGS="', 'ARGS="--node-ip=192.168.56.20,fd00::20 '));
    const r = await plane(t);
    const e = find(r, "kubelet-serving", SERVING);
    expect(e.verdict).toBe("broken");
    expect(e.detail).toContain("for 192.168.56.20 (the node's InternalIP)");
    expect(r.assumptions.some((a) => a.includes("--node-ip 192.168.56.20 (/var/lib/kubelet/kubeadm-flags.env)"))).toBe(true);
  });

  it("kubelet-ca without the kubelet's directory: the serving edge is unknown and the file is named missing", async () => {
    const t = nodeTree("kubelet-ca", "base");
    for (const k of [...t.keys()]) if (k.startsWith("var/")) t.delete(k);
    const r = await plane(t);
    expect(find(r, "kubelet-serving", SERVING).verdict).toBe("unknown");
    expect(r.findings.some((f) => f.code === "cluster.file-missing" && f.path === "var/lib/kubelet/pki/kubelet.crt")).toBe(true);
  });

  it("config.yaml's clusterDomain is the domain Pods use: a domain the API server's certificate lacks breaks the Pods edge", async () => {
    const t = nodeTree("base", "base");
    edit(t, "var/lib/kubelet/config.yaml", (s) => s.replace("clusterDomain: cluster.local", "clusterDomain: corp.internal"));
    const pods = find(await plane(t), "root-ca", "Pods (kube-root-ca.crt)");
    expect(pods.verdict).toBe("broken");
    expect(pods.findings[0]!.message).toContain("kubernetes.default.svc.corp.internal");
  });
});

// ---- Go decides -------------------------------------------------------------------------------
interface GoEdge {
  name: string;
  chain: string[];
  roots: string;
  usage: "server" | "client";
  host: string;
  at: string;
}
const COMBOS: [string, string][] = [
  ["base", "base"],
  ["base", "client-ca-other"],
  ["kubelet-finalized", "base"],
  ["kubelet-ca", "base"],
  ["kubelet-ca", "serving-bootstrap"],
];
const blocks = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g) ?? [];

/** The files by the paths the flags and config.yaml name, read from the fixture directories. */
function reader(cp: string, kubelet: string) {
  return (path: string) =>
    readFileSync(
      path.startsWith("/var/lib/kubelet/")
        ? join(KUBEADM_DIR, "kubelet", kubelet, path.slice("/var/lib/kubelet/".length))
        : join(KUBEADM_DIR, cp, path.replace(/^\/etc\/kubernetes\//, "")),
      "utf8",
    );
}

function questions(cp: string, kubelet: string, at: string): { go: GoEdge; report: (r: ClusterJson) => boolean }[] {
  const f = reader(cp, kubelet);
  const api = parse(f("/etc/kubernetes/manifests/kube-apiserver.yaml")).spec.containers[0].command as string[];
  const flag = (n: string) => api.find((w) => w.startsWith(`--${n}=`))?.slice(n.length + 3);
  const config = parse(f("/var/lib/kubelet/config.yaml"));
  const out: { go: GoEdge; report: (r: ClusterJson) => boolean }[] = [];
  out.push({
    go: {
      name: "apiserver-kubelet-client → clientCAFile",
      chain: blocks(f(flag("kubelet-client-certificate")!)),
      roots: f(config.authentication.x509.clientCAFile),
      usage: "client",
      host: "",
      at,
    },
    report: (r) => find(r, "client", API_KUBELET).verdict === "holds",
  });
  const user = parse(f("/etc/kubernetes/kubelet.conf")).users[0].user;
  const clientPem = user["client-certificate"]
    ? f(user["client-certificate"])
    : Buffer.from(user["client-certificate-data"], "base64").toString();
  out.push({
    go: {
      name: "kubelet client → --client-ca-file",
      chain: blocks(clientPem),
      roots: f(flag("client-ca-file")!),
      usage: "client",
      host: "",
      at,
    },
    report: (r) => !codes(find(r, "client", "kubelet")).includes("cluster.client-refused"),
  });
  const ca = flag("kubelet-certificate-authority");
  if (ca) {
    // kubeadm's --kubelet-preferred-address-types puts InternalIP first: the control-plane node's --advertise-address.
    expect(flag("kubelet-preferred-address-types")!.split(",")[0]).toBe("InternalIP");
    const serving = config.serverTLSBootstrap ? "/var/lib/kubelet/pki/kubelet-server-current.pem" : "/var/lib/kubelet/pki/kubelet.crt";
    out.push({
      go: {
        name: "kubelet serving → --kubelet-certificate-authority",
        chain: blocks(f(serving)),
        roots: f(ca),
        usage: "server",
        host: flag("advertise-address")!,
        at,
      },
      report: (r) => find(r, "kubelet-serving", SERVING).verdict === "holds",
    });
  }
  return out;
}

describe("Go's crypto/x509 agrees with the kubelet edges", () => {
  const TIMES = [KUBEADM_AT, new Date("2027-09-01T00:00:00Z")];
  const stamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
  const cases = TIMES.flatMap((when) =>
    COMBOS.map(([cp, kubelet]) => ({
      cp,
      kubelet,
      when,
      qs: questions(cp, kubelet, stamp(when)).map((q) => ({
        ...q,
        go: { ...q.go, name: `${cp}+${kubelet}@${stamp(when)}: ${q.go.name}` },
      })),
    })),
  );
  let answers: Map<string, { valid: boolean; error?: string }> | null | undefined;
  const ask = () => {
    if (answers === undefined) {
      const list = runGoOracle<{ name: string; valid: boolean; error?: string }[]>(
        "edges",
        cases.flatMap((c) => c.qs.map((q) => q.go)),
      );
      answers = list ? new Map(list.map((a) => [a.name, a])) : null;
    }
    return answers;
  };
  for (const c of cases) {
    it(`${c.cp} + kubelet/${c.kubelet} at ${stamp(c.when).slice(0, 10)}`, { timeout: 120_000 }, async (ctx) => {
      const byName = ask();
      if (!byName) return ctx.skip();
      const r = await plane(nodeTree(c.cp, c.kubelet), c.when);
      for (const q of c.qs) {
        const go = byName.get(q.go.name)!;
        expect(q.report(r), `${q.go.name}: ${go.valid ? "valid" : go.error}`).toBe(go.valid);
      }
    });
  }
});
