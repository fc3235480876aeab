// `kubectl get ... -o yaml | certaudit -` with a body whose YAML is broken: the CLI says the
// Kubernetes objects are not valid YAML (exit 2), as the API does (test/http/objects-yaml.test.ts),
// not that a kubeconfig is. kubectl itself refuses the body as YAML; a broken kubeconfig keeps
// its words. Subprocess through the bundle.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, runNode } from "../cli/helpers.ts";
import { needTool } from "./helpers/tools.ts";

const BROKEN = "apiVersion: v1\nkind: List\nitems:\n- kind: Secret\n  data: [";

describe("certaudit - with Kubernetes objects that are not valid YAML", () => {
  it("objects: input.yaml-syntax naming the objects, exit 2", async (ctx) => {
    needTool(ctx, "kubectl");
    const k = spawnSync("kubectl", ["create", "--dry-run=client", "-o", "name", "-f", "-"], { input: BROKEN, encoding: "utf8" });
    expect(k.status).not.toBe(0);
    expect(k.stderr).toContain("error converting YAML to JSON");
    const r = await runNode(BIN, ["-"], { input: BROKEN });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("[input.yaml-syntax]");
    expect(r.stderr).toContain("the Kubernetes objects are not valid YAML");
    expect(r.stderr).not.toContain("kubeconfig");
  });

  it("a kubeconfig (kind: Config) keeps 'the kubeconfig is not valid YAML'", async () => {
    const r = await runNode(BIN, ["-"], { input: "apiVersion: v1\nkind: Config\nclusters: [\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the kubeconfig is not valid YAML");
  });
});
