// What an edge's from/to mean, relation by relation (src/core/cluster/relations.ts, in the report
// schema), checked on every edge of every fixture with facts from outside our code:
// - which component presents each certificate: kubeadm's layout (cmd/kubeadm/app/phases/certs/
//   certlist.go: apiserver, apiserver-kubelet-client, apiserver-etcd-client and front-proxy-client
//   are kube-apiserver's, etcd/server and etcd/peer are etcd's; phases/kubeconfig/kubeconfig.go: the
//   user of each kubeconfig; phases/controlplane/manifests.go getControllerManagerCommand:
//   --cluster-signing-cert-file is the controller-manager's), the fixture's own flags for the
//   signing CA file, and `openssl x509 -fingerprint -sha256` for which file an edge's certificate is;
// - the kubelet's directory (/var/lib/kubelet, test/fixtures/kubeadm/make-node.sh): its serving
//   certificate files (config.yaml's tlsCertFile, else pki/kubelet-server-current.pem with
//   serverTLSBootstrap, else the self-signed pki/kubelet.crt: cmd/kubelet/app/server.go
//   InitializeTLS) and its client certificate pki/kubelet-client-current.pem (client-go
//   util/certificate/certificate_store.go) are the kubelet's;
// - Kubernetes objects: the Secret each tls.crt is in (the YAML read by the yaml package), and for a
//   webhook or an APIService, openssl's subjectAltName of the certificate holds
//   <service>.<namespace>.svc of the Service its configuration calls (k8s.io/apiserver
//   pkg/util/webhook/client.go: ServerName; k8s.io/kube-aggregator pkg/apiserver/handler_proxy.go
//   proxyHandler.updateAPIService: ServerName = spec.service.name + "." + namespace + ".svc",
//   Insecure = spec.insecureSkipTLSVerify: then nothing is verified);
// - kube-root-ca.crt comparisons (no TLS): openssl's fingerprints of each namespace's ca.crt against
//   those of the cluster CA given, else of the bundle most namespaces carry;
// - service-account edges (no certificate): the static Pod manifest of the signing end carries the
//   signing-key flag, the verifying end's carries --service-account-key-file (kubeadm's manifests).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { auditControlPlane, auditObjects } from "../../src/core/cluster/index.ts";
import { RELATION_ROLES } from "../../src/core/cluster/relations.ts";
import { describeWithTool } from "../helpers/tools.ts";
import { HAVE_OPENSSL, opensslRaw } from "./helpers/oracles.ts";
import { KUBEADM_AT, KUBEADM_DIR, KUBEADM_VARIANTS, KUBELET_VARIANTS, kubeadmTree, nodeTree } from "./helpers/kubeadm-tree.ts";

const OBJECTS_DIR = fileURLToPath(new URL("../fixtures/k8s-objects/", import.meta.url));
const OBJECT_VARIANTS = ["aggregation", "apiservice-ca-renewed", "base", "ca-renewed", "csr", "root-ca-stale"];
/** Every control-plane directory of make.sh and make-node.sh; kubelet/ holds kubelet directories instead. */
const CONTROL_PLANES = [...KUBEADM_VARIANTS, "kubelet-finalized", "kubelet-ca"];
const KUBELET_DIR = "kubelet";
/** The control planes each kubelet directory is walked beside (make-node.sh: kubelet-finalized's kubelet.conf names its pem). */
const NODE_PLANES = ["base", "kubelet-finalized", "kubelet-ca"];
/** kube-root-ca.crt against the cluster CA given (aggregation/cluster-ca.crt is the cluster CA, -old the one before). */
const ROOT_CA_CASES = [
  ["root-ca-stale", "cluster-ca.crt"],
  ["aggregation", "cluster-ca-old.crt"],
];

type Node = { type: "component"; id: string } | { type: "object"; kind: string; name: string };
const component = (id: string): Node => ({ type: "component", id });

/** openssl's SHA-256 fingerprint of the first certificate in a PEM text, as a report's certificate id. */
function fingerprint(pem: string): string {
  const r = opensslRaw(["x509", "-noout", "-fingerprint", "-sha256"], pem);
  const hex = /Fingerprint=([0-9A-F:]+)/.exec(r.out)?.[1];
  if (r.status !== 0 || !hex) throw new Error(`openssl fingerprint failed: ${r.out}`);
  return `sha256:${hex.replace(/:/g, "").toLowerCase()}`;
}

