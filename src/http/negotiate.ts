// Which representation of a report the client asked for (RFC 9110 12.5.1 Accept): JSON (the
// default) or OpenMetrics text (`Accept: application/openmetrics-text`, as Prometheus sends it).
const OPENMETRICS = "application/openmetrics-text";

/** The q value of each media range in an Accept header (type/subtype lower-cased). */
function ranges(accept: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of accept.split(",")) {
    const [type, ...params] = part.split(";").map((s) => s.trim());
    if (!type) continue;
    let q = 1;
    for (const p of params) {
      const m = /^q\s*=\s*([0-9.]+)$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    const key = type.toLowerCase();
    if (!out.has(key) && Number.isFinite(q)) out.set(key, q);
  }
  return out;
}

/** True when the client prefers OpenMetrics to JSON (named explicitly, with a q above JSON's). */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  const r = ranges(accept);
  const om = r.get(OPENMETRICS) ?? 0;
  if (om <= 0) return false;
  const json = r.get("application/json") ?? r.get("application/*") ?? r.get("*/*") ?? 0;
  return om >= json;
}
