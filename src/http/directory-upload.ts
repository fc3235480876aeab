// A control-plane directory sent to POST /v1/audit: a tar or tar.gz body, or multipart parts
// named `files` whose relative paths are their filenames (or the `path` field of the same index).
// Both end as relative path → bytes, the input of the core's controlPlaneReport.
import { InputProblem } from "../core/errors.ts";
import { EXPANSION_FACTOR, MAX_ARCHIVE_ENTRIES, readTarArchive, safeRelativePath, type ArchiveLimits } from "./archive.ts";
import { placeKubeletDirectory } from "./kubelet-placement.ts";

export const ARCHIVE_TYPES: Record<string, boolean> = {
  "application/gzip": true,
  "application/x-gzip": true,
  "application/x-tar": false,
};

export const archiveLimits = (maxBody: number): ArchiveLimits => ({
  maxBytes: maxBody * EXPANSION_FACTOR,
  maxEntries: MAX_ARCHIVE_ENTRIES,
});

/**
 * `tar -czf - kubernetes` puts every path under one folder: read it as that folder's content
 * (unless the folder is one of the directory's own, pki/ or manifests/, or a root's etc/ or var/:
 * `tar -C / -czf - var/lib/kubelet/...` keeps var/lib/kubelet/ where the kubelet's paths point).
 */
export function withoutTopFolder(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  const tops = new Set([...files.keys()].map((p) => (p.includes("/") ? p.slice(0, p.indexOf("/")) : "")));
  const [top] = tops;
  if (tops.size !== 1 || !top || top === "pki" || top === "manifests" || top === "etc" || top === "var") return files;
  return new Map([...files].map(([p, b]) => [p.slice(top.length + 1), b]));
}

/**
 * The archive media type a body sent as octet-stream or without a type has by its content (`curl
 * --data-binary @cp.tgz` without -H): gzip's magic 1f 8b (RFC 1952 2.3.1), or a tar header's "ustar"
 * magic at offset 257 (POSIX pax/ustar, GNU) with a NUL-padded name; null for anything else.
 */
export function archiveTypeByContent(bytes: Uint8Array): string | null {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return "application/gzip";
  const ustar = bytes.length >= 512 && String.fromCharCode(...bytes.subarray(257, 262)) === "ustar";
  return ustar && bytes.subarray(0, 100).includes(0) ? "application/x-tar" : null;
}

/** The body as a tar (gzip when the media type says so). */
export async function readArchiveBody(
  body: ReadableStream<Uint8Array> | null,
  type: string,
  maxBody: number,
): Promise<Map<string, Uint8Array>> {
  if (!body) throw new InputProblem("input.empty", 400, "the archive body is empty");
  return placeKubeletDirectory(await readTarArchive(body, ARCHIVE_TYPES[type] === true, archiveLimits(maxBody)), withoutTopFolder);
}

/** A multipart form is a directory when it has `files` parts. */
export const isDirectoryForm = (form: FormData): boolean => form.getAll("files").some((v) => typeof v !== "string");

export async function readDirectoryForm(form: FormData, maxBody: number): Promise<Map<string, Uint8Array>> {
  const limits = archiveLimits(maxBody);
  const parts = form.getAll("files");
  const paths = form.getAll("path");
  if (parts.length > limits.maxEntries)
    throw new InputProblem(
      "archive.too-many-entries",
      413,
      `the form holds more than ${limits.maxEntries} files; upload only the control-plane directory`,
    );
  const files = new Map<string, Uint8Array>();
  const partOf = new Map<string, number>();
  for (const [i, part] of parts.entries()) {
    if (typeof part === "string") continue;
    const named = paths[i];
    const path = safeRelativePath(typeof named === "string" && named !== "" ? named : part.name);
    if (path === "")
      throw new InputProblem("archive.path-unsafe", 400, `files part ${i + 1} has no relative path (its filename or the path field)`);
    // Two parts for one path would leave the audit one of them silently: refused, naming the parts (the detail never quotes input).
    const earlier = partOf.get(path);
    if (earlier !== undefined)
      throw new InputProblem(
        "archive.duplicate-path",
        400,
        `files parts ${earlier + 1} and ${i + 1} have the same relative path; send each file of the directory once`,
      );
    partOf.set(path, i);
    files.set(path, new Uint8Array(await part.arrayBuffer()));
  }
  return placeKubeletDirectory(files, (t) => t);
}
