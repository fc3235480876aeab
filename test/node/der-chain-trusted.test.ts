// DER chains (`cat leaf.der ca.der`) and OpenSSL's `-----BEGIN TRUSTED CERTIFICATE-----`, made
// with openssl and compared with what openssl reads from the same files: `openssl storeutl
// -certs` lists the certificates of a DER chain (their sha256 fingerprints must be the report's
// ids, in order), and `openssl x509 -noout -text` prints a trusted certificate's
// "Trusted Uses:", "Rejected Uses:" and "Alias:" (the finding must name the same purposes).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { PURPOSE_NAMES } from "../../src/core/encoding/trusted-cert.ts";
import type { Report } from "../../src/core/report/types.ts";
import { AT, FIX, ROOT } from "../cli/helpers.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";

const HAVE_OPENSSL = toolWorks("openssl", ["version"], /OpenSSL 3/);

function openssl(args: string[], input?: string | Buffer): string {
  const r = spawnSync("openssl", args, { input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

async function auditJson(file: string): Promise<Report> {
  let stdout = "";
  await main(["--format", "json", "--at", AT, file], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: {},
    readStdin: async () => new Uint8Array(),
    cwd: ROOT,
  });
  return JSON.parse(stdout) as Report;
}

const fingerprint = (pem: string) =>
  `sha256:${openssl(["x509", "-noout", "-fingerprint", "-sha256"], pem).trim().replace(/^.*=/, "").replace(/:/g, "").toLowerCase()}`;

describeWithTool(
  "openssl",
  HAVE_OPENSSL,
  "apt-get install -y openssl",
)("DER chains and TRUSTED CERTIFICATE, against openssl", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "certaudit-der-"));
  });

  it("a DER chain: the certificates openssl storeutl lists, in order, each audited; the chain verifies", async () => {
    const names = ["client", "intermediate", "ca"];
    for (const n of names) openssl(["x509", "-in", join(FIX, `intermediate/${n}.crt`), "-outform", "DER", "-out", join(dir, `${n}.der`)]);
    const chain = join(dir, "chain.der");
    writeFileSync(chain, Buffer.concat(names.map((n) => readFileSync(join(dir, `${n}.der`)))));
    const listed = openssl(["storeutl", "-certs", chain]);
    const pems = listed.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
    expect(pems.length).toBe(3);
    const r = await auditJson(chain);
    expect(r.input.kind).toBe("der");
    const byPath = (p: string) => r.certificates.find((c) => c.sources.some((s) => s.path === p))!.id;
    expect([0, 1, 2].map((i) => byPath(`der[${i}]`))).toEqual(pems.map(fingerprint));
    expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(r.chains.find((c) => c.leaf === fingerprint(pems[0]!))?.valid).toBe(true);
  });

  it("a DER chain with a piece that is not DER is not split (the file stays one unreadable certificate)", async () => {
    const bad = join(dir, "bad-chain.der");
    const ca = readFileSync(join(dir, "ca.der"));
    // A trailing byte that is not a SEQUENCE: not a chain of certificates.
    writeFileSync(bad, Buffer.concat([ca, Buffer.from([0x05, 0x00])]));
    const r = await auditJson(bad);
    expect(r.certificates.length).toBe(0);
    expect(r.findings.map((f) => f.code)).toContain("input.unparseable-certificate");
  });

  for (const settings of [
    { args: ["-addtrust", "clientAuth", "-addreject", "emailProtection", "-setalias", 'my "root"'], alias: 'my "root"' },
    { args: ["-addtrust", "serverAuth", "-addtrust", "clientAuth"], alias: null },
  ])
    it(`TRUSTED CERTIFICATE (${settings.args.join(" ")}): the certificate openssl sees, and its trust settings as openssl -text prints them`, async () => {
      const file = join(dir, "trusted.pem");
      openssl(["x509", "-in", join(FIX, "intermediate/ca.crt"), "-trustout", ...settings.args, "-out", file]);
      expect(readFileSync(file, "utf8")).toMatch(/^-----BEGIN TRUSTED CERTIFICATE-----/);
      const text = openssl(["x509", "-in", file, "-noout", "-text"]);
      const uses = (head: string) => {
        const m = new RegExp(`^${head} Uses:\\n\\s+(.+)$`, "m").exec(text);
        return m ? m[1]!.split(", ").sort() : [];
      };
      const r = await auditJson(file);
      expect(r.certificates.map((c) => c.id)).toEqual([fingerprint(openssl(["x509", "-in", file]))]);
      const f = r.findings.find((x) => x.code === "input.trusted-certificate")!;
      expect(f.path).toBe("pem[0]");
      const named = (which: string) => {
        const m = new RegExp(`${which} for ([^;.]+)`).exec(f.message)!;
        return m[1] === "no purpose"
          ? []
          : m[1]!
              .split(", ")
              .map((p) => /\(([^)]+)\)/.exec(p)![1]!)
              .sort();
      };
      expect(named("trusted")).toEqual(uses("Trusted"));
      expect(named("rejected")).toEqual(uses("Rejected"));
      const alias = /^Alias: (.*)$/m.exec(text)?.[1] ?? null;
      expect(alias).toBe(settings.alias);
      if (alias) expect(f.message).toContain(`alias ${JSON.stringify(alias)}`);
      else expect(f.message).not.toMatch(/; alias "/);
      // The long names we print are OpenSSL's for these OIDs.
      for (const n of [...uses("Trusted"), ...uses("Rejected")]) expect(Object.values(PURPOSE_NAMES).map((p) => p[1])).toContain(n);
    });
});