/** openssl's fingerprint of every certificate in a PEM bundle, in order. */
const fingerprints = (pem: string) => (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(fingerprint);

function sanDns(pem: string): string[] {
  const r = opensslRaw(["x509", "-noout", "-ext", "subjectAltName"], pem);
  return [...r.out.matchAll(/DNS:([^,\s]+)/g)].map((m) => m[1]!);
}

/** What the test knows from outside our code about one input. */
interface Facts {
  /** Certificate id → the component or object that presents it. */
  owners: Map<string, Node>;
  /** Certificate id → PEM, for openssl questions about an edge's certificate. */
  pem: Map<string, string>;
  /** The kubelet's serving certificates (its tlsCertFile, kubelet-server-current.pem or kubelet.crt). */
  kubeletServing: Set<string>;
  /** "<kind> <name>" of a webhook configuration or APIService → <service>.<namespace>.svc of its spec. */
  hosts: Map<string, string>;
  /** "APIService <name>" of those with spec.insecureSkipTLSVerify: the aggregator verifies nothing. */
  insecure: Set<string>;
  /** A component's static Pod manifest. */
  manifest: (id: string) => string;
  /** "<namespace>/kube-root-ca.crt" → the fingerprints of its ca.crt. */
  rootCas: Map<string, string[]>;
  /** The fingerprints of the cluster CA given; null when none was given. */
  rootCaGiven: string[] | null;
}

const newFacts = (manifest: Facts["manifest"] = () => ""): Facts => ({
  owners: new Map(),
  pem: new Map(),
  kubeletServing: new Set(),
  hosts: new Map(),
  insecure: new Set(),
  manifest,
  rootCas: new Map(),
  rootCaGiven: null,
});

function own(f: Facts, pem: string, node: Node): string {
  const fp = fingerprint(pem);
  const had = f.owners.get(fp);
  if (had && JSON.stringify(had) !== JSON.stringify(node)) throw new Error(`${fp} has two owners`);
  f.owners.set(fp, node);
  f.pem.set(fp, pem);
  return fp;
}

/** The component that presents each certificate of a kubeadm fixture, by openssl's fingerprint. */
function kubeadmFacts(variant: string): Facts {
  const root = join(KUBEADM_DIR, variant);
  const f = newFacts((id) => readFileSync(join(root, "manifests", `${id}.yaml`), "utf8"));
  const files: Record<string, string> = {
    "pki/apiserver.crt": "kube-apiserver",
    "pki/apiserver-kubelet-client.crt": "kube-apiserver",
    "pki/apiserver-etcd-client.crt": "kube-apiserver",
    "pki/front-proxy-client.crt": "kube-apiserver",
    "pki/etcd/server.crt": "etcd",
    "pki/etcd/peer.crt": "etcd",
  };
  const signing = /--cluster-signing-cert-file=\/etc\/kubernetes\/(\S+)/.exec(f.manifest("kube-controller-manager"))![1]!;
  files[signing] = "kube-controller-manager";
  const users: Record<string, string> = {
    "admin.conf": "kubectl",
    "super-admin.conf": "kubectl",
    "controller-manager.conf": "kube-controller-manager",
    "scheduler.conf": "kube-scheduler",
    "kubelet.conf": "kubelet",
  };
  for (const [file, id] of Object.entries(files)) own(f, readFileSync(join(root, file), "utf8"), component(id));
  for (const [file, id] of Object.entries(users)) {
    // kubelet-finalized's kubelet.conf names a file of the kubelet's directory instead (kubeletFacts).
    const data = /client-certificate-data: (\S+)/.exec(readFileSync(join(root, file), "utf8"))?.[1];
    if (data) own(f, Buffer.from(data, "base64").toString("utf8"), component(id));
    else expect(file, `${variant}: only kubelet.conf may name a certificate file`).toBe("kubelet.conf");
  }
  return f;
}

/** Adds a kubelet directory's certificates: every serving and client certificate in it is the kubelet's. */
function kubeletFacts(f: Facts, kubelet: string): Facts {
  const dir = join(KUBEADM_DIR, KUBELET_DIR, kubelet);
  const tlsCertFile = /^tlsCertFile: \/var\/lib\/kubelet\/(\S+)/m.exec(readFileSync(join(dir, "config.yaml"), "utf8"))?.[1];
  const serving = [tlsCertFile, "pki/kubelet-server-current.pem", "pki/kubelet.crt"].filter((p): p is string => !!p);
  for (const p of serving) {
    let pem: string;
    try {
      pem = readFileSync(join(dir, p), "utf8");
    } catch {
      continue; // make-node.sh writes one of them per variant
    }
    f.kubeletServing.add(own(f, pem, component("kubelet")));
  }
  own(f, readFileSync(join(dir, "pki/kubelet-client-current.pem"), "utf8"), component("kubelet"));
  expect(f.kubeletServing.size, `kubelet/${kubelet} has a serving certificate`).toBeGreaterThan(0);
  return f;
}

interface Item {
  kind: string;
  data?: Record<string, string>;
  metadata: { name: string; namespace?: string };
  webhooks?: { clientConfig: { service?: { name: string; namespace: string } } }[];
  spec?: { service?: { name: string; namespace: string } | null; insecureSkipTLSVerify?: boolean };
}

function items(text: string): Item[] {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Item & { items?: Item[] });
  return docs.flatMap((d) => (d.kind === "List" ? d.items! : [d]));
}

