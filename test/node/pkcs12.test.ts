// PKCS#12 files made with `openssl pkcs12 -export` (OpenSSL 3's default PBES2/AES-256-CBC with
// a SHA-256 MAC; `-legacy` with 3DES; `-legacy` as is, whose RC2 Node cannot decrypt) and read
// back by openssl itself (`openssl pkcs12 -nokeys`): the CLI must audit exactly the certificates
// openssl finds, match the key, never print it, and the API must refuse a file with a key.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { createApp } from "../../src/http/app.ts";
import { Pkcs12Error } from "../../src/cli/pkcs12.ts";
import { readPkcs12 } from "../../src/cli/pkcs12-read.ts";
import type { Report } from "../../src/core/report/types.ts";
import { ACTION, AT, FIX, ROOT, runNode } from "../cli/helpers.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";

const HAVE_OPENSSL = toolWorks("openssl", ["version"], /OpenSSL 3/);
const PKI = join(FIX, "intermediate");
const PASSWORD = "s3cret pass";

function openssl(args: string[]): string {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    readStdin: async () => new Uint8Array(),
    cwd: ROOT,
  });
  return { code, stdout, stderr };
}

/** sha256 ids of the certificates openssl reads from a PKCS#12 file. */
function opensslCertIds(file: string, extra: string[] = []): string[] {
  const pems =
    openssl(["pkcs12", "-in", file, "-nokeys", "-passin", `pass:${PASSWORD}`, ...extra]).match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g,
    ) ?? [];
  return [
    ...new Set(
      pems.map(
        (p) =>
          `sha256:${spawnSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], { input: p, encoding: "utf8" }).stdout.trim().replace(/^.*=/, "").replace(/:/g, "").toLowerCase()}`,
      ),
    ),
  ].sort();
}

describeWithTool(
  "openssl",
  HAVE_OPENSSL,
  "apt-get install -y openssl",
)("PKCS#12 in the CLI and the API, against openssl", () => {
  let dir: string;
  let passFile: string;
  const keyBody = readFileSync(join(PKI, "client.key"), "utf8").split("\n")[1]!;
  const p12 = (name: string, args: string[]) => {
    const f = join(dir, name);
    openssl([
      "pkcs12",
      "-export",
      "-in",
      join(PKI, "client.crt"),
      "-inkey",
      join(PKI, "client.key"),
      "-certfile",
      join(PKI, "intermediate.crt"),
      "-passout",
      `pass:${PASSWORD}`,
      "-out",
      f,
      ...args,
    ]);
    return f;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "certaudit-p12-"));
    passFile = join(dir, "password.txt");
    writeFileSync(passFile, `${PASSWORD}\n`);
  });

  for (const [name, args, via] of [
    ["modern.p12", [], "file"],
    ["legacy-3des.p12", ["-legacy", "-certpbe", "PBE-SHA1-3DES"], "env"],
  ] as const)
    it(`${name} (openssl pkcs12 -export ${args.join(" ")}; password by ${via}): openssl's certificates, the key matched, never printed`, async () => {
      const f = p12(name, [...args]);
      const info = spawnSync(
        "openssl",
        ["pkcs12", "-in", f, "-info", "-noout", "-passin", `pass:${PASSWORD}`, ...(args.length ? ["-legacy"] : [])],
        { encoding: "utf8" },
      ).stderr;
      expect(info).toMatch(
        args.length ? /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/ : /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/,
      );
      const pass: { args: string[]; env: Record<string, string> } =
        via === "file" ? { args: ["--p12-password-file", passFile], env: {} } : { args: [], env: { CERTAUDIT_P12_PASSWORD: PASSWORD } };
      const r = await cli(["--format", "json", "--at", AT, ...pass.args, f], pass.env);
      expect(r.stderr).toBe("");
      const report = JSON.parse(r.stdout) as Report;
      expect(report.certificates.map((c) => c.id).sort()).toEqual(opensslCertIds(f, args.length ? ["-legacy"] : []));
      // The key was read and matches a certificate: no key finding other than "a key was present".
      expect(report.findings.filter((x) => x.code.startsWith("key.")).map((x) => x.code)).toEqual([]);
      // Audited on this machine: the key is "in the file", never "uploaded".
      expect(report.findings.some((x) => x.code === "input.private-key-in-file")).toBe(true);
      expect(report.findings.some((x) => x.code === "input.private-key-uploaded")).toBe(false);
      for (const format of ["json", "table", "markdown", "sarif", "openmetrics", "junit"]) {
        const out = await cli(["--format", format, "--at", AT, ...pass.args, f], pass.env);
        expect(`${out.stdout}${out.stderr}`).not.toContain(keyBody.slice(0, 24));
      }
    });

  it("a key that matches no certificate in the file is reported (key.unused), as for a bundle", async () => {
    const other = join(dir, "other.key");
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", other]);
    // -nocerts writes only the key; the certificate comes in through -certfile as a CA bag.
    const f = join(dir, "mismatch.p12");
    openssl([
      "pkcs12",
      "-export",
      "-nocerts",
      "-inkey",
      other,
      "-certfile",
      join(PKI, "client.crt"),
      "-passout",
      `pass:${PASSWORD}`,
      "-out",
      f,
    ]);
    const report = JSON.parse((await cli(["--format", "json", "--at", AT, "--p12-password-file", passFile, f])).stdout) as Report;
    expect(report.findings.map((x) => x.code)).toContain("key.unused");
  });

  it("a wrong or missing password, and -legacy's RC2 certificates, are problems that say what to do (exit 2)", async () => {
    const f = p12("pw.p12", []);
    const wrong = await cli(["--at", AT, f], { CERTAUDIT_P12_PASSWORD: "nope" });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/\[cli\.p12-password\].*password is wrong/);
    const legacy = p12("legacy.p12", ["-legacy"]);
    expect(
      spawnSync("openssl", ["pkcs12", "-in", legacy, "-info", "-noout", "-legacy", "-passin", `pass:${PASSWORD}`], { encoding: "utf8" })
        .stderr,
    ).toMatch(/pbeWithSHA1And40BitRC2-CBC/);
    const rc2 = await cli(["--at", AT, "--p12-password-file", passFile, legacy]);
    expect(rc2.code).toBe(2);
    expect(rc2.stderr).toMatch(/\[cli\.p12-unsupported\].*RC2.*-certpbe PBE-SHA1-3DES/);
    // The password is never an option value.
    expect((await cli(["--p12-password", PASSWORD, f])).code).toBe(2);
  });

  it("a damaged PKCS#12 (each of 400 bytes changed, no MAC to stop it early) is a PKCS#12 problem or still read, never a crash", () => {
    const f = join(dir, "nomac.p12");
    openssl([
      "pkcs12",
      "-export",
      "-nomac",
      "-in",
      join(PKI, "client.crt"),
      "-inkey",
      join(PKI, "client.key"),
      "-passout",
      `pass:${PASSWORD}`,
      "-out",
      f,
    ]);
    const good = new Uint8Array(readFileSync(f));
    expect(readPkcs12(good, PASSWORD).keys.length).toBe(1);
    for (let i = 0; i < Math.min(400, good.length); i++) {
      const bad = good.slice();
      bad[i] = bad[i]! ^ 0x5a;
      try {
        readPkcs12(bad, PASSWORD);
      } catch (e) {
        expect(e, `byte ${i}`).toBeInstanceOf(Pkcs12Error);
      }
    }
  });

  it("POST /v1/audit: a PKCS#12 with certificates only is audited (openssl's certificates); one with a key or encrypted parts is refused, saying to audit it locally", async () => {
    const app = createApp();
    const post = (f: string) =>
      app.request(`/v1/audit?at=${AT}`, { method: "POST", body: readFileSync(f), headers: { "content-type": "application/octet-stream" } });
    const certsOnly = join(dir, "certs-only.p12");
    openssl([
      "pkcs12",
      "-export",
      "-nokeys",
      "-certpbe",
      "NONE",
      "-in",
      join(PKI, "client.crt"),
      "-certfile",
      join(PKI, "intermediate.crt"),
      "-passout",
      `pass:${PASSWORD}`,
      "-out",
      certsOnly,
    ]);
    const ok = await post(certsOnly);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Report).certificates.map((c) => c.id).sort()).toEqual(opensslCertIds(certsOnly));
    const encrypted = join(dir, "certs-encrypted.p12");
    openssl(["pkcs12", "-export", "-nokeys", "-in", join(PKI, "client.crt"), "-passout", `pass:${PASSWORD}`, "-out", encrypted]);
    for (const f of [p12("with-key.p12", []), encrypted]) {
      const res = await post(f);
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const p = (await res.json()) as { code: string; detail: string };
      expect(p.code).toBe("input.pkcs12-secret");
      expect(p.detail).toMatch(/Audit it locally.*certaudit --p12-password-file/);
    }
  });
});

