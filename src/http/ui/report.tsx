// The report as HTML: one set of hono/jsx components, rendered to a string by the Worker (the
// page without JavaScript) and by the page's script (fetch or in-browser audit). No inline
// styles or scripts, so the strict CSP holds for both.
import type { Child } from "hono/jsx";
import type { CertificateJson, ContextJson, Report } from "../../core/report/types.ts";
import {
  AXIS,
  day,
  diagram,
  expiryStatus,
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
  type DiagramSide,
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

const QUESTION_TITLES = { clientAccepted: "Does the API server accept the client certificate?", serverTrusted: "Does kubectl trust the API server?", keyMatches: "Does the private key match the certificate?" } as const;

function OpenQuestions(props: { report: Report }) {
  const items = props.report.contexts.flatMap((c) => c.openQuestions.map((q) => ({ c, q })));
  if (!items.length) return null;
  return (
    <ul class="open-questions" aria-label="Open questions">
      {items.map(({ c, q }) => (
        <li>
          <strong>{QUESTION_TITLES[q.question]}</strong> <span class="muted">({c.name})</span> Not decided: {openQuestionText(q)}
        </li>
      ))}
    </ul>
  );
}

function Verdict(props: { report: Report; idx: CertIndex }) {
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
        · warning window {r.warnDays} days · input: {r.input.kind} ({r.input.parts.join(", ")})
      </p>
      <p>
        <a class="button" href={jsonHref(r)} download="certaudit-report.json">
          Download JSON
        </a>
      </p>
    </section>
  );
}

function DiagramColumn(props: { side: DiagramSide; idx: CertIndex }) {
  const { side: s, idx } = props;
  return (
    <div class="dcol">
      <div class="node ca">
        <span class="role">{s.caLabel}</span>
        <strong>{s.ca ? idx.name(s.ca) : "none"}</strong>
        <small>{s.caSource}</small>
      </div>
      <div class={`edge ${s.link.tone}`}>
        <span aria-hidden="true">↓ {s.link.icon}</span> {s.link.tone === "ok" ? "signed" : s.link.tone === "bad" ? "does not verify" : "not checked"}
        {s.link.note ? <small> ({s.link.note})</small> : null}
      </div>
      <div class={`node ${s.leaf ? "" : "missing"}`}>
        <span class="role">{s.leafLabel}</span>
        <strong>{s.leaf ? idx.name(s.leaf) : "not supplied"}</strong>
        <small>{s.leafSource}</small>
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
  return (
    <article class={`card ${v.tone}`} aria-labelledby={`ctx-${cssId(ctx.name)}`}>
      <header>
        <h3 id={`ctx-${cssId(ctx.name)}`}>
          {ctx.name}
          {ctx.current ? <span class="tag">current</span> : null}
        </h3>
        <Badge tone={v.tone} icon={v.icon}>
          {v.word}
        </Badge>
      </header>
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
          <Badge tone={rel.tone} icon={rel.glyph}>
            {rel.title}
          </Badge>
          <p class="explain">{ctx.caIdentity.explanation}</p>
        </dd>
      </dl>
      <figure class="diagram">
        <figcaption>Who trusts whom</figcaption>
        <div class="dgrid">
          <DiagramColumn side={d.server} idx={idx} />
          <div class={`dlink ${rel.tone}`}>
            <span class="glyph" aria-hidden="true">
              {rel.glyph}
            </span>
            <small>{ctx.caIdentity.relation.replace(/-/g, " ")}</small>
          </div>
          <DiagramColumn side={d.client} idx={idx} />
        </div>
      </figure>
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
        {n.link === "name" ? (
          <>
            <br />
            <small class="muted">placed under its issuer by name and key id (no chain was built for it)</small>
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

function Tree(props: { report: Report; idx: CertIndex }) {
  const roots = issuanceTree(props.report);
  return (
    <section aria-labelledby="tree-title">
      <h2 id="tree-title">Who signed what</h2>
      {roots.length ? (
        <>
          <p class="muted">Trust anchors at the top; each certificate sits under the CA that signed it.</p>
          <ul class="tree">
            {roots.map((r) => (
              <TreeItem node={r} idx={props.idx} root />
            ))}
          </ul>
        </>
      ) : (
        <p class="muted">No certificates were found in the input.</p>
      )}
    </section>
  );
}

function Timeline(props: { report: Report }) {
  const t = timeline(props.report);
  if (!t) return null;
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Expiry timeline</h2>
      <p class="muted">
        One bar per certificate from notBefore to notAfter; the vertical line is the validation time ({day(props.report.validationTime)}).
      </p>
      <ol class="timeline">
        <li class="axis" aria-hidden="true">
          <svg class="bar" height="22" width="100%">
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
        {t.rows.map((row) => (
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
      <p class="legend muted">
        <span class="key ok" aria-hidden="true"></span> valid <span class="key warn" aria-hidden="true"></span> expiring (dashed outline) <span class="key bad" aria-hidden="true"></span> expired or not yet valid (dotted outline) · axis {t.start} → {t.end}
      </p>
    </section>
  );
}

function Findings(props: { report: Report; idx: CertIndex }) {
  const { report, idx } = props;
  return (
    <section aria-labelledby="findings-title">
      <h2 id="findings-title">Findings</h2>
      {report.findings.length === 0 ? <p>No findings.</p> : null}
      {SEVERITIES.map((s) => {
        const list = report.findings.filter((f) => f.severity === s.key);
        if (!list.length) return null;
        return (
          <div class={`fgroup ${s.tone}`}>
            <h3>
              <span aria-hidden="true">{s.icon}</span> {s.title} ({list.length})
            </h3>
            <ul class="findings">
              {list.map((f) => (
                <li class={s.tone}>
                  <code class="code">{f.code}</code>
                  <p>{f.message}</p>
                  {f.path || f.context || f.certificate ? (
                    <p class="where">
                      {f.context ? <>context {f.context} · </> : null}
                      {f.path ? <>at <code>{f.path}</code></> : null}
                      {f.certificate ? <> · certificate “{idx.name(f.certificate)}”</> : null}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

/** The whole report, in the order the issue asks for. */
export function ReportView(props: { report: Report }) {
  const r = props.report;
  const idx = indexCertificates(r);
  return (
    <div class="report">
      <Verdict report={r} idx={idx} />
      {r.contexts.length ? (
        <section aria-labelledby="contexts-title">
          <h2 id="contexts-title">Contexts</h2>
          {r.contexts.map((ctx) => (
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
