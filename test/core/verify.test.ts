// Path validation with certificates generated here at fixed dates (see helpers/pki.ts).
import "reflect-metadata";
import { describe, expect, it } from "vitest";
import * as x509 from "@peculiar/x509";
import { CHAIN } from "../../src/core/findings/chain.ts";
import { verifyChain } from "../../src/core/verify/index.ts";
import { readFileSync } from "node:fs";
import { scanPem } from "../../src/core/encoding/pem.ts";
import { parseCertificate } from "../../src/core/x509/cert.ts";
import { SignatureVerifier } from "../../src/core/x509/signature.ts";
import { newBudget } from "../../src/core/verify/index.ts";
import { digest, EKU, intermediate, issue, leaf, newKeys, NOW, request, root, withSignatureOid, type Issued } from "./helpers/pki.ts";
import { toPem } from "../../src/core/encoding/pem.ts";
import { verifyCertificate } from "../../src/core/verify-chain.ts";

const codes = new Set(Object.keys(CHAIN));

describe("verifyChain: paths", () => {
  it("accepts root -> intermediate -> leaf and returns the path leaf first", async () => {
    const r = await root();
    const i = await intermediate("Issuing CA", r);
    const l = await leaf("api.example.com", i);
    const res = await verifyChain(request(l, [r], [i], { serverName: "api.example.com" }));
    expect(res.status).toBe("valid");
    expect(res.valid).toBe(true);
    expect(res.path.map((c) => c.subject)).toEqual(["CN=api.example.com", "CN=Issuing CA", "CN=Test Root"]);
    expect(res.anchor?.id).toBe(r.cert.id);
    expect(res.reason).toBeNull();
  });

  it("finds the path among junk and out-of-order intermediates, and across two levels", async () => {
    const r = await root();
    const i1 = await intermediate("Level 1", r);
    const i2 = await intermediate("Level 2", i1);
    const l = await leaf("a.example.com", i2);
    const junk = await intermediate("Unrelated", await root("Other Root"));
    const res = await verifyChain(request(l, [r], [junk, i2, junk, i1]));
    expect(res.status).toBe("valid");
    expect(res.path).toHaveLength(4);
  });

  it("reports an unknown authority as chain.untrusted with the missing issuer named", async () => {
    const r = await root();
    const i = await intermediate("Issuing CA", r);
    const l = await leaf("a.example.com", i);
    const res = await verifyChain(request(l, [r]));
    expect(res.status).toBe("invalid");
    expect(res.reason?.code).toBe("chain.untrusted");
    expect(res.reason?.message).toContain("Issuing CA");
  });

  it("prefers a signature failure on a same-named candidate over unknown authority, and lists the candidate", async () => {
    const real = await root("Cluster CA");
    const impostor = await root("Cluster CA"); // same name, new key: a regenerated CA
    const l = await leaf("a.example.com", real);
    const res = await verifyChain(request(l, [impostor]));
    expect(res.reason?.code).toBe("chain.signature-invalid");
    expect(res.rejected.map((x) => x.candidate)).toContain(impostor.cert.id);
    expect(res.rejected.every((x) => codes.has(x.code))).toBe(true);
  });

  it("backtracks past an expired cross-signed intermediate to a valid one", async () => {
    const r = await root();
    const keys = (await intermediate("ICA", r)).keys;
    const expired = await intermediate("ICA", r, { keys, notAfter: new Date("2026-02-01T00:00:00Z") });
    const good = await intermediate("ICA", r, { keys });
    const l = await leaf("a.example.com", good);
    const res = await verifyChain(request(l, [r], [expired, good]));
    expect(res.status).toBe("valid");
    expect(res.rejected.some((x) => x.code === "chain.cert-expired")).toBe(true);
  });

  it("terminates on an intermediate cycle", async () => {
    const a = await root("Cycle A");
    const b = await intermediate("Cycle B", a);
    const aByB = await intermediate("Cycle A", b, { keys: a.keys });
    const l = await leaf("a.example.com", b);
    const res = await verifyChain(request(l, [await root("Elsewhere")], [b, aByB]));
    expect(res.status).toBe("invalid");
    expect(res.reason?.code).toBe("chain.untrusted");
  });

  it("accepts a leaf that is itself a trust anchor (Go: Roots.contains)", async () => {
    const self = await issue({ cn: "kube-apiserver", dns: ["kube-apiserver"], eku: [EKU.serverAuth] });
    const res = await verifyChain(request(self, [self], [], { serverName: "kube-apiserver" }));
    expect(res.status).toBe("valid");
    expect(res.path).toHaveLength(1);
  });

  it("stops with status budget-exhausted, never a throw, when the signature budget runs out", async () => {
    const many = await Promise.all(Array.from({ length: 8 }, () => root("Same Name")));
    const l = await leaf("a.example.com", await root("Same Name"));
    const res = await verifyChain(request(l, many, [], { budget: { signatures: 3, steps: 1000, nameConstraintChecks: 1000 } }));
    expect(res.status).toBe("budget-exhausted");
    expect(res.reason?.code).toBe("chain.budget-exhausted");
  });

  // Go crypto/x509 verify.go considerCandidate: `*sigChecks++; if *sigChecks > maxChainSignatureChecks`
  // (100): the 100th signature check is still made, the 101st is refused. N certificates of one
  // subject, all with the leaf issuer's key (every signature verifies) and each refused for its EKU.
  async function sameSubject(n: number) {
    const keys = await newKeys();
    const copies = await Promise.all(Array.from({ length: n }, () => issue({ cn: "Same", keys, ca: true, eku: [EKU.codeSigning] })));
    const l = await leaf("a.example.com", copies[0]!);
    const r = await root();
    const pem = (xs: Issued[]) => xs.map((x) => toPem("CERTIFICATE", x.cert.der)).join("");
    const api = await verifyCertificate(
      { certificate: pem([l]), intermediates: pem(copies), trustAnchors: pem([r]), purpose: "server" },
      { at: NOW, subtle: crypto.subtle },
    );
    return { res: await verifyChain(request(l, [r], copies, { profile: "go" })), api };
  }
  it("100 candidates of one subject fit the signature budget: the search is complete and reports their reason", async () => {
    const { res, api } = await sameSubject(100);
    expect(api.findings.map((f) => f.code).filter((c) => c.startsWith("chain."))).toEqual(["chain.eku-mismatch"]);
    expect(res.status).toBe("invalid");
    expect(res.reason?.code).toBe("chain.eku-mismatch");
    expect(res.rejected).toHaveLength(100);
    expect(res.beforeBudget).toBeUndefined();
  });
  it("101 candidates of one subject: the search is cut short, says so, and keeps the best reason found", async () => {
    const { res, api } = await sameSubject(101);
    expect([api.status, api.reason]).toEqual(["budget-exhausted", "chain.budget-exhausted"]);
    expect(api.findings.map((f) => f.code).filter((c) => c.startsWith("chain."))).toEqual(["chain.budget-exhausted", "chain.eku-mismatch"]);
    expect(res.status).toBe("budget-exhausted");
    expect(res.reason?.code).toBe("chain.budget-exhausted");
    expect(res.reason?.message).toMatch(/stopped before every candidate issuer was tried.*chain\.eku-mismatch/);
    expect(res.beforeBudget?.code).toBe("chain.eku-mismatch");
  });

  it("enforces maxDepth (intermediates, as openssl -verify_depth; test/node/verify-depth-openssl.test.ts compares)", async () => {
    const r = await root();
    const i1 = await intermediate("Level 1", r);
    const i2 = await intermediate("Level 2", i1);
    const l = await leaf("a.example.com", i2);
    expect((await verifyChain(request(l, [r], [i1, i2], { maxDepth: 2 }))).status).toBe("valid");
    const res = await verifyChain(request(l, [r], [i1, i2], { maxDepth: 1 }));
    expect(res.reason?.code).toBe("chain.depth-exceeded");
  });
});

