// `certaudit inspect FILE` against `openssl x509 -noout -text -fingerprint -sha256` (and -sha1):
// every field the view prints must carry the value openssl reads from the same DER.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { AT, BIN, FIX, runNode } from "../cli/helpers.ts";
import { describeWithTool } from "../helpers/tools.ts";

const OPENSSL = ["/usr/bin/openssl", "/usr/local/bin/openssl"].find((p) => existsSync(p));
const withOpenssl = describeWithTool("openssl", OPENSSL !== undefined, "apt-get install openssl");

const KU: Record<string, string> = {
  "Digital Signature": "digitalSignature",
  "Non Repudiation": "nonRepudiation",
  "Key Encipherment": "keyEncipherment",
  "Data Encipherment": "dataEncipherment",
  "Key Agreement": "keyAgreement",
  "Certificate Sign": "keyCertSign",
  "CRL Sign": "cRLSign",
};
const EKU: Record<string, string> = { "TLS Web Server Authentication": "serverAuth", "TLS Web Client Authentication": "clientAuth" };
const T = (s: string) => new Date(s.replace(/\s+/g, " ")).toISOString().replace(".000Z", "Z");

function openssl(file: string) {
  const run = (alg: string) =>
    spawnSync(OPENSSL!, ["x509", "-in", file, "-noout", "-text", "-fingerprint", alg], { encoding: "utf8" }).stdout;
  const text = run("-sha256");
  const after = (label: string) => new RegExp(`${label}:( critical)?\\s*\\n\\s+(.+)`).exec(text);
  const serial = /Serial Number:\s*(?:\n\s+([0-9a-f:]+)|\s*(\d+) \(0x)/.exec(text)!;
  const exts = [...text.matchAll(/^ {12}(X509v3 [^:]+|[A-Z][^:\n]+):( critical)?\s*$/gm)].map(
    (m) => `${m[1]!.replace(/^X509v3 /, "")}${m[2] ? " critical" : ""}`,
  );
  // Names as certaudit renders them everywhere: openssl's RFC 2253 form (src/core/x509/name-format.ts).
  const rfc2253 = (which: "-subject" | "-issuer") =>
    spawnSync(OPENSSL!, ["x509", "-in", file, "-noout", which, "-nameopt", "RFC2253,-esc_msb"], { encoding: "utf8" })
      .stdout.replace(/^(subject|issuer)=/, "")
      .trim();
  return {
    subject: rfc2253("-subject"),
    issuer: rfc2253("-issuer"),
    serial: serial[1] ? BigInt(`0x${serial[1].replace(/:/g, "")}`) : BigInt(serial[2]!),
    notBefore: T(/Not Before: (.*)/.exec(text)![1]!),
    notAfter: T(/Not After : (.*)/.exec(text)![1]!),
    bits: Number(/Public-Key: \((\d+) bit\)/.exec(text)![1]),
    bc: after("X509v3 Basic Constraints")
      ? `${after("X509v3 Basic Constraints")![2]!.trim()}${after("X509v3 Basic Constraints")![1] ? "  (critical)" : ""}`
      : "none",
    ku: after("X509v3 Key Usage")
      ? after("X509v3 Key Usage")![2]!
          .trim()
          .split(", ")
          .map((k) => KU[k] ?? k)
      : null,
    eku: after("X509v3 Extended Key Usage")
      ? after("X509v3 Extended Key Usage")![2]!
          .trim()
          .split(", ")
          .map((k) => EKU[k] ?? k)
      : null,
    san: after("X509v3 Subject Alternative Name")
      ? after("X509v3 Subject Alternative Name")![2]!
          .trim()
          .replace(/IP Address:/g, "IP:")
      : "none",
    ski: after("X509v3 Subject Key Identifier")?.[2]!.trim() ?? "none",
    aki:
      after("X509v3 Authority Key Identifier")?.[2]!
        .trim()
        .replace(/^keyid:/, "") ?? "none",
    exts,
    sha256: /sha256 Fingerprint=(.*)/i.exec(text)![1]!.trim(),
    sha1: /sha1 Fingerprint=(.*)/i.exec(run("-sha1"))![1]!.trim(),
  };
}

/** The inspect view's "Key:  value" lines of the first certificate, and its extension lines. */
function view(out: string) {
  const first = out.split(/\n(?=\S.*: certificate \d+ of \d+)/)[0]!;
  const fields: Record<string, string> = {};
  const exts: string[] = [];
  let inExt = false;
  for (const line of first.split("\n")) {
    const m = /^ {2}([A-Za-z0-9 -]+):\s+(.*)$/.exec(line);
    if (m) {
      fields[m[1]!] = m[2]!;
      inExt = m[1] === "Extensions";
    } else if (inExt && /^ {4,}\S/.test(line))
      exts.push(
        line
          .trim()
          .replace(/ \([\d.]+\)/, "")
          .replace(/\s+critical$/, " critical"),
      );
    else inExt = false;
  }
  return { fields, exts, text: first };
}

withOpenssl("certaudit inspect FILE", () => {
  for (const f of ["intermediate/intermediate.crt", "e2e-users/apiserver.crt", "ecdsa/client.crt", "san-mismatch/apiserver.crt"]) {
    it(`${f}: every field as openssl x509 -text reads it, then the findings`, async () => {
      const file = join(FIX, f);
      const o = openssl(file);
      const r = await runNode(BIN, ["inspect", "--at", AT, file]);
      expect(r.stderr).toBe("");
      const { fields, exts, text } = view(r.stdout);
      expect(fields.Subject).toBe(o.subject);
      expect(fields.Issuer).toBe(o.issuer);
      expect(BigInt(/\((\d+)\)$/.exec(fields.Serial!)![1]!)).toBe(o.serial);
      expect(fields.Serial!.split(" ")[0]!.replace(/:/g, "")).toBe(
        o.serial.toString(16).padStart(fields.Serial!.split(" ")[0]!.replace(/:/g, "").length, "0"),
      );
      expect(fields["Not before"]).toBe(o.notBefore);
      expect(fields["Not after"]!.split(" ")[0]).toBe(o.notAfter);
      const days = Math.floor((Date.parse(o.notAfter) - Date.parse(AT)) / 86_400_000);
      expect(fields["Not after"]).toContain(days < 0 ? `(expired ${-days} days ago)` : `(${days} days left)`);
      expect(fields["Public key"]).toMatch(new RegExp(`\\b${o.bits} bits$`));
      expect(fields["Basic constraints"]).toBe(o.bc);
      expect(fields["Key usage"]!.replace(/\s+\(critical\)$/, "").split(", ")).toEqual(o.ku ?? ["none"]);
      expect(fields["Extended key usage"]!.replace(/\s+\(critical\)$/, "").split(", ")).toEqual(o.eku ?? ["none"]);
      expect(fields["Subject alt names"]).toBe(o.san);
      expect(fields["Subject key id"]).toBe(o.ski);
      expect(fields["Authority key id"]).toBe(o.aki);
      expect(exts).toEqual(o.exts);
      expect(fields["SHA-256 fingerprint"]).toBe(o.sha256);
      expect(fields["SHA-1 fingerprint"]).toBe(o.sha1);
      expect(text).toMatch(/\n {2}Findings:/);
    });
  }

  it("an expired certificate reads 'expired N days ago', and its findings are listed beside it", async () => {
    const r = await runNode(BIN, ["inspect", "--at", "2036-02-01T00:00:00Z", join(FIX, "intermediate/intermediate.crt")]);
    expect(r.stdout).toMatch(/Not after: +2035-01-01T00:00:00Z {2}\(expired 396 days ago\)/);
    expect(r.stdout).not.toMatch(/-\d+ days/);
    expect(r.stdout).toMatch(/Findings:\n {4}error cert\.expired: /);
  });
});
