// The PEM scanner against Go's encoding/pem (test/oracles/pem-decode.go: what kubectl and
// kube-apiserver read) and openssl: a block we mark readable by tools is exactly a block Go reads;
// the rest we still read, marked (one-line PEM, joined markers), or ignore (BEGIN in a comment).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { scanPem } from "../../src/core/encoding/pem.ts";
import { goOracle, needTool, run } from "./helpers/tools.ts";

const fx = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), "utf8");
const AT = new Date("2026-06-01T00:00:00Z");
const tmp = mkdtempSync(join(tmpdir(), "certaudit-pem-oracle-"));
const ca = fx("e2e-users/ca.crt");
const client = fx("e2e-users/client.crt");

const CASES: Record<string, string> = {
  plain: ca + client,
  crlf: (ca + client).replace(/\n/g, "\r\n"),
  "text dump": `Certificate:\n    Data: ...\n${ca}`,
  "BEGIN in a comment": `#-----BEGIN SERIAL-----\n${ca}`,
  "BEGIN quoted mid-line": `see -----BEGIN CERTIFICATE----- below\n${ca}`,
  "one line (tr -d '\\n')": (ca + client).replace(/\n/g, ""),
  "one line after text": `subject=CN = kubernetes${ca.replace(/\n/g, "")}`,
  "joined without final newline": ca.trimEnd() + client,
  "three joined, last on its own line": ca.trimEnd() + client + ca.replace("MII", "MII"),
  indented: ca.replace(/^/gm, "  ") + client,
  "BEGIN inside an unterminated block": ca.replace(/-----END CERTIFICATE-----\n/, "") + client,
  "trailing spaces and tabs after markers": (ca + client).replace(/-----$/gm, "-----  \t"),
  "text after a BEGIN marker": ca.replace("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE----- (the CA)") + client,
  "old Mac line endings (CR only)": (ca + client).replace(/\n/g, "\r"),
  "unpadded body": ca.replace(/=+\n-----END/, "\n-----END") + client,
};

function goBlocks(text: string, encoding: BufferEncoding = "utf8"): { type: string; bytes: number }[] {
  const f = join(tmp, "in.pem");
  writeFileSync(f, Buffer.from(text, encoding));
  const r = run(goOracle("pem-decode"), [f]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout).blocks;
}

describe("scanPem agrees with Go's pem.Decode on which blocks tools read", () => {
  it.for(Object.keys(CASES))("%s", (name, ctx) => {
    needTool(ctx, "go");
    const text = CASES[name]!;
    const ours = scanPem(text)
      .blocks.filter((b) => !b.problem && !b.unreadableByTools)
      .map((b) => ({ type: b.label, bytes: b.der!.length }));
    expect(ours).toEqual(goBlocks(text));
  });
});

describe("the real-world corpus files, as Go's pem.Decode reads their bytes", () => {
  const dir = new URL("../fixtures/real-world/", import.meta.url).pathname;
  // UTF-16 is decoded before scanning (and named by input.utf16-pem); PKCS#7 is not PEM-of-certificates to Go.
  const files = readdirSync(dir).filter((f) => f.endsWith(".pem") && !f.startsWith("utf16"));
  it.for(files)("%s", (file, ctx) => {
    needTool(ctx, "go");
    const bytes = readFileSync(join(dir, file));
    const ours = scanPem(bytes.toString("latin1"))
      .blocks.filter((b) => !b.problem && !b.unreadableByTools)
      .map((b) => ({ type: b.label, bytes: b.der!.length }));
    expect(ours).toEqual(goBlocks(bytes.toString("latin1"), "latin1"));
  });
});

describe("what we read beyond the tools is named", () => {
  it("one-line PEM (curl -d, tr -d '\\n'): openssl finds 0 certificates, we audit both with a warning", async (ctx) => {
    needTool(ctx, "openssl");
    const text = CASES["one line (tr -d '\\n')"]!;
    const f = join(tmp, "one.pem");
    writeFileSync(f, text);
    expect(run("openssl", ["storeutl", "-noout", "-certs", f]).stdout).toMatch(/Total found: 0/);
    const r = await audit({ pem: text }, { at: AT, subtle: crypto.subtle });
    expect(r.certificates).toHaveLength(2);
    // Said once for the text, naming both blocks.
    const named = r.findings.filter((x) => x.code === "input.pem-no-line-breaks");
    expect(named.map((x) => x.severity)).toEqual(["warning"]);
    expect(named[0]!.message).toContain("2 blocks (CERTIFICATE at pem[0], CERTIFICATE at pem[1])");
    expect(named[0]!.message).toContain("--data-binary");
    expect(r.findings.map((x) => x.code)).not.toContain("input.stray-text");
  });
  it("a BEGIN marker in a comment is text, as for openssl (1 certificate, no damaged block)", async (ctx) => {
    needTool(ctx, "openssl");
    const text = CASES["BEGIN in a comment"]!;
    const f = join(tmp, "comment.pem");
    writeFileSync(f, text);
    expect(run("openssl", ["storeutl", "-noout", "-certs", f]).stdout).toMatch(/Total found: 1/);
    const r = await audit({ pem: text }, { at: AT, subtle: crypto.subtle });
    expect(r.certificates).toHaveLength(1);
    expect(r.findings.filter((x) => x.severity === "error")).toEqual([]);
  });
  it("joined markers: Go reads neither block, we read both and say so", async (ctx) => {
    needTool(ctx, "go");
    const text = CASES["joined without final newline"]!;
    expect(goBlocks(text)).toEqual([]);
    const r = await audit({ pem: text }, { at: AT, subtle: crypto.subtle });
    expect(r.certificates).toHaveLength(2);
    expect(r.findings.filter((x) => x.code === "input.pem-marker-not-alone")).toHaveLength(1);
  });
});