describe("verifyChain: validity", () => {
  it("treats notBefore and notAfter as inclusive, at one-second granularity", async () => {
    const r = await root();
    const notAfter = new Date("2026-06-01T00:00:00Z");
    const l = await leaf("a.example.com", r, { notAfter });
    expect((await verifyChain(request(l, [r], [], { at: notAfter }))).status).toBe("valid");
    expect((await verifyChain(request(l, [r], [], { at: new Date(notAfter.getTime() + 999) }))).status).toBe("valid");
    const late = await verifyChain(request(l, [r], [], { at: new Date(notAfter.getTime() + 1000) }));
    expect(late.reason?.code).toBe("chain.cert-expired");
    // Go compares instants.
    expect((await verifyChain(request(l, [r], [], { at: new Date(notAfter.getTime() + 5), profile: "go" }))).reason?.code).toBe(
      "chain.cert-expired",
    );
  });

  it("reports a not-yet-valid leaf and an expired root", async () => {
    const r = await root("Old Root", { notAfter: new Date("2026-03-01T00:00:00Z") });
    const l = await leaf("a.example.com", r, { notBefore: new Date("2026-05-01T00:00:00Z") });
    expect((await verifyChain(request(l, [r], [], { at: new Date("2026-02-01T00:00:00Z") }))).reason?.code).toBe(
      "chain.cert-not-yet-valid",
    );
    expect((await verifyChain(request(l, [r]))).reason?.code).toBe("chain.cert-expired");
  });
});

