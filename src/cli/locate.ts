// Placing a finding on a file and a line (for ::error annotations, SARIF regions and the job
// summary). A finding's path names the input field it is about; the request's certificate-only
// fields (`clientCA`, `serverCertificate`) come from their own files (the Action's `client-ca` /
// `server-certificate` inputs), so findings about them belong on those files, not on the
// kubeconfig they were audited with.
import type { Finding } from "../core/findings/types.ts";
import type { CertificateJson, Report } from "../core/report/types.ts";
import { certificateSource, objectsLine, placeInDirectory } from "./locate-cluster.ts";

/** A file that was given for a certificate-only field of the request. */
export interface InputFile {
  file: string;
  /** Its text, when it is text (used to place findings on its PEM blocks). */
  text?: string | null;
}

export type InputField = "clientCA" | "serverCertificate";
export type InputFiles = Partial<Record<InputField, InputFile>>;

/** What placing needs of an audited file (FileResult in render.ts has these fields). */
export interface Placeable {
  file: string;
  text?: string | null;
  report?: Report;
  inputFiles?: InputFiles;
  /** A control-plane directory's files (relative path → bytes), to place its findings on them. */
  tree?: ReadonlyMap<string, Uint8Array>;
}

export interface Placement {
  file: string;
  /** 1-based. */
  line: number;
  /** Set when the finding is about a certificate-only input rather than the audited file. */
  input?: InputField;
}

type Where = Pick<Finding, "path" | "context"> & { certificate?: string | undefined };

/** Roots of paths that count PEM blocks: `pem[2]`, `clientCA[0]`, `serverCertificate[1]`. */
const BLOCK_PATH = /^(pem|document|der|kubeconfig|clientCA|serverCertificate)(?:\[(\d+)\])?$/;
const ENTRY_PATH = /^(clusters|users|contexts)\[(.*?)\](?:\.([A-Za-z-]+)(?:\[\d+\])?)?$/;
const BEGIN = /-----BEGIN [A-Z0-9 ]+-----/;
const END = /-----END [A-Z0-9 ]+-----/;

/**
 * The most precise path for a finding: its own, refined by the certificate it names (a finding on
 * `clientCA` about the second CA there is about `clientCA[1]`), or the certificate's first source
 * when the finding has no path (`cert.outlives-issuer`).
 */
export function findingPath(report: Report | undefined, f: Where): string | undefined {
  const sources = f.certificate ? (report?.certificates.find((c) => c.id === f.certificate)?.sources.map((s) => s.path) ?? []) : [];
  if (!f.path) return sources[0];
  return sources.find((s) => s.startsWith(`${f.path}[`)) ?? f.path;
}

