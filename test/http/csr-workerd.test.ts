// The CSR audit inside workerd: each request read by src/core/cluster/csr-der.ts, signatures
// (ECDSA P-256, RSA, Ed25519) checked with workerd's WebCrypto.
// The expectations are those test/core/cluster-csr.test.ts establishes with openssl req -verify
// and Go's CheckSignature (only csr-tampered's signature fails) and from the Kubernetes source
// cited for each request in test/helpers/csr-fixture-findings.ts.
import { expect, it } from "vitest";
import { auditObjects } from "../../src/core/cluster/index.ts";
import { CSR_FIXTURE_FINDINGS } from "../helpers/csr-fixture-findings.ts";

const FILES = import.meta.glob("../fixtures/k8s-objects/csr/objects.yaml", { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;

it("decodes and judges every request of the CSR fixture in workerd", async () => {
  const text = Object.values(FILES)[0]!;
  const { cluster } = await auditObjects(text, { at: new Date("2026-11-01T00:00:00Z"), subtle: crypto.subtle });
  const csrs = cluster.csrs!;
  expect(csrs.map((c) => [c.name, c.request?.signatureValid])).toEqual(csrs.map((c) => [c.name, c.name !== "csr-tampered"]));
  expect(Object.fromEntries(csrs.map((c) => [c.name, c.findings.map((f) => f.code)]))).toEqual(CSR_FIXTURE_FINDINGS);
});
