// `certaudit DIR --endpoint URL`: the control-plane directory sent as multipart `files` parts
// (their filenames the relative paths), with no private key in it: each private key is replaced
// here, on this machine, by the SHA-256 of its public key (src/core/cluster/keyless-tree.ts,
// shared with the web form).
import { keyFingerprint, uploadableTree } from "../core/cluster/keyless-tree.ts";
import { serviceOutcome, type Outcome, type Transport } from "./client.ts";

export { keyFingerprint, uploadableTree };

/** POST the directory to {endpoint}/v1/audit as multipart `files`. */
export async function auditDirectoryRemote(
  tree: Map<string, Uint8Array>,
  opts: { at?: string | undefined; warnDays?: number | undefined },
  t: Transport,
): Promise<Outcome> {
  const { files, removed } = await uploadableTree(tree, t.subtle);
  const form = new FormData();
  for (const [path, bytes] of files) form.append("files", new Blob([bytes as Uint8Array<ArrayBuffer>]), path);
  if (opts.at) form.set("at", opts.at);
  if (opts.warnDays !== undefined) form.set("warnDays", String(opts.warnDays));
  const url = `${t.endpoint!.replace(/\/+$/, "")}/v1/audit`;
  const headers: Record<string, string> = {
    accept: "application/json, application/problem+json",
    "user-agent": t.userAgent ?? "certaudit-cli",
  };
  if (t.token) headers.authorization = `Bearer ${t.token}`;
  let res: Response;
  try {
    res = await (t.fetch ?? fetch)(url, { method: "POST", headers, body: form });
  } catch (e) {
    const c = (e as { cause?: { message?: string } }).cause;
    return { problem: { code: "cli.endpoint-unreachable", message: `POST ${url} failed (${c?.message ?? (e as Error).message})` } };
  }
  return serviceOutcome(res, removed);
}
