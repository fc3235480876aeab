// The kubeconfig kubectl would use, read from the user's disk the way client-go reads it:
//
// - Which files: `--kubeconfig FILE` alone (client-go ClientConfigLoadingRules.ExplicitPath: a
//   missing file is an error), else every path in $KUBECONFIG (split on ':', empty entries and
//   duplicates dropped, missing files skipped), else ~/.kube/config
//   (tools/clientcmd/loader.go NewDefaultClientConfigLoadingRules, Load).
// - Merge (loader.go Load, mergo.WithOverride applied from the last file to the first): the first
//   file that defines a cluster, user or context name wins that name, whole entry; the first file
//   that sets a non-empty current-context wins it.
// - File references (certificate-authority, client-certificate, client-key, tokenFile) are
//   relative to the directory of the file that holds them (loader.go ResolveLocalPaths), and are
//   inlined as the *-data fields like `kubectl config view --flatten` (FlattenConfig) does. A file
//   that cannot be read is reported to the core as a fileError (kubectl fails on it too).
// - `--context NAME` keeps only that context, its cluster and its user, and makes it current:
//   what `kubectl --context NAME` uses.
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { encodeBase64 } from "../core/encoding/pem.ts";
import type { FileError } from "../core/audit.ts";
import { InputProblem } from "../core/errors.ts";
import { detect } from "../core/input/detect.ts";

type Obj = Record<string, unknown>;
type Section = "clusters" | "users" | "contexts";

export interface LoadedKubeconfig {
  /** What the core audits: the original bytes when nothing changed, else the merged JSON. */
  document: Uint8Array;
  /** The original text when `document` is the file itself (to place findings on lines). */
  text: string | null;
  /** Field pointer of an inlined *-data field (`users[jane].client-certificate-data`) -> the file it was read from. */
  readFrom: Map<string, string>;
  fileErrors: FileError[];
  /** The kubeconfig files merged, first wins. */
  files: string[];
  /** $KUBECONFIG entries that do not exist (skipped, as kubectl does). */
  missing: string[];
}

/** The refs client-go resolves (GetClusterFileReferences / GetAuthInfoFileReferences) and the field they flatten into. */
const REFS: Record<"cluster" | "user", [ref: string, data: string | null][]> = {
  cluster: [["certificate-authority", "certificate-authority-data"]],
  // tokenFile is read by client-go on every request and is not flattened: only checked here.
  user: [
    ["client-certificate", "client-certificate-data"],
    ["client-key", "client-key-data"],
    ["tokenFile", null],
  ],
};

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export class KubeconfigFileError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Reads a file or says why not, without repeating its name (the caller prefixes it). */
export function readLocal(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KubeconfigFileError("cli.unreadable", `cannot read (${code ?? (e as Error).message})`);
  }
}

