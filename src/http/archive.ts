// A control-plane directory uploaded as a tar or tar.gz (issue 12): read as a stream with
// bounded expansion. The tar headers are parsed by modern-tar's web decoder (web streams only,
// no Node APIs); gzip by the runtime's DecompressionStream, with a running byte count that
// stops a gzip bomb at the limit instead of after it. Only regular files and directories are
// taken; links, devices and paths that leave the directory are refused.
import { createTarDecoder, type ParsedTarEntry } from "modern-tar";
import { InputProblem } from "../core/errors.ts";

export interface ArchiveLimits {
  /** Total bytes after decompression (tar headers and padding included). */
  maxBytes: number;
  /** Entries (files, directories, anything else) in the archive. */
  maxEntries: number;
}

/** The same bound as the CLI's directory walk (src/cli/cluster.ts). */
export const MAX_ARCHIVE_ENTRIES = 2000;
/** The uncompressed size allowed for an archive: this many times the body limit. */
export const EXPANSION_FACTOR = 8;

/** A relative path inside the upload, or the reason it is refused. Shared by tar entries and multipart parts. */
export function safeRelativePath(raw: string): string {
  const p = raw.replace(/\\/g, "/");
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p))
    throw new InputProblem(
      "archive.path-unsafe",
      400,
      `the upload holds an absolute path (${JSON.stringify(p.slice(0, 80))}); archive the directory with relative paths (tar -C /etc/kubernetes -czf - .)`,
    );
  const parts = p.split("/").filter((s) => s !== "" && s !== ".");
  if (parts.includes(".."))
    throw new InputProblem(
      "archive.path-unsafe",
      400,
      `the upload holds a path with .. (${JSON.stringify(p.slice(0, 80))}); no entry may point outside the directory`,
    );
  if (p.includes("\u0000")) throw new InputProblem("archive.path-unsafe", 400, "the upload holds a path with a NUL character");
  return parts.join("/");
}

const tooLarge = (max: number) =>
  new InputProblem(
    "archive.too-large",
    413,
    `the archive expands to more than ${max} bytes; upload only the control-plane directory (pki/, manifests/ and the kubeconfigs)`,
  );

/** Reads a tar (gzip-compressed or not) into relative path → bytes. */
export async function readTarArchive(
  body: ReadableStream<Uint8Array>,
  gzip: boolean,
  limits: ArchiveLimits,
): Promise<Map<string, Uint8Array>> {
  let total = 0;
  let overLimit = false;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      total += chunk.byteLength;
      if (total > limits.maxBytes) {
        overLimit = true;
        controller.error(tooLarge(limits.maxBytes));
        return;
      }
      controller.enqueue(chunk);
    },
  });
  const bytes = gzip ? body.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>) : body;
  const decoder = createTarDecoder({ strict: true });
  const entries = bytes.pipeThrough(counter).pipeThrough(decoder).getReader();
  const files = new Map<string, Uint8Array>();
  let count = 0;
  const stop = async (problem: InputProblem): Promise<never> => {
    await entries.cancel().catch(() => undefined);
    throw problem;
  };
  for (;;) {
    let next: ReadableStreamReadResult<ParsedTarEntry>;
    try {
      next = await entries.read();
    } catch {
      // The stream failed: over the limit (our counter), bad gzip (DecompressionStream) or a bad tar header (modern-tar).
      if (overLimit) throw tooLarge(limits.maxBytes);
      throw new InputProblem(
        "archive.corrupt",
        400,
        `the body is not a readable ${gzip ? "tar.gz" : "tar"} archive (bad ${gzip ? "gzip stream or " : ""}tar header, or cut short)`,
      );
    }
    if (next.done) break;
    const { header, body: data } = next.value;
    count += 1;
    if (count > limits.maxEntries)
      return stop(
        new InputProblem(
          "archive.too-many-entries",
          413,
          `the archive holds more than ${limits.maxEntries} entries; upload only the control-plane directory`,
        ),
      );
    const type = header.type ?? "file";
    if (type === "symlink" || type === "link")
      return stop(
        new InputProblem(
          "archive.link-refused",
          400,
          `the archive holds a ${type === "link" ? "hard link" : "symbolic link"} (${JSON.stringify(header.name.slice(0, 80))}); archive the files themselves (tar -h --hard-dereference stores each file in its place)`,
        ),
      );
    if (type !== "file" && type !== "directory")
      return stop(
        new InputProblem(
          "archive.special-file-refused",
          400,
          `the archive holds a ${type} (${JSON.stringify(header.name.slice(0, 80))}); only regular files and directories are read`,
        ),
      );
    let path: string;
    try {
      path = safeRelativePath(header.name);
    } catch (e) {
      return stop(e as InputProblem);
    }
    if (type === "directory") {
      await data.cancel();
      continue;
    }
    let content: Uint8Array;
    try {
      content = new Uint8Array(await new Response(data).arrayBuffer());
    } catch {
      if (overLimit) throw tooLarge(limits.maxBytes);
      throw new InputProblem("archive.corrupt", 400, "the archive is cut short inside a file");
    }
    if (path !== "") files.set(path, content);
  }
  return files;
}
