// The cluster inputs the CLI and the Action share (issue 12): a kubeadm control-plane directory
// (/etc/kubernetes), audited locally or, with an endpoint, uploaded with each private key replaced
// by its public key's fingerprint (directory-upload.ts); and a file of Kubernetes objects, always
// audited locally (its Secrets hold private keys). One function per input, so both surfaces judge
// the same way: the judgement is the core's (core/cluster).
import { InputProblem } from "../core/errors.ts";
import { controlPlaneReport } from "../core/cluster/index.ts";
import { auditDirectoryRemote } from "./directory-upload.ts";
import { internalMessage, parseAt, problemOf, type Outcome, type Transport } from "./client.ts";
import { readTree } from "./cluster.ts";
import { auditObjectsInput } from "./objects.ts";

export interface ClusterJobOptions {
  /** ISO 8601 validation time as the user gave it (default now). */
  at?: string | undefined;
  warnDays?: number | undefined;
}

/** The directory's files (relative path → bytes) and its audit. The tree is kept to place findings on lines. */
export async function auditDirectoryJob(
  root: string,
  opts: ClusterJobOptions,
  t: Transport,
): Promise<{ outcome: Outcome; tree: Map<string, Uint8Array> }> {
  let tree: Map<string, Uint8Array>;
  try {
    tree = readTree(root);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code && !/holds more than/.test((e as Error).message)) throw e;
    return {
      outcome: { problem: { code: "cli.unreadable", message: code ? `cannot read (${code})` : (e as Error).message } },
      tree: new Map(),
    };
  }
  if (t.endpoint) return { outcome: await auditDirectoryRemote(tree, opts, t), tree };
  try {
    const at = opts.at !== undefined ? parseAt(opts.at) : new Date();
    const report = await controlPlaneReport(tree, {
      at,
      subtle: t.subtle,
      ...(opts.warnDays !== undefined ? { warnDays: opts.warnDays } : {}),
    });
    return { outcome: { report, stripped: [] }, tree };
  } catch (e) {
    if (e instanceof InputProblem) return { outcome: { problem: problemOf(e) }, tree };
    return { outcome: { problem: { code: "internal", message: internalMessage(e) }, bug: e }, tree };
  }
}

/** The report of a file of Kubernetes objects (a List or YAML stream of Secrets and webhook configurations); null when it is not one. */
export async function auditObjectsJob(raw: Uint8Array, opts: ClusterJobOptions, t: Pick<Transport, "subtle">): Promise<Outcome | null> {
  try {
    const at = opts.at !== undefined ? parseAt(opts.at) : new Date();
    const report = await auditObjectsInput(raw, at, t.subtle, opts.warnDays);
    return report ? { report, stripped: [] } : null;
  } catch (e) {
    if (e instanceof InputProblem) return { problem: problemOf(e) };
    return { problem: { code: "internal", message: internalMessage(e) }, bug: e };
  }
}
