// Kubeconfig arbitraries: a real kubeconfig (as kubectl wrote it) parsed to its object, then field
// edits (values of other types, removals, duplicated entries and names, certificate data replaced by
// fuzzed PEM in several encodings, server URLs, many contexts), written as YAML, flow YAML or JSON,
// with text edits that make duplicate keys, aliases, tags and documents. With `secrets`, every user
// gets a marker token and password: the output must never contain them.
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { arbPem, base64, buildPem, type PemRecipe } from "./arb-pem.ts";
import type { FuzzCa } from "./fuzz-ca.ts";
import type { Seeds } from "./seeds.ts";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type DataEnc = "b64" | "no-padding" | "url-safe" | "lines" | "raw-pem" | "DATA+OMITTED" | "REDACTED" | "junk";

export type KcEdit =
  | { op: "set"; path: number[]; key: string | null; value: Json }
  | { op: "delete"; path: number[] }
  | { op: "dup"; list: string; at: number; times: number }
  | { op: "collide"; list: string; a: number; b: number }
  | { op: "data"; list: "clusters" | "users"; at: number; field: string; pem: PemRecipe; enc: DataEnc }
  | { op: "server"; at: number; url: string }
  | { op: "current"; name: string };

export type KcTextEdit = { op: "dup-top"; at: number } | { op: "prefix"; text: string } | { op: "suffix"; text: string };

export interface KcRecipe {
  seed: number;
  edits: KcEdit[];
  format: "yaml" | "flow" | "json";
  secrets: boolean;
  text: KcTextEdit[];
}

const LISTS = ["clusters", "users", "contexts"];
const FIELDS = ["certificate-authority-data", "client-certificate-data", "client-key-data"];
const URLS = [
  "https://127.0.0.1:6443",
  "https://[::1]:6443",
  "https://kubernetes",
  "http://127.0.0.1",
  "127.0.0.1:6443",
  "https://user:pw@127.0.0.1",
  "https://",
  "https://%zz",
  "https://[fe80::1%25eth0]:6443",
  "unix:///run/k.sock",
  "https://xn--nxasmq6b.example:99999",
  "https://127.1:6443",
  " https://127.0.0.1 ",
  "https://KUBERNETES.default.svc.",
  "https://a..b",
  "",
];
const HUGE = "A".repeat(100_000);

export const arbJson: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(
    "yes",
    "on",
    "0777",
    "1_000",
    "~",
    "null",
    "true",
    "",
    "-----BEGIN CERTIFICATE-----",
    "DATA+OMITTED",
    "\u0000",
    "\u202e",
    "constructor",
    "__proto__",
    -0,
    1e308,
    2 ** 53 + 1,
    [],
    {},
    [[[[[[[[[[]]]]]]]]]],
  ),
  fc.constant<Json>(HUGE),
);

export const arbKubeconfig = (seeds: Seeds): fc.Arbitrary<KcRecipe> => {
  const edit: fc.Arbitrary<KcEdit> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant("set" as const),
        path: fc.array(fc.nat(), { maxLength: 4 }),
        key: fc.option(
          fc.oneof(
            fc.constantFrom(
              "name",
              "user",
              "cluster",
              "context",
              "server",
              "tls-server-name",
              "insecure-skip-tls-verify",
              "certificate-authority",
              "client-certificate",
              "proxy-url",
              "extensions",
              "exec",
              "auth-provider",
              "token",
              "<<",
            ),
            fc.string({ maxLength: 6 }),
          ),
          { nil: null },
        ),
        value: arbJson,
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("dup" as const),
        list: fc.constantFrom(...LISTS),
        at: fc.nat(),
        times: fc.oneof(fc.constant(1), fc.constant(150)),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("collide" as const), list: fc.constantFrom(...LISTS), a: fc.nat(), b: fc.nat() }) },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("data" as const),
        list: fc.constantFrom("clusters" as const, "users" as const),
        at: fc.nat(),
        field: fc.constantFrom(...FIELDS),
        pem: arbPem(seeds, 3),
        enc: fc.constantFrom<DataEnc>(
          "b64",
          "b64",
          "b64",
          "no-padding",
          "url-safe",
          "lines",
          "raw-pem",
          "DATA+OMITTED",
          "REDACTED",
          "junk",
        ),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("server" as const), at: fc.nat(), url: fc.constantFrom(...URLS) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("current" as const),
        name: fc.constantFrom("", "nope", "e2e-user@e2e-users", "kubernetes-admin@kubernetes"),
      }),
    },
  );
  const text: fc.Arbitrary<KcTextEdit> = fc.oneof(
    fc.record({ op: fc.constant("dup-top" as const), at: fc.nat() }),
    fc.record({
      op: fc.constant("prefix" as const),
      text: fc.constantFrom(
        "%YAML 1.1\n---\n",
        "\ufeff",
        "---\n",
        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
        "x: !!python/object:os.system ls\n",
        "x: !!binary AAAA\n",
        "<<: {kind: Pod}\n",
        "? [a, b]\n: c\n",
        "kind: Config\n",
      ),
    }),
    fc.record({
      op: fc.constant("suffix" as const),
      text: fc.constantFrom("\n---\nkind: Config\n", "\n...\n", "\n#", "\u0000", "\nusers: null\n", "\ncurrent-context: [\n"),
    }),
  );
  return fc.record({
    seed: fc.nat({ max: seeds.kubeconfigs.length - 1 }),
    edits: fc.array(edit, { maxLength: 4 }),
    format: fc.constantFrom("yaml" as const, "yaml" as const, "flow" as const, "json" as const),
    secrets: fc.boolean(),
    text: fc.array(text, { maxLength: 2 }),
  });
};

