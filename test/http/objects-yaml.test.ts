// Kubernetes objects whose YAML is broken are answered with a problem that names the objects, not
// the kubeconfig the text would otherwise be read as. kubectl itself refuses the first two as YAML
// (kubectl create --dry-run=client -f -: "error converting YAML to JSON: yaml: line 5: did not find
// expected node content", "... line 5: mapping values are not allowed in this context"); the third
// puts an unclosed flow sequence in a stream's second document. A 400 is right; the words are tested.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const post = (body: string) =>
  SELF.fetch("http://certaudit.test/v1/audit", { method: "POST", body, headers: { "content-type": "application/yaml" } });

async function problem(body: string) {
  const res = await post(body);
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as { code: string; detail?: string; title?: string };
}
const words = (p: { detail?: string; title?: string }) => `${p.title ?? ""} ${p.detail ?? ""}`;

describe("objects whose YAML does not parse", () => {
  it.each([
    ["a List with an unclosed flow sequence", "apiVersion: v1\nkind: List\nitems:\n- kind: Secret\n  data: ["],
    ["a Secret with a bad indentation", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n   namespace: b\n"],
    ["a stream whose second document is broken", "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Secret\ndata: {a: [}\n"],
  ])("%s: input.yaml-syntax naming the Kubernetes objects", async (_n, body) => {
    const p = await problem(body);
    expect(p.code).toBe("input.yaml-syntax");
    expect(words(p)).toContain("the Kubernetes objects are not valid YAML");
    expect(words(p)).not.toContain("kubeconfig");
  });

  it("a broken kubeconfig (kind: Config) still says the kubeconfig", async () => {
    const p = await problem("apiVersion: v1\nkind: Config\nclusters: [\n");
    expect(p.code).toBe("input.yaml-syntax");
    expect(words(p)).toContain("the kubeconfig is not valid YAML");
  });
});
