// The report components without a browser: every fixture renders, every certificate appears
// once in the tree and once on the timeline, the words match the report, and names from the
// input (attacker-controlled text) are escaped.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import type { Report } from "../../src/core/report/types.ts";
import { issuanceTree, RELATION_WORDS, type TreeNode } from "../../src/http/ui/model.ts";
import { renderPage } from "../../src/http/ui/page.tsx";
import { renderReport } from "../../src/http/ui/report.tsx";
import { ROOT } from "./harness.ts";

const FIXTURES = join(ROOT, "test/fixtures");
const AT = new Date("2026-06-01T00:00:00Z");
const read = (dir: string, f: string) => (existsSync(join(FIXTURES, dir, f)) ? readFileSync(join(FIXTURES, dir, f), "utf8") : undefined);

async function reportFor(dir: string): Promise<Report> {
  return audit({ document: read(dir, "kubeconfig.yaml") ?? read(dir, "bundle.pem"), clientCA: read(dir, "client-ca.crt"), serverCertificate: read(dir, "apiserver.crt") }, { at: AT, subtle: crypto.subtle });
}

const count = (html: string, needle: string) => html.split(needle).length - 1;
const flatten = (nodes: TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

describe("report rendering", () => {
  const scenarios = readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && (existsSync(join(FIXTURES, d.name, "kubeconfig.yaml")) || existsSync(join(FIXTURES, d.name, "bundle.pem"))))
    .map((d) => d.name);

  it.each(scenarios)("renders %s: one tree node and one timeline bar per certificate, one card per context", async (dir) => {
    const r = await reportFor(dir);
    const html = renderReport(r);
    expect(count(html, 'class="tnode"')).toBe(r.certificates.length);
    expect(count(html, 'class="trow ')).toBe(r.certificates.length);
    expect(count(html, '<article class="card ')).toBe(r.contexts.length);
    expect(flatten(issuanceTree(r)).map((n) => n.cert.id).sort()).toEqual(r.certificates.map((c) => c.id).sort());
    for (const ctx of r.contexts) expect(html).toContain(RELATION_WORDS[ctx.caIdentity.relation].title.replace(/'/g, "&#39;"));
    const href = /href="data:application\/json;charset=utf-8,([^"]*)"/.exec(html)?.[1] ?? "";
    expect(JSON.parse(decodeURIComponent(href))).toEqual(r);
  });

  it("puts anchors at the top: the cross-signed fixture's kubernetes-2026 sits under kubernetes-2025", async () => {
    const r = await reportFor("cross-signed");
    const roots = issuanceTree(r);
    const top = roots.find((n) => n.cert.subject === "CN=kubernetes-2025");
    expect(top?.children.map((c) => c.cert.subject)).toContain("CN=kubernetes-2026");
  });

  it("escapes names and messages that come from the input", async () => {
    const r = await reportFor("kubeadm-single-ca");
    const evil = `<img src=x onerror="alert(1)">`;
    const hacked: Report = structuredClone(r);
    hacked.certificates[0]!.subject = `CN=${evil}`;
    hacked.contexts[0]!.name = evil;
    hacked.contexts[0]!.client.identity = { user: evil, groups: [evil] };
    hacked.findings[0]!.message = evil;
    hacked.findings[0]!.path = evil;
    const html = renderReport(hacked);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=");
    const page = renderPage({ values: { document: `</textarea><script>alert(1)</script>` }, report: hacked });
    expect(page).not.toContain("<script>alert");
    expect(page.match(/<script/g)).toHaveLength(1); // only <script type="module" src="/ui/app.js">
    expect(page).not.toMatch(/<[^>]*\sstyle=/);
    expect(page).not.toMatch(/<[^>]*\son[a-z]+=/);
  });
});

describe("the headline claims only what was checked", () => {
  const lead = (html: string) => /<p class="lead">([^<]*)<\/p>/.exec(html)?.[1] ?? "";

  it("a kubeconfig alone does not say the credentials work, and lists the open questions", async () => {
    const r = await audit({ document: read("e2e-users", "kubeconfig.yaml") }, { at: AT, subtle: crypto.subtle });
    const html = renderReport(r);
    expect(r.verdict).toBe("pass");
    expect(lead(html)).toBe("No problem found in what was checked. 2 questions are still open (below).");
    expect(html).not.toMatch(/credentials work|Nothing stops/);
    expect(count(html, "<li><strong>Does")).toBe(2);
    expect(html).toContain("under “Client CA bundle”");
  });

  it("with client CA and server certificate, every answer yes: the credentials work", async () => {
    const html = renderReport(await reportFor("e2e-users"));
    expect(lead(html)).toMatch(/^These credentials work: /);
    expect(html).not.toContain('class="open-questions"');
  });

  it("nothing readable is said as such", async () => {
    const r = await audit({ document: "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n" }, { at: AT, subtle: crypto.subtle });
    expect(lead(renderReport(r))).toBe("Nothing was audited: no certificate in the input could be read.");
  });
});
