// The candidate issuers of a path search: anchors and intermediates by subject name, keyed as the
// profile compares names. A bundle audit asks one search per leaf over the same certificates;
// when the caller passes frozen arrays (which cannot change afterwards) the index is built once per
// (anchors, intermediates, name comparison) and shared, so N leaves cost O(N), not O(N²).
import type { Cert } from "../x509/cert.ts";

export interface CandidateNode {
  cert: Cert;
  anchor: boolean;
}

export interface CandidateIndex {
  byName: Map<string, CandidateNode[]>;
  /** Every candidate once (anchors first), for the loose-match hint. */
  pool: Cert[];
}

const shared = new WeakMap<readonly Cert[], { anchors: readonly Cert[]; byKey: Map<(c: Cert) => string, CandidateIndex> }>();

function build(anchors: readonly Cert[], intermediates: readonly Cert[], subjectKey: (c: Cert) => string): CandidateIndex {
  const byName = new Map<string, CandidateNode[]>();
  const seen = new Set<string>();
  const pool: Cert[] = [];
  const add = (cert: Cert, anchor: boolean) => {
    if (seen.has(cert.id)) return;
    seen.add(cert.id);
    pool.push(cert);
    const k = subjectKey(cert);
    const list = byName.get(k);
    if (list) list.push({ cert, anchor });
    else byName.set(k, [{ cert, anchor }]);
  };
  for (const a of anchors) add(a, true);
  for (const i of intermediates) add(i, false);
  return { byName, pool };
}

/**
 * The index over `anchors` then `intermediates` (first occurrence of an id wins). It may hold the
 * leaf itself: the search skips it (chain.ts). `subjectKey` must be a module-level function, as
 * it is part of the cache key.
 */
export function candidateIndex(anchors: readonly Cert[], intermediates: readonly Cert[], subjectKey: (c: Cert) => string): CandidateIndex {
  if (!Object.isFrozen(anchors) || !Object.isFrozen(intermediates)) return build(anchors, intermediates, subjectKey);
  let entry = shared.get(intermediates);
  if (!entry || entry.anchors !== anchors) {
    entry = { anchors, byKey: new Map() };
    shared.set(intermediates, entry);
  }
  let index = entry.byKey.get(subjectKey);
  if (!index) {
    index = build(anchors, intermediates, subjectKey);
    entry.byKey.set(subjectKey, index);
  }
  return index;
}
