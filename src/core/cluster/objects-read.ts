// Kubernetes objects as `kubectl get secrets,validatingwebhookconfigurations,mutatingwebhookconfigurations
// -A -o yaml` prints them (a v1 List) or as multi-document YAML: the kubernetes.io/tls Secrets and
// the webhooks' clientConfig, nothing else. Each Secret's data becomes files of a tree
// (`secrets/<ns>/<name>/tls.crt`), and each webhook's caBundle
// `webhooks/<kind>/<configuration>/<webhook>/caBundle`, so the control plane's Material loads them.
import { parseAllDocuments, visit } from "yaml";
import { decodeBase64 } from "../encoding/pem.ts";
import { CSR_KIND, type CsrObject, readCsr } from "./csr-read.ts";
import { PUBSHA256_SUFFIX } from "./key-fingerprint.ts";
import { AGGREGATION_KINDS, readAggregationObject, seg, type AggregationObjects } from "./objects-read-aggregation.ts";

export const OBJECT_KINDS = new Set([
  "Secret",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  ...AGGREGATION_KINDS,
  CSR_KIND,
]);

export interface TlsSecret {
  namespace: string;
  name: string;
  /** cert-manager.io/certificate-name, when cert-manager wrote the Secret. */
  certificateName: string | null;
  /** Tree paths of tls.crt, tls.key, ca.crt (null when the key is absent). */
  files: { crt: string | null; key: string | null; ca: string | null };
}

export interface Webhook {
  kind: string;
  configuration: string;
  name: string;
  /** cert-manager.io/inject-ca-from on the configuration: `<namespace>/<certificate>`. */
  injectFrom: string | null;
  service: { name: string; namespace: string } | null;
  url: string | null;
  /** Tree path of the decoded caBundle; null when the webhook has none. */
  caBundle: string | null;
}

