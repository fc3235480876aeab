// The page's script (/ui/app.js, built by scripts/build-ui.mjs). It only enhances the form:
// without it the form posts to POST / and the Worker renders the same report components.
// With it: no reload (fetch to /v1/audit), drag-and-drop, live re-render when options change,
// optional stripping of secrets before upload, and "Audit in this browser" (the core, loaded
// on demand from /ui/core.js, runs here and nothing is uploaded). A control-plane folder or
// .tar(.gz) (tree-input.ts) is audited here too, or uploaded with each private key replaced by
// its public key's SHA-256; Kubernetes objects are always audited here (Secrets carry keys).
import type { Report } from "../../core/report/types.ts";
import { inert } from "../../core/text/inert.ts";
import { problemField } from "./model.ts";
import type { PageProblem } from "./page.tsx";
import { renderReport } from "./report.tsx";
import { droppedFolder, isArchive, type LoadedTree, pickedFolder, readArchive, readFolder, treeWords } from "./tree-input.ts";

type Core = typeof import("../../browser/core.ts");
type Field = "document" | "clientCA" | "serverCertificate";
const FIELDS: Field[] = ["document", "clientCA", "serverCertificate"];
const CORE_URL = "/ui/core.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let core: Promise<Core> | null = null;
const loadCore = (): Promise<Core> => (core ??= import(/* @vite-ignore */ CORE_URL) as Promise<Core>);

/** Binary files (DER) picked or dropped; text files go into their text box instead. */
const binaries = new Map<Field, File>();
let shown = false;
let running = 0;
/** A control-plane folder or archive, while it is what the form audits. */
let tree: LoadedTree | null = null;

function setTree(t: LoadedTree | null): void {
  tree = t;
  $("tree-clear").hidden = !t;
  $("file-status").textContent = t ? inert(treeWords(t)) : "";
  if (t) $<HTMLTextAreaElement>("document").value = "";
  updateNote();
}

/** Reads a folder or archive into the form, or shows why it cannot be read. */
async function loadTree(read: (core: Core) => Promise<LoadedTree>): Promise<void> {
  clearErrors();
  dropExample();
  $("file-status").textContent = "Reading…";
  try {
    setTree(await read(await loadCore()));
  } catch (err) {
    setTree(null);
    showProblem(problemFrom(err));
  }
}

function textOf(bytes: Uint8Array): string | null {
  try {
    const t = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return t.includes("\u0000") ? null : t;
  } catch {
    return null;
  }
}

async function loadFile(field: Field, file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const archive = field === "document" ? isArchive(bytes) : null;
  if (archive) return loadTree((core) => readArchive(file, archive, core));
  if (field === "document") setTree(null);
  const t = textOf(bytes);
  const status = field === "document" ? $("file-status") : null;
  if (field === "document") dropExample();
  if (t !== null) {
    binaries.delete(field);
    $<HTMLTextAreaElement>(field).value = t;
    if (status) status.textContent = `Loaded ${inert(file.name)} (${bytes.length} bytes).`;
  } else {
    binaries.set(field, file);
    if (status) status.textContent = `Loaded binary file ${inert(file.name)} (${bytes.length} bytes); it is audited as DER.`;
  }
}

function clearErrors(): void {
  for (const el of document.querySelectorAll<HTMLElement>(".field-error")) {
    el.hidden = true;
    el.textContent = "";
  }
}

function showProblem(p: PageProblem): void {
  const field = problemField(p.pointer);
  const el = $(`${field}-error`);
  const where = p.line !== undefined ? ` (line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ""})` : "";
  el.textContent = `✖ ${inert(p.detail)}${where} [${inert(p.code)}]`;
  el.hidden = false;
  const details = el.closest("details");
  if (details) details.open = true;
  $(field).focus();
}

/** The datetime-local value is UTC (the label says so). */
function atValue(): string | undefined {
  const v = $<HTMLInputElement>("at").value.trim();
  return v ? `${v}${/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v) ? "Z" : ""}` : undefined;
}

function warnDaysValue(): string | undefined {
  return $<HTMLInputElement>("warnDays").value.trim() || undefined;
}

async function gather(): Promise<Partial<Record<Field, string | Uint8Array>>> {
  const input: Partial<Record<Field, string | Uint8Array>> = {};
  for (const f of FIELDS) {
    const file = binaries.get(f);
    if (file) input[f] = new Uint8Array(await file.arrayBuffer());
    else {
      const t = $<HTMLTextAreaElement>(f).value;
      if (t.trim()) input[f] = t;
    }
  }
  return input;
}

