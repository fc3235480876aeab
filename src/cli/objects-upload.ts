// `certaudit objects.yaml --endpoint URL` (or `-`): Kubernetes objects sent to {endpoint}/v1/audit
// as a JSON v1 List with no secret in it. Computed here, on this machine:
// - every private key in a Secret becomes `<key>.pubsha256`: the SHA-256 of its public key
//   (directory-upload.ts keyFingerprint, the same as for a control-plane directory), which the
//   service matches to tls.crt (core/cluster/key-fingerprint.ts);
// - a value that is PEM certificates only is sent as it is (text around the blocks is not); every
//   other Secret value (tokens, passwords, Opaque data, .dockerconfigjson) is dropped, and so is
//   stringData;
// - kubectl's last-applied-configuration annotation (it can hold a whole Secret) is dropped from
//   every object, and metadata is reduced to name, namespace and annotations;
// - ConfigMaps other than kube-root-ca.crt and extension-apiserver-authentication, and kinds the
//   service does not read, go as name-only stubs (so the report still counts them as skipped).
import { PUBSHA256_SUFFIX } from "../core/cluster/key-fingerprint.ts";
import { documents, OBJECT_KINDS } from "../core/cluster/objects-read.ts";
import { decodeBase64, encodeBase64, scanPem, toPem } from "../core/encoding/pem.ts";
import { bytesToText } from "../core/input/detect.ts";
import { serviceOutcome, type Outcome, type Transport } from "./client.ts";
import { keyFingerprint } from "./directory-upload.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const CA_CONFIGMAPS = new Set(["kube-root-ca.crt", "extension-apiserver-authentication"]);
const enc = new TextEncoder();

export interface Stripped {
  /** One line per value not sent as it is (names only, never values). */
  removed: string[];
  keys: number;
  dropped: number;
}

function metadata(item: Obj): Obj {
  const m = isObj(item.metadata) ? item.metadata : {};
  const out: Obj = {};
  if (m.name !== undefined) out.name = m.name;
  if (m.namespace !== undefined) out.namespace = m.namespace;
  if (isObj(m.annotations)) {
    const a = Object.fromEntries(Object.entries(m.annotations).filter(([k]) => k !== LAST_APPLIED));
    if (Object.keys(a).length) out.annotations = a;
  }
  return out;
}

const stub = (item: Obj): Obj => ({ apiVersion: item.apiVersion, kind: item.kind, metadata: metadata(item) });

/** A Secret with only its certificates, and its private keys as public-key fingerprints. */
async function secretWithoutSecrets(item: Obj, subtle: SubtleCrypto, s: Stripped): Promise<Obj> {
  const meta = metadata(item);
  const who = `Secret ${String(meta.namespace ?? "default")}/${String(meta.name ?? "?")}`;
  const data: Record<string, string> = {};
  if (item.stringData !== undefined) {
    s.removed.push(`${who}: stringData (not sent)`);
    s.dropped++;
  }
  for (const [k, v] of Object.entries(isObj(item.data) ? item.data : {})) {
    const bytes = typeof v === "string" ? decodeBase64(v) : null;
    const text = bytes ? bytesToText(bytes) : null;
    const blocks = text === null ? [] : scanPem(text).blocks;
    if (blocks.some((b) => b.label.endsWith("PRIVATE KEY"))) {
      const fp = await keyFingerprint(text!, subtle);
      if (fp) {
        data[k + PUBSHA256_SUFFIX] = encodeBase64(enc.encode(`${fp}\n`));
        s.keys++;
      } else s.dropped++;
      s.removed.push(
        `${who}: ${k}: ${fp ? "private key (its public key's SHA-256 sent instead)" : "private key that cannot be read (not sent)"}`,
      );
    } else if (blocks.length && blocks.every((b) => b.label === "CERTIFICATE" && b.der)) {
      // Certificates only, as PEM puts them: sent as they are; any other text around them is not.
      const pems = blocks.map((b) => toPem(b.label, b.der!)).join("");
      const bare = (t: string) => t.replace(/\s+/g, "");
      if (bare(pems) === bare(text!)) data[k] = v as string;
      else {
        data[k] = encodeBase64(enc.encode(pems));
        s.removed.push(`${who}: ${k}: the text around its certificates (not sent)`);
      }
    } else {
      s.removed.push(`${who}: ${k} (not a certificate; not sent)`);
      s.dropped++;
    }
  }
  return { apiVersion: item.apiVersion, kind: item.kind, type: item.type, metadata: meta, data };
}

/** The objects as they may leave the machine: a v1 List. */
export async function uploadableObjects(text: string, subtle: SubtleCrypto): Promise<{ list: Obj; stripped: Stripped }> {
  const stripped: Stripped = { removed: [], keys: 0, dropped: 0 };
  const items: Obj[] = [];
  for (const item of documents(text)) {
    if (!isObj(item)) continue;
    if (item.kind === "Secret") items.push(await secretWithoutSecrets(item, subtle, stripped));
    else if (item.kind === "ConfigMap")
      items.push(CA_CONFIGMAPS.has(String(metadata(item).name)) ? { ...stub(item), data: item.data } : stub(item));
    else if (OBJECT_KINDS.has(String(item.kind))) items.push({ ...item, metadata: metadata(item) });
    else items.push(stub(item));
  }
  return { list: { apiVersion: "v1", kind: "List", items }, stripped };
}

/** POST the objects to {endpoint}/v1/audit: without their secrets, or as they are with --send-secrets. */
export async function auditObjectsRemote(
  text: string,
  opts: { at?: string | undefined; warnDays?: number | undefined; rootCa?: Uint8Array | undefined },
  t: Transport,
): Promise<{ outcome: Outcome; stripped: Stripped | null }> {
  const up = t.sendSecrets ? null : await uploadableObjects(text, t.subtle);
  let url: URL;
  try {
    url = new URL(`${t.endpoint!.replace(/\/+$/, "")}/v1/audit`);
  } catch {
    return { outcome: { problem: { code: "cli.bad-endpoint", message: "the endpoint is not a URL" } }, stripped: null };
  }
  if (opts.at) url.searchParams.set("at", opts.at);
  if (opts.warnDays !== undefined) url.searchParams.set("warn_days", String(opts.warnDays));
  const headers: Record<string, string> = {
    accept: "application/json, application/problem+json",
    "user-agent": t.userAgent ?? "certaudit-cli",
  };
  if (t.token) headers.authorization = `Bearer ${t.token}`;
  const type = up ? "application/json" : "application/yaml";
  const objects = up ? JSON.stringify(up.list) : text;
  let body: string | FormData = objects;
  if (opts.rootCa) {
    // The cluster CA is a certificate: it goes as it is, beside the objects (multipart file + rootCA).
    body = new FormData();
    body.set("file", new Blob([objects], { type }), up ? "objects.json" : "objects.yaml");
    body.set("rootCA", new Blob([opts.rootCa as Uint8Array<ArrayBuffer>]), "root-ca.crt");
  } else headers["content-type"] = type;
  let res: Response;
  try {
    res = await (t.fetch ?? fetch)(url, { method: "POST", headers, body });
  } catch (e) {
    const c = (e as { cause?: { message?: string } }).cause;
    const message = `POST ${url.origin}${url.pathname} failed (${c?.message ?? (e as Error).message})`;
    return { outcome: { problem: { code: "cli.endpoint-unreachable", message } }, stripped: null };
  }
  return { outcome: await serviceOutcome(res, up?.stripped.removed ?? []), stripped: up?.stripped ?? null };
}
