// The cluster inputs the CLI and the Action share (issue 12): a kubeadm control-plane directory
// (/etc/kubernetes, with /var/lib/kubelet beside it: directories.ts), audited locally or, with an
// endpoint, uploaded with each private key replaced by its public key's fingerprint
// (directory-upload.ts); and a file of Kubernetes objects, audited locally or, with an endpoint,
// uploaded without their secrets (objects-upload.ts). One function per input, so both surfaces
// judge the same way: the judgement is the core's (core/cluster).
import { InputProblem } from "../core/errors.ts";
import { controlPlaneReport, objectsYamlProblem } from "../core/cluster/index.ts";
import { auditDirectoryRemote } from "./directory-upload.ts";
import { internalMessage, parseAt, problemOf, type Outcome, type Transport } from "./client.ts";
import { readDirectories } from "./directories.ts";
import { objectsReportOf, objectsText } from "./objects.ts";
import { auditObjectsRemote, type Stripped } from "./objects-upload.ts";

export interface ClusterJobOptions {
  /** ISO 8601 validation time as the user gave it (default now). */
  at?: string | undefined;
  warnDays?: number | undefined;
  /** The cluster CA (--root-ca), for Kubernetes objects. */
  rootCa?: Uint8Array | undefined;
}

/** The directories' files (relative path → bytes) and their audit. The tree is kept to place findings on lines. */
export async function auditDirectoryJob(
  roots: string[],
  cwd: string,
  opts: ClusterJobOptions,
  t: Transport,
): Promise<{ outcome: Outcome; tree: Map<string, Uint8Array> }> {
  let tree: Map<string, Uint8Array>;
  try {
    tree = readDirectories(roots, cwd);
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

/**
 * The report of a file of Kubernetes objects (a List or YAML stream of Secrets, webhook
 * configurations, APIServices, ConfigMaps, CSRs); null when it is not one. With an endpoint the
 * objects are uploaded without their secrets, and `sent` says what was fingerprinted or dropped.
 */
export async function auditObjectsJob(
  raw: Uint8Array,
  opts: ClusterJobOptions,
  t: Transport,
): Promise<(Outcome & { sent?: Stripped | null | undefined }) | null> {
  const text = objectsText(raw);
  if (text === null) {
    // Objects whose YAML is broken: their own problem, not the kubeconfig reader's (core/cluster/objects-yaml.ts).
    const broken = objectsYamlProblem(new TextDecoder().decode(raw));
    return broken ? { problem: problemOf(broken) } : null;
  }
  try {
    if (t.endpoint) {
      const { outcome, stripped } = await auditObjectsRemote(text, opts, t);
      return { ...outcome, sent: stripped };
    }
    const at = opts.at !== undefined ? parseAt(opts.at) : new Date();
    const report = await objectsReportOf(text, at, t.subtle, opts.warnDays, opts.rootCa);
    return { report, stripped: [] };
  } catch (e) {
    if (e instanceof InputProblem) return { problem: problemOf(e) };
    return { problem: { code: "internal", message: internalMessage(e) }, bug: e };
  }
}