function problemFrom(err: unknown): PageProblem {
  const e = err as { code?: string; message?: string; pointer?: string; line?: number; column?: number; name?: string };
  if (e?.name === "InputProblem" && e.code) {
    const p: PageProblem = { code: e.code, detail: e.message ?? "" };
    if (e.pointer !== undefined) p.pointer = e.pointer;
    if (e.line !== undefined) p.line = e.line;
    if (e.column !== undefined) p.column = e.column;
    return p;
  }
  return { code: "internal", detail: "certaudit failed on this input; this is a bug." };
}

/** The options both in-page audits take, checked as the API checks them. */
function hereOptions(): { at: Date; subtle: SubtleCrypto; warnDays?: number } {
  const at = atValue();
  const w = warnDaysValue();
  if (w !== undefined && !/^\d{1,4}$/.test(w))
    throw Object.assign(new Error("warn_days must be a whole number of days from 0 to 3650"), {
      name: "InputProblem",
      code: "input.bad-option",
      pointer: "/warnDays",
    });
  const date = at ? new Date(at) : new Date();
  if (Number.isNaN(date.getTime()))
    throw Object.assign(new Error("at is not a real date"), { name: "InputProblem", code: "input.bad-option", pointer: "/at" });
  return { at: date, subtle: crypto.subtle, ...(w !== undefined ? { warnDays: Number(w) } : {}) };
}

/** Kubernetes objects pasted or chosen (a List or a YAML stream of Secrets and webhooks), else null. */
async function objectsText(input: Awaited<ReturnType<typeof gather>>): Promise<string | null> {
  const doc = input.document;
  if (typeof doc !== "string") return null;
  return (await loadCore()).looksLikeObjects(doc) ? doc : null;
}

async function auditHere(input: Awaited<ReturnType<typeof gather>>): Promise<Report> {
  const core = await loadCore();
  const options = hereOptions();
  if (tree) return core.controlPlaneReport(tree.files, options);
  const objects = await objectsText(input);
  if (objects !== null) return core.objectsReport(objects, options);
  return core.audit(input, { ...options, local: true });
}

/** The folder uploaded as multipart `files` (filenames the relative paths), each private key replaced by its public key's SHA-256 first. */
async function treeRemote(t: LoadedTree): Promise<Report | PageProblem> {
  const { uploadableTree } = await loadCore();
  const { files, removed } = await uploadableTree(t.files, crypto.subtle);
  const body = new FormData();
  for (const [path, bytes] of files) body.append("files", new Blob([bytes as Uint8Array<ArrayBuffer>]), path);
  const at = atValue();
  const w = warnDaysValue();
  if (at) body.set("at", at);
  if (w) body.set("warnDays", w);
  $("busy").textContent = removed.length
    ? `Uploaded ${files.size} files. Kept in this page: ${removed.join("; ")}.`
    : `Uploaded ${files.size} files; none held a private key.`;
  return post(body);
}

