// The web form: GET / serves it, POST / (multipart/form-data, what the form sends without
// JavaScript) answers with the server-rendered report. Parsing is app.ts's readAuditRequest and
// the audit is core's audit(): this file only maps form fields and renders.
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import { bodyLimit } from "hono/body-limit";
import { InputProblem } from "../../core/errors.ts";
import type { Report } from "../../core/report/types.ts";
import { auditRequest, type CoreFunctions } from "../core-functions.ts";
import { fetchAsset } from "../assets.ts";
import type { Env } from "../env.ts";
import { readAuditRequest } from "../request.ts";
import { logInternalError, newInstance, toProblem } from "../problem.ts";
import { atKey, renderPage, type FormValues, type PageProblem } from "./page.tsx";

export type UiEnv = { Bindings: Env };

/** The page's strict policy: only this origin's script and stylesheet, no inline code, no framing. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const DEFAULT_MAX_BODY = 1024 * 1024;

function html(c: Context, body: string, status: 200 | 400 | 413 | 415 | 422 | 500 = 200): Response {
  return c.body(body, status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
  });
}

/** The example: a kubectl-written fixture embedded in the static assets by scripts/build-ui.mjs. */
async function loadExample(c: Context<UiEnv>): Promise<FormValues> {
  const res = await fetchAsset(c, "/ui/example.json");
  if (!res) throw new InputProblem("input.nothing-to-audit", 422, "the example is not available on this server");
  return (await res.json()) as FormValues;
}

const text = (v: FormDataEntryValue | null): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

const FILE_FIELDS = { file: "document", clientCAFile: "clientCA", serverCertificateFile: "serverCertificate" } as const;

/** The files picked in the form, by the field they stand for (a browser cannot re-fill a file picker, so the page names them). */
function pickedFiles(form: FormData): NonNullable<FormValues["files"]> {
  const out: NonNullable<FormValues["files"]> = {};
  for (const [input, field] of Object.entries(FILE_FIELDS)) {
    const f = form.get(input);
    if (f && typeof f !== "string" && f.size > 0) out[field] = { name: f.name, size: f.size };
  }
  return out;
}

const EXAMPLE_PARTS = [
  ["clientCA", "the client CA"],
  ["serverCertificate", "the API server certificate"],
  ["at", "the validation time"],
  ["warnDays", "the warning days"],
] as const;

/**
 * The page said "example inputs in use" (a hidden field). When the kubeconfig is no longer the
 * example's (other text, or a picked file), the parts that came with the example and are still
 * unchanged are dropped before the audit; returns what was dropped, in words.
 */
async function dropExampleInputs(c: Context<UiEnv>, form: FormData, files: NonNullable<FormValues["files"]>): Promise<string[]> {
  let ex: FormValues;
  try {
    ex = await loadExample(c);
  } catch {
    return [];
  }
  const same = (a: string | undefined, b: string | undefined) =>
    (a ?? "").trim().replace(/\r\n/g, "\n") === (b ?? "").trim().replace(/\r\n/g, "\n");
  if (!files.document && same(text(form.get("document")), ex.document)) return [];
  const dropped: string[] = [];
  for (const [name, words] of EXAMPLE_PARTS) {
    const v = text(form.get(name));
    if (v === undefined || !ex[name]) continue;
    if (name === "at" ? atKey(v) === atKey(ex.at) : same(v, ex[name])) {
      form.delete(name);
      dropped.push(words);
    }
  }
  return dropped;
}

export function createUi(core: Pick<CoreFunctions, "audit">): Hono<UiEnv> {
  const ui = new Hono<UiEnv>();

  ui.get("/", (c) => html(c, renderPage({})));

  ui.post(
    "/",
    async (c, next) => {
      const max = Number(c.env?.MAX_BODY_BYTES ?? DEFAULT_MAX_BODY) || DEFAULT_MAX_BODY;
      return bodyLimit({
        maxSize: max,
        onError: (cc) =>
          html(
            cc,
            renderPage({
              problem: {
                code: "input.too-large",
                detail: `the upload is larger than ${max} bytes; split the bundle or raise MAX_BODY_BYTES`,
              },
            }),
            413,
          ),
      })(c, next);
    },
    async (c) => {
      let values: FormValues = {};
      try {
        const type = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
        if (type !== "multipart/form-data" && type !== "application/x-www-form-urlencoded")
          throw new InputProblem("input.unsupported-media-type", 415, "the form must be sent as multipart/form-data");
        let form: FormData;
        try {
          form = await c.req.formData();
        } catch {
          throw new InputProblem("input.unrecognized", 400, "the form data cannot be read");
        }
        const files = pickedFiles(form);
        let dropped: string[] = [];
        if (form.get("example")) {
          values = { ...(await loadExample(c)), exampleInputs: true };
          for (const [k, v] of Object.entries(values)) if (typeof v === "string") form.set(k, v);
          form.delete("file");
        } else {
          if (form.get("exampleInputs")) dropped = await dropExampleInputs(c, form, files);
          values = {
            document: text(form.get("document")),
            clientCA: text(form.get("clientCA")),
            serverCertificate: text(form.get("serverCertificate")),
          };
          if (form.get("exampleInputs") && !dropped.length) values.exampleInputs = true;
          if (dropped.length) values.exampleDropped = dropped;
        }
        form.delete("exampleInputs");
        if (Object.keys(files).length) values.files = files;
        values.at = text(form.get("at")) ?? values.at;
        values.warnDays = text(form.get("warnDays")) ?? values.warnDays;
        // Each optional certificate has a text box and a file picker; the file wins. Hono caches
        // the parsed FormData, so readAuditRequest below reads this normalised form.
        for (const name of ["clientCA", "serverCertificate"] as const) {
          const f = form.get(`${name}File`);
          if (f && typeof f !== "string" && f.size > 0) form.set(name, f);
          form.delete(`${name}File`);
        }
        // datetime-local sends no zone: the form says UTC.
        const at = text(form.get("at"));
        if (at && /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(at)) form.set("at", `${at}Z`);
        const req = await readAuditRequest(c);
        const report: Report = await auditRequest(req, core);
        return html(c, renderPage({ values, report }));
      } catch (err) {
        const instance = err instanceof InputProblem ? undefined : newInstance();
        if (instance) logInternalError(err, instance);
        const p = toProblem(err, instance);
        const problem: PageProblem = { detail: p.detail, code: p.code };
        if (p.pointer !== undefined) problem.pointer = p.pointer;
        if (p.line !== undefined) problem.line = p.line;
        if (p.column !== undefined) problem.column = p.column;
        const status = ([400, 413, 415, 422] as const).find((s) => s === p.status) ?? 500;
        return html(c, renderPage({ values, problem }), status);
      }
    },
  );

  return ui;
}
