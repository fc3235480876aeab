// No input produces a 500, a hang or a stack trace: mutated real inputs through the HTTP app.
// Deterministic (seeded) and bounded: a fixed number of cases, each a normal request.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.ts";

const fx = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url));
const SEEDS = [
  fx("e2e-users/kubeconfig.yaml"),
  fx("e2e-users/kubeconfig.json"),
  fx("pem-bundle/bundle.pem"),
  fx("intermediate/client.crt"),
];
const DER = Buffer.from(
  fx("e2e-users/ca.crt")
    .toString("utf8")
    .replace(/-----[^-]+-----|\s/g, ""),
  "base64",
);

/** mulberry32: a small seeded PRNG so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = Uint8Array.from(src);
  const kind = Math.floor(r() * 5);
  const n = 1 + Math.floor(r() * 8);
  if (kind === 0) for (let i = 0; i < n; i++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
  if (kind === 1) return b.subarray(0, Math.floor(r() * b.length));
  if (kind === 2) {
    const at = Math.floor(r() * b.length);
    const len = Math.floor(r() * 64);
    return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + len)]);
  }
  if (kind === 3) {
    const at = Math.floor(r() * b.length);
    const chunk = b.subarray(at, at + Math.floor(r() * 200));
    return Uint8Array.from([...b.subarray(0, at), ...chunk, ...chunk, ...b.subarray(at)]);
  }
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * b.length);
    b[at] = (b[at] ?? 0) ^ (1 << Math.floor(r() * 8));
  }
  return b;
}

describe("robustness", () => {
  const app = createApp();
  const env = { MAX_BODY_BYTES: "1048576" };
  const types = ["application/yaml", "application/json", "application/x-pem-file", "application/pkix-cert", ""];

  it("answers every mutated input with a report or a 4xx problem, never a 500", async () => {
    const r = rng(20261128);
    const seen: Record<number, number> = {};
    for (let i = 0; i < 600; i++) {
      const seed = i % 5 === 4 ? DER : SEEDS[i % SEEDS.length]!;
      const body = mutate(seed, r) as Uint8Array<ArrayBuffer>;
      const type = types[Math.floor(r() * types.length)]!;
      const res = await app.request(
        "/v1/audit?at=2026-06-01T00:00:00Z",
        { method: "POST", body, headers: type ? { "content-type": type } : {} },
        env,
      );
      seen[res.status] = (seen[res.status] ?? 0) + 1;
      const text = await res.text();
      expect([200, 400, 413, 415, 422], `case ${i} (${type}) -> ${res.status}: ${text.slice(0, 200)}`).toContain(res.status);
      expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
    }
    console.log("status counts over 600 mutated inputs:", seen);
    expect(seen[200]).toBeGreaterThan(50);
  });

  it("mutated envelopes to /v1/verify", async () => {
    const r = rng(7);
    const cert = fx("e2e-users/apiserver.crt").toString("utf8");
    const ca = fx("e2e-users/ca.crt").toString("utf8");
    for (let i = 0; i < 150; i++) {
      const m = new TextDecoder().decode(mutate(new TextEncoder().encode(cert), r));
      const res = await app.request(
        "/v1/verify",
        {
          method: "POST",
          body: JSON.stringify({ certificate: m, trustAnchors: ca, serverName: "127.0.0.1", at: "2026-06-01T00:00:00Z" }),
          headers: { "content-type": "application/json" },
        },
        env,
      );
      expect([200, 400, 422]).toContain(res.status);
    }
  });
});
