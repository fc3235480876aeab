// Hostile PEM and base64 that used to pass without a finding naming the problem (issue 11 §3):
// lines of `-----BEGIN` fragments, bodies broken by such a line, base64 without padding, in an
// upload, in a kubeconfig *-data field and in /v1/verify. What tools do is asked of the tools:
// Go's encoding/pem (test/oracles/pem-decode.go), Go's base64.StdEncoding (base64-std.go),
// openssl and coreutils base64.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { scanPem } from "../../src/core/encoding/pem.ts";
import { verifyCertificate } from "../../src/core/verify-chain.ts";
import { InputProblem } from "../../src/core/errors.ts";
import { goOracle, needTool, run } from "./helpers/tools.ts";

const AT = new Date("2026-06-01T00:00:00Z");
const tmp = mkdtempSync(join(tmpdir(), "certaudit-pem-hostile-"));
const ca = readFileSync(new URL("../fixtures/e2e-users/ca.crt", import.meta.url), "utf8");
const lines = ca.trimEnd().split("\n");
const [begin, body, end] = [lines[0]!, lines.slice(1, -1), lines.at(-1)!];

const kubeconfig = (data: string) =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://10.0.0.1\n    certificate-authority-data: ${Buffer.from(data).toString("base64")}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\nusers:\n- name: u\n  user: {}\n`;

function goBlocks(text: string): { type: string; bytes: number }[] {
  const f = join(tmp, "in.pem");
  writeFileSync(f, text);
  const r = run(goOracle("pem-decode"), [f]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout).blocks;
}
const readable = (text: string) =>
  scanPem(text)
    .blocks.filter((b) => !b.problem && !b.unreadableByTools)
    .map((b) => ({ type: b.label, bytes: b.der!.length }));

const FRAGMENTS = {
  "with spaces": "-----BEGIN ".repeat(300),
  "without spaces": "-----BEGIN".repeat(300),
  "as END": "-----END ".repeat(300),
};