function objectFacts(text: string): Facts {
  const f = newFacts();
  for (const i of items(text)) {
    const crt = i.data?.["tls.crt"];
    if (i.kind === "Secret" && crt)
      own(f, Buffer.from(crt, "base64").toString("utf8"), {
        type: "object",
        kind: "Secret",
        name: `${i.metadata.namespace}/${i.metadata.name}`,
      });
    const svc = i.webhooks?.[0]?.clientConfig.service ?? i.spec?.service;
    if (svc) f.hosts.set(`${i.kind} ${i.metadata.name}`, `${svc.name}.${svc.namespace}.svc`);
    if (i.kind === "APIService" && i.spec?.insecureSkipTLSVerify) f.insecure.add(`APIService ${i.metadata.name}`);
    if (i.kind === "ConfigMap" && i.metadata.name === "kube-root-ca.crt")
      f.rootCas.set(`${i.metadata.namespace}/kube-root-ca.crt`, fingerprints(i.data?.["ca.crt"] ?? ""));
  }
  return f;
}

/** What a kube-root-ca.crt is compared with: the cluster CA given, else the bundle most namespaces carry (none on a tie or alone). */
function rootCaReference(f: Facts): string | null {
  const key = (fps: string[]) => [...fps].sort().join(",");
  if (f.rootCaGiven) return key(f.rootCaGiven);
  const counts = new Map<string, number>();
  for (const fps of f.rootCas.values()) if (fps.length) counts.set(key(fps), (counts.get(key(fps)) ?? 0) + 1);
  const [top, second] = [...counts].sort((a, b) => b[1] - a[1]);
  return f.rootCas.size > 1 && top && (!second || top[1] > second[1]) ? top[0] : null;
}

/** The relations whose documented meaning was checked against a fact on at least one edge. */
const checked = new Set<string>();

type EdgeIn = {
  relation: string;
  from: string;
  to: string;
  fromNode?: Node | null;
  toNode?: Node | null;
  certificate: string | null;
  verdict: string;
};

/** Checks one edge against its relation's documented roles and the input's facts. */
function checkEdge(e: EdgeIn, f: Facts) {
  const label = `${e.relation}: ${e.from} → ${e.to}`;
  const roles = RELATION_ROLES[e.relation as keyof typeof RELATION_ROLES];
  expect(roles, `${label}: the relation is documented`).toBeDefined();
  // Every end is named as data (the diagram's boxes); a comparison's reference is no object.
  expect(e.fromNode, label).toBeTruthy();
  if (roles.presents === "none") expect(e.toNode, label).toBeNull();
  else expect(e.toNode, label).toBeTruthy();
  if (roles.presents === "same") expect(e.toNode, label).toEqual(e.fromNode);
  const presenter = roles.presents === "to" ? e.toNode! : e.fromNode!;
  const verifier = roles.presents === "to" ? e.fromNode! : e.toNode!;
  const name = presenter.type === "object" ? `${presenter.kind} ${presenter.name}` : "";
  if (e.relation === "webhook" || e.relation === "apiservice") {
    // The configuration (the presenting end) calls a Service; its certificate is a Secret's tls.crt for that Service's name.
    const kind = e.relation === "webhook" ? /WebhookConfiguration$/ : /^APIService$/;
    expect(presenter.type === "object" && kind.test(presenter.kind), label).toBe(true);
    const host = f.hosts.get(name);
    expect(host, `${label}: ${name} calls a Service`).toBeDefined();
    if (f.insecure.has(name)) {
      expect([e.verdict, e.certificate], `${label}: insecureSkipTLSVerify, nothing verified`).toEqual(["unknown", null]);
      return;
    }
    if (!e.certificate) return;
    expect(f.owners.get(e.certificate), `${label}: a Secret's tls.crt`).toMatchObject({ type: "object", kind: "Secret" });
    expect(sanDns(f.pem.get(e.certificate)!), label).toContain(host);
  } else if (e.relation === "service-account") {
    expect(presenter.type, label).toBe("component");
    expect(f.manifest((presenter as { id: string }).id), label).toMatch(/--service-account-(signing|private)-key-file=/);
    expect(f.manifest((verifier as { id: string }).id), label).toMatch(/--service-account-key-file=/);
  } else if (roles.presents === "none") {
    // root-ca-configmap: from's ca.crt compared with the reference, by openssl's fingerprints.
    expect(e.relation, label).toBe("root-ca-configmap");
    expect(presenter.type === "object" && presenter.kind === "ConfigMap", label).toBe(true);
    const bundle = f.rootCas.get((presenter as { name: string }).name);
    expect(bundle, `${label}: a kube-root-ca.crt of the input`).toBeDefined();
    expect(e.certificate, `${label}: the certificate is from's`).toBe(bundle![0] ?? null);
    const ref = rootCaReference(f);
    const same = [...bundle!].sort().join(",") === ref;
    expect(e.verdict, label).toBe(!bundle!.length ? "broken" : ref === null ? "unknown" : same ? "holds" : "broken");
    expect(e.to, label).toEqual(
      f.rootCaGiven ? "the cluster CA given" : expect.stringMatching(/^kube-root-ca\.crt of the other namespaces/),
    );
  } else if (e.certificate) {
    expect(presenter, `${label}: the end that presents ${e.certificate}`).toEqual(f.owners.get(e.certificate));
    if (e.relation === "kubelet-serving") expect(f.kubeletServing.has(e.certificate), `${label}: a serving certificate file`).toBe(true);
  } else return; // nothing to check this edge's meaning against
  checked.add(e.relation);
}

