// The CA-identity relation between the client certificate's issuer and the cluster CA: one
// scenario per relation, built at fixed dates.
import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { AT, issue, kubeadmPki, kubeconfig, type Issued } from "../helpers/pki.ts";

const CLIENT = ["1.3.6.1.5.5.7.3.2"];
const Y2026 = new Date("2026-01-01T00:00:00Z");
const Y2027 = new Date("2027-01-01T00:00:00Z");

async function relation(clusterCA: Issued[], client: Issued | null, chain: Issued[] = [], clientCA?: string) {
  const text = kubeconfig({
    clusters: [{ name: "c", ca: clusterCA }],
    users: [client ? { name: "u", cert: client, chain } : { name: "u", extra: { token: "abc" } }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    current: "x",
  });
  const r = await audit({ kubeconfig: text, ...(clientCA ? { clientCA } : {}) }, { at: AT, subtle: crypto.subtle });
  return r.contexts[0]!;
}

describe("caIdentity.relation", () => {
  it("same-certificate: kubeadm's one CA signed the client", async () => {
    const { ca, client } = await kubeadmPki();
    const ctx = await relation([ca], client);
    expect(ctx.caIdentity.relation).toBe("same-certificate");
    expect(ctx.caIdentity.clientIssuer).toBe(ctx.clusterCA[0]);
  });

  it("same-key: the client's issuer is a re-issued copy of the cluster CA (same key, new certificate)", async () => {
    const { ca, client } = await kubeadmPki();
    const reissued = await issue({
      subject: "CN=kubernetes",
      ca: true,
      keys: ca.keys,
      notBefore: new Date("2026-02-01T00:00:00Z"),
      notAfter: new Date("2036-02-01T00:00:00Z"),
    });
    const ctx = await relation([ca], client, [], reissued.pem);
    expect(ctx.caIdentity.relation).toBe("same-key");
    expect(ctx.caIdentity.clientIssuer).not.toBe(ctx.caIdentity.clusterCA);
    expect(ctx.clientAccepted).toBe(true);
  });

  it("same-name-different-key: the CA was rotated", async () => {
    const old = await issue({ subject: "CN=kubernetes", ca: true });
    const rotated = await issue({ subject: "CN=kubernetes", ca: true });
    const client = await issue({ subject: "CN=jane", issuer: rotated, eku: CLIENT, notBefore: Y2026, notAfter: Y2027 });
    const ctx = await relation([old], client);
    expect(ctx.caIdentity.relation).toBe("same-name-different-key");
    expect(ctx.verdict).toBe("fail");
  });

  it("cross-signed: the client's CA is vouched for by the cluster CA through a cross-certificate", async () => {
    const { ca } = await kubeadmPki();
    const clientRoot = await issue({ subject: "CN=client-ca", ca: true });
    const cross = await issue({ subject: "CN=client-ca", ca: true, keys: clientRoot.keys, issuer: ca });
    const client = await issue({ subject: "CN=jane", issuer: clientRoot, eku: CLIENT, notBefore: Y2026, notAfter: Y2027 });
    const ctx = await relation([ca], client, [cross], clientRoot.pem);
    expect(ctx.caIdentity.relation).toBe("cross-signed");
  });

  it("different: another CA entirely; --client-ca-file decides", async () => {
    const { ca } = await kubeadmPki();
    const other = await issue({ subject: "CN=front-proxy-ca", ca: true });
    const client = await issue({ subject: "CN=jane", issuer: other, eku: CLIENT, notBefore: Y2026, notAfter: Y2027 });
    const without = await relation([ca], client);
    expect(without.caIdentity.relation).toBe("different");
    expect(without.clientAccepted).toBeNull();
    const withCA = await relation([ca], client, [], other.pem);
    expect(withCA.clientAccepted).toBe(true);
  });

  it("unknown: no client certificate", async () => {
    const { ca } = await kubeadmPki();
    const ctx = await relation([ca], null);
    expect(ctx.caIdentity.relation).toBe("unknown");
    expect(ctx.clientAccepted).toBeNull();
  });

  it("gives up, bounded, on a crafted pile of look-alike CAs", async () => {
    const { client } = await kubeadmPki();
    const namesakes: Issued[] = [];
    for (let i = 0; i < 130; i++) namesakes.push(await issue({ subject: "CN=kubernetes", ca: true }));
    const ctx = await relation([namesakes[0]!], client, [], namesakes.map((n) => n.pem).join(""));
    expect(ctx.caIdentity.relation).toBe("unknown");
    expect(ctx.caIdentity.explanation).toMatch(/gave up after 100 signature checks/);
  });
});
