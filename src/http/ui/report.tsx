// The report as HTML: one set of hono/jsx components, rendered to a string by the Worker (the
// page without JavaScript) and by the page's script (fetch or in-browser audit). No inline
// styles or scripts, so the strict CSP holds for both.
import type { Child } from "hono/jsx";
import { inertDeep } from "../../core/text/inert.ts";
import type { CertificateJson, ContextJson, Report } from "../../core/report/types.ts";
import { ClusterView } from "./cluster-view.tsx";
import { diagram, type DiagramBox, type DiagramSide } from "./diagram.ts";
import { trustStore, type StoreEntry, type TrustStoreView } from "./store.ts";
import {
  AXIS,
  day,
  expiryStatus,
  foldedContext,
  orderedContexts,
  indexCertificates,
  issuanceTree,
  jsonHref,
  keyDecision,
  RELATION_WORDS,
  SEVERITIES,
  shortName,
  timeline,
  VERDICT_WORDS,
  headline,
  openQuestionText,
  type CertIndex,
  type Decision,
  type TreeNode,
} from "./model.ts";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function Badge(props: { tone: string; icon: string; children: Child }) {
  return (
    <span class={`badge ${props.tone}`}>
      <span aria-hidden="true">{props.icon}</span> {props.children}
    </span>
  );
}

function DecisionText(props: { d: Decision }) {
  const { d } = props;
  return (
    <>
      <Badge tone={d.tone} icon={d.icon}>
        {d.word}
      </Badge>
      {d.note ? <span class="note">{d.tone === "unknown" ? ` — ${d.note}` : ` ${d.note}`}</span> : null}
    </>
  );
}

const QUESTION_TITLES = {
  clientAccepted: "Does the API server accept the client certificate?",
  serverTrusted: "Does kubectl trust the API server?",
  keyMatches: "Does the private key match the certificate?",
} as const;

function OpenQuestions(props: { report: Report }) {
  const items = props.report.contexts.flatMap((c) => c.openQuestions.map((q) => ({ c, q })));
  if (!items.length) return null;
  const list = (
    <ul class="open-questions" aria-label="Open questions">
      {items.map(({ c, q }) => (
        <li>
          <strong>{QUESTION_TITLES[q.question]}</strong> <span class="muted">({c.name})</span> Not decided: {openQuestionText(q)}
        </li>
      ))}
    </ul>
  );
  // A long list folds: the headline already says how many are open.
  return items.length > 3 ? (
    <details class="fold">
      <summary>{plural(items.length, "open question")}: what each needs</summary>
      {list}
    </details>
  ) : (
    list
  );
}

function Verdict(props: { report: Report; idx: CertIndex; raw?: Report }) {
  const { report: r, idx } = props;
  const v = VERDICT_WORDS[r.verdict];
  return (
    <section class={`verdict ${v.tone}`} aria-labelledby="verdict-title">
      <h2 id="verdict-title" tabindex={-1}>
        <span class="verdict-icon" aria-hidden="true">
          {v.icon}
        </span>{" "}
        {v.word}
      </h2>
      <p class="lead">{headline(r)}</p>
      <OpenQuestions report={r} />
      <ul class="counts">
        <li>{plural(r.summary.certificates, "certificate")}</li>
        <li class={r.summary.errors ? "bad" : ""}>{plural(r.summary.errors, "error")}</li>
        <li class={r.summary.warnings ? "warn" : ""}>{plural(r.summary.warnings, "warning")}</li>
        <li>{plural(r.summary.infos, "note")}</li>
        {r.contexts.length ? <li>{plural(r.contexts.length, "context")}</li> : null}
      </ul>
      <p class="meta">
        Checked at <time datetime={r.validationTime}>{r.validationTime.replace("T", " ").replace(/:00Z$|Z$/, " UTC")}</time>
        {r.summary.earliestExpiry ? (
          <>
            {" "}
            · earliest expiry {day(r.summary.earliestExpiry)} ({idx.name(r.summary.earliestExpiryCertificate)})
          </>
        ) : null}{" "}
        · warning window {r.warnDays} days · input: {r.input.kind} (
        {r.cluster ? plural(r.input.parts.length, "file") : r.input.parts.join(", ")})
      </p>
      <p>
        <a class="button" href={jsonHref(props.raw ?? r)} download="certaudit-report.json">
          Download JSON
        </a>
      </p>
    </section>
  );
}

