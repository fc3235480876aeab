// Reading a request body (JSON, form, PEM, DER, YAML) and its query into the audit's input.
// Shared by the API routes (app.ts) and the HTML form routes (ui/routes.tsx).
import type { Context } from "hono";
import type { AuditInput } from "../core/audit.ts";
import { InputProblem } from "../core/errors.ts";
import { looksLikeKubeconfig } from "../core/input/kubeconfig.ts";
import { ARCHIVE_TYPES, archiveTypeByContent, isDirectoryForm, readArchiveBody, readDirectoryForm } from "./directory-upload.ts";
import { maxBodyBytes } from "./env.ts";
import { checkAuditRequest } from "./request-check.ts";

const TEXT_TYPES = new Set([
  "text/plain",
  "application/yaml",
  "application/x-yaml",
  "text/yaml",
  "text/x-yaml",
  "application/x-pem-file",
  "application/pem-certificate-chain",
  "application/x-pem",
]);
const BINARY_TYPES = new Set([
  "application/pkix-cert",
  "application/x-x509-ca-cert",
  "application/x-x509-user-cert",
  "application/octet-stream",
]);

const isKubernetesObject = (v: unknown): boolean =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as { kind?: unknown }).kind === "string" &&
  typeof (v as { apiVersion?: unknown }).apiVersion === "string";

export function mediaType(c: Context): string | null {
  const ct = c.req.header("content-type");
  return ct ? ct.split(";")[0]!.trim().toLowerCase() : null;
}

export function parseAt(value: unknown, pointer: string): Date | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim()))
    throw new InputProblem("input.bad-option", 400, "at must be an ISO 8601 time such as 2026-12-01T00:00:00Z", { pointer });
  const d = new Date(value.trim());
  if (Number.isNaN(d.getTime())) throw new InputProblem("input.bad-option", 400, "at is not a real date", { pointer });
  return d;
}

function parseWarnDays(value: unknown, pointer: string): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d{1,4}$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 3650)
    throw new InputProblem("input.bad-option", 400, "warn_days must be a whole number of days from 0 to 3650", { pointer });
  return n;
}

export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new InputProblem("input.json-syntax", 400, "the body is not valid JSON");
  }
}

export function zodProblem(issues: { path: PropertyKey[]; message: string; code: string }[]): InputProblem {
  const first = issues[0];
  const pointer = first ? `/${first.path.map(String).join("/")}` : "";
  // zod messages name the expected type, never the received value.
  return new InputProblem("input.bad-option", 400, first ? `${pointer || "body"}: ${first.message}` : "invalid request", { pointer });
}

export interface ParsedAuditRequest {
  input: AuditInput;
  at?: Date | undefined;
  warnDays?: number | undefined;
  /** A control-plane directory (tar, tar.gz or multipart `files`): relative path → bytes. */
  tree?: Map<string, Uint8Array>;
  /** With Kubernetes objects: the multipart `rootCA` part, kube-controller-manager's --root-ca-file (objects.ts). */
  rootCA?: Uint8Array;
}

const FORM_FIELDS = ["document", "file", "kubeconfig", "pem", "clientCA", "serverCertificate"] as const;

async function readForm(form: FormData, q: { at?: Date | undefined; warnDays?: number | undefined }): Promise<ParsedAuditRequest> {
  const field = async (name: string): Promise<string | Uint8Array | undefined> => {
    const v = form.get(name);
    if (v === null) return undefined;
    if (typeof v === "string") return v.trim() === "" ? undefined : v;
    const bytes = new Uint8Array(await v.arrayBuffer());
    return bytes.length ? bytes : undefined;
  };
  // A form with none of our field names (`curl -F upload=@admin.conf`) names the ones we take.
  if (!FORM_FIELDS.some((f) => form.has(f))) {
    const got = [...new Set([...form.keys()])].filter((k) => k !== "at" && k !== "warnDays" && k !== "warn_days");
    throw new InputProblem(
      "input.nothing-to-audit",
      422,
      `nothing to audit: the form has ${got.length ? `only the field${got.length === 1 ? "" : "s"} ${got.map((k) => JSON.stringify(k.slice(0, 40))).join(", ")}` : "no field"}; send the file as one of ${FORM_FIELDS.join(", ")} (for example -F kubeconfig=@admin.conf)`,
    );
  }
  const input: AuditInput = {};
  for (const name of FORM_FIELDS) {
    const v = await field(name);
    if (v === undefined) continue;
    if (name === "file") input.document = v;
    else input[name] = v;
  }
  const rootCA = await field("rootCA");
  return {
    input,
    ...(rootCA !== undefined ? { rootCA: typeof rootCA === "string" ? new TextEncoder().encode(rootCA) : rootCA } : {}),
    at: parseAt(form.get("at"), "/at") ?? q.at,
    warnDays: parseWarnDays(form.get("warnDays") ?? form.get("warn_days"), "/warnDays") ?? q.warnDays,
  };
}

