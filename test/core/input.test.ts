// Input handling: PEM scanning, strict DER, safe YAML, detection, private keys, redaction.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { assertStrictDer, DerError, encodeTlv } from "../../src/core/encoding/der.ts";
import { scanPem } from "../../src/core/encoding/pem.ts";
import { InputProblem } from "../../src/core/errors.ts";
import { detect } from "../../src/core/input/detect.ts";
import { stripSecrets } from "../../src/core/input/redact.ts";
import { parseYaml } from "../../src/core/input/yaml.ts";
import { keyMatchesCert, readPrivateKey } from "../../src/core/keys/private.ts";
import { parseCertificate } from "../../src/core/x509/cert.ts";

const fx = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), "utf8");
const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));
const AT = new Date("2026-06-01T00:00:00Z");
const problemCode = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputProblem) return e.code;
    throw e;
  }
  return null;
};

describe("PEM scanner", () => {
  const ca = fx("e2e-users/ca.crt");
  it("reads blocks with CRLF, a BOM, blank lines and text between them", () => {
    const text = `\ufeffsubject=CN = kubernetes\r\n\r\n${ca.replace(/\n/g, "\r\n")}\r\nsome notes\r\n\r\n${ca}`;
    const scan = scanPem(text);
    expect(scan.blocks.map((b) => [b.label, b.problem, b.der?.length])).toEqual([
      ["CERTIFICATE", undefined, scan.blocks[0]!.der!.length],
      ["CERTIFICATE", undefined, scan.blocks[0]!.der!.length],
    ]);
    expect(scan.strayLines).toBe(2);
  });
  it("splits END and BEGIN on one line (files concatenated without a final newline)", () => {
    expect(scanPem(ca.trim() + ca).blocks).toHaveLength(2);
  });
  it("reports unterminated, mismatched and non-base64 blocks", () => {
    expect(scanPem("-----BEGIN CERTIFICATE-----\nMIIB\n").blocks[0]!.problem).toBe("unterminated");
    expect(scanPem("-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----\n").blocks[0]!.problem).toBe("label-mismatch");
    expect(scanPem("-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n").blocks[0]!.problem).toBe("bad-base64");
  });
  it("reads legacy encryption headers", () => {
    const b = scanPem(fx("keys/rsa-encrypted-legacy.pem")).blocks[0]!;
    expect(b.headers["Proc-Type"]).toBe("4,ENCRYPTED");
  });
  it("stays linear on one crafted 1 MB line (the input hazard in @peculiar/x509's regex)", () => {
    const evil = `-----BEGIN ${"A".repeat(1_000_000)}`;
    const t0 = performance.now();
    const scan = scanPem(evil);
    // Correctness assertion; the time is printed for information, not asserted.
    expect(scan.blocks).toHaveLength(0);
    console.log(`scanPem on a 1 MB line: ${(performance.now() - t0).toFixed(1)} ms`);
  });
});

