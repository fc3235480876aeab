// clientAccepted and the identity follow kube-apiserver's x509 authenticator:
// k8s.io/apiserver/pkg/authentication/request/x509/x509.go CommonNameUserConversion takes the user
// from chain[0].Subject.CommonName and groups from Subject.Organization, and authenticates nobody
// when CommonName is empty (`if len(chain[0].Subject.CommonName) == 0 { return nil, false, nil }`).
// What Go reads as CommonName comes from test/oracles/x509name (crypto/x509 + pkix.Name).
import { describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { AT, issue, kubeadmPki, kubeconfig } from "../helpers/pki.ts";
import { runGoOracle } from "./helpers/go-oracle.ts";

const CLIENT = ["1.3.6.1.5.5.7.3.2"];
const SUBJECTS = ["CN=jane, O=developers", "O=developers", "CN=, O=developers", "CN=jane, CN=admin", "CN=jane, CN=", "CN=, CN=jane"];

async function run(subject: string, withClientCA: boolean) {
  const pki = await kubeadmPki();
  const client = await issue({ subject, issuer: pki.ca, eku: CLIENT });
  const text = kubeconfig({
    clusters: [{ name: "c", ca: [pki.ca] }],
    users: [{ name: "u", cert: client }],
    contexts: [{ name: "ctx", cluster: "c", user: "u" }],
    current: "ctx",
  });
  const r = await audit({ kubeconfig: text, ...(withClientCA ? { clientCA: pki.ca.pem } : {}) }, { at: AT, subtle: crypto.subtle });
  return { r, ctx: r.contexts[0]!, der: Buffer.from(client.cert.rawData).toString("base64") };
}

describe("a client certificate with an empty CN is not accepted (CommonNameUserConversion)", () => {
  it("without any tool: no CN -> clientAccepted false with identity.empty-user, even though the chain verifies", async () => {
    const { r, ctx } = await run("O=developers", true);
    expect(ctx.clientAccepted).toBe(false);
    expect(ctx.client.identity?.user ?? null).toBeNull();
    expect(r.findings.map((f) => f.code)).toContain("identity.empty-user");
    // Decided whatever --client-ca-file holds: no trust anchor gives the certificate a user name.
    expect((await run("O=developers", false)).ctx.clientAccepted).toBe(false);
  });

  it("agrees with Go on which subjects have an empty Subject.CommonName, and on the user name", async (ctx) => {
    const runs = await Promise.all(SUBJECTS.map((s) => run(s, true)));
    const go = runGoOracle<{ commonName: string; organization: string[]; error?: string }[]>(
      "x509name",
      runs.map((x) => x.der),
    );
    if (!go) return ctx.skip();
    SUBJECTS.forEach((subject, i) => {
      const o = go[i]!;
      expect(o.error).toBeUndefined();
      const { ctx: c } = runs[i]!;
      expect({ subject, user: c.client.identity?.user || "", groups: c.client.identity?.groups, clientAccepted: c.clientAccepted }).toEqual(
        {
          subject,
          user: o.commonName,
          groups: o.organization,
          clientAccepted: o.commonName !== "",
        },
      );
    });
    expect(go.some((o) => o.commonName === "")).toBe(true);
  });
});