/** A body whose type does not say what it is: a tar or tar.gz by its content (archiveTypeByContent), else the document. */
async function documentOrArchive(
  c: Context,
  bytes: Uint8Array<ArrayBuffer>,
  q: { at: Date | undefined; warnDays: number | undefined },
): Promise<ParsedAuditRequest> {
  const archive = archiveTypeByContent(bytes);
  if (!archive) return { input: { document: bytes }, ...q };
  return { input: {}, ...q, tree: await readArchiveBody(new Response(bytes).body, archive, maxBodyBytes(c.env)) };
}

/** Reads any of the accepted body forms into an AuditInput. Shared with the HTML form routes. */
export async function readAuditRequest(c: Context): Promise<ParsedAuditRequest> {
  const type = mediaType(c);
  const q = {
    at: parseAt(c.req.query("at"), "?at"),
    warnDays: parseWarnDays(c.req.query("warn_days") ?? c.req.query("warnDays"), "?warn_days"),
  };
  if (type === "application/x-www-form-urlencoded") {
    // `curl --data-binary @kubeconfig` sends this type for any file: unless the body really is a
    // form with our field names, it is the document itself.
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    const form = /^[\w.%-]+=/.test(text) ? new URLSearchParams(text) : null;
    if (!form || !FORM_FIELDS.some((f) => form.has(f))) return documentOrArchive(c, bytes, q);
    const fd = new FormData();
    for (const [k, v] of form) fd.append(k, v);
    return readForm(fd, q);
  }
  if (type === "multipart/form-data") {
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw new InputProblem("input.unrecognized", 400, "the form data cannot be read");
    }
    if (isDirectoryForm(form))
      return {
        input: {},
        at: parseAt(form.get("at"), "/at") ?? q.at,
        warnDays: parseWarnDays(form.get("warnDays") ?? form.get("warn_days"), "/warnDays") ?? q.warnDays,
        tree: await readDirectoryForm(form, maxBodyBytes(c.env)),
      };
    return readForm(form, q);
  }
  if (type === "application/json") {
    const body = await readJson(c);
    if (looksLikeKubeconfig(body)) return { input: { document: JSON.stringify(body) }, ...q };
    // `kubectl get ... -o json`: a List or one object (apiVersion and kind), audited as objects (objects.ts).
    if (isKubernetesObject(body)) return { input: { document: JSON.stringify(body) }, ...q };
    const parsed = checkAuditRequest(body);
    if (!parsed.success) throw zodProblem(parsed.error.issues);
    const e = parsed.data;
    const input: AuditInput = {};
    if (e.kubeconfig !== undefined) input.kubeconfig = e.kubeconfig;
    if (e.pem !== undefined) input.pem = e.pem;
    if (e.clientCA !== undefined) input.clientCA = e.clientCA;
    if (e.serverCertificate !== undefined) input.serverCertificate = e.serverCertificate;
    return { input, at: parseAt(e.at, "/at") ?? q.at, warnDays: e.warnDays ?? q.warnDays };
  }
  if (type !== null && type in ARCHIVE_TYPES)
    return { input: {}, ...q, tree: await readArchiveBody(c.req.raw.body, type, maxBodyBytes(c.env)) };
  if (type === null || TEXT_TYPES.has(type) || BINARY_TYPES.has(type)) {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (type === null || BINARY_TYPES.has(type)) return documentOrArchive(c, bytes, q);
    return { input: { document: bytes }, ...q };
  }
  throw new InputProblem(
    "input.unsupported-media-type",
    415,
    `content type ${type} is not accepted; send YAML, JSON, PEM, DER, a tar or tar.gz of a control-plane directory, or multipart/form-data`,
  );
}
