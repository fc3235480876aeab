// Placing a cluster report's findings (issue 12) on a file and a line. A control-plane
// directory's findings name a file of the directory (`pki/apiserver-etcd-client.crt`,
// `admin.conf`) and, mostly, the certificate: the finding goes on that file, at the PEM block or
// the kubeconfig `*-data` line that holds the certificate. A file of Kubernetes objects names an
// object's field (`secrets/<ns>/<name>/tls.crt`, `webhooks/<kind>/<configuration>/<webhook>/caBundle`):
// the finding goes on that field's line, read from the YAML's own source positions.
import { createHash } from "node:crypto";
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from "yaml";
import { treePath } from "../core/cluster/tree.ts";
import type { Report } from "../core/report/types.ts";

const BEGIN_CERT = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----/;
const END = /-----END [A-Z0-9 ]+-----/;
const DATA_LINE = /^\s*"?(?:certificate-authority-data|client-certificate-data)"?\s*:\s*"?([A-Za-z0-9+/=]+)"?\s*,?\s*$/;
const decoder = new TextDecoder("utf-8", { fatal: false });

/** A file and a 1-based line (locate.ts's Placement, without importing it back). */
export interface FileLine {
  file: string;
  line: number;
}

const idOf = (der: Uint8Array) => `sha256:${createHash("sha256").update(der).digest("hex")}`;

/** The certificate ids of a PEM text. */
function pemIds(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END/g))
    out.push(idOf(Buffer.from(m[1]!.replace(/[^A-Za-z0-9+/=]/g, ""), "base64")));
  return out;
}

/**
 * The 1-based line of the certificate `id` in a file's text: its BEGIN line in a PEM file, the
 * `certificate-authority-data` / `client-certificate-data` line that holds it in a kubeconfig;
 * else the first BEGIN line (a key file), else 1.
 */
export function certificateLine(text: string | null, id: string | undefined): number {
  if (text === null) return 1;
  const lines = text.split(/\r?\n/);
  let first = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/-----BEGIN /.test(l) && !first) first = i + 1;
    if (!id) continue;
    if (BEGIN_CERT.test(l)) {
      let j = i;
      while (j < lines.length && !END.test(lines[j]!)) j++;
      if (pemIds(lines.slice(i, j + 1).join("\n"))[0] === id) return i + 1;
    }
    const data = DATA_LINE.exec(l);
    if (data && pemIds(Buffer.from(data[1]!, "base64").toString("latin1")).includes(id)) return i + 1;
  }
  return first || 1;
}

/** The file a certificate of a cluster report was read from: its own certificate file before a kubeconfig that embeds it. */
export function certificateSource(report: Report, id: string): string | undefined {
  const sources = report.certificates.find((c) => c.id === id)?.sources.map((s) => s.path) ?? [];
  const certFiles = new Set(report.cluster?.files.filter((f) => f.kind === "certificate").map((f) => f.path));
  return sources.find((s) => certFiles.has(s)) ?? sources[0];
}

/** The file of a control-plane directory a report path names (paths as the core normalised them), and its line. */
export function placeInDirectory(
  dir: string,
  tree: ReadonlyMap<string, Uint8Array> | undefined,
  path: string | undefined,
  certificate: string | undefined,
): FileLine {
  if (!path) return { file: dir, line: 1 };
  const key = [...(tree?.keys() ?? [])].find((k) => treePath(k) === path) ?? path;
  const bytes = tree?.get(key);
  return {
    file: `${dir.replace(/\/+$/, "")}/${key.replace(/\\/g, "/")}`,
    line: certificateLine(bytes ? decoder.decode(bytes) : null, certificate),
  };
}

type Pair = { key: unknown; value: unknown };
const pairs = (n: unknown): Pair[] => (isMap(n) ? (n.items as Pair[]) : []);
const keyName = (p: Pair) => (isScalar(p.key) ? String(p.key.value) : "");
const get = (n: unknown, k: string): unknown => pairs(n).find((p) => keyName(p) === k);
const value = (n: unknown, k: string): unknown => (get(n, k) as Pair | undefined)?.value;
const text = (n: unknown): string | null => (isScalar(n) && n.value !== null ? String(n.value) : null);

/** The objects of a List or a YAML stream, as YAML nodes. */
function objectNodes(source: string, lc: LineCounter): unknown[] {
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(source, { lineCounter: lc, logLevel: "error" })) {
    if ("errors" in doc && doc.errors.length) return [];
    const items = value(doc.contents, "kind") && text(value(doc.contents, "kind")) === "List" ? value(doc.contents, "items") : null;
    if (isSeq(items)) out.push(...items.items);
    else if (doc.contents) out.push(doc.contents);
  }
  return out;
}

/**
 * The 1-based line of an objects path in the YAML kubectl printed: `secrets/<ns>/<name>/<key>`
 * is the Secret's data key, `webhooks/<kind>/<configuration>/<webhook>/caBundle` the webhook's
 * clientConfig.caBundle; another path, the object whose name it names; else 1.
 */
export function objectsLine(source: string | null | undefined, path: string | undefined): number {
  if (!source || !path) return 1;
  const lc = new LineCounter();
  const objects = objectNodes(source, lc);
  const lineOf = (n: unknown) => {
    const start = (n as YamlNode | undefined)?.range?.[0];
    return start === undefined ? null : lc.linePos(start).line;
  };
  const meta = (o: unknown) => value(o, "metadata");
  const named = (o: unknown, name: string) => text(value(meta(o), "name")) === name;
  // Segments are encodeURIComponent'd by the objects reader (objects-read.ts seg).
  const [root, a, b, c] = path.split("/").map((x) => {
    try {
      return decodeURIComponent(x);
    } catch {
      return x;
    }
  });
  if (root === "secrets" && a && b && c) {
    const secret = objects.find(
      (o) => text(value(o, "kind")) === "Secret" && named(o, b) && (text(value(meta(o), "namespace")) ?? "default") === a,
    );
    const field = get(value(secret, "data"), c) as Pair | undefined;
    return lineOf(field?.key) ?? lineOf(secret) ?? 1;
  }
  if (root === "webhooks" && a && b && c) {
    for (const o of objects.filter((x) => text(value(x, "kind")) === a && named(x, b))) {
      const hooks = value(o, "webhooks");
      const hook = isSeq(hooks) ? hooks.items.find((w) => text(value(w, "name")) === c) : undefined;
      if (!hook) continue;
      const field = get(value(hook, "clientConfig"), "caBundle") as Pair | undefined;
      return lineOf(field?.key) ?? lineOf(hook) ?? 1;
    }
  }
  const parts = path.split("/").reverse();
  for (const name of parts) {
    const o = objects.find((x) => named(x, name));
    if (o) return lineOf(o) ?? 1;
  }
  return 1;
}
