// The form with a control plane (issue 12), as a user meets it in Debian's chromium against the
// real Worker: a kubeadm folder picked through the folder chooser, a .tar.gz made by GNU tar,
// Kubernetes objects pasted, and the upload mode's request body. Expectations from outside our
// code: openssl verify decides the API server → etcd client edge and the webhook edge, openssl
// reads the dates and computes every key's public-key SHA-256; the fixture README documents
// each variant's outage (test/fixtures/kubeadm/make.sh; "base: every edge holds", which real etcd
// and Go confirm in test/node/etcd-oracle.test.ts and test/core/cluster-go.test.ts).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import { CHROMIUM, launchChromium, ROOT, screenshot, startWorker, type RunningWorker } from "./harness.ts";
import { etcdClientAccepted, KUBEADM, notAfter, OBJECTS, pubsha256, webhooksAccepted } from "./openssl-edges.ts";

/** The validation time in the form's field (UTC, as openssl-edges.ts's CLUSTER_AT). */
const AT = "2026-11-01T00:00:00";

const HAVE = existsSync(CHROMIUM) && toolWorks("openssl", ["version"], /OpenSSL 3/) && toolWorks("tar", ["--version"], /GNU tar/);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describeWithTool(
  "chromium, openssl 3 and GNU tar",
  HAVE,
  "apt-get install -y chromium openssl tar",
)("the form with a control plane, in chromium", () => {
  let worker: RunningWorker;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const tmp = mkdtempSync(join(tmpdir(), "certaudit-cluster-form-"));

  beforeAll(async () => {
    worker = await startWorker();
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await worker?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }, 30_000);

  async function open(): Promise<{ page: Page; requests: Request[]; errors: string[] }> {
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    const requests: Request[] = [];
    const errors: string[] = [];
    page.on("request", (r) => requests.push(r));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${worker.url}/`);
    await page.locator("summary", { hasText: "Options" }).click();
    await page.fill("#at", AT);
    return { page, requests, errors };
  }

  async function audit(page: Page): Promise<void> {
    await page.click("#submit");
    await expect.poll(() => page.locator("#verdict-title").count(), { timeout: 20_000 }).toBe(1);
  }

  /** The edge table's rows: from, to, relation, verdict text, breaks date, and the row's classes. */
  async function edgeRows(page: Page) {
    return page.$$eval("table.edges tbody tr", (trs) =>
      trs.map((tr) => {
        const td = [...tr.querySelectorAll("td")].map((c) => (c.textContent ?? "").replace(/\s+/g, " ").trim());
        return { from: td[0]!, to: td[1]!, relation: td[2]!, verdict: td[3]!, breaks: td[4]!, cls: tr.className };
      }),
    );
  }

  /** The diagram's lines: their colour class and label. */
  async function diagramLines(page: Page) {
    return page.$$eval("svg.cluster-svg g.cline", (gs) =>
      gs.map((g) => ({ cls: g.getAttribute("class") ?? "", label: (g.querySelector(".cline-label")?.textContent ?? "").trim() })),
    );
  }

  it("expired-etcd-client picked through the folder chooser: audited in the page, the etcd client edge red with openssl's date", async () => {
    expect(etcdClientAccepted("expired-etcd-client")).toBe(false);
    const date = notAfter("expired-etcd-client", "pki/apiserver-etcd-client.crt");
    const { page, requests, errors } = await open();
    expect(await page.isChecked("#local")).toBe(true);
    const chooser = page.waitForEvent("filechooser");
    await page.locator("#folder").click();
    await (await chooser).setFiles(join(KUBEADM, "expired-etcd-client"));
    await expect.poll(() => page.textContent("#file-status")).toContain("Loaded the folder expired-etcd-client");
    const before = requests.length;
    await audit(page);
    expect(await page.textContent("#verdict-title")).toContain("Fail");
    const rows = await edgeRows(page);
    const etcd = rows.filter((r) => r.relation === "etcd-client");
    expect(etcd).toHaveLength(1);
    expect(etcd[0]).toMatchObject({ from: "kube-apiserver (etcd client)", to: "etcd" });
    expect(etcd[0]!.verdict).toBe("✖ broken · first to break");
    expect(etcd[0]!.breaks).toContain(date);
    expect(etcd[0]!.cls).toBe("erow bad first");
    // The fixture breaks exactly this edge (make.sh): every other row holds.
    expect(rows.filter((r) => r.relation !== "etcd-client").every((r) => r.verdict === "✔ holds")).toBe(true);
    const lines = await diagramLines(page);
    const red = lines.filter((l) => /\bbad\b/.test(l.cls));
    expect(red).toEqual([{ cls: "cline bad first", label: `✖ etcd-client · broken since ${date}` }]);
    expect(lines.filter((l) => /\bunknown\b/.test(l.cls))).toEqual([]);
    expect(await page.textContent("#first-break")).toContain(`kube-apiserver (etcd client) → etcd (etcd-client), broken since ${date}`);
    // Nothing left the page: only the in-browser core was fetched.
    const after = requests.slice(before);
    expect(after.every((r) => r.method() === "GET")).toBe(true);
    expect(await page.textContent("#busy")).toContain("nothing was uploaded");
    expect(errors).toEqual([]);
    await screenshot("cluster-expired-etcd-client.png", (path) => page.locator("section.cluster").screenshot({ path }));
  });

  it("base: openssl accepts the etcd client; every line and row green, none red or grey; axe finds nothing serious", async () => {
    expect(etcdClientAccepted("base")).toBe(true);
    const { page } = await open();
    await page.setInputFiles("#folder", join(KUBEADM, "base"));
    await expect.poll(() => page.textContent("#file-status")).toContain("Loaded the folder base");
    await audit(page);
    const rows = await edgeRows(page);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.every((r) => r.verdict.replace(" · first to break", "") === "✔ holds")).toBe(true);
    const lines = await diagramLines(page);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((l) => /^cline ok( first)?$/.test(l.cls) && l.label.startsWith("✔ "))).toBe(true);
    expect(await page.locator("svg.cluster-svg .ccheck.bad, svg.cluster-svg .ccheck.unknown").count()).toBe(0);
    // The first to break is the earliest notAfter openssl reads (the leaves were renewed together).
    expect(await page.textContent("#first-break")).toContain(`until ${notAfter("base", "pki/apiserver.crt")}`);
    // The folded table open, so axe sees every row; then light and dark.
    await page.locator("section.cluster details.fold > summary").click();
    await page.evaluate(readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8"));
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      const result = (await page.evaluate(() => (globalThis as any).axe.run(document, { resultTypes: ["violations"] }))) as {
        violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
      };
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(
        bad.map((v) => `${colorScheme} ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      ).toEqual([]);
    }
  });

  it("a .tar.gz made by GNU tar (rotated-etcd-ca, under its top folder): the same edges as openssl says", async () => {
    const archive = join(tmp, "rotated-etcd-ca.tar.gz");
    execFileSync("tar", ["-C", KUBEADM, "-czf", archive, "rotated-etcd-ca"]);
    expect(etcdClientAccepted("rotated-etcd-ca")).toBe(false);
    const { page, requests } = await open();
    await page.setInputFiles("#file", archive);
    await expect.poll(() => page.textContent("#file-status")).toContain("Loaded the archive rotated-etcd-ca.tar.gz");
    await audit(page);
    const rows = await edgeRows(page);
    const broken = rows.filter((r) => r.verdict.startsWith("✖"));
    expect(broken.map((r) => `${r.relation}: ${r.from} → ${r.to}`)).toEqual(["etcd-client: kube-apiserver (etcd client) → etcd"]);
    // Broken by the rotated CA, not by a date: the line says "now".
    expect((await diagramLines(page)).find((l) => l.label.includes("etcd-client"))?.label).toBe("✖ etcd-client · broken now");
    expect(requests.some((r) => r.method() === "POST")).toBe(false);
  });

  it("a plain .tar (GNU tar) dropped on the input box (front-proxy-cn): the front-proxy edge red, as the CN openssl reads is not an allowed name", async () => {
    const dir = join(KUBEADM, "front-proxy-cn");
    const subject = execFileSync(
      "openssl",
      ["x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in", join(dir, "pki/front-proxy-client.crt")],
      {
        encoding: "utf8",
      },
    );
    const cn = /CN=([^,\n]+)/.exec(subject)![1]!;
    const allowed = /--requestheader-allowed-names=(\S+)/
      .exec(readFileSync(join(dir, "manifests/kube-apiserver.yaml"), "utf8"))![1]!
      .split(",");
    // kube-apiserver's request-header authenticator refuses a front proxy whose CN is not in the list (k8s.io/apiserver x509 verifier).
    expect(allowed).not.toContain(cn);
    const archive = join(tmp, "front-proxy-cn.tar");
    execFileSync("tar", ["-C", dir, "-cf", archive, "."]);
    const { page, requests } = await open();
    const bytes = [...readFileSync(archive)];
    await page.evaluate((b) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b)], "front-proxy-cn.tar", { type: "application/x-tar" }));
      document.getElementById("drop")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bytes);
    await expect.poll(() => page.textContent("#file-status")).toContain("Loaded the archive front-proxy-cn.tar");
    await audit(page);
    const broken = (await edgeRows(page)).filter((r) => r.verdict.startsWith("✖"));
    expect(broken.map((r) => `${r.relation}: ${r.from} → ${r.to}`)).toEqual([
      "front-proxy: kube-apiserver (front proxy) → extension API servers",
    ]);
    expect((await diagramLines(page)).filter((l) => /\bbad\b/.test(l.cls)).map((l) => l.label)).toEqual(["✖ front-proxy · broken now"]);
    expect(requests.some((r) => r.method() === "POST")).toBe(false);
  });

  it("an archive holding a symbolic link is refused in the page with the API's code (archive.link-refused), nothing audited", async () => {
    const src = join(tmp, "with-link");
    mkdirSync(join(src, "pki"), { recursive: true });
    symlinkSync("/etc/hostname", join(src, "pki/ca.crt"));
    const archive = join(tmp, "with-link.tar.gz");
    execFileSync("tar", ["-C", src, "-czf", archive, "."]);
    const { page } = await open();
    await page.setInputFiles("#file", archive);
    await expect.poll(() => page.textContent("#document-error")).toContain("[archive.link-refused]");
    expect(await page.isVisible("#document-error")).toBe(true);
    expect(await page.locator("#verdict-title").count()).toBe(0);
  });

  it("upload mode: the request body holds no private key, only openssl's public-key SHA-256 of each; the service matches them", async () => {
    const dir = join(KUBEADM, "base");
    const files = walk(dir);
    const keyFiles = files.filter((f) => readFileSync(f, "utf8").includes("PRIVATE KEY-----"));
    const kubeconfigKeys = files.flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/client-key-data: (\S+)/g)].map((m) => ({ file: f, b64: m[1]! })),
    );
    expect(keyFiles.length).toBeGreaterThan(5);
    expect(kubeconfigKeys.length).toBe(5);
    const { page } = await open();
    // The request as Chromium sends it, intercepted on its way to the Worker.
    const sent: Buffer[] = [];
    await page.route("**/v1/audit", async (route) => {
      sent.push(route.request().postDataBuffer() ?? Buffer.alloc(0));
      await route.continue();
    });
    await page.uncheck("#local");
    await page.setInputFiles("#folder", dir);
    await expect.poll(() => page.textContent("#file-status")).toContain("Loaded the folder base");
    // Removing keys is not optional for a folder: the page says what it sends, and offers no "keep keys" option.
    expect(await page.textContent("#privacy-note")).toContain("replaces each private key of the folder by the SHA-256 of its public key");
    expect(await page.locator("#strip").isVisible()).toBe(false);
    await audit(page);
    expect(sent).toHaveLength(1);
    const body = sent[0]!.toString("latin1");
    expect(body).toContain('filename="pki/ca.crt"');
    expect(body).not.toMatch(/PRIVATE KEY/);
    for (const f of keyFiles) {
      const lines = readFileSync(f, "utf8")
        .split("\n")
        .filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l));
      for (const l of lines) expect(body, relative(dir, f)).not.toContain(l);
      // In its place, the file <key>.pubsha256 holding openssl's fingerprint.
      const name = `${relative(dir, f)}.pubsha256`;
      const part = new RegExp(`filename="${name.replace(/[.]/g, "\\.")}"\\r\\nContent-Type: [^\\r]*\\r\\n\\r\\n([0-9a-f]{64})`).exec(body);
      expect(part?.[1], name).toBe(pubsha256(readFileSync(f)));
    }
    for (const k of kubeconfigKeys) {
      expect(body).not.toContain(k.b64.slice(0, 40));
      expect(body).toContain(`client-key-pubsha256: ${pubsha256(Buffer.from(k.b64, "base64"))}`);
    }
    expect(await page.textContent("#busy")).toContain("pki/ca.key: private key (its public key's SHA-256 sent instead)");
    // The service matched every key by its fingerprint: the base fixture's edges all hold, key pairs included.
    const rows = await edgeRows(page);
    expect(rows.filter((r) => r.relation === "key-pair").length).toBe(12);
    expect(rows.every((r) => r.verdict.replace(" · first to break", "") === "✔ holds")).toBe(true);
  });

  it("Kubernetes objects pasted (ca-renewed): the webhook edges red where openssl refuses the caBundle; audited in the page even in upload mode, as the privacy note says before Audit", async () => {
    const text = readFileSync(join(OBJECTS, "ca-renewed/objects.yaml"), "utf8");
    expect(webhooksAccepted(text)).toEqual([false, false]);
    const { page, requests } = await open();
    await page.uncheck("#local");
    // Before Audit: a kubeconfig would be uploaded, and the note says so ...
    await page.fill("#document", readFileSync(join(KUBEADM, "base/admin.conf"), "utf8"));
    await expect.poll(() => page.textContent("#privacy-note")).toContain("then uploads the rest");
    expect(await page.locator("#strip").isVisible()).toBe(true);
    // ... objects stay in the page, and the note says that instead (what the requests below confirm).
    await page.fill("#document", text);
    await expect.poll(() => page.textContent("#privacy-note")).toContain("audited in this browser even with upload chosen");
    expect(await page.textContent("#privacy-note")).not.toMatch(/\bupload(s|ed) (the rest|everything|to)\b/);
    expect(await page.locator("#strip").isVisible()).toBe(false);
    await audit(page);
    const rows = await edgeRows(page);
    expect(rows.filter((r) => r.relation === "webhook").map((r) => r.verdict.replace(" · first to break", ""))).toEqual([
      "✖ broken",
      "✖ broken",
    ]);
    expect((await diagramLines(page)).filter((l) => l.label.includes("webhook")).every((l) => /\bbad\b/.test(l.cls))).toBe(true);
    expect(requests.some((r) => r.method() === "POST")).toBe(false);
    expect(await page.textContent("#busy")).toContain("Kubernetes objects are audited in this browser");
  });
});