function Box(props: { box: DiagramBox; kind: "ca" | "mid" | "leaf" }) {
  const { box, kind } = props;
  return (
    <div class={`node ${kind}${box.missing ? " missing" : ""}`}>
      <span class="role">{box.role}</span>
      {box.missing ? (
        <strong>{box.missing}</strong>
      ) : (
        box.certs.map((c) => (
          <span class="dcert">
            <strong>{c.name}</strong> <small class="fp">sha256 {c.fp}</small>
            {c.note ? <small class="dnote">{c.note}</small> : null}
          </span>
        ))
      )}
      <small>{box.source}</small>
    </div>
  );
}

/** An issuance arrow: "signed" only when the chain verified; otherwise it claims nothing. */
const Down = (props: { ok: boolean }) => (
  <div class={`darrow${props.ok ? "" : " unverified"}`} aria-hidden="true">
    {props.ok ? "↓ signed" : "⇣ not verified"}
  </div>
);

function DiagramColumn(props: { side: DiagramSide }) {
  const { side: s } = props;
  return (
    <div class="dcol">
      <p class="dtitle">{s.title}</p>
      <Box box={s.trust} kind="ca" />
      {[...s.between].reverse().map((b) => (
        <>
          <Down ok={s.link.tone === "ok"} />
          <Box box={b} kind="mid" />
        </>
      ))}
      <Down ok={s.link.tone === "ok"} />
      <Box box={s.leaf} kind="leaf" />
      <div class={`edge ${s.link.tone}`}>
        Chain: <span aria-hidden="true">{s.link.icon}</span> {s.link.word}
        {s.link.note ? <small> ({s.link.note})</small> : null}
      </div>
      <div class={`dverdict ${s.verdict.tone}`}>
        {s.verdictLabel}: <span aria-hidden="true">{s.verdict.icon}</span> <strong>{s.verdict.word}</strong>
      </div>
    </div>
  );
}

function ContextCard(props: { report: Report; ctx: ContextJson; idx: CertIndex }) {
  const { report, ctx, idx } = props;
  const v = VERDICT_WORDS[ctx.verdict];
  const rel = RELATION_WORDS[ctx.caIdentity.relation];
  const d = diagram(report, ctx, idx);
  const identity = ctx.client.identity;
  const folded = foldedContext(ctx);
  const figure = (
    <figure class="diagram">
      <figcaption>Who trusts whom</figcaption>
      <div class="dgrid">
        <DiagramColumn side={d.server} />
        <DiagramColumn side={d.client} />
      </div>
      <p class={`drel ${d.relation.tone}`}>
        <span class="glyph" aria-hidden="true">
          {d.relation.glyph}
        </span>{" "}
        <span>
          <strong>Cluster CA and client issuer:</strong> {d.relation.words}
        </span>
      </p>
    </figure>
  );
  const body = (
    <>
      <dl class="facts">
        <dt>Server</dt>
        <dd>
          <code>{ctx.server ?? "none"}</code> <span class="muted">(cluster {ctx.cluster ?? "—"})</span>
        </dd>
        <dt>User</dt>
        <dd>
          {ctx.user ?? "—"}
          {ctx.client.authMethods.length ? <span class="muted"> · authenticates with {ctx.client.authMethods.join(", ")}</span> : null}
        </dd>
        <dt>Identity</dt>
        <dd>
          {identity ? (
            <>
              user <strong>{identity.user ?? "(no CN)"}</strong>
              {identity.groups.length ? (
                <>
                  {" "}
                  in{" "}
                  {identity.groups.map((g) =>
                    g === "system:masters" ? (
                      <span class="group bad" title="bypasses RBAC">
                        <span aria-hidden="true">⚠</span> {g} (bypasses RBAC)
                      </span>
                    ) : (
                      <span class="group">{g}</span>
                    ),
                  )}
                </>
              ) : (
                " (no groups)"
              )}
            </>
          ) : (
            <span class="muted">no client certificate</span>
          )}
        </dd>
        <dt>CA relation</dt>
        <dd>
          <Badge tone={rel.tone} icon={d.relation.glyph}>
            {rel.title}
          </Badge>
          <p class="explain">{ctx.caIdentity.explanation}</p>
        </dd>
      </dl>
      {ctx.current || ctx.verdict === "fail" ? (
        figure
      ) : (
        <details class="fold">
          <summary>Who trusts whom (diagram)</summary>
          {figure}
        </details>
      )}

      <dl class="facts decisions">
        <dt>kubectl trusts the API server (serverTrusted)</dt>
        <dd>
          <DecisionText d={d.server.verdict} />
        </dd>
        <dt>The API server accepts the client certificate (clientAccepted)</dt>
        <dd>
          <DecisionText d={d.client.verdict} />
        </dd>
        <dt>Private key matches the certificate (keyMatches)</dt>
        <dd>
          <DecisionText d={keyDecision(ctx)} />
        </dd>
      </dl>
    </>
  );
  const open = ctx.openQuestions.length;
  return (
    <article class={`card ${v.tone}${folded ? " folded" : ""}`} aria-labelledby={`ctx-${cssId(ctx.name)}`}>
      <header>
        <h3 id={`ctx-${cssId(ctx.name)}`}>
          {ctx.name}
          {ctx.current ? <span class="tag">current</span> : null}
        </h3>
        <Badge tone={v.tone} icon={v.icon}>
          {v.word}
        </Badge>
      </header>
      {folded ? (
        <details class="fold">
          <summary>
            Nothing wrong found{open ? ` (${plural(open, "question")} open)` : ""}: <code>{ctx.server ?? "no server"}</code> as{" "}
            {ctx.user ?? "no user"}. Show the checks and the diagram
          </summary>
          {body}
        </details>
      ) : (
        body
      )}
    </article>
  );
}

