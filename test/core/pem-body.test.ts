// scanPem reads a block's body in one pass (src/core/encoding/pem-body.ts) when it has the common
// shape; the line-by-line reading it replaces is still scanPem's path for every other body, and is
// checked against Go's encoding/pem and openssl (test/node/pem-oracle.test.ts). Here both readings
// of the same texts must give the same scan: blocks (bytes, lines, problems, marks), stray lines
// and broken markers. In Node (no Uint8Array.fromBase64 in Node 24) this is the JavaScript loop;
// test/http/pem-body.test.ts checks the native reading inside workerd on the same texts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCleanBody } from "../../src/core/encoding/pem-body.ts";
import { bothReadings, checkShapes, editedTexts } from "../helpers/pem-body-cases.ts";

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const pemFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return pemFiles(p);
    return readFileSync(p, "latin1").includes("-----BEGIN ") ? [p] : [];
  });
const trustStore = readFileSync(join(FIXTURES, "trust-store/ca-certificates.crt"), "utf8");

describe("scanPem's one-pass body reading (JavaScript loop)", () => {
  it("reads every fixture PEM file as line by line does", () => {
    const files = pemFiles(FIXTURES);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      bothReadings(text);
      bothReadings(text.replace(/\n/g, "\r\n"));
    }
    const scan = bothReadings(trustStore);
    expect(scan.blocks.length).toBeGreaterThan(100);
    expect(scan.blocks.every((b) => b.der !== null && !b.problem)).toBe(true);
  });

  it("takes the one-pass path on every trust store block, to Node's base64 bytes", () => {
    const begin = "-----BEGIN CERTIFICATE-----\n";
    let taken = 0;
    for (let at = trustStore.indexOf(begin); at >= 0; at = trustStore.indexOf(begin, at + 1)) {
      const body = readCleanBody(trustStore, at + begin.length, "CERTIFICATE", false);
      const b64 = trustStore.slice(at + begin.length, trustStore.indexOf("-----END CERTIFICATE-----", at));
      expect(body?.der).toEqual(new Uint8Array(Buffer.from(b64, "base64")));
      taken++;
    }
    expect(taken).toBeGreaterThan(100);
  });

  it("reads edited blocks as line by line does (2,000 edited texts)", () => {
    const blocks = trustStore.match(/-----BEGIN CERTIFICATE-----\n[^-]*-----END CERTIFICATE-----\n/g)!;
    const small = readFileSync(join(FIXTURES, "e2e-users/ca.crt"), "utf8");
    let read = 0;
    for (const text of editedTexts(blocks, small, 2000, 13)) if (bothReadings(text).blocks.some((b) => b.der !== null)) read++;
    expect(read).toBeGreaterThan(500);
  });

  it("refuses bodies outside the common shape", () => checkShapes(false));
});
