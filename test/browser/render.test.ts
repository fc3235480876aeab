// The report components without a browser: every fixture renders, every certificate appears
// once in the tree and once on the timeline, the words match the report, and names from the
// input (attacker-controlled text) are escaped.
import { X509Certificate } from "node:crypto";
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
  return audit(
    {
      document: read(dir, "kubeconfig.yaml") ?? read(dir, "bundle.pem"),
      clientCA: read(dir, "client-ca.crt"),
      serverCertificate: read(dir, "apiserver.crt"),
    },
    { at: AT, subtle: crypto.subtle },
  );
}

const count = (html: string, needle: string) => html.split(needle).length - 1;
const flatten = (nodes: TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

describe("report rendering", () => {
  const scenarios = readdirSync(FIXTURES, { withFileTypes: true })
    .filter(
      (d) => d.isDirectory() && (existsSync(join(FIXTURES, d.name, "kubeconfig.yaml")) || existsSync(join(FIXTURES, d.name, "bundle.pem"))),
    )
    .map((d) => d.name);

  it.each(scenarios)("renders %s: one tree node and one timeline bar per certificate, one card per context", async (dir) => {
    const r = await reportFor(dir);
    const html = renderReport(r);
    expect(count(html, 'class="tnode"')).toBe(r.certificates.length);
    expect(count(html, 'class="trow ')).toBe(r.certificates.length);
    expect(count(html, '<article class="card ')).toBe(r.contexts.length);
    expect(
      flatten(issuanceTree(r))
        .map((n) => n.cert.id)
        .sort(),
    ).toEqual(r.certificates.map((c) => c.id).sort());
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

const lead = (html: string) => /<p class="lead">([^<]*)<\/p>/.exec(html)?.[1] ?? "";

describe("the headline claims only what was checked", () => {
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
    const r = await audit(
      { document: "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n" },
      { at: AT, subtle: crypto.subtle },
    );
    expect(lead(renderReport(r))).toBe("Nothing was audited: no certificate in the input could be read.");
  });
});

// ---- issue 9: the form shows what the report says -------------------------------------------
// Expectations come from the fixture files through Node's own X509Certificate (OpenSSL), and
// from the fixture README (made by openssl/kubectl): never from our parser's output.

const x509 = (dir: string, f: string) => new X509Certificate(readFileSync(join(FIXTURES, dir, f)));
/** Our certificate id: the sha256 of the DER, as openssl x509 -fingerprint -sha256 prints it. */
const idOf = (c: X509Certificate) => `sha256:${c.fingerprint256.replace(/:/g, "").toLowerCase()}`;
const fp = (c: X509Certificate) => `${idOf(c).slice(7, 19)}…`;
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
/** The boxes of one diagram column, as rendered. */
function columns(html: string): { server: string; client: string; relation: string } {
  const fig = /<figure class="diagram">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? "";
  const cols = fig.split('<div class="dcol">').slice(1);
  return {
    server: text(cols[0] ?? ""),
    client: text((cols[1] ?? "").split('<p class="drel')[0]!),
    relation: text(/<p class="drel[\s\S]*?<\/p>/.exec(fig)?.[0] ?? ""),
  };
}

describe("who trusts whom shows the CAs the two programs use", () => {
  it("missing-intermediate: the client CA box is --client-ca-file's root, the intermediate sits between, and 'same certificate' is not claimed", async () => {
    const html = renderReport(await reportFor("missing-intermediate"));
    const { client, relation } = columns(html);
    const root = x509("missing-intermediate", "client-ca.crt");
    const inter = x509("missing-intermediate", "intermediate.crt");
    // README l.: client-ca.crt = kubernetes-root-ca; the client's direct issuer is the intermediate.
    expect(client).toMatch(new RegExp(`^ What the API server checks Client CA kubernetes-root-ca sha256 ${fp(root)}`));
    expect(client).toContain(`kubernetes-intermediate-ca sha256 ${fp(inter)} not in client-certificate-data`);
    expect(client).toContain("does not verify");
    expect(relation).not.toMatch(/same certificate/i);
    expect(relation).toContain(`“kubernetes-intermediate-ca” (${fp(inter)})`);
    expect(relation).toContain(`“kubernetes-root-ca” (${fp(root)})`);
  });

  it("rotated-ca: two different CN=kubernetes certificates are shown as two fingerprints, not as one", async () => {
    const html = renderReport(await reportFor("rotated-ca"));
    const { server, client, relation } = columns(html);
    const oldCa = x509("rotated-ca", "ca.crt");
    const newCa = x509("rotated-ca", "client-ca.crt");
    expect(idOf(oldCa)).not.toBe(idOf(newCa));
    expect(server).toContain(`Cluster CA kubernetes sha256 ${fp(oldCa)}`);
    expect(client).toContain(`Client CA kubernetes sha256 ${fp(newCa)}`);
    expect(relation).not.toMatch(/same certificate/i);
    expect(relation).toContain(fp(oldCa));
    expect(relation).toContain(fp(newCa));
    // The server chain did not verify: the arrow claims no issuance.
    expect(server).toContain("not verified");
    expect(server).not.toContain("signed");
  });

  it("separate-client-ca: the client CA is the --client-ca-file certificate, or 'not supplied' without it (never the issuer by assumption)", async () => {
    const ca = x509("separate-client-ca", "client-ca.crt");
    const withCA = columns(renderReport(await reportFor("separate-client-ca")));
    expect(withCA.client).toContain(`Client CA kubernetes-client-ca sha256 ${fp(ca)}`);
    expect(withCA.relation).toMatch(/^ ≠ Cluster CA and client issuer: Different CAs/);
    const without = await audit({ document: read("separate-client-ca", "kubeconfig.yaml") }, { at: AT, subtle: crypto.subtle });
    const { client } = columns(renderReport(without));
    expect(client).toMatch(/^ What the API server checks Client CA not supplied API server --client-ca-file/);
    expect(client).not.toContain("assumed");
  });

  it("'same certificate' appears only where the cluster CA itself issued the client certificate (Node's checkIssued)", async () => {
    for (const dir of ["kubeadm-single-ca", "missing-intermediate", "intermediate", "rotated-ca", "separate-client-ca", "cross-signed"]) {
      const { relation } = columns(renderReport(await reportFor(dir)));
      const ca = x509(dir, "ca.crt");
      const issued = x509(dir, "client.crt").checkIssued(ca) && x509(dir, "client.crt").verify(ca.publicKey);
      expect(/same certificate/i.test(relation), dir).toBe(issued);
    }
  });
});

describe("the issuance tree agrees with the context card", () => {
  it.each(["expired-client", "missing-intermediate", "no-clientauth", "cn-only-server"])(
    "%s: a leaf whose chain failed is not said to have no chain",
    async (dir) => {
      const r = await reportFor(dir);
      const html = renderReport(r);
      expect(html).not.toContain("no chain was built");
      // The failed chain's own words appear in the tree note and in the card.
      const failed = r.chains.filter((ch) => !(ch.go?.valid ?? ch.valid) && ch.path.length === 1);
      expect(failed.length).toBeGreaterThan(0);
      const tree = text(/<section aria-labelledby="tree-title">[\s\S]*?<\/section>/.exec(html)![0]);
      const cards = text(/<section aria-labelledby="contexts-title">[\s\S]*?<\/section>/.exec(html)![0]);
      for (const ch of failed) {
        const words = text(ch.reasonMessage!);
        expect(tree).toContain(`does not verify: ${words}`);
        expect(cards).toContain(words);
      }
    },
  );
});

describe("a PEM trust store is audited as a trust store", () => {
  const STORE = readFileSync(join(FIXTURES, "trust-store/ca-certificates.crt"), "utf8");
  const blocks = STORE.split(/(?=-----BEGIN CERTIFICATE-----)/).filter((b) => b.includes("BEGIN CERTIFICATE"));
  const certs = blocks.map((b) => new X509Certificate(b));
  const expired = certs.filter((c) => new Date(c.validTo) < AT);
  const zeroSerial = certs.filter((c) => /^0+$/.test(c.serialNumber));

  it("heads the page with what to remove and how many are fine, not with kubectl or kubeadm", async () => {
    expect(certs).toHaveLength(144);
    expect(expired.length).toBe(4); // Debian 12's store at 2026-06-01 (fixture README)
    const r = await audit({ document: STORE }, { at: AT, subtle: crypto.subtle });
    const html = renderReport(r);
    const head = lead(html);
    expect(head).toMatch(
      new RegExp(
        `^A trust store of 144 root certificates: ${expired.length} roots should be removed \\(${expired.length} expired, 0 weak\\)`,
      ),
    );
    const fine = Number(/, (\d+) are fine\.$/.exec(head)?.[1]);
    const look = Number(/, (\d+) needs? a look/.exec(head)?.[1] ?? 0);
    expect(fine + look + expired.length).toBe(144);
    expect(html).not.toContain("Something here will make kubectl");
    expect(r.findings.filter((f) => /kubeadm/.test(f.message))).toEqual([]);
    // The expired list names exactly the roots Node finds expired.
    const removeList = /Remove: expired[\s\S]*?<\/ul>/.exec(html)![0];
    for (const c of expired) expect(removeList).toContain(`sha256 ${fp(c)}`);
    expect(count(removeList, "<li>")).toBe(expired.length);
    // What is fine is folded away.
    expect(html).toMatch(
      new RegExp(`<details class="fold"><summary><span aria-hidden="true">✔</span> Fine: ${fine} roots with no finding</summary>`),
    );
  });

  it("the serial-zero warning says what it is about and nothing unrelated", async () => {
    expect(zeroSerial.length).toBeGreaterThan(0);
    const r = await audit({ document: STORE }, { at: AT, subtle: crypto.subtle });
    for (const c of zeroSerial) {
      const f = r.findings.find((x) => x.code === "cert.malformed" && x.certificate === idOf(c));
      expect(f?.message).toContain("the serial number is zero");
      expect(f?.message).not.toMatch(/duplicate extensions|negative serial|non-DER/);
    }
  });

  it("keeps kubeadm advice where the PKI is kubeadm's (CA named kubernetes, kubeadm certlist.go)", async () => {
    const r = await reportFor("expired-client");
    expect(x509("expired-client", "ca.crt").subject).toBe("CN=kubernetes");
    expect(r.findings.find((f) => f.code === "cert.expired")?.message).toContain("kubeadm certs renew");
  });
});

// The hostile-name corpus (test/helpers/hostile.ts; issue 11, section 1): JSX escapes markup as
// before, and control, bidi and other invisible characters (NUL, lone surrogates) are shown as
// their escapes, never carried into the page.
describe("report rendering: hostile names", () => {
  const shownEscapes = ["\\x1b[2J", "\\x1b[31m", "\\u202e", "\\x00", "\\ud800", "\\x0d"];

  async function hostileReport(): Promise<Report> {
    const { hostileCerts, hostileKubeconfig } = await import("../helpers/hostile.ts");
    return audit({ document: hostileKubeconfig(await hostileCerts()) }, { at: AT, subtle: crypto.subtle });
  }

  it("the report: no raw control, bidi or NUL character, no lone surrogate, no markup from the input; the escapes visible", async () => {
    const { rawControls, hasLoneSurrogate } = await import("../helpers/hostile.ts");
    const r = await hostileReport();
    const html = renderReport(r);
    expect(rawControls(html)).toEqual([]);
    expect(hasLoneSurrogate(html)).toBe(false);
    expect(html).not.toMatch(/<(img|b|script)[\s>]/);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    for (const s of shownEscapes) expect(html).toContain(s);
    // The JSON download is the report itself, names exact.
    const href = /href="data:application\/json;charset=utf-8,([^"]*)"/.exec(html)?.[1] ?? "";
    expect(JSON.parse(decodeURIComponent(href))).toEqual(r);
  });

  it("the page: a problem's text and a picked file's name are shown inert", async () => {
    const { rawControls, HOSTILE_FILE_NAME } = await import("../helpers/hostile.ts");
    const html = renderPage({
      values: { files: { document: { name: HOSTILE_FILE_NAME, size: 3 } } },
      problem: { detail: "bad \x1b[2J\u202e\0 key", code: "input.yaml-syntax", line: 2 },
    });
    expect(rawControls(html)).toEqual([]);
    expect(html).toContain("bad \\x1b[2J\\u202e\\x00 key");
    expect(html).toContain("evil\\x1b[2J\\x1b[31m\\x0d\\u202e|");
  });
});
