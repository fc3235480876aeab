// Revocation against supplied CRLs (RFC 5280 5, 6.3), with CRLs generated here.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { parseCrl, verifyChain } from "../../src/core/verify/index.ts";
import { type Issued, leaf, request, root } from "./helpers/pki.ts";

const crlNumber = (critical = false) => new x509.Extension("2.5.29.20", critical, new Uint8Array([0x02, 0x01, 0x07]));

async function crl(issuer: Issued, serials: string[], extensions: x509.Extension[] = [crlNumber()]) {
  const c = await x509.X509CrlGenerator.create({
    issuer: issuer.name,
    thisUpdate: new Date("2026-05-01T00:00:00Z"),
    nextUpdate: new Date("2026-07-01T00:00:00Z"),
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
    signingKey: issuer.keys.privateKey,
    entries: serials.map((serialNumber) => ({ serialNumber, revocationDate: new Date("2026-05-01T00:00:00Z") })),
    extensions,
  });
  return parseCrl(new Uint8Array(c.rawData));
}

describe("verifyChain with CRLs", () => {
  it("rejects a revoked leaf and accepts one not listed", async () => {
    const r = await root();
    const revoked = await leaf("revoked.example.com", r);
    const fine = await leaf("fine.example.com", r);
    const list = await crl(r, [revoked.cert.serialNumber]);
    expect((await verifyChain(request(revoked, [r], [], { crls: [list] }))).reason?.code).toBe("chain.revoked");
    expect((await verifyChain(request(fine, [r], [], { crls: [list] }))).status).toBe("valid");
  });

  it("ignores a CRL from another CA with the same serial", async () => {
    const r = await root("Root 1");
    const other = await root("Root 2");
    const l = await leaf("a.example.com", r);
    expect((await verifyChain(request(l, [r, other], [], { crls: [await crl(other, [l.cert.serialNumber])] }))).status).toBe("valid");
  });

  it("a CRL under the issuer's name that another key signed does not stand in for the issuer's own", async () => {
    // RFC 5280 6.3.3 (f)-(g): a CRL counts only once its signature verifies with the issuer's key.
    // Each CRL's signature is checked for itself: the impostor's answer is not reused for the
    // real CRL after it, nor the real one's for an impostor after it.
    const r = await root("Same Name CA");
    const impostor = await root("Same Name CA");
    const l = await leaf("a.example.com", r);
    const real = await crl(r, [l.cert.serialNumber]);
    const fake = await crl(impostor, []);
    expect((await verifyChain(request(l, [r], [], { crls: [fake, real] }))).reason?.code).toBe("chain.revoked");
    const fine = await leaf("b.example.com", r);
    const fakeRevoking = await crl(impostor, [fine.cert.serialNumber]);
    expect((await verifyChain(request(fine, [r], [], { crls: [await crl(r, []), fakeRevoking] }))).status).toBe("valid");
  });

  it("refuses a CRL without crlNumber, or with it critical, or from a CA without cRLSign", async () => {
    const r = await root();
    const l = await leaf("a.example.com", r);
    expect((await verifyChain(request(l, [r], [], { crls: [await crl(r, [], [])] }))).reason?.code).toBe("chain.crl-invalid");
    expect((await verifyChain(request(l, [r], [], { crls: [await crl(r, [], [crlNumber(true)])] }))).reason?.code).toBe(
      "chain.crl-invalid",
    );
    const noCrlSign = await root("No CRL Sign", { ku: x509.KeyUsageFlags.keyCertSign });
    const l2 = await leaf("b.example.com", noCrlSign);
    expect((await verifyChain(request(l2, [noCrlSign], [], { crls: [await crl(noCrlSign, [])] }))).reason?.code).toBe("chain.crl-invalid");
  });
});
