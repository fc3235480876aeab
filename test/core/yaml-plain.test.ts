// The fast reader for kubectl's plain block YAML (src/core/input/yaml-plain.ts) against the yaml
// package, the reader it stands in for: wherever the fast reader returns a document, the yaml
// package must read the same text without error and give the same value (YAML 1.2, toJS) and the
// same kubectl typing (yaml.ts's goValue over the package's nodes). Inputs: every YAML fixture,
// kubeconfigs generated from random content and written by the yaml package's own stringify in
// several styles, and those texts mutated (characters, indentation, lines) to probe the edges.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { expect, it } from "vitest";
import { stringify } from "yaml";
import { parseWithYamlPackage, parseYamlTyped } from "../../src/core/input/yaml.ts";
import { readPlainYaml } from "../../src/core/input/yaml-plain.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 400;

/** parseYamlTyped when its fast path reads the text (goPlain, the kubectl typing, is yaml.ts's own). */
const fast = (text: string) => (readPlainYaml(text, (s) => s) === null ? null : parseYamlTyped(text));

/** Where the fast reader answers, the yaml package answers the same. Returns whether it answered. */
function agree(text: string): boolean {
  const mine = fast(text);
  if (mine === null) return false;
  let theirs: { value: unknown; go: unknown };
  try {
    theirs = parseWithYamlPackage(text);
  } catch (e) {
    throw new Error(`the fast reader read a text the yaml package refuses (${(e as Error).message}):\n${text}`);
  }
  expect(mine.value, text).toStrictEqual(theirs.value);
  expect(mine.go, text).toStrictEqual(theirs.go);
  return true;
}

function yamlFixtures(dir = join(ROOT, "test/fixtures")): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFixtures(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

it("reads every YAML fixture as the yaml package does, and the kubeconfigs kubectl wrote on the fast path", () => {
  const files = yamlFixtures();
  const accepted = files.filter((f) => agree(readFileSync(f, "utf8")));
  // Not vacuous: the kubeconfigs written by kubectl/kubeadm are read by the fast reader.
  expect(accepted).toContain(join(ROOT, "test/fixtures/e2e-users/kubeconfig.yaml"));
  expect(accepted.length).toBeGreaterThanOrEqual(15);
});

// Scalars with the characters that matter to YAML: indicators, quotes, comment signs, colons,
// spaces, digits and the core schema's words.
const WORDS = ["true", "True", "yes", "no", "on", "null", "Null", "~", "", "0", "0777", "1_000", "1e3", ".5", "-1", "0x1F", "v1", "Config"];
const CHARS = "abcXYZ09 :-#'\"&*!|>?,[]{}%@`.~+/=_\\";
const scalarArb = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9.@:/-]{0,24}$/), weight: 12 },
  fc.constantFrom(...WORDS),
  fc.string({ unit: fc.constantFrom(...CHARS.split("")), maxLength: 12 }),
  fc.base64String({ minLength: 4, maxLength: 200 }),
  fc.webUrl(),
);
const keyArb = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z-]{0,12}$/), weight: 12 },
  fc.constantFrom("name", "server", "user", "cluster", "client-key-data", "true", "null", "1", "a b", "x:y", "__proto__", "-k"),
  fc.string({ unit: fc.constantFrom(..."ab-_./:1 ".split("")), minLength: 1, maxLength: 8 }),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalarArb,
    fc.dictionary(keyArb, tie("tree"), { maxKeys: 4 }),
    fc.array(tie("tree"), { maxLength: 3 }),
    fc.constantFrom({}, [], null, true, 3),
  ),
}));
const kubeconfigArb = fc.record({
  apiVersion: fc.constant("v1"),
  kind: fc.constant("Config"),
  clusters: fc.array(fc.record({ name: scalarArb, cluster: fc.record({ server: scalarArb, "certificate-authority-data": scalarArb }) }), {
    maxLength: 3,
  }),
  users: fc.array(fc.record({ name: scalarArb, user: fc.dictionary(keyArb, tree, { maxKeys: 4 }) }), { maxLength: 3 }),
  contexts: fc.array(fc.record({ name: scalarArb, context: fc.record({ cluster: scalarArb, user: scalarArb }) }), { maxLength: 3 }),
  "current-context": scalarArb,
  preferences: fc.constantFrom({}, null),
});
const styleArb = fc.record({
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  defaultStringType: fc.constantFrom("PLAIN", "QUOTE_SINGLE", "QUOTE_DOUBLE") as fc.Arbitrary<"PLAIN" | "QUOTE_SINGLE" | "QUOTE_DOUBLE">,
  lineWidth: fc.constantFrom(0, 80),
});

