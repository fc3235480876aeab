// Kubernetes objects with YAML aliases. kubectl never writes anchors or aliases (its YAML printer,
// sigs.k8s.io/yaml, marshals the JSON of the object), so an aliased "List" is not kubectl's output.
// The yaml package bounds aliases by maxAliasCount × the anchor's alias count, and an empty anchored
// collection counts 0 (getAliasCount), so its bound never trips while each alias is resolved by a walk
// of the document: quadratic. Shown below on the package itself, then our reader's answer.
import { parseDocument } from "yaml";
import { expect, it } from "vitest";
import { documents, looksLikeObjects } from "../../src/core/cluster/objects-read.ts";
import { createApp } from "../../src/http/app.ts";

const aliased = (n: number) => `apiVersion: v1\nkind: List\nitems:\n- &a []\n${"- *a\n".repeat(n)}`;

it("the yaml package's maxAliasCount does not stop aliases of an empty anchored sequence", () => {
  const js = parseDocument(aliased(500)).toJS({ maxAliasCount: 100 }) as { items: unknown[] };
  expect(js.items).toHaveLength(501);
});

it("an aliased List is not read as Kubernetes objects", () => {
  expect(documents(aliased(3))).toEqual([]);
  expect(looksLikeObjects(aliased(3))).toBe(false);
  // The same objects without the alias are (a ConfigMap is one of the kinds read).
  expect(looksLikeObjects("apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n")).toBe(true);
});

it("the API answers 100,000 aliases under the body limit with a 400 problem, in a bounded time", async () => {
  const body = aliased(100_000);
  expect(body.length).toBeLessThan(1024 * 1024);
  const t = Date.now();
  const res = await createApp().request("/v1/audit", { method: "POST", body, headers: { "content-type": "application/yaml" } });
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(((await res.json()) as { code: string }).code).toBe("input.yaml-unsafe");
  expect(Date.now() - t).toBeLessThan(10_000); // 77 s in workerd before (wrangler dev)
});
