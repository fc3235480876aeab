// The shared candidate index (src/core/verify/candidates.ts): a bundle audit passes frozen arrays
// so every leaf's search reuses one index. Its results must be those of a search that builds its
// own index over the same certificates with the leaf left out (what chain.ts did before; the
// expectation here is that former behaviour, run in the same test on unfrozen copies).
import { describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { verifyChain } from "../../src/core/verify/index.ts";
import { newBudget } from "../../src/core/verify/budget.ts";
import type { Cert } from "../../src/core/x509/cert.ts";
import { SignatureVerifier } from "../../src/core/x509/signature.ts";
import { intermediate, issue, leaf, NOW, root } from "./helpers/pki.ts";

describe("shared candidate index", () => {
  it("gives every leaf of a bundle the result of a search over the others alone, under each profile", async () => {
    const r = await root("Bundle Root");
    const lookalike = await root("Bundle Root"); // same name, other key: a rejected candidate
    const i = await intermediate("Bundle Issuing CA", r);
    const leaves = [
      await leaf("a.example.com", i),
      await leaf("b.example.com", i),
      await leaf("c.example.com", r),
      await issue({ cn: "bundle root" }),
    ];
    // A leaf whose subject is another leaf's issuer name: it is a candidate for that one only.
    const selfNamed = await leaf("Bundle Issuing CA", i);
    const all: Cert[] = [r, lookalike, i, ...leaves, selfNamed].map((x) => x.cert);
    const anchors = [r.cert, lookalike.cert];
    for (const profile of ["go", "rfc5280", "webpki"] as const) {
      const verifier = new SignatureVerifier(crypto.subtle);
      const frozenAll = Object.freeze([...all]);
      const frozenAnchors = Object.freeze([...anchors]);
      for (const l of [...leaves, selfNamed]) {
        const base = { leaf: l.cert, at: NOW, purpose: "any" as const, profile, verifier };
        const shared = await verifyChain({ ...base, intermediates: frozenAll, anchors: frozenAnchors, budget: newBudget() });
        const own = await verifyChain({
          ...base,
          intermediates: all.filter((c) => c.id !== l.cert.id),
          anchors: [...anchors],
          budget: newBudget(),
        });
        expect(shared, `${profile} ${l.cert.subject}`).toEqual(own);
      }
    }
  });

  it("a request's signature-check budget stops building chains with engine.chain-limit", async () => {
    const r = await root("Budget Root");
    const ls = [await leaf("a.example.com", r), await leaf("b.example.com", r), await leaf("c.example.com", r)];
    const { toPem } = await import("../../src/core/encoding/pem.ts");
    const pem = [r, ...ls].map((x) => toPem("CERTIFICATE", x.cert.der)).join("");
    const full = await audit({ pem }, { at: NOW, subtle: crypto.subtle });
    expect(full.findings.map((f) => f.code)).not.toContain("engine.chain-limit");
    const cut = await audit({ pem }, { at: NOW, subtle: crypto.subtle, limits: { maxSignatureChecks: 2 } });
    const f = cut.findings.find((x) => x.code === "engine.chain-limit");
    expect(f?.message).toMatch(/signature checks were spent/);
    expect(cut.chains.length).toBeLessThan(full.chains.length);
  });
});
