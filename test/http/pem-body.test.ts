// Inside workerd, which has Uint8Array.fromBase64: scanPem's one-pass body reading takes the
// native decoder (src/core/encoding/pem-body.ts). It must read what the JavaScript loop reads
// after every line of the texts (the loop is held to the line-by-line reading in Node too,
// test/core/pem-body.test.ts), and scanPem must read what it reads line by line.
import { describe, expect, it } from "vitest";
import { NATIVE_BASE64 } from "../../src/core/encoding/pem-body.ts";
import trustStore from "../fixtures/trust-store/ca-certificates.crt?raw";
import small from "../fixtures/e2e-users/ca.crt?raw";
import { bothReadings, checkShapes, editedTexts, sameCleanBodies } from "../helpers/pem-body-cases.ts";

const PEMS = import.meta.glob("../fixtures/**/*.{pem,crt}", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

describe("scanPem's one-pass body reading inside workerd (native base64)", () => {
  it("has Uint8Array.fromBase64, so the native reading is the one taken", () => {
    expect(NATIVE_BASE64).toBe(true);
  });

  it("reads the fixtures' PEM files as the loop and as line by line", { timeout: 60_000 }, () => {
    expect(Object.keys(PEMS).length).toBeGreaterThan(50);
    for (const text of Object.values(PEMS)) {
      bothReadings(text);
      sameCleanBodies(text, "CERTIFICATE");
    }
    expect(sameCleanBodies(trustStore, "CERTIFICATE")).toBeGreaterThan(100);
  });

  it("reads edited blocks as the loop and as line by line (400 edited texts)", { timeout: 60_000 }, () => {
    const blocks = trustStore.match(/-----BEGIN CERTIFICATE-----\n[^-]*-----END CERTIFICATE-----\n/g)!;
    let read = 0;
    for (const text of editedTexts(blocks, small, 400, 13)) {
      bothReadings(text);
      read += sameCleanBodies(text, "CERTIFICATE");
    }
    expect(read).toBeGreaterThan(200);
  });

  it("refuses the same shapes as the loop", () => checkShapes(true));
});
