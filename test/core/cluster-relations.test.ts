// What an edge's from/to mean, relation by relation (src/core/cluster/relations.ts, in the report
// schema), checked on every edge of every fixture with facts from outside our code:
// - which component presents each certificate: kubeadm's layout (cmd/kubeadm/app/phases/certs/
//   certlist.go: apiserver, apiserver-kubelet-client, apiserver-etcd-client and front-proxy-client
//   are kube-apiserver's, etcd/server and etcd/peer are etcd's; phases/kubeconfig/kubeconfig.go: the
//   user of each kubeconfig; phases/controlplane/manifests.go getControllerManagerCommand:
//   --cluster-signing-cert-file is the controller-manager's), the fixture's own flags for the
//   signing CA file, and `openssl x509 -fingerprint -sha256` for which file an edge's certificate is;
// - Kubernetes objects: the Secret each tls.crt is in (the YAML read by the yaml package), and for a
//   webhook, openssl's subjectAltName of the certificate holds <service>.<namespace>.svc of the
//   Service its configuration calls (k8s.io/apiserver pkg/util/webhook/client.go: ServerName);
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
import { KUBEADM_AT, KUBEADM_DIR, KUBEADM_VARIANTS, kubeadmTree } from "./helpers/kubeadm-tree.ts";

const OBJECTS_DIR = fileURLToPath(new URL("../fixtures/k8s-objects/", import.meta.url));
const OBJECT_VARIANTS = ["base", "ca-renewed"];

type Node = { type: "component"; id: string } | { type: "object"; kind: string; name: string };
const component = (id: string): Node => ({ type: "component", id });

/** openssl's SHA-256 fingerprint of the first certificate in a PEM text, as a report's certificate id. */
function fingerprint(pem: string): string {
  const r = opensslRaw(["x509", "-noout", "-fingerprint", "-sha256"], pem);
  const hex = /Fingerprint=([0-9A-F:]+)/.exec(r.out)?.[1];
  if (r.status !== 0 || !hex) throw new Error(`openssl fingerprint failed: ${r.out}`);
  return `sha256:${hex.replace(/:/g, "").toLowerCase()}`;
}

function sanDns(pem: string): string[] {
  const r = opensslRaw(["x509", "-noout", "-ext", "subjectAltName"], pem);
  return [...r.out.matchAll(/DNS:([^,\s]+)/g)].map((m) => m[1]!);
}

/** The component that presents each certificate of a kubeadm fixture, by openssl's fingerprint. */
function kubeadmOwners(variant: string): Map<string, Node> {
  const root = join(KUBEADM_DIR, variant);
  const files: Record<string, string> = {
    "pki/apiserver.crt": "kube-apiserver",
    "pki/apiserver-kubelet-client.crt": "kube-apiserver",
    "pki/apiserver-etcd-client.crt": "kube-apiserver",
    "pki/front-proxy-client.crt": "kube-apiserver",
    "pki/etcd/server.crt": "etcd",
    "pki/etcd/peer.crt": "etcd",
  };
  const cm = readFileSync(join(root, "manifests/kube-controller-manager.yaml"), "utf8");
  const signing = /--cluster-signing-cert-file=\/etc\/kubernetes\/(\S+)/.exec(cm)![1]!;
  files[signing] = "kube-controller-manager";
  const users: Record<string, string> = {
    "admin.conf": "kubectl",
    "super-admin.conf": "kubectl",
    "controller-manager.conf": "kube-controller-manager",
    "scheduler.conf": "kube-scheduler",
    "kubelet.conf": "kubelet",
  };
  const owners = new Map<string, Node>();
  const add = (pem: string, id: string) => {
    const fp = fingerprint(pem);
    if (owners.has(fp) && JSON.stringify(owners.get(fp)) !== JSON.stringify(component(id))) throw new Error(`${fp} has two owners`);
    owners.set(fp, component(id));
  };
  for (const [f, id] of Object.entries(files)) add(readFileSync(join(root, f), "utf8"), id);
  for (const [f, id] of Object.entries(users)) {
    const data = /client-certificate-data: (\S+)/.exec(readFileSync(join(root, f), "utf8"))![1]!;
    add(Buffer.from(data, "base64").toString("utf8"), id);
  }
  return owners;
}

interface Item {
  kind: string;
  data?: Record<string, string>;
  metadata: { name: string; namespace?: string };
  webhooks?: { clientConfig: { service?: { name: string; namespace: string } } }[];
}

function items(text: string): Item[] {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Item & { items?: Item[] });
  return docs.flatMap((d) => (d.kind === "List" ? d.items! : [d]));
}

const seen = new Set<string>();

