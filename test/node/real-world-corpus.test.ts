// The regression corpus (test/fixtures/real-world/, made by make.sh): each file's certificates
// must be the ones openssl reads. Where openssl reads nothing (one-line PEM, UTF-16, joined
// markers) the expectation is openssl's reading of the file the oddity was made from, openssl's
// 0 on the file itself is asserted, and the report must name the oddity.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { needTool, run } from "./helpers/tools.ts";

const DIR = new URL("../fixtures/real-world/", import.meta.url).pathname;
const AT = new Date("2026-06-01T00:00:00Z");
interface Entry {
  sameCertificatesAs?: string;
  pkcs7?: "PEM" | "DER";
  finding?: string;
}
const manifest = JSON.parse(readFileSync(join(DIR, "manifest.json"), "utf8")) as Record<string, Entry>;

/** SHA-256 fingerprints (our id format) of the PEM certificates openssl printed. */
function fingerprints(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map(
    (m) => `sha256:${new X509Certificate(m[0]).fingerprint256.replaceAll(":", "").toLowerCase()}`,
  );
}

/** The certificates openssl reads from a file: PKCS#7 with `openssl pkcs7`, PEM through crl2pkcs7. */
function opensslCertificates(file: string, pkcs7?: "PEM" | "DER"): string[] {
  const path = join(DIR, file);
  if (pkcs7) return fingerprints(run("openssl", ["pkcs7", "-print_certs", "-inform", pkcs7, "-in", path]).stdout);
  const p7 = run("openssl", ["crl2pkcs7", "-nocrl", "-certfile", path]);
  if (p7.status !== 0) return [];
  return fingerprints(run("openssl", ["pkcs7", "-print_certs"], { input: p7.stdout }).stdout);
}
const storeutlCount = (file: string) =>
  Number(/Total found: (\d+)/.exec(run("openssl", ["storeutl", "-noout", "-certs", join(DIR, file)]).stdout)?.[1] ?? "0");

describe("real-world oddities: the certificates openssl reads", () => {
  it.for(Object.keys(manifest))("%s", async (file, ctx) => {
    needTool(ctx, "openssl");
    const e = manifest[file]!;
    const expected = opensslCertificates(e.sameCertificatesAs ?? file, e.sameCertificatesAs ? undefined : e.pkcs7);
    expect(expected.length).toBeGreaterThan(0);
    if (e.sameCertificatesAs) {
      // openssl itself reads nothing from this file: what we read beyond it must be named.
      expect(opensslCertificates(file)).toEqual([]);
      expect(storeutlCount(file)).toBe(0);
    } else if (!e.pkcs7) expect(storeutlCount(file)).toBe(expected.length);
    const r = await audit({ pem: new Uint8Array(readFileSync(join(DIR, file))) }, { at: AT, subtle: crypto.subtle });
    expect(r.certificates.map((c) => c.id).sort()).toEqual([...expected].sort());
    if (e.finding) expect(r.findings.map((f) => f.code)).toContain(e.finding);
    expect(r.findings.filter((f) => f.code === "input.bad-pem-block")).toEqual([]);
  });
});
