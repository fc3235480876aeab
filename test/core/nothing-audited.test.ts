// Issue 8 §1: a report never passes when nothing was examined, and a null verdict is an open
// question with the input that settles it. Expectations come from the requirements and
// from what real tools do with the same files: `openssl x509` refuses a file with no
// certificate ("Could not find certificate" / "unable to load certificate"), and kubectl cannot
// use a kubeconfig whose certificates it cannot read either.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { audit, type AuditInput } from "../../src/core/audit.ts";
import { stripSecrets } from "../../src/core/input/redact.ts";
import { AT } from "../helpers/pki.ts";

const fixture = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), "utf8");
const run = (input: AuditInput) => audit(input, { at: AT, subtle: crypto.subtle });
const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

// minikube writes file references, not data (its ~/.kube/config after `minikube start`).
const MINIKUBE = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /home/me/.minikube/ca.crt
    server: https://192.168.49.2:8443
  name: minikube
users:
- name: minikube
  user:
    client-certificate: /home/me/.minikube/profiles/minikube/client.crt
    client-key: /home/me/.minikube/profiles/minikube/client.key
contexts:
- context:
    cluster: minikube
    user: minikube
  name: minikube
current-context: minikube
`;

describe("nothing audited is never pass", () => {
  it("a kubeconfig whose certificates are all file references fails with input.nothing-audited", async () => {
    const r = await run({ kubeconfig: MINIKUBE });
    expect(r.summary.certificates).toBe(0);
    expect(r.verdict).toBe("fail");
    expect(codes(r)).toContain("input.nothing-audited");
    expect(r.summary.complete).toBe(false);
    const ctx = r.contexts[0]!;
    expect(ctx.verdict).not.toBe("pass");
    expect(codes(r)).toContain("kubeconfig.context-not-audited");
    expect(ctx.openQuestions.map((q) => [q.question, q.settledBy])).toEqual([
      ["clientAccepted", "clientCertificate"],
      ["serverTrusted", "clusterCA"],
    ]);
  });

  it("a PEM file with no certificate in it fails", async () => {
    const r = await run({ pem: "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n" });
    expect(r.summary.certificates).toBe(0);
    expect(r.verdict).toBe("fail");
    expect(codes(r)).toContain("input.nothing-audited");
  });

  it("one context without readable certificates is not pass even when another context is", async () => {
    const good = fixture("e2e-users/kubeconfig.yaml");
    const merged = good
      .replace(
        /^clusters:\n/m,
        "clusters:\n- cluster:\n    certificate-authority: /nowhere/ca.crt\n    server: https://10.0.0.9:6443\n  name: files\n",
      )
      .replace(/^users:\n/m, "users:\n- name: files\n  user:\n    client-certificate: /nowhere/c.crt\n    client-key: /nowhere/c.key\n")
      .replace(/^contexts:\n/m, "contexts:\n- context:\n    cluster: files\n    user: files\n  name: files\n");
    const r = await run({ kubeconfig: merged });
    const files = r.contexts.find((c) => c.name === "files")!;
    expect(files.verdict).toBe("warn");
    expect(codes(r)).not.toContain("input.nothing-audited");
  });
});

describe("open questions", () => {
  it("a kubeconfig alone leaves clientAccepted and serverTrusted open, naming the inputs that settle them", async () => {
    const r = await run({ kubeconfig: fixture("e2e-users/kubeconfig.yaml") });
    const ctx = r.contexts[0]!;
    expect(ctx.clientAccepted).toBeNull();
    expect(ctx.serverTrusted).toBeNull();
    expect(ctx.openQuestions.map((q) => [q.question, q.settledBy])).toEqual([
      ["clientAccepted", "clientCA"],
      ["serverTrusted", "serverCertificate"],
    ]);
    expect(r.summary.openQuestions).toBe(2);
    expect(r.summary.complete).toBe(false);
  });

  it("with the API server's client CA and certificate nothing is open", async () => {
    const r = await run({
      kubeconfig: fixture("e2e-users/kubeconfig.yaml"),
      clientCA: fixture("e2e-users/client-ca.crt"),
      serverCertificate: fixture("e2e-users/apiserver.crt"),
    });
    expect(r.contexts[0]!.openQuestions).toEqual([]);
    expect(r.summary.complete).toBe(true);
    expect(r.verdict).toBe("pass");
  });

  it("a stripped key leaves keyMatches open, settled by the client key", async () => {
    const r = await run({
      kubeconfig: stripSecrets(fixture("e2e-users/kubeconfig.yaml")).text,
      clientCA: fixture("e2e-users/client-ca.crt"),
      serverCertificate: fixture("e2e-users/apiserver.crt"),
    });
    expect(r.contexts[0]!.client.keyMatches).toBeNull();
    expect(r.contexts[0]!.openQuestions.map((q) => [q.question, q.settledBy])).toEqual([["keyMatches", "clientKey"]]);
  });

  it("a token user with an embedded CA asks no client-certificate question", async () => {
    const k = fixture("e2e-users/kubeconfig.yaml")
      .replace(/client-certificate-data: .*\n/, "")
      .replace(/client-key-data: .*\n/, "token: abc\n");
    const r = await run({ kubeconfig: k, serverCertificate: fixture("e2e-users/apiserver.crt") });
    expect(r.contexts[0]!.openQuestions).toEqual([]);
  });
});