it("reads generated kubeconfigs, in the yaml package's styles, as the yaml package does", () => {
  let accepted = 0;
  fc.assert(
    fc.property(kubeconfigArb, styleArb, (doc, style) => {
      if (agree(stringify(doc, style))) accepted++;
    }),
    { numRuns: RUNS, seed: 13 },
  );
  expect(accepted).toBeGreaterThan(RUNS / 20);
});

/** Edits that move a text to the edges of the subset. */
const editArb = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.constantFrom(...CHARS.split(""), "\n", "  ", "\n- ", ": ", " #x", "\t", "\r"),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), text: fc.constant("") }),
  fc.record({ kind: fc.constant("dup-line" as const), at: fc.nat(), text: fc.constant("") }),
  fc.record({ kind: fc.constant("indent" as const), at: fc.nat(), text: fc.constantFrom(" ", "   ", "-") }),
);

function applyEdit(text: string, e: { kind: string; at: number; text: string }): string {
  const at = e.at % (text.length + 1);
  if (e.kind === "insert") return text.slice(0, at) + e.text + text.slice(at);
  if (e.kind === "delete") return text.slice(0, at) + text.slice(at + 1);
  const lines = text.split("\n");
  const i = e.at % lines.length;
  if (e.kind === "dup-line") lines.splice(i, 0, lines[i]!);
  else lines[i] = e.text === "-" ? lines[i]!.replace(/^( *) {2}/, "$1- ") : e.text + lines[i];
  return lines.join("\n");
}

it("reads mutated kubeconfigs as the yaml package does, or leaves them to it", () => {
  const base = [
    readFileSync(join(ROOT, "test/fixtures/e2e-users/kubeconfig.yaml"), "utf8"),
    ...yamlFixtures()
      .filter((f) => f.includes("kubeconfig") || f.endsWith(".conf.yaml"))
      .slice(0, 4)
      .map((f) => readFileSync(f, "utf8")),
  ];
  let accepted = 0;
  fc.assert(
    fc.property(fc.constantFrom(...base), fc.array(editArb, { minLength: 1, maxLength: 4 }), (text, edits) => {
      if (agree(edits.reduce(applyEdit, text))) accepted++;
    }),
    { numRuns: RUNS * 2, seed: 13 },
  );
  expect(accepted).toBeGreaterThan(RUNS / 20);
});

it("agrees on comments and odd characters around the subset", () => {
  for (const c of ["\x00", "\x01", "\x7f", "\u2028", "\u0085", "\ufeff", "😀", "\x1b", "\ud800"])
    for (const t of [
      `# a${c}b\nkind: Config\n`,
      `kind: Config\n  # x${c}\n`,
      `kind: Config\n#${c}\n`,
      `${c}\nkind: Config\n`,
      `a: b${c}\n`,
    ])
      agree(t);
  expect(agree("# kubectl wrote this\nkind: Config\n  # indented comment\npreferences: {}\n")).toBe(true);
});

it("leaves what is outside the subset to the yaml package", () => {
  for (const text of [
    "a: 1\n",
    "a: b # comment\n",
    "a: |\n  x\n",
    "a: [x, y]\n",
    "a: &x b\nc: *x\n",
    "a: !!str b\n",
    "a: b\na: c\n",
    "a:\n\tb: c\n",
    "a: b\r\n",
    "---\na: b\n",
    "a: b\n  c\n",
    "- a\n",
    "a: 'it''s'\n",
    'a: "x\\ty"\n',
  ])
    expect(
      readPlainYaml(text, (s) => s),
      JSON.stringify(text),
    ).toBeNull();
});
