// A control-plane directory in the page (issue 12): a folder picked (webkitdirectory, paths from
// webkitRelativePath) or dropped (file system entries), or a .tar / .tar.gz. Both end as relative
// path → bytes, read with the API's own bounds and path rules (the in-browser core: archive.ts,
// directory-upload.ts), so the page accepts exactly what POST /v1/audit accepts.
type Core = typeof import("../../browser/core.ts");

export interface LoadedTree {
  /** The folder's or archive's name, for the page's words. */
  name: string;
  kind: "folder" | "archive";
  files: Map<string, Uint8Array>;
}

/** What the page allows: the API's limits at its default body size (1 MiB: 8 MiB unpacked, 2,000 entries). */
const DEFAULT_BODY = 1024 * 1024;

/** gzip's magic number, or a tar header's "ustar" magic at offset 257. */
export function isArchive(bytes: Uint8Array): "gzip" | "tar" | null {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return "gzip";
  const magic = new TextDecoder().decode(bytes.subarray(257, 262));
  return magic === "ustar" ? "tar" : null;
}

const problem = (code: string, message: string) => Object.assign(new Error(message), { name: "InputProblem", code, pointer: "/document" });

/** Files with their relative paths (the picked folder's own name first, as webkitRelativePath has it). */
export async function readFolder(entries: { path: string; file: File }[], core: Core): Promise<LoadedTree> {
  const limits = core.archiveLimits(DEFAULT_BODY);
  if (entries.length > limits.maxEntries)
    throw problem(
      "archive.too-many-entries",
      `the folder holds more than ${limits.maxEntries} files; choose only the control-plane directory (pki/, manifests/ and the kubeconfigs)`,
    );
  let total = 0;
  const files = new Map<string, Uint8Array>();
  for (const { path, file } of entries) {
    total += file.size;
    if (total > limits.maxBytes)
      throw problem(
        "archive.too-large",
        `the folder holds more than ${limits.maxBytes} bytes; choose only the control-plane directory (pki/, manifests/ and the kubeconfigs)`,
      );
    const rel = core.safeRelativePath(path);
    if (rel) files.set(rel, new Uint8Array(await file.arrayBuffer()));
  }
  const top = entries[0]?.path.split("/")[0] ?? "";
  return { name: top || "folder", kind: "folder", files: core.withoutTopFolder(files) };
}

/** The entries of an <input webkitdirectory>. */
export function pickedFolder(list: FileList): { path: string; file: File }[] {
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** A dropped folder, read through the file system entries API; null when nothing dropped is a folder. */
export async function droppedFolder(data: DataTransfer): Promise<{ path: string; file: File }[] | null> {
  const roots = [...data.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (!roots.some((e) => e.isDirectory)) return null;
  const out: { path: string; file: File }[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
      out.push({ path: entry.fullPath.replace(/^\/+/, ""), file });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries answers in batches until it answers with none.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
      if (!batch.length) break;
      for (const e of batch) await walk(e);
    }
  };
  for (const r of roots) await walk(r);
  return out;
}

/** A .tar or .tar.gz, read by the API's tar reader with the API's bounds. */
export async function readArchive(file: File, kind: "gzip" | "tar", core: Core): Promise<LoadedTree> {
  const files = await core.readTarArchive(file.stream() as ReadableStream<Uint8Array>, kind === "gzip", core.archiveLimits(DEFAULT_BODY));
  return { name: file.name, kind: "archive", files: core.withoutTopFolder(files) };
}

/** The words the page says once a tree is loaded. */
export function treeWords(t: LoadedTree): string {
  const what = t.kind === "folder" ? `the folder ${t.name}` : `the archive ${t.name}`;
  return `Loaded ${what}: ${t.files.size} file${t.files.size === 1 ? "" : "s"}, audited as a control-plane directory (kubeadm's /etc/kubernetes).`;
}
