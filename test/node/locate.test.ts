// Where a finding lands (src/cli/locate.ts): every path form the core emits, on YAML and JSON
// kubeconfigs and PEM files, against oracles outside our code (the yaml library's source
// positions, grep -n); and findings about the client-ca / server-certificate inputs on those files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { locate, place } from "../../src/cli/locate.ts";
import type { Report } from "../../src/core/report/types.ts";
import { FIX } from "../cli/helpers.ts";
import { beginLine, yamlLine } from "./helpers/file-lines.ts";

const tmp = mkdtempSync(join(tmpdir(), "certaudit-locate-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Every kubeconfig path form in src/core (input/kubeconfig.ts, audit.ts, checks/context.ts).
const MULTI = [
  "users[e2e-users-user].client-certificate-data",
  "users[rotated-ca-user].client-certificate-data[0]",
  "users[kubeadm-single-ca-user].client-key-data",
  "users[token-user].token",
  "users[token-user]",
  "clusters[rotated-ca].certificate-authority-data",
  "clusters[kubeadm-single-ca].certificate-authority-data[0]",
  "clusters[e2e-users].server",
  "clusters[rotated-ca]",
  "contexts[token]",
  "contexts[token].user",
  "contexts[kubeadm-single-ca].cluster",
  "contexts[token].namespace",
  "current-context",
  "contexts",
  "users",
];

describe("locate", () => {
  it("places every kubeconfig path form on the line the yaml library gives (kubectl's YAML layout)", () => {
    const text = readFileSync(join(FIX, "multi-context/kubeconfig.yaml"), "utf8");
    for (const path of MULTI) {
      const want = yamlLine(text, path);
      expect(want, path).not.toBeNull();
      expect(locate(text, { path }), path).toBe(want);
    }
    // A finding with only a context: the context's entry.
    expect(locate(text, { context: "token" })).toBe(yamlLine(text, "contexts[token]"));
  });

  it("in a JSON kubeconfig too", () => {
    const text = readFileSync(join(FIX, "e2e-users/kubeconfig.json"), "utf8");
    for (const path of [
      "users[e2e-user].client-certificate-data",
      "users[e2e-user].client-key-data",
      "clusters[e2e-users].certificate-authority-data",
      "clusters[e2e-users].server",
      "contexts[e2e-user@e2e-users].user",
      "contexts[e2e-user@e2e-users]",
      "current-context",
      "users",
    ])
      expect(locate(text, { path }), path).toBe(yamlLine(text, path));
  });

  it("with the name after the fields, nested lists in between, quoted names and a name shared across sections", () => {
    const text = [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "- cluster:",
      "    server: https://10.0.0.1:6443",
      "    tls-server-name: api.internal",
      "  name: prod",
      "contexts:",
      "- context:",
      "    cluster: prod",
      "    user: prod",
      "  name: prod",
      "current-context: prod",
      "users:",
      "- user:",
      "    exec:",
      "      apiVersion: client.authentication.k8s.io/v1",
      "      command: aws",
      "      args:",
      "      - eks",
      "      - get-token",
      "    as-groups:",
      "    - ops",
      "    username: admin",
      "  name: prod",
      '- name: "jane@example"',
      "  user:",
      "    token: abc",
      "",
    ].join("\n");
    for (const path of [
      "users[prod].exec",
      "users[prod].as-groups",
      "users[prod].username",
      "users[prod]",
      "clusters[prod].tls-server-name",
      "clusters[prod]",
      "contexts[prod].user",
      "contexts[prod]",
      "users[jane@example].token",
      "current-context",
    ])
      expect(locate(text, { path }), path).toBe(yamlLine(text, path));
  });

  it("places pem[i], clientCA[i] and serverCertificate[i] on the i-th BEGIN line (grep -n), stray text outside the blocks", () => {
    const file = join(FIX, "pem-bundle/bundle.pem");
    const text = readFileSync(file, "utf8");
    for (let i = 0; i < 4; i++) {
      expect(locate(text, { path: `pem[${i}]` })).toBe(beginLine(file, i));
      expect(locate(text, { path: `clientCA[${i}]` })).toBe(beginLine(file, i));
      expect(locate(text, { path: `serverCertificate[${i}]` })).toBe(beginLine(file, i));
    }
    const strayAt = locate(text, { path: "pem" });
    const lines = text.split("\n");
    expect(lines[strayAt - 1]!.trim()).not.toBe("");
    expect(lines.slice(0, strayAt - 1).filter((l) => l.includes("-----BEGIN ")).length).toBe(
      lines.slice(0, strayAt - 1).filter((l) => l.includes("-----END ")).length,
    );
    expect(locate(null, { path: "pem[0]" })).toBe(1); // DER: no lines
  });
});

describe("place", () => {
  const caFile = join(tmp, "ca.pem");
  const caText = readFileSync(join(FIX, "rotated-ca/ca.crt"), "utf8") + readFileSync(join(FIX, "rotated-ca/new-ca.crt"), "utf8");
  writeFileSync(caFile, caText);
  const report = { certificates: [{ id: "sha256:second", sources: [{ path: "clientCA[1]" }] }] } as unknown as Report;
  const kube = {
    file: "clusters/a.yaml",
    text: readFileSync(join(FIX, "multi-context/kubeconfig.yaml"), "utf8"),
    report,
    inputFiles: { clientCA: { file: "pki/ca.pem", text: caText } },
  };

  it("puts a finding about the client-ca input on its file, at the block of the certificate it names", () => {
    expect(place(kube, { path: "clientCA", certificate: "sha256:second" })).toEqual({
      file: "pki/ca.pem",
      line: beginLine(caFile, 1),
      input: "clientCA",
    });
    expect(place(kube, { path: "clientCA[0]" })).toEqual({ file: "pki/ca.pem", line: beginLine(caFile, 0), input: "clientCA" });
    // No path: the certificate's first source.
    expect(place(kube, { certificate: "sha256:second" })).toEqual({ file: "pki/ca.pem", line: beginLine(caFile, 1), input: "clientCA" });
  });

  it("keeps kubeconfig findings on the kubeconfig, and input findings there when no input file is known", () => {
    expect(place(kube, { path: "users[token-user].token" })).toEqual({
      file: "clusters/a.yaml",
      line: yamlLine(kube.text, "users[token-user].token"),
    });
    expect(place({ ...kube, inputFiles: {} }, { path: "serverCertificate[0]" })).toEqual({ file: "clusters/a.yaml", line: 1 });
  });
});