describe("verifyChain: CA rules", () => {
  it("rejects an intermediate that is not a CA, in every profile", async () => {
    const r = await root();
    const notCa = await intermediate("Not A CA", r, { ca: false, ku: x509.KeyUsageFlags.keyCertSign });
    const l = await leaf("a.example.com", notCa);
    for (const profile of ["rfc5280", "webpki", "go"] as const) {
      const res = await verifyChain(request(l, [r], [notCa], { profile }));
      expect(res.reason?.code, profile).toBe("chain.issuer-not-ca");
    }
  });

  it("requires keyCertSign when keyUsage is present (Go too, in CheckSignatureFrom)", async () => {
    const r = await root();
    const i = await intermediate("No CertSign", r, { ku: x509.KeyUsageFlags.digitalSignature });
    const l = await leaf("a.example.com", i);
    expect((await verifyChain(request(l, [r], [i]))).reason?.code).toBe("chain.missing-keycertsign");
    expect((await verifyChain(request(l, [r], [i], { profile: "go" }))).reason?.code).toBe("chain.missing-keycertsign");
  });

  it("enforces pathLenConstraint, not counting self-issued intermediates (RFC 5280) but counting them in Go", async () => {
    const r = await root("Root", { pathLen: 0 });
    const i = await intermediate("ICA", r);
    const l = await leaf("a.example.com", i);
    expect((await verifyChain(request(l, [r], [i]))).reason?.code).toBe("chain.pathlen-exceeded");

    const r1 = await root("Root 1", { pathLen: 1 });
    const ica = await intermediate("ICA", r1);
    const rollover = await intermediate("ICA", ica); // self-issued: new key, same name
    const l2 = await leaf("a.example.com", rollover);
    expect((await verifyChain(request(l2, [r1], [ica, rollover]))).status).toBe("valid");
    expect((await verifyChain(request(l2, [r1], [ica, rollover], { profile: "go" }))).reason?.code).toBe("chain.pathlen-exceeded");
  });

  it("rejects a non-critical basicConstraints on a CA under RFC 5280 but not in Go", async () => {
    const r = await root("Lax Root", { bcCritical: false });
    const l = await leaf("a.example.com", r);
    expect((await verifyChain(request(l, [r]))).reason?.code).toBe("chain.extension-nonconformant");
    expect((await verifyChain(request(l, [r], [], { profile: "go" }))).status).toBe("valid");
  });

  it("rejects an unhandled critical extension anywhere on the path", async () => {
    const r = await root();
    const odd = new x509.Extension("1.3.6.1.4.1.55555.1", true, new Uint8Array([0x05, 0x00]));
    const l = await leaf("a.example.com", r, { extra: [odd] });
    const res = await verifyChain(request(l, [r]));
    expect(res.reason?.code).toBe("chain.unhandled-critical-extension");
  });

  it("refuses SHA-1 signatures in every profile (Go since 1.18)", async () => {
    const r = await root();
    const l = await leaf("a.example.com", r, { hash: "SHA-1" });
    expect(l.cert.signatureAlgorithm.hash).toBe("SHA-1");
    for (const profile of ["rfc5280", "go"] as const) {
      const res = await verifyChain(request(l, [r], [], { profile }));
      expect(res.reason?.code).toBe("chain.insecure-signature-algorithm");
    }
  });

  it("makes a signature WebCrypto cannot check unverifiable, never valid", async () => {
    const r = await root();
    const l = await leaf("a.example.com", r);
    // ecdsa-with-SHA256 -> ecdsa-with-SHA224 (1.2.840.10045.4.3.1), in both places.
    const sha224 = await withSignatureOid(
      l.cert,
      [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02],
      [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01],
    );
    const res = await verifyChain({ ...request(l, [r]), leaf: sha224 });
    expect(res.status).toBe("unverifiable");
    expect(res.valid).toBe(false);
    expect(res.reason?.code).toBe("chain.unsupported-algorithm");
  });
});

