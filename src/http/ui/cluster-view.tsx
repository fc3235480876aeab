// The control plane as the form shows it (issue 12): the first edge to break, the diagram
// (cluster-model.ts), and the same edges as a table, which is the diagram's text alternative and
// says everything the picture says (colour is never the only signal: each line and row carries
// an icon and a word). Then the renewal plan and what was assumed.
import type { Report } from "../../core/report/types.ts";
import { breakWords, type CBox, clusterDiagram, type ClusterDiagram, EDGE_WORDS } from "./cluster-model.ts";

type Cluster = NonNullable<Report["cluster"]>;

const LAYOUT_WORDS: Record<Cluster["layout"], string> = {
  kubeadm: "Control plane (kubeadm directory)",
  objects: "Kubernetes objects",
};

function BoxSvg(props: { box: CBox }) {
  const b = props.box;
  return (
    <g class={`cbox ${b.side}`}>
      <rect x={b.x} y={b.y} width={b.w} height={b.h} rx={6} class="cbox-frame" />
      <text x={b.x + 10} y={b.y + 20} class="cbox-title">
        {b.label}
      </text>
      {[...(b.sub ? [b.sub] : []), ...b.services].map((t, i) => (
        <text x={b.x + 10} y={b.y + 36 + i * 16} class="cbox-sub">
          {t}
        </text>
      ))}
      {b.checks.map((g, i) => (
        <text
          x={b.x + 10}
          y={b.y + 40 + ((b.sub ? 1 : 0) + b.services.length) * 16 + i * 17}
          class={`ccheck ${g.tone}${g.first ? " first" : ""}`}
        >
          {g.icon} {g.label}
          {g.first ? " · first to break" : ""}
        </text>
      ))}
    </g>
  );
}

function DiagramSvg(props: { d: ClusterDiagram; titleId: string }) {
  const { d } = props;
  return (
    <svg
      class="cluster-svg"
      viewBox={`0 0 ${d.width} ${d.height}`}
      width="100%"
      role="img"
      aria-labelledby={props.titleId}
      preserveAspectRatio="xMidYMin meet"
    >
      <title>{`Trust edges: ${d.counts.holds} hold, ${d.counts.broken} broken, ${d.counts.unknown} not decided`}</title>
      {d.lines.map((l) => {
        const left = l.a.x < l.b.x;
        const x1 = left ? l.a.x + l.a.w : l.b.x + l.b.w;
        const x2 = left ? l.b.x : l.a.x;
        return (
          <g class={`cline ${l.group.tone}${l.group.first ? " first" : ""}`}>
            <line x1={x1} x2={x2} y1={l.y} y2={l.y} class="cline-stroke" />
            <text x={(x1 + x2) / 2} y={l.y - 4} text-anchor="middle" class="cline-label">
              {l.group.icon} {l.group.label}
            </text>
            {l.group.first ? (
              <text x={(x1 + x2) / 2} y={l.y + 14} text-anchor="middle" class="cline-label cline-first">
                ▲ first to break
              </text>
            ) : null}
          </g>
        );
      })}
      {d.boxes.map((b) => (
        <BoxSvg box={b} />
      ))}
    </svg>
  );
}

/** Above this many edges, those that hold fold away below the others (as the rest of the report folds what is fine). */
const FOLD_ABOVE = 12;