describe("strict DER", () => {
  const der = scanPem(fx("e2e-users/ca.crt")).blocks[0]!.der!;
  it("accepts a real certificate and computes OpenSSL's fingerprint as the id", async () => {
    const c = await parseCertificate(der, digest);
    expect(c.id).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  it("rejects trailing bytes, indefinite lengths and non-minimal lengths", async () => {
    const trailing = new Uint8Array([...der, 0x00]);
    expect(() => assertStrictDer(trailing)).toThrow(DerError);
    await expect(parseCertificate(trailing, digest)).rejects.toThrow(/trailing/);
    expect(() => assertStrictDer(new Uint8Array([0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00]))).toThrow(/indefinite/);
    expect(() => assertStrictDer(new Uint8Array([0x30, 0x81, 0x03, 0x02, 0x01, 0x01]))).toThrow(/non-minimal/);
    expect(() => assertStrictDer(encodeTlv(0x30, new Uint8Array([0x02, 0x05, 0x01])))).toThrow(/past the end/);
  });
  it("bounds nesting depth", () => {
    let x: Uint8Array = new Uint8Array([0x05, 0x00]);
    for (let i = 0; i < 100; i++) x = encodeTlv(0x30, x);
    expect(() => assertStrictDer(x)).toThrow(/deep/);
  });
});

describe("safe YAML", () => {
  it("rejects aliases, tags, directives, duplicate keys and several documents with positions", () => {
    expect(problemCode(() => parseYaml("a: &x 1\nb: *x\n"))).toBe("input.yaml-unsafe");
    expect(problemCode(() => parseYaml("a: !!binary aGk=\n"))).toBe("input.yaml-unsafe");
    expect(problemCode(() => parseYaml("%YAML 1.1\n---\na: 1\n"))).toBe("input.yaml-unsafe");
    expect(problemCode(() => parseYaml("a: 1\na: 2\n"))).toBe("input.yaml-syntax");
    expect(problemCode(() => parseYaml("a: 1\n---\nb: 2\n"))).toBe("input.yaml-syntax");
  });
  it("bounds nesting before parsing (a billion brackets cannot blow the stack)", () => {
    expect(problemCode(() => parseYaml(`a: ${"[".repeat(100_000)}`))).toBe("input.yaml-unsafe");
  });
  it("never quotes the input in its errors (lines can hold tokens)", () => {
    try {
      parseYaml("users:\n- name: a\n  user:\n    token: s3cr3t\n   broken: [\n");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputProblem);
      expect((e as InputProblem).message).not.toContain("s3cr3t");
      expect((e as InputProblem).line).toBeGreaterThan(0);
    }
  });
});

describe("detection by content", () => {
  it("tells kubeconfig YAML, JSON, PEM, base64 DER and binary DER apart", () => {
    expect(detect(fx("e2e-users/kubeconfig.yaml"), "x").kind).toBe("kubeconfig");
    expect(detect(fx("e2e-users/kubeconfig.json"), "x")).toMatchObject({ kind: "kubeconfig", format: "json" });
    expect(detect(fx("pem-bundle/bundle.pem"), "x").kind).toBe("pem");
    const der = scanPem(fx("e2e-users/ca.crt")).blocks[0]!.der!;
    expect(detect(der, "x")).toMatchObject({ kind: "der", encoding: "binary" });
    expect(detect(Buffer.from(der).toString("base64"), "x")).toMatchObject({ kind: "der", encoding: "base64" });
    expect(problemCode(() => detect(new Uint8Array([0xff, 0xfe, 0x00, 0x01]), "x"))).toBe("input.unrecognized");
    expect(problemCode(() => detect('{"hello": 1}', "x"))).toBe("input.not-kubeconfig");
  });
  it("audits kubectl's JSON output like its YAML", async () => {
    const [y, j] = await Promise.all([
      audit({ kubeconfig: fx("e2e-users/kubeconfig.yaml") }, { at: AT, subtle: crypto.subtle }),
      audit({ kubeconfig: fx("e2e-users/kubeconfig.json") }, { at: AT, subtle: crypto.subtle }),
    ]);
    expect(j.contexts).toEqual(y.contexts);
  });
  it("reports kubectl config view placeholders", async () => {
    const r = await audit({ kubeconfig: fx("multi-context/view-redacted.yaml") }, { at: AT, subtle: crypto.subtle });
    expect(r.findings.map((f) => f.code)).toContain("input.placeholder-data");
  });
});

describe("private keys", () => {
  const cert = async (p: string) => parseCertificate(scanPem(fx(p)).blocks[0]!.der!, digest);
  const key = async (p: string) => readPrivateKey(scanPem(fx(p)).blocks[0]!, crypto.subtle);
  it.each([
    ["keys/rsa-pkcs1.pem", "keys/rsa.crt", "pkcs1", "RSA"],
    ["keys/rsa-pkcs8.pem", "keys/rsa.crt", "pkcs8", "RSA"],
    ["keys/ec-sec1.pem", "keys/ec.crt", "sec1", "EC"],
    ["keys/ec-pkcs8.pem", "keys/ec.crt", "pkcs8", "EC"],
    ["keys/ec384-sec1.pem", "keys/ec384.crt", "sec1", "EC"],
    ["keys/ed25519-pkcs8.pem", "keys/ed25519.crt", "pkcs8", "Ed25519"],
  ])("%s matches %s", async (k, c, format, algorithm) => {
    const pk = await key(k);
    expect(pk.info).toMatchObject({ format, algorithm, encrypted: false });
    expect(keyMatchesCert(pk, await cert(c))).toBe(true);
    expect(keyMatchesCert(pk, await cert(c === "keys/rsa.crt" ? "keys/ec.crt" : "keys/rsa.crt"))).toBe(false);
  });
  it("recognises encrypted keys without trying to use them", async () => {
    expect((await key("keys/rsa-encrypted-legacy.pem")).info).toMatchObject({
      format: "encrypted-legacy",
      encrypted: true,
      publicKeyFingerprint: null,
    });
    expect((await key("keys/ec-encrypted-pkcs8.pem")).info).toMatchObject({ format: "encrypted-pkcs8", encrypted: true });
  });
  it("never returns key bytes", async () => {
    const pk = await key("keys/rsa-pkcs1.pem");
    const body = fx("keys/rsa-pkcs1.pem").split("\n")[1]!;
    expect(JSON.stringify(pk.info)).not.toContain(body.slice(0, 30));
  });
});

describe("stripSecrets", () => {
  it("removes keys, tokens and passwords from a kubeconfig and keeps the certificates", async () => {
    const r = stripSecrets(fx("multi-context/kubeconfig.yaml"));
    expect(r.complete).toBe(true);
    expect(r.removed.length).toBeGreaterThan(0);
    const original = fx("multi-context/kubeconfig.yaml");
    for (const secret of original.match(/(client-key-data|token|password): (\S+)/g) ?? [])
      expect(r.text).not.toContain(secret.split(": ")[1]!);
    expect(r.text).toContain("client-key-data: certaudit:stripped");
    const report = await audit({ kubeconfig: r.text }, { at: AT, subtle: crypto.subtle });
    expect(report.certificates.length).toBeGreaterThan(0);
    // A stripped key is withheld, not missing: no cert-without-key error, keyMatches unknown.
    const codes = report.findings.map((f) => f.code);
    expect(codes).not.toContain("kubeconfig.cert-without-key");
    expect(codes).toContain("input.secret-stripped");
    const e2e = await audit({ kubeconfig: stripSecrets(fx("e2e-users/kubeconfig.yaml")).text }, { at: AT, subtle: crypto.subtle });
    expect(e2e.verdict).toBe("pass");
    expect(e2e.contexts[0]!.client.keyMatches).toBeNull();
  });
  it("removes private key blocks from PEM and JSON kubeconfigs", () => {
    const p = stripSecrets(fx("pem-bundle/bundle.pem"));
    expect(p.text).not.toContain("PRIVATE KEY");
    expect(p.text).toContain("BEGIN CERTIFICATE");
    const j = stripSecrets(fx("e2e-users/kubeconfig.json"));
    expect(j.text).toContain('"client-key-data": "certaudit:stripped"');
  });
  it("says when it could not read the input, so callers refuse to upload", () => {
    expect(stripSecrets("apiVersion: v1\nusers: [\n  token: x").complete).toBe(false);
  });
});
