// The audit form page (server-rendered). Works as a plain HTML form posting multipart/form-data
// to POST /; /ui/app.js enhances it when JavaScript runs (see client.tsx).
import { raw } from "hono/html";
import type { Report } from "../../core/report/types.ts";
import { inert } from "../../core/text/inert.ts";
import { problemField } from "./model.ts";
import { renderReport } from "./report.tsx";

export interface FormValues {
  document?: string;
  clientCA?: string;
  serverCertificate?: string;
  at?: string;
  warnDays?: string;
  /** The fields hold what "Load an example" put there (the page says so, and a hidden field tells the next submit). */
  exampleInputs?: boolean;
  /** What came with the example and was dropped because the kubeconfig was replaced. */
  exampleDropped?: string[];
  /** Files picked for the last submit: a file picker cannot be re-filled, so the page names them. */
  files?: Partial<Record<"document" | "clientCA" | "serverCertificate", { name: string; size: number }>>;
}

const fileWords = (f: { name: string; size: number } | undefined) =>
  f ? `Sent the file ${inert(f.name)} (${f.size} bytes). A file picker cannot keep its file: choose it again to send it again.` : "";

/** What the example put in the fields, or what was dropped from it: shown, never silent. */
function ExampleNote(props: { values: FormValues }) {
  const v = props.values;
  const text = v.exampleInputs
    ? `Example inputs in use: the kubeconfig, the client CA, the API server certificate and the validation time (${localValue(v.at).replace("T", " ")} UTC) came with the example. Paste or choose your own kubeconfig and the rest of the example is dropped when you audit.`
    : v.exampleDropped?.length
      ? `Your kubeconfig replaced the example, so what came with it was not used: ${v.exampleDropped.join(", ")}.`
      : "";
  return (
    <p id="example-note" class="example-note" aria-live="polite" hidden={!text}>
      {text}
    </p>
  );
}

/** A folder picker (Chromium, Firefox, Safari): the files arrive with webkitRelativePath; read by tree-input.ts. */
const FOLDER_PICKER: Record<string, string | boolean> = { webkitdirectory: true, multiple: true, "aria-describedby": "document-hint" };

export interface PageProblem {
  detail: string;
  code: string;
  pointer?: string;
  line?: number;
  column?: number;
}

/** A datetime-local value (UTC, no zone) from an ISO time. */
export function localValue(at: string | undefined): string {
  if (!at) return "";
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)/.exec(at.trim());
  return m ? `${m[1]}T${m[2]}` : "";
}

/** A validation time as a datetime-local input reports it (seconds dropped when zero), for comparing. */
export function atKey(at: string | undefined): string {
  return localValue(at).replace(/^(.*T\d{2}:\d{2}):00$/, "$1");
}

function FieldError(props: { id: string; problem: PageProblem | null | undefined; field: string }) {
  const p = props.problem && problemField(props.problem.pointer) === props.field ? props.problem : null;
  const where = p && p.line !== undefined ? ` (line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ""})` : "";
  return (
    <p id={props.id} class="field-error" role="alert" hidden={!p}>
      {p ? (
        <>
          <span aria-hidden="true">✖ </span>
          {inert(p.detail)}
          {where} <span class="muted">[{inert(p.code)}]</span>
        </>
      ) : null}
    </p>
  );
}

function Aux(props: {
  name: "clientCA" | "serverCertificate";
  label: string;
  hint: string;
  value: string | undefined;
  file: string;
  problem: PageProblem | null | undefined;
}) {
  const { name } = props;
  return (
    <div class="field">
      <label for={name}>{props.label}</label>
      <p class="hint" id={`${name}-hint`}>
        {props.hint}
      </p>
      <textarea
        id={name}
        name={name}
        rows={4}
        spellcheck={false}
        autocomplete="off"
        aria-describedby={`${name}-hint ${name}-error`}
        placeholder="-----BEGIN CERTIFICATE-----"
      >
        {props.value ?? ""}
      </textarea>
      <label class="file">
        <span>…or choose a file</span> <input type="file" name={`${name}File`} data-for={name} />
      </label>
      <p id={`${name}-file-status`} class="muted file-status" aria-live="polite">
        {props.file}
      </p>
      <FieldError id={`${name}-error`} problem={props.problem} field={name} />
    </div>
  );
}

