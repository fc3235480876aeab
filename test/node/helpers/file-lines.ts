// The oracles for where a finding's path is in a file, outside our code: the `yaml` library's own
// source positions (it reads JSON too) for kubeconfig paths, `grep -n` for PEM blocks.
import { spawnSync } from "node:child_process";
import { isMap, isSeq, LineCounter, parseDocument, type Pair, type YAMLMap } from "yaml";

/** `grep -n PATTERN FILE` line numbers. */
export function grepLines(pattern: string, file: string): number[] {
  const r = spawnSync("grep", ["-n", "--", pattern, file], { encoding: "utf8" });
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => Number(l.split(":")[0]));
}

/** The line of the i-th `-----BEGIN` in a PEM file, by grep. */
export const beginLine = (file: string, i: number): number | null => grepLines("-----BEGIN ", file)[i] ?? null;

/**
 * The line the yaml library places a kubeconfig path on: `users[N].FIELD` (the key of FIELD in
 * the entry's user/cluster/context map), `users[N]` (the entry's `name` key), a top-level key.
 */
export function yamlLine(text: string, path: string): number | null {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const line = (p: Pair | undefined) => {
    const range = (p?.key as { range?: [number, number, number] } | undefined)?.range;
    return range ? lc.linePos(range[0]).line : null;
  };
  const root = doc.contents as YAMLMap;
  const top = (k: string) => root.items.find((p) => String((p.key as { value?: unknown })?.value) === k);
  const m = /^(clusters|users|contexts)\[(.*?)\](?:\.([A-Za-z-]+)(?:\[\d+\])?)?$/.exec(path);
  if (!m) return /^[A-Za-z-]+$/.test(path) ? line(top(path)) : null;
  const seq = top(m[1]!)?.value;
  if (!isSeq(seq)) return null;
  const entry = seq.items.find((i) => isMap(i) && i.get("name") === m[2]) as YAMLMap | undefined;
  if (!entry) return null;
  const byKey = (map: YAMLMap, k: string) => map.items.find((p) => String((p.key as { value?: unknown })?.value) === k);
  if (!m[3]) return line(byKey(entry, "name"));
  const body = entry.get(m[1]!.slice(0, -1));
  return isMap(body) ? line(byKey(body as YAMLMap, m[3])) : null;
}