describe("verifyChain: names", () => {
  it("matches DNS SANs case-insensitively, with leftmost-label wildcards, and never the CN", async () => {
    const r = await root();
    const l = await leaf("cn-only.example.com", r, { dns: ["*.apps.example.com", "API.example.com"] });
    const ok = async (serverName: string) => (await verifyChain(request(l, [r], [], { serverName }))).status;
    expect(await ok("api.example.com")).toBe("valid");
    expect(await ok("x.apps.example.com")).toBe("valid");
    expect(await ok("apps.example.com")).toBe("invalid");
    expect(await ok("a.b.apps.example.com")).toBe("invalid");
    const cn = await verifyChain(request(l, [r], [], { serverName: "cn-only.example.com" }));
    expect(cn.reason?.code).toBe("chain.hostname-mismatch");
  });

  it("matches IPv4 and IPv6 literals against iPAddress SANs only", async () => {
    const r = await root();
    const l = await leaf("node", r, { dns: ["10.0.0.1"], ips: ["10.96.0.1", "2001:db8::1"] });
    const st = async (serverName: string) => (await verifyChain(request(l, [r], [], { serverName, profile: "go" }))).status;
    expect(await st("10.96.0.1")).toBe("valid");
    expect(await st("2001:DB8:0:0:0:0:0:1")).toBe("valid");
    expect(await st("[2001:db8::1]")).toBe("valid");
    expect(await st("10.0.0.1")).toBe("invalid");
  });

  it("applies permitted and excluded DNS constraints from an intermediate", async () => {
    const r = await root();
    const i = await intermediate("Constrained", r, {
      nc: { permitted: [{ dns: "example.com" }], excluded: [{ dns: "secret.example.com" }] },
    });
    const good = await leaf("a.example.com", i);
    expect((await verifyChain(request(good, [r], [i]))).status).toBe("valid");
    const outside = await leaf("a.example.org", i);
    expect((await verifyChain(request(outside, [r], [i]))).reason?.code).toBe("chain.name-constraint-violation");
    const excluded = await leaf("x.secret.example.com", i);
    expect((await verifyChain(request(excluded, [r], [i]))).reason?.code).toBe("chain.name-constraint-violation");
  });

  it("rejects a wildcard SAN that could name an excluded host (CVE-2025-61727)", async () => {
    const r = await root();
    const i = await intermediate("Constrained", r, { nc: { excluded: [{ dns: "bar.example.com" }] } });
    const l = await leaf("wild", i, { dns: ["*.example.com"] });
    expect((await verifyChain(request(l, [r], [i], { serverName: "foo.example.com" }))).reason?.code).toBe(
      "chain.name-constraint-violation",
    );
  });

  it("applies IPv4 and IPv6 constraints from the anchor", async () => {
    const r = await root("Root", {
      nc: {
        permitted: [{ ip: [10, 0, 0, 0, 255, 0, 0, 0] }],
        excluded: [{ ip: [0x20, 0x01, 0x0d, 0xb8, ...Array(12).fill(0), ...Array(4).fill(255), ...Array(12).fill(0)] }],
      },
    });
    const in4 = await leaf("n1", r, { dns: [], ips: ["10.1.2.3"] });
    expect((await verifyChain(request(in4, [r]))).status).toBe("valid");
    const out4 = await leaf("n2", r, { dns: [], ips: ["192.168.0.1"] });
    expect((await verifyChain(request(out4, [r]))).reason?.code).toBe("chain.name-constraint-violation");
    const ex6 = await leaf("n3", r, { dns: [], ips: ["2001:db8::5"] });
    expect((await verifyChain(request(ex6, [r]))).reason?.code).toBe("chain.name-constraint-violation");
  });

  it("rejects malformed constraints (RFC 5280) that Go accepts", async () => {
    const r = await root("Root", { nc: { permitted: [{ dns: ".example.com" }] } });
    const l = await leaf("a.example.com", r);
    expect((await verifyChain(request(l, [r]))).reason?.code).toBe("chain.name-constraints-invalid");
    expect((await verifyChain(request(l, [r], [], { profile: "go" }))).status).toBe("valid");
  });

  it("spends the name-constraint budget and reports exhaustion", async () => {
    const permitted = Array.from({ length: 50 }, (_, k) => ({ dns: `d${k}.example.com` }));
    const i = await (async () => {
      const r = await root();
      return { r, i: await intermediate("Many", r, { nc: { permitted } }) };
    })();
    const l = await leaf("zzz.example.org", i.i, { dns: Array.from({ length: 20 }, (_, k) => `h${k}.example.org`) });
    const res = await verifyChain(request(l, [i.r], [i.i], { budget: { signatures: 100, steps: 1000, nameConstraintChecks: 30 } }));
    expect(res.status).toBe("budget-exhausted");
  });
});