function walk(root: Json, path: number[]): { parent: Json[] | { [k: string]: Json } | null; key: string | number | null; node: Json } {
  let parent: Json[] | { [k: string]: Json } | null = null;
  let key: string | number | null = null;
  let node = root;
  for (const step of path) {
    if (Array.isArray(node) && node.length) {
      parent = node;
      key = step % node.length;
      node = node[key]!;
    } else if (node && typeof node === "object" && !Array.isArray(node) && Object.keys(node).length) {
      const keys = Object.keys(node);
      parent = node;
      key = keys[step % keys.length]!;
      node = node[key]!;
    } else break;
  }
  return { parent, key, node };
}

const list = (doc: Json, name: string): Json[] | null =>
  doc && typeof doc === "object" && !Array.isArray(doc) && Array.isArray(doc[name]) ? (doc[name] as Json[]) : null;
const obj = (v: Json | undefined): { [k: string]: Json } | null => (v && typeof v === "object" && !Array.isArray(v) ? v : null);

function encodeData(pem: string, enc: DataEnc): string {
  const bytes = new TextEncoder().encode(pem);
  if (enc === "raw-pem") return pem;
  if (enc === "DATA+OMITTED" || enc === "REDACTED") return enc;
  if (enc === "junk") return "not*base64!";
  if (enc === "lines") return base64(bytes, "plain").replace(/(.{76})/g, "$1\n");
  return base64(bytes, enc === "b64" ? "plain" : enc);
}

export interface BuiltKubeconfig {
  text: string;
  /** Marker secrets placed in token/password fields. */
  secrets: string[];
}

export async function buildKubeconfig(r: KcRecipe, seeds: Seeds, ca: FuzzCa): Promise<BuiltKubeconfig> {
  const seedText = seeds.kubeconfigs[r.seed % seeds.kubeconfigs.length]!;
  const doc = parse(seedText) as Json;
  for (const e of r.edits) {
    if (e.op === "set") {
      const { parent, key, node } = walk(doc, e.path);
      const target = obj(node);
      if (e.key !== null && target) target[e.key] = e.value;
      else if (parent && key !== null) (parent as Record<string | number, Json>)[key] = e.value;
    } else if (e.op === "delete") {
      const { parent, key } = walk(doc, e.path);
      if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
      else if (parent && typeof key === "string") delete (parent as Record<string, Json>)[key];
    } else if (e.op === "dup") {
      const l = list(doc, e.list);
      if (l?.length) l.push(...Array.from({ length: e.times }, () => structuredClone(l[e.at % l.length]!)));
    } else if (e.op === "collide") {
      const l = list(doc, e.list);
      const a = obj(l?.[e.a % (l?.length || 1)]);
      const b = obj(l?.[e.b % (l?.length || 1)]);
      if (a && b) b.name = a.name ?? null;
    } else if (e.op === "data") {
      const entry = obj(list(doc, e.list)?.[e.at % (list(doc, e.list)?.length || 1)]);
      const inner = obj(entry?.[e.list === "clusters" ? "cluster" : "user"]);
      if (inner)
        inner[
          e.list === "clusters"
            ? "certificate-authority-data"
            : e.field === "certificate-authority-data"
              ? "client-certificate-data"
              : e.field
        ] = encodeData(await buildPem(e.pem, seeds, ca), e.enc);
    } else if (e.op === "server") {
      const entry = obj(list(doc, "clusters")?.[e.at % (list(doc, "clusters")?.length || 1)]);
      const inner = obj(entry?.cluster);
      if (inner) inner.server = e.url;
    } else if (e.op === "current") {
      const d = obj(doc);
      if (d) d["current-context"] = e.name;
    }
  }
  // test/fixtures/secrets: every credential kubectl writes, each value starting with s3cret-.
  const secrets: string[] = [...new Set(seedText.match(/s3cret-[\w-]+/g) ?? [])];
  if (r.secrets)
    (list(doc, "users") ?? []).forEach((u, i) => {
      const user = obj(obj(u)?.user);
      if (!user) return;
      user.token = `fuzz-s3cret-token-${i}-7f3a`;
      user.password = `fuzz-s3cret-password-${i}-9c1e`;
      secrets.push(user.token, user.password);
    });
  let text =
    r.format === "json"
      ? JSON.stringify(doc, null, 2)
      : stringify(doc, r.format === "flow" ? { collectionStyle: "flow", lineWidth: 0 } : { lineWidth: 0 });
  for (const t of r.text) {
    if (t.op === "prefix") text = r.format === "json" ? `${t.text.startsWith("\ufeff") ? "\ufeff" : ""}${text}` : t.text + text;
    else if (t.op === "suffix") text = r.format === "json" ? text : text + t.text;
    else if (r.format === "json") text = text.replace("{", '{\n  "users": [],\n  "kind": "Config",');
    else {
      // Repeat one top-level key with its block: a duplicate key, as a careless merge writes it.
      const lines = text.split("\n");
      const tops = lines.flatMap((l, i) => (/^[^\s#-][^:]*:/.test(l) ? [i] : []));
      if (!tops.length || r.format === "flow") continue;
      const start = tops[t.at % tops.length]!;
      const end = tops.find((i) => i > start) ?? lines.length;
      text = [...lines, ...lines.slice(start, end)].join("\n");
    }
  }
  return { text, secrets };
}
