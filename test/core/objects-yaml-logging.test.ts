// Nothing of the input is logged. The yaml package prints a warning that quotes a mapping key
// written as a collection when it converts the document at its default log level
// (yaml nodes/addPairToJSMap.js: "Keys with collection values will be stringified due to JS Object
// restrictions: <the key>", through process.emitWarning in Node, console.warn elsewhere), so a
// Secret's data written that way would be in the server's logs. Shown on the package itself,
// then our readers' answer.
import { parseAllDocuments } from "yaml";
import { afterEach, expect, it, vi } from "vitest";
import { documents } from "../../src/core/cluster/objects-read.ts";
import { createApp } from "../../src/http/app.ts";

const SECRET = "hunter2-secret-token";
const objects = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: s, namespace: default}
  type: kubernetes.io/tls
  data:
    ? [${SECRET}]
    : x
`;

function logged(): string[] {
  const out: string[] = [];
  const keep = (...a: unknown[]) => void out.push(a.map(String).join(" "));
  vi.spyOn(process, "emitWarning").mockImplementation(keep as typeof process.emitWarning);
  vi.spyOn(console, "warn").mockImplementation(keep);
  vi.spyOn(console, "log").mockImplementation(keep);
  vi.spyOn(console, "error").mockImplementation(keep);
  return out;
}

afterEach(() => vi.restoreAllMocks());

it("the yaml package logs the key at its default log level", () => {
  const out = logged();
  for (const d of parseAllDocuments(objects)) d.toJS();
  expect(out.join("\n")).toContain(SECRET);
});

it("reading the objects logs nothing", () => {
  const out = logged();
  expect(documents(objects)).toHaveLength(1);
  expect(out).toEqual([]);
});

it("auditing them over the API logs nothing", async () => {
  const out = logged();
  const res = await createApp().request("/v1/audit", { method: "POST", body: objects, headers: { "content-type": "application/yaml" } });
  expect(res.status).toBeLessThan(500);
  expect(await res.text()).not.toContain(SECRET);
  expect(out.join("\n")).not.toContain(SECRET);
});