/** The certificate-only field a path is about, if any. */
export function inputField(path: string | undefined): InputField | undefined {
  const m = /^(clientCA|serverCertificate)(?:\[|$)/.exec(path ?? "");
  return m ? (m[1] as InputField) : undefined;
}

/** Where a finding of `r` belongs: the audited file, or the file of the input it is about. */
export function place(r: Placeable, f: Where): Placement {
  const path = findingPath(r.report, f);
  // A cluster report (locate-cluster.ts): a directory's file, or an object's field in the YAML.
  if (r.report?.input?.kind === "directory")
    return placeInDirectory(
      r.file,
      r.tree,
      f.path ?? (f.certificate ? certificateSource(r.report, f.certificate) : undefined),
      f.certificate,
    );
  if (r.report?.input?.kind === "objects") return { file: r.file, line: objectsLine(r.text, path) };
  const field = inputField(path);
  const given = field ? r.inputFiles?.[field] : undefined;
  if (field && given) return { file: given.file, line: locate(given.text, { path }), input: field };
  return { file: r.file, line: locate(r.text, { path, context: f.context }) };
}

/** The file a certificate is listed under: an input's file when it came only from that input. */
export function certificateFile(r: Placeable, c: CertificateJson): string {
  const fields = c.sources.map((s) => inputField(s.path));
  const only = fields[0];
  if (only && fields.every((x) => x === only) && r.inputFiles?.[only]) return r.inputFiles[only]!.file;
  return r.file;
}

/**
 * The 1-based line a path points at in a kubeconfig (YAML or JSON) or a PEM text:
 * `users[NAME].FIELD`, `clusters[NAME].FIELD`, `contexts[NAME].FIELD` (the field, else the
 * entry's name), `contexts[NAME]` (also for a finding with only a context), a top-level key
 * (`current-context`, `contexts`), `pem[i]` / `clientCA[i]` / `serverCertificate[i]` (the i-th
 * BEGIN line) and `pem` / `clientCA` without an index (the first line outside the PEM blocks,
 * where stray text is). Line 1 when the text is not there (DER) or the path is not found.
 */
export function locate(text: string | null | undefined, f: Pick<Finding, "path" | "context">): number {
  if (!text) return 1;
  const lines = text.split(/\r?\n/);
  const path = f.path ?? "";
  const block = BLOCK_PATH.exec(path);
  if (block) return block[2] !== undefined ? nthBlock(lines, Number(block[2])) : strayLine(lines);
  if (/^[A-Za-z-]+$/.test(path)) {
    const at = lines.findIndex((l) => new RegExp(`^\\s*"?${escapeRe(path)}"?\\s*:`).test(l));
    return at + 1 || 1;
  }
  const m = ENTRY_PATH.exec(path) ?? (f.context ? (["", "contexts", f.context, undefined] as const) : null);
  if (!m) return 1;
  return entryLine(lines, m[1]!, m[2] ?? "", m[3]);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function nthBlock(lines: string[], index: number): number {
  let n = -1;
  for (let i = 0; i < lines.length; i++) if (BEGIN.test(lines[i]!) && ++n === index) return i + 1;
  return 1;
}

function strayLine(lines: string[]): number {
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (BEGIN.test(l)) inBlock = true;
    else if (END.test(l)) inBlock = false;
    else if (!inBlock && l.trim() !== "") return i + 1;
  }
  return 1;
}

function entryLine(lines: string[], section: string, name: string, field: string | undefined): number {
  const sectionAt = lines.findIndex((l) => new RegExp(`^\\s*"?${section}"?\\s*:`).test(l));
  if (sectionAt < 0) return 1;
  const nameRe = new RegExp(`^\\s*(?:-\\s*)?"?name"?\\s*:\\s*["']?${escapeRe(name)}["']?\\s*,?\\s*(#.*)?$`);
  // The section ends at the next key as little indented as its own (YAML or JSON).
  const sectionIndent = /^\s*/.exec(lines[sectionAt]!)![0];
  const nextKey = new RegExp(`^${sectionIndent}"?[A-Za-z-]+"?\\s*:`);
  let entry = -1;
  for (let i = sectionAt + 1; i < lines.length && !nextKey.test(lines[i]!); i++)
    if (nameRe.test(lines[i]!)) {
      entry = i;
      break;
    }
  if (entry < 0) return sectionAt + 1;
  if (field) {
    // The entry's own field. In YAML the entry is the block from its `- ` line to the next item
    // at the same indentation (the name may come before or after the field); in JSON, a few
    // lines either side of the name.
    const fieldRe = new RegExp(`^\\s*(?:-\\s*)?"?${escapeRe(field)}"?\\s*:`);
    // The item's `- ` is less indented than its `name:` (a nested list such as exec args is more).
    const nameIndent = /^\s*/.exec(lines[entry]!)![0].length;
    const isItem = (i: number) => {
      const d = /^(\s*)- /.exec(lines[i]!);
      return !!d && (i === entry || d[1]!.length < nameIndent);
    };
    let start = entry;
    while (start > sectionAt + 1 && !isItem(start)) start--;
    const dash = isItem(start) ? /^(\s*)- /.exec(lines[start]!) : null;
    if (dash) {
      const item = new RegExp(`^${dash[1]}- |^\\S`);
      for (let i = start; i < lines.length && (i === start || !item.test(lines[i]!)); i++) if (fieldRe.test(lines[i]!)) return i + 1;
    } else {
      for (let d = 0; d < 12; d++)
        for (const i of [entry + d, entry - d]) if (i > sectionAt && i < lines.length && fieldRe.test(lines[i]!)) return i + 1;
    }
  }
  return entry + 1;
}