describe("a line of -----BEGIN fragments after a certificate", () => {
  it.for(Object.keys(FRAGMENTS))("%s: Go reads the certificate and skips the line; we name the line", async (name, ctx) => {
    needTool(ctx, "go");
    const text = `${ca}${FRAGMENTS[name as keyof typeof FRAGMENTS]}\n`;
    const go = goBlocks(text);
    expect(go).toEqual([{ type: "CERTIFICATE", bytes: expect.any(Number) }]);
    expect(readable(text)).toEqual(go);
    const line = lines.length + 1;
    const up = await audit({ pem: text }, { at: AT, subtle: crypto.subtle });
    expect(up.certificates).toHaveLength(1);
    const f = up.findings.filter((x) => x.code === "input.pem-broken-marker");
    expect(f.map((x) => [x.severity, x.path])).toEqual([["warning", "pem"]]);
    expect(f[0]!.message).toContain(`Line ${line} of pem`);
    expect(up.findings.map((x) => x.code)).not.toContain("input.stray-text");
    // In a kubeconfig *-data field it used to get no finding at all.
    const kc = await audit({ kubeconfig: kubeconfig(text) }, { at: AT, subtle: crypto.subtle });
    expect(kc.findings.filter((x) => x.code === "input.pem-broken-marker").map((x) => x.path)).toEqual([
      "clusters[c].certificate-authority-data",
    ]);
  });

  it("whole BEGIN markers repeated on one line: Go reads the certificate before them; one finding names the run", async (ctx) => {
    needTool(ctx, "go");
    const text = `${ca}${"-----BEGIN CERTIFICATE-----".repeat(300)}\n`;
    const go = goBlocks(text);
    expect(go).toHaveLength(1);
    expect(readable(text)).toEqual(go);
    const r = await audit({ pem: text }, { at: AT, subtle: crypto.subtle });
    expect(r.certificates).toHaveLength(1);
    const bad = r.findings.filter((x) => x.code === "input.bad-pem-block");
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toMatch(/^300 blocks are damaged the same way \(CERTIFICATE at pem\[1\] \(line 19\).*each has no END line/);
  });

  it("only fragments: Go and openssl find nothing; the field's error says why", async (ctx) => {
    needTool(ctx, "go");
    needTool(ctx, "openssl");
    const text = `${FRAGMENTS["with spaces"]}\n`;
    expect(goBlocks(text)).toEqual([]);
    writeFileSync(join(tmp, "frag.pem"), text);
    expect(run("openssl", ["storeutl", "-noout", "-certs", join(tmp, "frag.pem")]).stdout).toMatch(/Total found: 0/);
    const kc = await audit({ kubeconfig: kubeconfig(text) }, { at: AT, subtle: crypto.subtle });
    const codes = kc.findings.map((x) => x.code);
    expect(codes).toContain("input.pem-broken-marker");
    expect(kc.findings.find((x) => x.code === "input.data-no-certificate")?.message).toContain("input.pem-broken-marker");
  });
});

describe("a body broken by a fragment line, and a body without padding", () => {
  const CASES = {
    "fragment line inside the body": {
      text: `${[begin, body[0], "-----BEGIN".repeat(300), ...body.slice(1), end].join("\n")}\n`,
      says: /starts like a PEM marker \(line 3,/,
    },
    "fragment line before END": {
      text: `${[begin, ...body, "-----BEGIN".repeat(300), end].join("\n")}\n`,
      says: new RegExp(`starts like a PEM marker \\(line ${lines.length},`),
    },
    "no = padding": { text: ca.replace(/=+\n-----END/, "\n-----END"), says: /without its `=` padding/ },
  };
  it.for(Object.keys(CASES))("%s: Go reads no block; the damaged-block error names the cause", async (name, ctx) => {
    needTool(ctx, "go");
    const { text, says } = CASES[name as keyof typeof CASES];
    expect(text).not.toBe(ca);
    expect(goBlocks(text)).toEqual([]);
    expect(readable(text)).toEqual([]);
    for (const input of [{ pem: text }, { kubeconfig: kubeconfig(text) }]) {
      const r = await audit(input, { at: AT, subtle: crypto.subtle });
      const bad = r.findings.filter((x) => x.code === "input.bad-pem-block");
      expect(bad).toHaveLength(1);
      expect(bad[0]!.message).toMatch(says);
    }
  });

  it("/v1/verify: a certificate field Go cannot read is a 422 whose detail names the cause", async () => {
    const err = await verifyCertificate(
      { certificate: CASES["no = padding"].text, trustAnchors: ca },
      { at: AT, subtle: crypto.subtle },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(InputProblem);
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/input\.bad-pem-block: .*without its `=` padding/);
  });
});

describe("base64 of a DER certificate without its = padding", () => {
  const der = Buffer.from(body.join(""), "base64");
  const padded = der.toString("base64");
  const unpadded = padded.replace(/=+$/, "");

  it("Go's base64.StdEncoding and coreutils base64 refuse it; openssl base64 drops bytes", (ctx) => {
    needTool(ctx, "go");
    needTool(ctx, "openssl");
    expect(unpadded).not.toBe(padded);
    const go = JSON.parse(run(goOracle("base64-std"), [], { input: JSON.stringify([padded, unpadded]) }).stdout);
    expect(go.map((r: { ok: boolean }) => r.ok)).toEqual([true, false]);
    expect(run("base64", ["-d"], { input: unpadded }).status).not.toBe(0);
    const f = join(tmp, "unpadded.b64");
    writeFileSync(f, unpadded);
    const o = spawnBytes("openssl", ["base64", "-d", "-A", "-in", f]);
    expect(o.length).toBeLessThan(der.length);
  });

  it("is read, with a warning that names the missing padding (none for the padded text)", async () => {
    for (const [text, want] of [
      [padded, []],
      [unpadded, ["input.base64-unpadded"]],
    ] as const) {
      const r = await audit({ pem: text }, { at: AT, subtle: crypto.subtle });
      expect(r.certificates).toHaveLength(1);
      expect(r.findings.filter((x) => x.code === "input.base64-unpadded").map((x) => x.code)).toEqual(want);
      const v = await verifyCertificate({ certificate: text, trustAnchors: ca }, { at: AT, subtle: crypto.subtle });
      expect(v.findings.filter((x) => x.code === "input.base64-unpadded").map((x) => x.path)).toEqual(want.length ? ["certificate"] : []);
    }
  });
});

function spawnBytes(cmd: string, args: string[]): Buffer {
  return spawnSync(cmd, args).stdout;
}