export interface Objects {
  secrets: TlsSecret[];
  webhooks: Webhook[];
  csrs: CsrObject[];
  /** APIServices, kube-root-ca.crt and extension-apiserver-authentication ConfigMaps (objects-read-aggregation.ts). */
  aggregation: AggregationObjects;
  tree: Map<string, Uint8Array>;
  /** Kinds in the input this reader does not audit, with their counts. */
  skipped: Map<string, number>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The objects of a List, a YAML stream or a JSON document (`kubectl get -o json`); [] when the YAML has errors. */
export function documents(text: string): unknown[] {
  const out: unknown[] = [];
  // logLevel "error": at its default the package prints a warning quoting a collection key
  // (addPairToJSMap: "Keys with collection values will be stringified ... [ the key ]"), so a
  // Secret written that way would have its value in the logs.
  for (const d of parseAllDocuments(text, { logLevel: "error" })) {
    if ("errors" in d && d.errors.length) return [];
    // kubectl never writes anchors or aliases (sigs.k8s.io/yaml marshals the JSON it is given), and the
    // yaml package resolves each alias by a walk of the document's anchors (Alias.resolve), unbounded for
    // an empty anchored collection (its alias count is 0): 100,000 `*a` took 77 s. Refused, as in kubeconfigs.
    let aliased = false;
    visit(d, {
      Alias() {
        aliased = true;
        return visit.BREAK;
      },
    });
    if (aliased) return [];
    const v = d.toJS({ maxAliasCount: 100 });
    if (isObj(v) && v.kind === "List" && Array.isArray(v.items)) out.push(...v.items);
    else if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

const isK8sObject = (i: unknown): i is Obj => isObj(i) && typeof i.kind === "string" && typeof i.apiVersion === "string";

const KINDS = "List|Secret|ValidatingWebhookConfiguration|MutatingWebhookConfiguration|APIService|ConfigMap|CertificateSigningRequest";
const KIND_LINE = new RegExp(`^kind:\\s*(${KINDS})\\s*$|"kind"\\s*:\\s*"(${KINDS})"`, "m");

/**
 * True when the text is a List or YAML stream of Kubernetes objects with at least one Secret or
 * webhook configuration (other kinds, e.g. ConfigMaps of a wider `kubectl get`, are skipped and
 * named in the report). A kubeconfig (kind: Config, no List) is not.
 */
export function looksLikeObjects(text: string): boolean {
  // Both alternatives hold "kind": a text without it (a PEM bundle) is not searched by the expression.
  if (!text.includes("kind") || !KIND_LINE.test(text)) return false;
  let items: unknown[];
  try {
    items = documents(text);
  } catch {
    return false;
  }
  return items.every(isK8sObject) && items.some((i) => OBJECT_KINDS.has(i.kind as string));
}

const encoder = new TextEncoder();

export function readObjects(text: string): Objects {
  const tree = new Map<string, Uint8Array>();
  const secrets: TlsSecret[] = [];
  const webhooks: Webhook[] = [];
  const csrs: CsrObject[] = [];
  const skipped = new Map<string, number>();
  const aggregation: AggregationObjects = { apiServices: [], rootCas: [], extensionAuth: null };
  for (const item of documents(text)) {
    if (!isObj(item)) continue;
    const audited = OBJECT_KINDS.has(String(item.kind)) && readAggregationObject(item, tree, aggregation);
    if (!audited) skipped.set(String(item.kind), (skipped.get(String(item.kind)) ?? 0) + 1);
    const meta = isObj(item.metadata) ? item.metadata : {};
    const annotations = isObj(meta.annotations) ? meta.annotations : {};
    const name = str(meta.name) ?? "?";
    if (item.kind === CSR_KIND) csrs.push(readCsr(item, tree));
    if (item.kind === "Secret" && item.type === "kubernetes.io/tls") {
      const namespace = str(meta.namespace) ?? "default";
      const data = isObj(item.data) ? item.data : {};
      const file = (k: string): string | null => {
        const path = `secrets/${seg(namespace)}/${seg(name)}/${k}`;
        // A key that stayed on the client's machine: its public key's SHA-256 (cli/objects-upload.ts).
        const fp = str(data[k + PUBSHA256_SUFFIX]);
        if (fp !== null) tree.set(path + PUBSHA256_SUFFIX, decodeBase64(fp) ?? encoder.encode("(not base64)"));
        const v = str(data[k]);
        if (v === null) return fp === null ? null : path;
        tree.set(path, decodeBase64(v) ?? encoder.encode("(not base64)"));
        return path;
      };
      secrets.push({
        namespace,
        name,
        certificateName: str(annotations["cert-manager.io/certificate-name"]),
        files: { crt: file("tls.crt"), key: file("tls.key"), ca: file("ca.crt") },
      });
    }
    if (item.kind === "ValidatingWebhookConfiguration" || item.kind === "MutatingWebhookConfiguration") {
      for (const w of Array.isArray(item.webhooks) ? item.webhooks : []) {
        if (!isObj(w)) continue;
        const cc = isObj(w.clientConfig) ? w.clientConfig : {};
        const svc = isObj(cc.service) ? cc.service : null;
        const bundle = str(cc.caBundle);
        // The kind is part of the path: a validating and a mutating configuration may share both names.
        const bundlePath = `webhooks/${seg(String(item.kind))}/${seg(name)}/${seg(str(w.name) ?? "?")}/caBundle`;
        if (bundle !== null) tree.set(bundlePath, decodeBase64(bundle) ?? encoder.encode("(not base64)"));
        webhooks.push({
          kind: item.kind,
          configuration: name,
          name: str(w.name) ?? "?",
          injectFrom: str(annotations["cert-manager.io/inject-ca-from"]),
          service: svc ? { name: str(svc.name) ?? "?", namespace: str(svc.namespace) ?? "default" } : null,
          url: str(cc.url),
          caBundle: bundle === null ? null : bundlePath,
        });
      }
    }
  }
  return { secrets, webhooks, csrs, aggregation, tree, skipped };
}