describeWithTool(
  "openssl",
  HAVE_OPENSSL,
  "apt-get install -y openssl",
)("from/to mean what relations.ts says, on every fixture edge", () => {
  const plane = async (tree: Map<string, Uint8Array>, f: Facts) => {
    const cluster = await auditControlPlane(tree, { at: KUBEADM_AT, subtle: crypto.subtle });
    expect(cluster.edges.length).toBeGreaterThan(0);
    for (const e of cluster.edges) checkEdge(e, f);
  };
  for (const variant of CONTROL_PLANES) it(`kubeadm ${variant}`, () => plane(kubeadmTree(variant), kubeadmFacts(variant)));
  for (const variant of NODE_PLANES)
    for (const kubelet of KUBELET_VARIANTS)
      it(`kubeadm ${variant} with kubelet/${kubelet}`, () =>
        plane(nodeTree(variant, kubelet), kubeletFacts(kubeadmFacts(variant), kubelet)));

  const objects = async (variant: string, caFile?: string) => {
    const text = readFileSync(join(OBJECTS_DIR, variant, "objects.yaml"), "utf8");
    const f = objectFacts(text);
    const ca = caFile ? readFileSync(join(OBJECTS_DIR, "aggregation", caFile), "utf8") : null;
    if (ca) f.rootCaGiven = fingerprints(ca);
    const options = { at: KUBEADM_AT, subtle: crypto.subtle, ...(ca ? { rootCa: new TextEncoder().encode(ca) } : {}) };
    const { cluster } = await auditObjects(text, options);
    // csr: CertificateSigningRequests are reported in cluster.csrs, not as edges.
    if (variant === "csr") expect(cluster.edges).toEqual([]);
    else expect(cluster.edges.length).toBeGreaterThan(0);
    for (const e of cluster.edges) checkEdge(e, f);
  };
  for (const variant of OBJECT_VARIANTS) it(`Kubernetes objects ${variant}`, () => objects(variant));
  for (const [variant, ca] of ROOT_CA_CASES) it(`Kubernetes objects ${variant} with --root-ca ${ca}`, () => objects(variant!, ca));

  it("every documented relation was checked on a fixture edge (a new relation needs a fixture edge here)", () => {
    expect([...checked].sort()).toEqual(Object.keys(RELATION_ROLES).sort());
  });
});

// The fixture directories the test walks exist as listed (a renamed variant must not silently drop out).
it("the fixture variants are the directories on disk", () => {
  const dirs = (d: string) => readdirSync(d).filter((n) => statSync(join(d, n)).isDirectory());
  expect(dirs(KUBEADM_DIR).sort()).toEqual([...CONTROL_PLANES, KUBELET_DIR].sort());
  expect(dirs(join(KUBEADM_DIR, KUBELET_DIR)).sort()).toEqual([...KUBELET_VARIANTS].sort());
  expect(dirs(OBJECTS_DIR).sort()).toEqual(OBJECT_VARIANTS);
});