describe("verifyChain: extended key usage", () => {
  it("requires the purpose in the leaf's EKU; a leaf without EKU is good for any purpose (not in webpki)", async () => {
    const r = await root();
    const client = await leaf("user", r, { eku: [EKU.clientAuth], dns: [] });
    expect((await verifyChain(request(client, [r], [], { purpose: "client" }))).status).toBe("valid");
    expect((await verifyChain(request(client, [r], [], { purpose: "server" }))).reason?.code).toBe("chain.eku-mismatch");
    const none = await issue({ cn: "plain", issuer: r, dns: ["plain"] });
    expect((await verifyChain(request(none, [r], [], { purpose: "client" }))).status).toBe("valid");
    expect((await verifyChain(request(none, [r], [], { profile: "webpki" }))).reason?.code).toBe("chain.eku-mismatch");
  });

  it("lets an EKU on an intermediate constrain the leaf, as Go does", async () => {
    const r = await root();
    const i = await intermediate("Client CA", r, { eku: [EKU.clientAuth] });
    const l = await leaf("a.example.com", i, { eku: [EKU.serverAuth] });
    for (const profile of ["rfc5280", "go"] as const)
      expect((await verifyChain(request(l, [r], [i], { profile }))).reason?.code).toBe("chain.eku-mismatch");
    const anyCa = await intermediate("Any CA", r, { eku: [EKU.any] });
    const l2 = await leaf("b.example.com", anyCa);
    expect((await verifyChain(request(l2, [r], [anyCa]))).status).toBe("valid");
  });
});

