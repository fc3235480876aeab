// The renewal plan of a broken caBundle edge (test/fixtures/k8s-objects/make.sh ca-renewed: the
// webhooks' caBundle predates the CA's renewal): the repair is due now, and once repaired the edge
// lasts until the serving Secret's certificate expires, so that renewal is a plan line too, even
// when no other edge carries it (a Secret without ca.crt). The date is openssl's -enddate of tls.crt.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { auditObjects } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";

const AT = new Date("2026-11-01T00:00:00Z");
const yaml = readFileSync(fileURLToPath(new URL("../fixtures/k8s-objects/ca-renewed/objects.yaml", import.meta.url)), "utf8");
const CMCTL = "cmctl renew -n demo demo-webhook-cert";

function withoutCaCrt(): { text: string; tlsCrt: string } {
  const doc = parse(yaml) as { items: any[] };
  const secret = doc.items.find((i) => i.kind === "Secret");
  delete secret.data["ca.crt"];
  return { text: stringify(doc), tlsCrt: Buffer.from(secret.data["tls.crt"], "base64").toString() };
}

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");
withOpenssl("a broken caBundle edge: the repair now, then the serving Secret's own expiry", () => {
  it("a Secret without ca.crt: the plan has the repairs and cmctl renew before tls.crt's notAfter (openssl -enddate)", async () => {
    const { text, tlsCrt } = withoutCaCrt();
    const end = spawnSync("openssl", ["x509", "-noout", "-enddate", "-dateopt", "iso_8601"], { input: tlsCrt, encoding: "utf8" });
    expect(end.status, end.stderr).toBe(0);
    const notAfter = new Date(
      end.stdout
        .trim()
        .replace(/^notAfter=/, "")
        .replace(" ", "T"),
    );
    expect(Number.isNaN(notAfter.getTime())).toBe(false);
    const { cluster } = await auditObjects(text, { at: AT, subtle: crypto.subtle });
    expect(cluster.edges.filter((e) => e.relation === "webhook").map((e) => e.verdict)).toEqual(["broken", "broken"]);
    expect(cluster.edges.some((e) => e.relation === "tls-secret")).toBe(false);
    const lines = cluster.renewals.filter((r) => r.command.startsWith(CMCTL));
    expect(lines).toHaveLength(1);
    expect(new Date(lines[0]!.before).getTime()).toBe(notAfter.getTime());
    // The two repairs are due now.
    expect(cluster.renewals.filter((r) => new Date(r.before) <= AT)).toHaveLength(2);
  });

  it("the fixture as it is (ca.crt present): still one cmctl line, not two", async () => {
    const { cluster } = await auditObjects(yaml, { at: AT, subtle: crypto.subtle });
    expect(cluster.renewals.filter((r) => r.command.startsWith(CMCTL))).toHaveLength(1);
  });
});
