// A directory that came over the network with its private keys in it (curl of a tar, not the
// CLI or the form, which send each key's public-key SHA-256 instead): said once per request, by
// the files' paths only; the keys are used for the key-pair edges and never echoed.
import type { Findings } from "../findings/index.ts";
import type { ControlPlaneTree } from "./tree.ts";

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
/** A kubeconfig user's embedded key (YAML or JSON); the CLI sends client-key-pubsha256 instead. */
const CLIENT_KEY_DATA = /["']?client-key-data["']?\s*:\s*["']?[A-Za-z0-9+/]/;
const dec = new TextDecoder("utf-8", { fatal: false });

/** The files of the tree that hold a private key (a PEM block or client-key-data), sorted. */
export function privateKeyFiles(tree: ControlPlaneTree): string[] {
  const out: string[] = [];
  for (const [path, bytes] of tree) {
    const text = dec.decode(bytes);
    if (PRIVATE_KEY.test(text) || CLIENT_KEY_DATA.test(text)) out.push(path);
  }
  return out.sort();
}

/** One input.private-key-uploaded for the whole upload, naming the files (at most 30). */
export function reportUploadedKeys(tree: ControlPlaneTree, findings: Findings): void {
  const files = privateKeyFiles(tree);
  if (!files.length) return;
  const shown = files.slice(0, 30).join(", ") + (files.length > 30 ? `, and ${files.length - 30} more` : "");
  findings.add("input.private-key-uploaded", `${files.length} file(s) of the upload hold a private key: ${shown}.`, {
    path: files[0]!,
  });
}