export function Page(props: { values?: FormValues; report?: Report | null; problem?: PageProblem | null }) {
  const v = props.values ?? {};
  const p = props.problem;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{props.report ? `${props.report.verdict.toUpperCase()} · certaudit` : "certaudit · kubeconfig and certificate audit"}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/ui/app.css" />
        <script type="module" src="/ui/app.js"></script>
      </head>
      <body>
        <a class="skip" href="#report">
          Skip to the report
        </a>
        <header class="top">
          <h1>certaudit</h1>
          <p>
            Why does kubectl say <q>x509: certificate signed by unknown authority</q> or <q>You must be logged in to the server</q>? Paste a
            kubeconfig or PEM bundle to see who signed what, who trusts whom, and what expires when.
          </p>
        </header>
        <main>
          <form id="audit-form" method="post" action="/#report" enctype="multipart/form-data" novalidate>
            <div class="field drop" id="drop">
              <label for="document">Kubeconfig or PEM bundle</label>
              <p class="hint" id="document-hint">
                Paste it here,{" "}
                <span class="js-only" hidden>
                  drop a file on this box,{" "}
                </span>
                or choose a file. YAML or JSON kubeconfig (<code>kubectl config view --raw</code>), PEM, or DER
                {/* Audited in the page only (Secrets and a control plane's pki/ carry private keys), so only with JavaScript. */}
                <span class="js-only" hidden>
                  ; Kubernetes objects (
                  <code>kubectl get secrets,validatingwebhookconfigurations,mutatingwebhookconfigurations -A -o yaml</code>); or a
                  control-plane folder (<code>/etc/kubernetes</code>) or its <code>.tar</code> / <code>.tar.gz</code>
                </span>
                .
              </p>
              <textarea
                id="document"
                name="document"
                rows={10}
                spellcheck={false}
                autocomplete="off"
                aria-describedby="document-hint document-error"
                placeholder="apiVersion: v1&#10;kind: Config&#10;clusters: …"
              >
                {v.document ?? ""}
              </textarea>
              <label class="file">
                <span>…or choose a file</span> <input type="file" id="file" name="file" data-for="document" />
              </label>
              <span class="js-only" hidden>
                <label class="file">
                  <span>…or a control-plane folder</span> <input type="file" id="folder" {...FOLDER_PICKER} />
                </label>{" "}
                <button type="button" id="tree-clear" hidden>
                  Clear the folder
                </button>
              </span>
              <p id="file-status" class="muted" aria-live="polite">
                {fileWords(v.files?.document)}
              </p>
              <ExampleNote values={v} />
              {v.exampleInputs ? <input type="hidden" name="exampleInputs" value="1" /> : null}
              <FieldError id="document-error" problem={p} field="document" />
            </div>
            <details class="more" open={Boolean(v.clientCA || v.serverCertificate) || undefined}>
              <summary>API server side (optional): client CA and server certificate</summary>
              <Aux
                name="clientCA"
                label="Client CA bundle (--client-ca-file)"
                hint="The CA certificates the API server trusts for client certificates. Without it, “accepts the client” stays undecided."
                value={v.clientCA}
                file={fileWords(v.files?.clientCA)}
                problem={p}
              />
              <Aux
                name="serverCertificate"
                label="API server certificate (--tls-cert-file)"
                hint="The chain the API server presents, leaf first. Without it, “trusts the server” stays undecided."
                value={v.serverCertificate}
                file={fileWords(v.files?.serverCertificate)}
                problem={p}
              />
            </details>
            <details class="more" open={Boolean(v.at || v.warnDays) || undefined}>
              <summary>Options</summary>
              <div class="row">
                <div class="field">
                  <label for="at">Validation time (UTC)</label>
                  <input type="datetime-local" id="at" name="at" step={1} value={localValue(v.at)} aria-describedby="at-hint at-error" />
                  <p class="hint" id="at-hint">
                    Empty means now.
                  </p>
                  <FieldError id="at-error" problem={p} field="at" />
                </div>
                <div class="field">
                  <label for="warnDays">Warn days before expiry</label>
                  <input
                    type="number"
                    id="warnDays"
                    name="warnDays"
                    min={0}
                    max={3650}
                    step={1}
                    inputmode="numeric"
                    placeholder="30"
                    value={v.warnDays ?? ""}
                    aria-describedby="warnDays-hint warnDays-error"
                  />
                  <p class="hint" id="warnDays-hint">
                    Default 30.
                  </p>
                  <FieldError id="warnDays-error" problem={p} field="warnDays" />
                </div>
              </div>
              <div class="field js-only" hidden>
                <label for="token">API token</label>
                <input type="password" id="token" autocomplete="off" spellcheck={false} aria-describedby="token-hint" />
                <p class="hint" id="token-hint">
                  Only if the operator locked this server (README: deploying in public). Sent as an Authorization header with uploads, never
                  in the body; not needed to audit in this browser.
                </p>
              </div>
            </details>
            <fieldset class="privacy">
              <legend>Privacy</legend>
              <div class="js-only" hidden>
                <label class="check">
                  <input type="checkbox" id="local" name="local" checked /> Audit in this browser: nothing is uploaded
                </label>
                <label class="check" id="strip-label">
                  <input type="checkbox" id="strip" name="strip" checked /> Remove private keys, tokens and passwords before uploading
                </label>
              </div>
              <p id="privacy-note" class="hint" aria-live="polite">
                Submitting uploads exactly what is in the fields above — including any private keys, tokens and passwords — to this
                certaudit server, which audits it in memory, stores nothing and answers with <code>Cache-Control: no-store</code>. To keep
                secrets on your machine, remove them first (<code>client-key-data</code>, <code>token</code>, <code>password</code>), or
                enable JavaScript to audit in this browser.
              </p>
            </fieldset>
            <div class="actions">
              <button type="submit" class="primary" id="submit">
                Audit
              </button>
              <button type="submit" name="example" value="1" id="example" formnovalidate>
                Load an example
              </button>
              <span id="busy" class="muted" aria-live="polite"></span>
            </div>
          </form>
          <section id="report" aria-live="polite" aria-label="Report" tabindex={-1}>
            {props.report ? raw(renderReport(props.report)) : null}
          </section>
        </main>
        <footer>
          <p class="muted">
            certaudit · the same engine as <code>POST /v1/audit</code> (<a href="/openapi.json">OpenAPI</a>,{" "}
            <a href="/v1/findings">finding catalogue</a>)
          </p>
        </footer>
      </body>
    </html>
  );
}

export function renderPage(props: Parameters<typeof Page>[0]): string {
  return `<!doctype html>${String(<Page {...props} />)}`;
}