function EdgeTable(props: { report: Report; cluster: Cluster; only: number[]; caption: string }) {
  const { report, cluster } = props;
  const first = cluster.firstBreak?.edge;
  return (
    <table class="edges">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">From</th>
          <th scope="col">To</th>
          <th scope="col">Relation</th>
          <th scope="col">Verdict</th>
          <th scope="col">Breaks</th>
          <th scope="col">What was checked</th>
        </tr>
      </thead>
      <tbody>
        {props.only.map((i) => {
          const e = cluster.edges[i]!;
          const w = EDGE_WORDS[e.verdict];
          return (
            <tr class={`erow ${w.tone}${i === first ? " first" : ""}`}>
              <td data-label="From">{e.from}</td>
              <td data-label="To">{e.to}</td>
              <td data-label="Relation">
                <code>{e.relation}</code>
              </td>
              <td class={`everdict ${w.tone}`} data-label="Verdict">
                <span aria-hidden="true">{w.icon}</span> {w.word}
                {i === first ? <strong class="first-tag"> · first to break</strong> : null}
              </td>
              <td data-label="Breaks">
                {e.verdict === "broken" && (!e.breaksAt || e.breaksAt > report.validationTime) ? (
                  <>
                    now
                    {e.breaksAt ? <small class="muted"> (its certificates are valid until {e.breaksAt.slice(0, 10)})</small> : null}
                  </>
                ) : (
                  <>
                    {e.breaksAt ? <time datetime={e.breaksAt}>{e.breaksAt.slice(0, 10)}</time> : "—"}
                    <small class="muted"> {breakWords(e, report.validationTime)}</small>
                  </>
                )}
              </td>
              <td data-label="What was checked">
                {e.detail}
                {e.findings.map((f) => (
                  <small class="efinding">
                    <code>{f.code}</code> {f.message}
                  </small>
                ))}
                {e.renew ? <small class="muted"> Renew: {e.renew}</small> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The edges in a table, the first to break first; past FOLD_ABOVE, what holds is folded below what does not. */
function EdgeTables(props: { report: Report; cluster: Cluster }) {
  const { report, cluster } = props;
  const all = cluster.edges.map((_, i) => i);
  if (all.length <= FOLD_ABOVE)
    return <EdgeTable report={report} cluster={cluster} only={all} caption="Every trust edge, the first to break first" />;
  const open = all.filter((i) => cluster.edges[i]!.verdict !== "holds");
  const holds = all.filter((i) => cluster.edges[i]!.verdict === "holds");
  return (
    <>
      {open.length ? (
        <EdgeTable report={report} cluster={cluster} only={open} caption="Trust edges broken or not decided, the first to break first" />
      ) : null}
      {holds.length ? (
        <details class="fold">
          <summary>
            {holds.length} trust edge{holds.length === 1 ? "" : "s"} that hold, the first to break first
          </summary>
          <EdgeTable report={report} cluster={cluster} only={holds} caption="Trust edges that hold, the first to break first" />
        </details>
      ) : null}
    </>
  );
}

/** The cluster section of a report: nothing when the report has none. */
export function ClusterView(props: { report: Report }) {
  const { report } = props;
  const cluster = report.cluster;
  const d = clusterDiagram(report);
  if (!cluster || !d) return null;
  const first = cluster.firstBreak ? cluster.edges[cluster.firstBreak.edge] : undefined;
  const titleId = "cluster-diagram-title";
  return (
    <section aria-labelledby="cluster-title" class="cluster">
      <h2 id="cluster-title">{LAYOUT_WORDS[cluster.layout]}: trust edges</h2>
      <p class="cluster-counts">
        <span class="badge ok">
          <span aria-hidden="true">✔</span> {d.counts.holds} hold
        </span>{" "}
        <span class="badge bad">
          <span aria-hidden="true">✖</span> {d.counts.broken} broken
        </span>{" "}
        <span class="badge unknown">
          <span aria-hidden="true">?</span> {d.counts.unknown} not decided
        </span>
      </p>
      {first ? (
        <p class={`first-break ${EDGE_WORDS[first.verdict].tone}`} id="first-break">
          <strong>First to break:</strong> {first.from} → {first.to} (<code>{first.relation}</code>),{" "}
          {breakWords(first, report.validationTime)}.{first.renew ? ` Renew: ${first.renew}.` : ""}
        </p>
      ) : null}
      <figure class="cluster-diagram">
        <figcaption id={titleId}>
          Components as boxes; each line is one relation between two of them: green and ✔ when every edge of it holds, red, dashed and ✖
          when one is broken, grey, dotted and ? when one was not decided. Checks inside one component (a key and its certificate, etcd's
          peers) are listed in its box. The table below says the same, edge by edge.
        </figcaption>
        <div class="cluster-scroll">
          <DiagramSvg d={d} titleId={titleId} />
        </div>
      </figure>
      <EdgeTables report={report} cluster={cluster} />
      {cluster.renewals.length ? (
        <>
          <h3>Renewal plan</h3>
          <ol class="renewals">
            {cluster.renewals.map((r) => (
              <li>
                {r.before <= report.validationTime ? "now" : `before ${r.before.slice(0, 10)}`}: <code>{r.command}</code>
                {r.restart ? <>, then restart {r.restart}</> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {cluster.assumptions.length ? (
        <>
          <h3>Assumed</h3>
          <ul class="assumptions">
            {cluster.assumptions.map((a) => (
              <li>{a}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
