// docs/cluster.md cannot say what certaudit does not print: every generated block in it
// (<!-- certaudit ARGS --> ... <!-- /certaudit -->) is re-run here with the committed CLI bundle
// (bin/certaudit.cjs) and must be what the page shows. `npm run docs:cluster` rewrites the page.
// This is a documentation drift check: the correctness of the same output is asserted elsewhere
// (test/node/etcd-oracle.test.ts, test/core/cluster-go.test.ts, test/node/cluster-tls-oracle.test.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DOC, renderClusterDoc } from "../../scripts/cluster-doc.ts";

describe("docs/cluster.md", () => {
  it("shows the real output of every command it quotes", () => {
    const doc = readFileSync(DOC, "utf8");
    const blocks = doc.match(/<!-- certaudit(-json)? .+? -->/g) ?? [];
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(doc, "docs/cluster.md is stale: run npm run docs:cluster").toBe(renderClusterDoc(doc));
    // The outage is on the page: the broken edge and its finding, from the run itself.
    expect(doc).toMatch(/BROKEN +2026-09-01 +etcd-client +kube-apiserver \(etcd client\) → etcd/);
    expect(doc).toContain('"code": "cluster.etcd-client-refused"');
  });

  it("is linked from the README", () => {
    expect(readFileSync(new URL("../../README.md", import.meta.url), "utf8")).toContain("(docs/cluster.md)");
  });
});