async function post(body: FormData): Promise<Report | PageProblem> {
  // A locked server (API_TOKEN_SHA256) wants a bearer token; it travels only in this header.
  const token = $<HTMLInputElement>("token").value.trim();
  const headers: Record<string, string> = { Accept: "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  const res = await fetch("/v1/audit", { method: "POST", body, headers });
  return (await res.json()) as Report | PageProblem;
}

async function auditRemote(input: Awaited<ReturnType<typeof gather>>, strip: boolean): Promise<Report | PageProblem> {
  const body = new FormData();
  const removed: string[] = [];
  for (const f of FIELDS) {
    let v = input[f];
    if (v === undefined) continue;
    if (strip && typeof v === "string") {
      const { stripSecrets } = await loadCore();
      const r = stripSecrets(v);
      if (!r.complete)
        return {
          code: "input.unrecognized",
          detail:
            "this text could not be read well enough to remove its secrets, so nothing was uploaded. Fix it, audit in this browser, or turn off removal.",
          pointer: `/${f}`,
        };
      v = r.text;
      removed.push(...r.removed);
    }
    body.set(f, typeof v === "string" ? v : new Blob([v as Uint8Array<ArrayBuffer>]));
  }
  const at = atValue();
  const w = warnDaysValue();
  if (at) body.set("at", at);
  if (w) body.set("warnDays", w);
  $("busy").textContent = strip
    ? removed.length
      ? `Removed before upload: ${removed.join(", ")}. The server never saw them, so the report cannot check that the key matches.`
      : "No private keys, tokens or passwords found."
    : "";
  return post(body);
}

async function run(): Promise<void> {
  const mine = ++running;
  clearErrors();
  const local = $<HTMLInputElement>("local").checked;
  const strip = $<HTMLInputElement>("strip").checked;
  const busy = $("busy");
  busy.textContent = local ? "Auditing in this browser…" : "Auditing…";
  $("report").setAttribute("aria-busy", "true");
  let result: Report | PageProblem;
  // Kubernetes objects stay in the page whatever the mode: their Secrets carry private keys.
  let here = local;
  try {
    const input = await gather();
    if (!local && !tree && (await objectsText(input)) !== null) here = true;
    if (!tree && !Object.keys(input).length)
      result = {
        code: "input.nothing-to-audit",
        detail: "nothing to audit: paste or choose a kubeconfig or PEM bundle, or a control-plane folder",
      };
    else if (here) result = await auditHere(input);
    else result = tree ? await treeRemote(tree) : await auditRemote(input, strip);
    if (!here && !tree && "schemaVersion" in result && !strip) busy.textContent = "";
  } catch (err) {
    result = here ? problemFrom(err) : { code: "network", detail: "the certaudit server could not be reached" };
  }
  if (mine !== running) return;
  $("report").removeAttribute("aria-busy");
  if (here)
    busy.textContent = local
      ? "Audited in this browser; nothing was uploaded."
      : "Kubernetes objects are audited in this browser (their Secrets carry private keys); nothing was uploaded.";
  if ("schemaVersion" in result) {
    const el = $("report");
    el.innerHTML = renderReport(result);
    document.title = `${result.verdict.toUpperCase()} · certaudit`;
    if (!shown) {
      shown = true;
      $("verdict-title").focus();
    }
  } else {
    showProblem(result);
  }
}

/** Counts note updates, so a slower check of an older text does not overwrite the note of a newer one. */
let noteSeq = 0;
/** The document text last found to hold Kubernetes objects (by the same objectsText run() uses). */
let objectsDoc: string | null = null;

/**
 * The privacy note says what Audit will do with what is in the form now. Kubernetes objects stay
 * in the page in upload mode too, so for them the note says nothing is uploaded. Telling needs
 * the core's reader (asynchronous): until it has answered for the text in the field, the note
 * says the text would be uploaded, which is what Audit does with anything but objects.
 */
function updateNote(): void {
  const seq = ++noteSeq;
  const local = $<HTMLInputElement>("local").checked;
  const doc = $<HTMLTextAreaElement>("document").value;
  const upload = !local && !tree;
  showNote(local, upload && objectsDoc !== null && objectsDoc === doc && !binaries.has("document"));
  if (!upload || objectsDoc === doc || !doc.trim()) return;
  void gather()
    .then(objectsText)
    .then(
      (objects) => {
        if (objects === null || seq !== noteSeq) return;
        objectsDoc = objects;
        updateNote();
      },
      () => {},
    );
}

function showNote(local: boolean, objects: boolean): void {
  const strip = $<HTMLInputElement>("strip");
  // Nothing is uploaded in this mode, so the upload option is not shown (not checked-and-disabled).
  // Removing keys is not optional for a control-plane folder, so that option is not shown either.
  $("strip-label").hidden = local || objects || tree !== null;
  $("privacy-note").textContent = local
    ? "Audit in this browser is on: the certaudit engine is downloaded once and runs in this page. Nothing you enter is sent anywhere, and the key-match check still works because the key stays here."
    : objects
      ? "The field holds Kubernetes objects: on Audit they are audited in this browser even with upload chosen, because their Secrets carry private keys. The certaudit engine is downloaded once and runs in this page; nothing you entered is sent anywhere."
      : tree
        ? "On Audit, this page replaces each private key of the folder by the SHA-256 of its public key (computed here) and removes tokens and passwords, then uploads the rest to this certaudit server, which keeps nothing and matches keys to certificates by that fingerprint."
        : strip.checked
          ? "On Audit, this page first removes private keys (client-key-data and PRIVATE KEY blocks), tokens and passwords, then uploads the rest (certificates, kubeconfig names and server URLs) to this certaudit server, which keeps nothing. Without the key, the key-match check is skipped."
          : "On Audit, everything in the fields is uploaded to this certaudit server, including any private keys, tokens and passwords. The server audits it in memory and keeps nothing.";
}

/** What "Load an example" put in the fields, while the kubeconfig is still the example's. */
let example: Record<string, string> | null = null;
const EXAMPLE_PARTS = [
  ["clientCA", "the client CA"],
  ["serverCertificate", "the API server certificate"],
  ["at", "the validation time"],
  ["warnDays", "the warning days"],
] as const;
const exampleAt = (ex: Record<string, string>) => (ex.at ?? "").replace(/Z$/, "").replace(/\.\d+$/, "");

async function fetchExample(): Promise<Record<string, string>> {
  return (await (await fetch("/ui/example.json")).json()) as Record<string, string>;
}

/**
 * The user's own kubeconfig replaces the example's: what came with the example and is still
 * unchanged (client CA, server certificate, validation time, warning days) is cleared, and the
 * page says what was cleared.
 */
function dropExample(): void {
  if (!example) return;
  const ex = example;
  example = null;
  document.querySelector('input[name="exampleInputs"]')?.remove();
  const cleared: string[] = [];
  for (const [id, words] of EXAMPLE_PARTS) {
    const el = $<HTMLInputElement | HTMLTextAreaElement>(id);
    // datetime-local drops zero seconds from its value: compare without them.
    const key = (v: string) => v.trim().replace(/^(.*T\d{2}:\d{2}):00$/, "$1");
    const was = id === "at" ? exampleAt(ex) : (ex[id] ?? "");
    if (was && key(el.value) === key(was)) {
      el.value = "";
      binaries.delete(id as Field);
      cleared.push(words);
    }
  }
  const note = $("example-note");
  note.textContent = cleared.length ? `Your kubeconfig replaced the example, so what came with it was cleared: ${cleared.join(", ")}.` : "";
  note.hidden = !cleared.length;
}

async function loadExample(): Promise<void> {
  const ex = await fetchExample();
  binaries.clear();
  for (const f of FIELDS) $<HTMLTextAreaElement>(f).value = ex[f] ?? "";
  $<HTMLInputElement>("at").value = exampleAt(ex);
  $<HTMLInputElement>("warnDays").value = ex.warnDays ?? "";
  example = ex;
  for (const d of document.querySelectorAll("details.more")) (d as HTMLDetailsElement).open = true;
  $("file-status").textContent =
    "Loaded the example: kubeadm's admin.conf, the cluster's client CA and API server certificate (throwaway test keys).";
  const note = $("example-note");
  note.textContent = `Example inputs in use: the kubeconfig, the client CA, the API server certificate and the validation time (${exampleAt(ex).replace("T", " ")} UTC) came with the example. Paste or choose your own kubeconfig and they are cleared.`;
  note.hidden = false;
  updateNote();
  await run();
}

function init(): void {
  const form = $<HTMLFormElement>("audit-form");
  if (!form) return;
  document.documentElement.classList.add("js");
  for (const el of document.querySelectorAll<HTMLElement>(".js-only")) el.hidden = false;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const submitter = (e as SubmitEvent).submitter;
    void (submitter?.id === "example" ? loadExample() : run());
  });
  for (const input of document.querySelectorAll<HTMLInputElement>("input[type=file][data-for]")) {
    input.addEventListener("change", () => {
      const file = input.files?.[0];
      if (file)
        void loadFile(input.dataset.for as Field, file).then(() => {
          input.value = "";
          updateNote();
        });
    });
  }
  for (const f of FIELDS) $(f).addEventListener("input", () => binaries.delete(f));
  let noteTimer: ReturnType<typeof setTimeout> | undefined;
  $("document").addEventListener("input", () => {
    if (tree) setTree(null);
    clearTimeout(noteTimer);
    noteTimer = setTimeout(updateNote, 150);
  });
  const folder = $<HTMLInputElement>("folder");
  folder.addEventListener("change", () => {
    const list = folder.files;
    if (list?.length) void loadTree((core) => readFolder(pickedFolder(list), core)).then(() => (folder.value = ""));
  });
  $("tree-clear").addEventListener("click", () => setTree(null));
  // Replacing the example's kubeconfig (typing, pasting) clears what came with the example.
  $("document").addEventListener("input", () => {
    if (example && $<HTMLTextAreaElement>("document").value.trim() !== (example.document ?? "").trim()) dropExample();
  });
  // A page the Worker rendered from the example (no-JS submit) carries a hidden marker.
  if (document.querySelector('input[name="exampleInputs"]')) void fetchExample().then((ex) => (example = ex));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const data = e.dataTransfer;
    if (!data) return;
    // A folder dropped from the file manager is a control-plane directory; a file is read as before.
    void droppedFolder(data).then((entries) => {
      if (entries) return loadTree((core) => readFolder(entries, core));
      const file = data.files[0];
      return file ? loadFile("document", file).then(updateNote) : undefined;
    });
  });
  // A file dropped beside the box must not navigate away from the page.
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());
  let timer: ReturnType<typeof setTimeout> | undefined;
  for (const id of ["at", "warnDays"]) {
    $(id).addEventListener("change", () => {
      clearTimeout(timer);
      if (shown || $("report").childElementCount) timer = setTimeout(() => void run(), 250);
    });
  }
  // The in-page core needs WebCrypto (a secure context) and module import; else upload only.
  const local = $<HTMLInputElement>("local");
  if (!window.isSecureContext || !crypto?.subtle) {
    local.checked = false;
    local.disabled = true;
  }
  for (const id of ["local", "strip"]) $(id).addEventListener("change", updateNote);
  updateNote();
  if ($("report").childElementCount) shown = true;
}

init();
