// cert.outlives-issuer compares a certificate only with the issuer whose key verified its
// signature. A server presenting a certificate from a different CA of the same name (a rotated
// `CN=kubernetes`) is not "issued" by the kubeconfig's CA: RFC 5280 6.1.3 (a)(1) makes the
// issuer the one whose public key verifies the signature, and Go's x509 (verify.go,
// buildChains -> CheckSignatureFrom) rejects the candidate, so there is no issuer to outlive.
import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { AT, issue, kubeconfig } from "../helpers/pki.ts";

const SERVER = ["1.3.6.1.5.5.7.3.1"];

describe("cert.outlives-issuer only along verified issuance", () => {
  it("no warning between a server certificate and an unrelated CA of the same name; the warning when that CA did sign it", async () => {
    const oldCa = await issue({ subject: "CN=kubernetes", ca: true, notAfter: new Date("2026-09-01T00:00:00Z") });
    const newCa = await issue({ subject: "CN=kubernetes", ca: true, notAfter: new Date("2036-01-01T00:00:00Z") });
    const byNew = await issue({
      subject: "CN=kube-apiserver",
      issuer: newCa,
      eku: SERVER,
      sans: [{ type: "ip", value: "127.0.0.1" }],
      notAfter: new Date("2027-06-01T00:00:00Z"),
    });
    const byOld = await issue({
      subject: "CN=kube-apiserver",
      issuer: oldCa,
      eku: SERVER,
      sans: [{ type: "ip", value: "127.0.0.1" }],
      notAfter: new Date("2027-06-01T00:00:00Z"),
    });
    const kc = kubeconfig({
      clusters: [{ name: "c", server: "https://127.0.0.1:6443", ca: [oldCa] }],
      users: [{ name: "u" }],
      contexts: [{ name: "ctx", cluster: "c", user: "u" }],
      current: "ctx",
    });
    const run = (server: string) => audit({ kubeconfig: kc, serverCertificate: server }, { at: AT, subtle: crypto.subtle });

    const unrelated = await run(byNew.pem);
    expect(unrelated.contexts[0]!.serverTrusted).toBe(false);
    expect(unrelated.findings.map((f) => f.code)).not.toContain("cert.outlives-issuer");

    // Control: the same dates along a real issuance do warn (the leaf outlives oldCa).
    const real = await run(byOld.pem);
    expect(real.findings.map((f) => f.code)).toContain("cert.outlives-issuer");
  });
});