/** A file a kubeconfig names: a regular file of sane size (a reference to /dev/zero must not hang the audit). */
export const MAX_REFERENCED_BYTES = 8 * 1024 * 1024;
function readReferenced(path: string): Uint8Array {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    throw new KubeconfigFileError("cli.unreadable", `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!st.isFile())
    throw new KubeconfigFileError("cli.unreadable", "cannot read (not a regular file: certaudit reads only regular files here)");
  if (st.size > MAX_REFERENCED_BYTES)
    throw new KubeconfigFileError(
      "cli.unreadable",
      `cannot read (larger than ${MAX_REFERENCED_BYTES / 1024 / 1024} MiB: certaudit does not read it)`,
    );
  return readLocal(path);
}

/** The kubeconfig paths kubectl would load, in precedence order. */
export function defaultPaths(env: Record<string, string | undefined>): { paths: string[]; from: string } {
  const list = env.KUBECONFIG;
  if (list !== undefined && list !== "") {
    const seen = new Set<string>();
    const paths = list.split(":").filter((p) => {
      if (p === "" || seen.has(p)) return false;
      seen.add(p);
      return true;
    });
    return { paths, from: "$KUBECONFIG" };
  }
  const home = env.HOME ?? env.USERPROFILE;
  if (!home) throw new KubeconfigFileError("cli.usage", "no FILE given, KUBECONFIG is unset and HOME is unknown");
  return { paths: [join(home, ".kube", "config")], from: "~/.kube/config" };
}

interface Entry {
  section: Section;
  name: string;
  raw: unknown;
  dir: string;
}

/** One of several merged files: its problems name it (the result is named by the whole list). */
function docOf(bytes: Uint8Array, label: string): Obj {
  let d: ReturnType<typeof detect>;
  try {
    d = detect(bytes, "the file");
  } catch (e) {
    if (!(e instanceof InputProblem)) throw e;
    throw new InputProblem(e.code, e.status, `${label}: ${e.message}`, {
      ...(e.line !== undefined ? { line: e.line } : {}),
      ...(e.column !== undefined ? { column: e.column } : {}),
    });
  }
  if (d.kind !== "kubeconfig") throw new InputProblem("input.not-kubeconfig", 422, `${label} is not a kubeconfig`);
  return d.doc as Obj;
}

/**
 * Loads and merges kubeconfig files. `sources` are [label, bytes, directory] in precedence
 * order (the directory resolves relative references; for standard input it is the working
 * directory). Returns null for a non-kubeconfig single input (a PEM bundle is audited as is).
 */
export function loadKubeconfigs(sources: { label: string; bytes: Uint8Array; dir: string }[], context?: string): LoadedKubeconfig | null {
  const docs = sources.map((s) => ({ ...s, doc: null as Obj | null }));
  if (docs.length === 1) {
    // The caller names the file; the core's messages say "the file is empty", not the name again.
    const d = detect(docs[0]!.bytes, docs[0]!.label === "-" ? "standard input" : "the file");
    if (d.kind !== "kubeconfig") {
      if (context !== undefined) throw new InputProblem("input.bad-option", 400, "--context needs a kubeconfig");
      return null;
    }
    docs[0]!.doc = d.doc as Obj;
  } else for (const d of docs) d.doc = docOf(d.bytes, d.label);

  const entries: Entry[] = [];
  const claimed: Record<Section, Set<string>> = { clusters: new Set(), users: new Set(), contexts: new Set() };
  let current: string | null = null;
  const base: Obj = {};
  for (const d of docs) {
    const doc = d.doc!;
    for (const k of ["apiVersion", "kind", "preferences"]) if (doc[k] !== undefined && base[k] === undefined) base[k] = doc[k];
    if (current === null && typeof doc["current-context"] === "string" && doc["current-context"] !== "") current = doc["current-context"];
    for (const section of ["clusters", "users", "contexts"] as const) {
      const list = doc[section];
      if (!Array.isArray(list)) continue;
      const mine = new Set<string>();
      for (const raw of list) {
        const name = isObj(raw) && typeof raw.name === "string" ? raw.name : "";
        // Within one file every entry goes to the core (which reports duplicates); across
        // files the first file that names it wins.
        if (claimed[section].has(name)) continue;
        mine.add(name);
        entries.push({ section, name, raw, dir: d.dir });
      }
      for (const n of mine) claimed[section].add(n);
    }
  }

  let keep = entries;
  if (context !== undefined) {
    const ctx = entries.find((e) => e.section === "contexts" && e.name === context);
    if (!ctx) throw new InputProblem("input.bad-option", 400, `no context named "${context}" in ${docs.map((d) => d.label).join(", ")}`);
    const body = isObj(ctx.raw) && isObj(ctx.raw.context) ? ctx.raw.context : {};
    keep = entries.filter(
      (e) => e === ctx || (e.section === "clusters" && e.name === body.cluster) || (e.section === "users" && e.name === body.user),
    );
    current = context;
  }

  const readFrom = new Map<string, string>();
  const fileErrors: FileError[] = [];
  let changed = docs.length > 1 || context !== undefined;
  const out: Record<Section, unknown[]> = { clusters: [], users: [], contexts: [] };
  for (const e of keep) {
    const kind = e.section === "clusters" ? "cluster" : e.section === "users" ? "user" : null;
    const body = kind && isObj(e.raw) ? e.raw[kind] : undefined;
    if (!kind || !isObj(body)) {
      out[e.section].push(e.raw);
      continue;
    }
    const copy: Obj = { ...body };
    for (const [ref, data] of REFS[kind]) {
      const value = copy[ref];
      if (typeof value !== "string" || value === "") continue;
      const file = isAbsolute(value) ? value : resolve(e.dir, value);
      const pointer = `${e.section}[${e.name}]`;
      let bytes: Uint8Array;
      try {
        bytes = readReferenced(file);
      } catch (err) {
        fileErrors.push({ path: `${pointer}.${ref}`, file, reason: (err as Error).message.replace(/^cannot read \((.*)\)$/, "$1") });
        continue;
      }
      // Both set: leave both, the core reports the conflict (client-go validation does too).
      if (data === null || (typeof copy[data] === "string" && copy[data] !== "")) continue;
      copy[data] = encodeBase64(bytes);
      delete copy[ref];
      readFrom.set(`${pointer}.${data}`, file);
      changed = true;
    }
    out[e.section].push({ ...(e.raw as Obj), [kind]: copy });
  }

  if (!changed)
    return {
      document: docs[0]!.bytes,
      text: new TextDecoder().decode(docs[0]!.bytes),
      readFrom,
      fileErrors,
      files: docs.map((d) => d.label),
      missing: [],
    };
  const merged: Obj = {
    apiVersion: base.apiVersion ?? "v1",
    kind: base.kind ?? "Config",
    ...(base.preferences !== undefined ? { preferences: base.preferences } : {}),
    clusters: out.clusters,
    users: out.users,
    contexts: out.contexts,
    "current-context": current ?? "",
  };
  return {
    document: new TextEncoder().encode(`${JSON.stringify(merged, null, 2)}\n`),
    text: null,
    readFrom,
    fileErrors,
    files: docs.map((d) => d.label),
    missing: [],
  };
}

/** Reads the files of a kubectl-style lookup (skipping missing $KUBECONFIG entries) and loads them. */
export function loadFromPaths(paths: string[], opts: { explicit: boolean; context?: string | undefined }): LoadedKubeconfig {
  const sources: { label: string; bytes: Uint8Array; dir: string }[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    let bytes: Uint8Array;
    try {
      bytes = readLocal(p);
    } catch (e) {
      // loader.go Load: a missing file in the precedence list is skipped; an explicit one is an error.
      if (!opts.explicit && /ENOENT/.test((e as Error).message)) {
        missing.push(p);
        continue;
      }
      throw new KubeconfigFileError("cli.unreadable", `${p}: ${(e as Error).message}`);
    }
    sources.push({ label: p, bytes, dir: dirname(resolve(p)) });
  }
  // The caller names the paths (they are the result's file); say only what is wrong with them.
  if (!sources.length)
    throw new KubeconfigFileError(
      "cli.no-kubeconfig",
      `no kubeconfig found: ${paths.length === 1 ? "the file does" : "none of these files does"} not exist (pass FILE or --kubeconfig FILE)`,
    );
  const loaded = loadKubeconfigs(sources, opts.context);
  if (!loaded) throw new InputProblem("input.not-kubeconfig", 422, `${sources[0]!.label} is not a kubeconfig`);
  return { ...loaded, missing };
}