describeWithTool(
  "openssl",
  HAVE_OPENSSL,
  "apt-get install -y openssl",
)("PKCS#12 in the Action (the bundle, as the runner runs it)", () => {
  it("p12-password-file decrypts a .p12 in files: openssl's certificates in the summary, the key nowhere in the log", async () => {
    const ws = mkdtempSync(join(tmpdir(), "certaudit-p12-action-"));
    openssl([
      "pkcs12",
      "-export",
      "-in",
      join(PKI, "client.crt"),
      "-inkey",
      join(PKI, "client.key"),
      "-passout",
      `pass:${PASSWORD}`,
      "-out",
      join(ws, "client.p12"),
    ]);
    writeFileSync(join(ws, "pw"), `${PASSWORD}\n`);
    const out = join(ws, "output");
    const summary = join(ws, "summary.md");
    writeFileSync(out, "");
    writeFileSync(summary, "");
    const env = {
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: ws,
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: ws,
      INPUT_FILES: "*.p12",
      "INPUT_P12-PASSWORD-FILE": "pw",
      INPUT_AT: AT,
    };
    const r = await runNode(ACTION, [], { env, cwd: ws });
    const log = `${r.stdout}${r.stderr}`;
    expect(log).toMatch(/certaudit: client\.p12: (pass|warn)/);
    const keyBody = readFileSync(join(PKI, "client.key"), "utf8").split("\n")[1]!;
    expect(log + readFileSync(summary, "utf8")).not.toContain(keyBody.slice(0, 24));
    const subject = openssl(["x509", "-in", join(PKI, "client.crt"), "-noout", "-subject", "-nameopt", "RFC2253"])
      .trim()
      .replace(/^subject=/, "");
    expect(readFileSync(summary, "utf8")).toContain(subject);
    // Without the password the file is not audited, and the step says why.
    const bad = await runNode(ACTION, [], { env: { ...env, "INPUT_P12-PASSWORD-FILE": "" }, cwd: ws });
    // (GitHub tells only zero from non-zero: src/action/index.ts exits 1.)
    expect(bad.code).toBe(1);
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/::error file=client\.p12,title=certaudit%3A cli\.p12-password::/);
  });
});