const pct = (x: number) => `${Math.round((x / AXIS) * 1000) / 10}%`;

function cssId(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, "_");
}

function CertLine(props: { cert: CertificateJson }) {
  const c = props.cert;
  const st = expiryStatus(c);
  return (
    <>
      <strong>{shortName(c.subject)}</strong> <span class="tag">{c.isCA ? (c.selfSigned ? "root CA" : "CA") : "leaf"}</span>{" "}
      <span class={`status ${st.tone}`}>
        <span aria-hidden="true">{st.icon}</span> {st.word}
      </span>
      <br />
      <small class="muted">
        {c.subject} · {c.publicKey.algorithm}
        {c.publicKey.bits ? ` ${c.publicKey.bits}` : ""}
        {c.publicKey.curve ? ` ${c.publicKey.curve}` : ""} · in {c.sources.map((s) => s.path).join(", ")}
      </small>
    </>
  );
}

function TreeItem(props: { node: TreeNode; idx: CertIndex; root?: boolean }) {
  const { node: n, idx } = props;
  const c = n.cert;
  return (
    <li>
      <div class="tnode">
        <CertLine cert={c} />
        {props.root && !c.selfSigned ? (
          <>
            <br />
            <small class="warn-text">
              <span aria-hidden="true">⚠</span> issuer “{shortName(c.issuer)}” is not in the input
            </small>
          </>
        ) : null}
        {n.note ? (
          <>
            <br />
            <small class="muted tnote">{n.note}</small>
          </>
        ) : null}
        {n.alsoUnder.length ? (
          <>
            <br />
            <small class="muted">also chains to {n.alsoUnder.map((id) => idx.name(id)).join(", ")}</small>
          </>
        ) : null}
      </div>
      {n.children.length ? (
        <ul>
          {n.children.map((ch) => (
            <TreeItem node={ch} idx={idx} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** Above this many certificates, what has no problem is folded away (<details>). */
const FOLD_ABOVE = 12;

/** Certificates a finding (warning or error) is about, or that are not valid at the validation time. */
function troubled(report: Report): Set<string> {
  const ids = new Set(report.findings.filter((f) => f.certificate && f.severity !== "info").map((f) => f.certificate!));
  for (const c of report.certificates) if (c.expiry !== "valid") ids.add(c.id);
  return ids;
}

function Tree(props: { report: Report; idx: CertIndex }) {
  const roots = issuanceTree(props.report);
  const bad = troubled(props.report);
  const anyBad = (n: TreeNode): boolean => bad.has(n.cert.id) || n.children.some(anyBad);
  const fold = props.report.certificates.length > FOLD_ABOVE;
  const shown = fold ? roots.filter(anyBad) : roots;
  const folded = fold ? roots.filter((n) => !anyBad(n)) : [];
  return (
    <section aria-labelledby="tree-title">
      <h2 id="tree-title">Who signed what</h2>
      {roots.length ? (
        <>
          <p class="muted">
            Trust anchors at the top; each certificate sits under the CA that signed it.{fold ? " Certificates with a problem first." : ""}
          </p>
          {shown.length ? (
            <ul class="tree">
              {shown.map((r) => (
                <TreeItem node={r} idx={props.idx} root />
              ))}
            </ul>
          ) : null}
          {folded.length ? (
            <details class="fold">
              <summary>{plural(folded.length, "more tree")} with no problem found</summary>
              <ul class="tree">
                {folded.map((r) => (
                  <TreeItem node={r} idx={props.idx} root />
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : (
        <p class="muted">No certificates were found in the input.</p>
      )}
    </section>
  );
}

function TimelineList(props: { t: NonNullable<ReturnType<typeof timeline>>; rows: NonNullable<ReturnType<typeof timeline>>["rows"] }) {
  const { t } = props;
  return (
    <ol class="timeline">
      <li class="axis" aria-hidden="true">
        <svg class="bar" height="22" width="100%" role="img" aria-label="time axis">
          {t.ticks.map((k) => (
            <>
              <text x={pct(k.x)} y={12} text-anchor="middle" class="ticklabel">
                {k.label}
              </text>
              <line x1={pct(k.x)} x2={pct(k.x)} y1={15} y2={22} class="tick" />
            </>
          ))}
          <line x1={pct(t.at)} x2={pct(t.at)} y1={14} y2={22} class="now" />
        </svg>
      </li>
      {props.rows.map((row) => (
        <li class={`trow ${row.status.tone}`}>
          <div class="tlabel">
            <strong>{shortName(row.cert.subject)}</strong>{" "}
            <span class={`status ${row.status.tone}`}>
              <span aria-hidden="true">{row.status.icon}</span> {row.status.word}
            </span>{" "}
            <small class="muted">
              {day(row.cert.notBefore)} → {day(row.cert.notAfter)}
            </small>
          </div>
          <svg class="bar" height="16" width="100%" aria-hidden="true">
            <rect x="0" y={7} width="100%" height={2} class="track" />
            <rect x={pct(row.x)} y={2} width={pct(row.width)} height={12} rx={2} class={`span ${row.status.tone}`} />
            <line x1={pct(t.at)} x2={pct(t.at)} y1={0} y2={16} class="now" />
          </svg>
        </li>
      ))}
    </ol>
  );
}

function Timeline(props: { report: Report }) {
  const t = timeline(props.report);
  if (!t) return null;
  const fold = t.rows.length > FOLD_ABOVE;
  const shown = fold ? t.rows.filter((r) => r.status.tone !== "ok") : t.rows;
  const folded = fold ? t.rows.filter((r) => r.status.tone === "ok") : [];
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Expiry timeline</h2>
      <p class="muted">
        One bar per certificate from notBefore to notAfter; the vertical line is the validation time ({day(props.report.validationTime)}).
      </p>
      {shown.length ? <TimelineList t={t} rows={shown} /> : null}
      {folded.length ? (
        <details class="fold">
          <summary>{plural(folded.length, "more certificate")} valid beyond the warning window</summary>
          <TimelineList t={t} rows={folded} />
        </details>
      ) : null}
      <p class="legend muted">
        <span class="key ok" aria-hidden="true"></span> valid <span class="key warn" aria-hidden="true"></span> expiring (dashed outline){" "}
        <span class="key bad" aria-hidden="true"></span> expired or not yet valid (dotted outline) · axis {t.start} → {t.end}
      </p>
    </section>
  );
}

function FindingItem(props: { f: Report["findings"][number]; tone: string; idx: CertIndex }) {
  const { f, idx } = props;
  return (
    <li class={props.tone}>
      <code class="code">{f.code}</code>
      <p>{f.message}</p>
      {f.path || f.context || f.certificate ? (
        <p class="where">
          {f.context ? <>context {f.context} · </> : null}
          {f.path ? (
            <>
              at <code>{f.path}</code>
            </>
          ) : null}
          {f.certificate ? <> · certificate “{idx.name(f.certificate)}”</> : null}
        </p>
      ) : null}
    </li>
  );
}

/** Shown per code before the rest of the same code folds away. */
const PER_CODE = 3;

function Findings(props: { report: Report; idx: CertIndex }) {
  const { report, idx } = props;
  const wrong = report.findings.some((f) => f.severity !== "info");
  return (
    <section aria-labelledby="findings-title">
      <h2 id="findings-title">Findings</h2>
      {report.findings.length === 0 ? <p>No findings.</p> : null}
      {SEVERITIES.map((s) => {
        const list = report.findings.filter((f) => f.severity === s.key);
        if (!list.length) return null;
        const seen = new Map<string, number>();
        const shown: typeof list = [];
        const rest: typeof list = [];
        for (const f of list) {
          const k = (seen.get(f.code) ?? 0) + 1;
          seen.set(f.code, k);
          (k > PER_CODE ? rest : shown).push(f);
        }
        const title = (
          <h3>
            <span aria-hidden="true">{s.icon}</span> {s.title} ({list.length})
          </h3>
        );
        const items = (
          <>
            <ul class="findings">
              {shown.map((f) => (
                <FindingItem f={f} tone={s.tone} idx={idx} />
              ))}
            </ul>
            {rest.length ? (
              <details class="fold">
                <summary>
                  {plural(rest.length, "more finding")} of the same codes ({[...new Set(rest.map((f) => f.code))].join(", ")})
                </summary>
                <ul class="findings">
                  {rest.map((f) => (
                    <FindingItem f={f} tone={s.tone} idx={idx} />
                  ))}
                </ul>
              </details>
            ) : null}
          </>
        );
        // Notes fold away when something is wrong: what is wrong leads.
        return s.key === "info" && wrong ? (
          <details class={`fgroup ${s.tone}`}>
            <summary>{title}</summary>
            {items}
          </details>
        ) : (
          <div class={`fgroup ${s.tone}`}>
            {title}
            {items}
          </div>
        );
      })}
    </section>
  );
}

function StoreList(props: { entries: StoreEntry[]; idx: CertIndex; codes?: boolean }) {
  return (
    <ul class="store">
      {props.entries.map(({ cert, codes }) => {
        const st = expiryStatus(cert);
        return (
          <li>
            <strong>{shortName(cert.subject)}</strong>{" "}
            <span class={`status ${st.tone}`}>
              <span aria-hidden="true">{st.icon}</span> {st.word}
            </span>{" "}
            <small class="muted">
              until {day(cert.notAfter)} · sha256 {cert.id.slice(7, 19)}… · {cert.sources.map((s) => s.path).join(", ")}
              {props.codes && codes.length ? (
                <>
                  {" "}
                  ·{" "}
                  {codes.map((c) => (
                    <code>{c}</code>
                  ))}
                </>
              ) : null}
            </small>
          </li>
        );
      })}
    </ul>
  );
}

function TrustStore(props: { view: TrustStoreView; idx: CertIndex }) {
  const { view: v, idx } = props;
  return (
    <section aria-labelledby="store-title">
      <h2 id="store-title">Trust store</h2>
      <p>
        {plural(v.total, "root certificate")}, each self-signed. An expired root anchors nothing any more (Go and OpenSSL refuse chains that
        end at it), and a weak one should not be trusted: remove both. If the file is generated (Debian's{" "}
        <code>update-ca-certificates</code>, Fedora's <code>update-ca-trust</code>), deselect the root there rather than editing the file.
      </p>
      {v.expired.length ? (
        <>
          <h3 class="bad-text">
            <span aria-hidden="true">✖</span> Remove: expired ({v.expired.length})
          </h3>
          <StoreList entries={v.expired} idx={idx} />
        </>
      ) : null}
      {v.weak.length ? (
        <>
          <h3 class="bad-text">
            <span aria-hidden="true">✖</span> Remove: weak ({v.weak.length})
          </h3>
          <StoreList entries={v.weak} idx={idx} codes />
        </>
      ) : null}
      {v.attention.length ? (
        <>
          <h3 class="warn-text">
            <span aria-hidden="true">⚠</span> Keep, but look at ({v.attention.length})
          </h3>
          <StoreList entries={v.attention} idx={idx} codes />
        </>
      ) : null}
      {v.fine.length ? (
        <details class="fold">
          <summary>
            <span aria-hidden="true">✔</span> Fine: {plural(v.fine.length, "root")} with no finding
          </summary>
          <StoreList entries={v.fine} idx={idx} />
        </details>
      ) : null}
    </section>
  );
}

/**
 * The whole report, in the order the issue asks for. Text from the input is shown inert
 * (core/text/inert.ts): JSX escapes markup, and control, bidi and other invisible characters
 * (NUL among them) are shown as their escapes, `\x1b`, `\u202e`. The JSON download stays exact.
 */
export function ReportView(props: { report: Report }) {
  const r = inertDeep(props.report);
  const idx = indexCertificates(r);
  const store = trustStore(r);
  return (
    <div class="report">
      <Verdict report={r} idx={idx} raw={props.report} />
      {store ? <TrustStore view={store} idx={idx} /> : null}
      {r.cluster ? <ClusterView report={r} /> : null}
      {r.contexts.length ? (
        <section aria-labelledby="contexts-title">
          <h2 id="contexts-title">Contexts</h2>
          {orderedContexts(r).map((ctx) => (
            <ContextCard report={r} ctx={ctx} idx={idx} />
          ))}
        </section>
      ) : null}
      <Tree report={r} idx={idx} />
      <Timeline report={r} />
      <Findings report={r} idx={idx} />
    </div>
  );
}

/** Renders the report to an HTML string (server and browser alike). */
export function renderReport(report: Report): string {
  return String(<ReportView report={report} />);
}