/** Checks one edge against its relation's documented roles; `owner` is who presents its certificate. */
function checkEdge(
  e: { relation: string; from: string; to: string; fromNode?: Node | null; toNode?: Node | null; certificate: string | null },
  owner: (cert: string) => Node | undefined,
  webhookHosts: Map<string, string>,
  manifests: (id: string) => string,
) {
  const label = `${e.relation}: ${e.from} → ${e.to}`;
  const roles = RELATION_ROLES[e.relation as keyof typeof RELATION_ROLES];
  expect(roles, `${label}: the relation is documented`).toBeDefined();
  seen.add(e.relation);
  // Every end is named as data (the diagram's boxes).
  expect(e.fromNode, label).toBeTruthy();
  expect(e.toNode, label).toBeTruthy();
  const presenter = roles.presents === "to" ? e.toNode! : e.fromNode!;
  const verifier = roles.presents === "to" ? e.fromNode! : e.toNode!;
  if (roles.presents === "same") expect(e.toNode, label).toEqual(e.fromNode);
  if (e.relation === "webhook") {
    // The certificate is a Secret's, served by the Service the configuration (the presenting end) calls.
    expect(presenter.type === "object" && /WebhookConfiguration$/.test(presenter.kind), label).toBe(true);
    const host = webhookHosts.get(presenter.type === "object" ? presenter.name : "");
    expect(host, label).toBeDefined();
    if (e.certificate) expect(sanDns(certPem.get(e.certificate)!), label).toContain(host);
  } else if (e.relation === "service-account") {
    expect(presenter.type, label).toBe("component");
    expect(manifests((presenter as { id: string }).id), label).toMatch(/--service-account-(signing|private)-key-file=/);
    expect(manifests((verifier as { id: string }).id), label).toMatch(/--service-account-key-file=/);
  } else if (e.certificate) {
    expect(presenter, `${label}: the end that presents ${e.certificate}`).toEqual(owner(e.certificate));
  }
}

/** Certificate id → PEM, for openssl questions about an edge's certificate. */
const certPem = new Map<string, string>();

describeWithTool(
  "openssl",
  HAVE_OPENSSL,
  "apt-get install -y openssl",
)("from/to mean what relations.ts says, on every fixture edge", () => {
  for (const variant of KUBEADM_VARIANTS) {
    it(`kubeadm ${variant}`, async () => {
      const owners = kubeadmOwners(variant);
      const cluster = await auditControlPlane(kubeadmTree(variant), { at: KUBEADM_AT, subtle: crypto.subtle });
      const manifest = (id: string) => readFileSync(join(KUBEADM_DIR, variant, "manifests", `${id}.yaml`), "utf8");
      for (const e of cluster.edges) checkEdge(e, (c) => owners.get(c), new Map(), manifest);
    });
  }
  for (const variant of OBJECT_VARIANTS) {
    it(`Kubernetes objects ${variant}`, async () => {
      const text = readFileSync(join(OBJECTS_DIR, variant, "objects.yaml"), "utf8");
      const owners = new Map<string, Node>();
      const hosts = new Map<string, string>();
      for (const i of items(text)) {
        const crt = i.data?.["tls.crt"];
        if (i.kind === "Secret" && crt) {
          const pem = Buffer.from(crt, "base64").toString("utf8");
          owners.set(fingerprint(pem), { type: "object", kind: "Secret", name: `${i.metadata.namespace}/${i.metadata.name}` });
          certPem.set(fingerprint(pem), pem);
        }
        const svc = i.webhooks?.[0]?.clientConfig.service;
        if (svc) hosts.set(i.metadata.name, `${svc.name}.${svc.namespace}.svc`);
      }
      const { cluster } = await auditObjects(text, { at: KUBEADM_AT, subtle: crypto.subtle });
      expect(cluster.edges.length).toBeGreaterThan(0);
      for (const e of cluster.edges)
        checkEdge(
          e,
          (c) => owners.get(c),
          hosts,
          () => "",
        );
    });
  }
  it("every documented relation was met in the fixtures (a new relation needs a fixture edge here)", () => {
    expect([...seen].sort()).toEqual(Object.keys(RELATION_ROLES).sort());
  });
});

// The fixture directories the test walks exist as listed (a renamed variant must not silently drop out).
it("the fixture variants are the directories on disk", () => {
  const dirs = (d: string) => readdirSync(d).filter((n) => statSync(join(d, n)).isDirectory());
  expect(dirs(KUBEADM_DIR).sort()).toEqual([...KUBEADM_VARIANTS].sort());
  expect(dirs(OBJECTS_DIR).sort()).toEqual(OBJECT_VARIANTS);
});