describe("verifyChain: version 1 certificates (openssl x509 -req, helpers/v1/make.sh)", () => {
  const load = async (f: string) =>
    parseCertificate(scanPem(readFileSync(new URL(`./helpers/v1/${f}`, import.meta.url), "utf8")).blocks[0]!.der!, digest);

  it("accepts a v1 root as trust anchor and a v1 client leaf (no AKI possible), except under the Web PKI profile", async () => {
    const [r, l] = await Promise.all([load("root.pem"), load("leaf.pem")]);
    expect(r.version).toBe(1);
    const at = new Date(l.notBefore.getTime() + 86_400_000);
    const base = {
      leaf: l,
      anchors: [r],
      intermediates: [],
      at,
      purpose: "client" as const,
      verifier: new SignatureVerifier(crypto.subtle),
    };
    expect((await verifyChain({ ...base, profile: "rfc5280", budget: newBudget() })).status).toBe("valid");
    expect((await verifyChain({ ...base, profile: "go", budget: newBudget() })).status).toBe("valid");
    expect((await verifyChain({ ...base, profile: "webpki", budget: newBudget() })).reason?.code).toBe("chain.malformed-certificate");
  });
});

describe("verifyChain: robustness", () => {
  it("never throws on mutated certificates that still parse", async () => {
    const r = await root("Fuzz Root", { nc: { permitted: [{ dns: "example.com" }, { ip: [10, 0, 0, 0, 255, 0, 0, 0] }] } });
    const i = await intermediate("Fuzz ICA", r, { eku: [EKU.serverAuth] });
    const l = await leaf("a.example.com", i, { ips: ["10.1.1.1"] });
    let seed = 12345;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    let parsed = 0;
    for (let k = 0; k < 300; k++) {
      const victim = [l, i, r][k % 3]!;
      const der = new Uint8Array(victim.cert.der);
      for (let m = 0; m < 1 + rand(3); m++) {
        const at = rand(der.length);
        der[at] = der[at]! ^ (1 << rand(8));
      }
      let mutated;
      try {
        mutated = await parseCertificate(der, digest);
      } catch {
        continue;
      }
      parsed++;
      const certs = [l.cert, i.cert, r.cert].map((c) => (c.id === victim.cert.id ? mutated : c));
      for (const profile of ["rfc5280", "webpki", "go"] as const) {
        const res = await verifyChain({
          leaf: certs[0]!,
          intermediates: [certs[1]!],
          anchors: [certs[2]!],
          at: NOW,
          purpose: "server",
          serverName: "a.example.com",
          profile,
          budget: newBudget(),
          verifier: new SignatureVerifier(crypto.subtle),
        });
        expect(["valid", "invalid", "unverifiable", "budget-exhausted"]).toContain(res.status);
        if (!res.valid) expect(codes.has(res.reason!.code)).toBe(true);
      }
    }
    expect(parsed).toBeGreaterThan(20);
  });
});

describe("chain.* catalogue", () => {
  it("gives every code a severity, title, advice and citation", () => {
    for (const [code, def] of Object.entries(CHAIN)) {
      expect(code).toMatch(/^chain\.[a-z0-9-]+$/);
      expect(def.title.length).toBeGreaterThan(10);
      expect(def.advice.length).toBeGreaterThan(20);
      expect(def.cite).toBeTruthy();
    }
  });

  it("keeps NOW fixed", () => {
    expect(NOW.toISOString()).toBe("2026-06-01T00:00:00.000Z");
  });
});
