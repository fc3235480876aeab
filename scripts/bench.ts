// `npm run bench`: prints how long the audit takes on realistic inputs (figures, not a test).
// Node's WebCrypto; inside workerd the figures are of the same order (see docs/performance.md).
import { existsSync, readFileSync } from "node:fs";
import { audit } from "../src/core/audit.ts";
import { scanPem } from "../src/core/encoding/pem.ts";
import { parseCertificate } from "../src/core/x509/cert.ts";

const at = new Date("2026-06-01T00:00:00Z");
const fx = (p: string) => readFileSync(new URL(`../test/fixtures/${p}`, import.meta.url), "utf8");
const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));

async function time(name: string, runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(3, runs); i++) await fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  const p = (q: number) => t[Math.min(t.length - 1, Math.floor(q * t.length))]!.toFixed(2);
  console.log(`${name.padEnd(58)} median ${p(0.5).padStart(8)} ms   p90 ${p(0.9).padStart(8)} ms   (${runs} runs)`);
}

const kubeconfig = fx("e2e-users/kubeconfig.yaml");
const clientCA = fx("e2e-users/client-ca.crt");
const server = fx("e2e-users/apiserver.crt");
const multi = fx("multi-context/kubeconfig.yaml");
const der = scanPem(fx("e2e-users/ca.crt")).blocks[0]!.der!;

console.log(`certaudit bench on Node ${process.versions.node}`);
await time("parse one RSA-2048 certificate (strict DER + model)", 2000, () => parseCertificate(der, digest));
await time("audit kubeconfig (3 certs, both verdicts)", 300, () => audit({ kubeconfig, clientCA, serverCertificate: server }, { at, subtle: crypto.subtle }));
await time("audit kubeconfig, 3 contexts (kubectl --flatten)", 200, () => audit({ kubeconfig: multi }, { at, subtle: crypto.subtle }));
const bundle = "/etc/ssl/certs/ca-certificates.crt";
if (existsSync(bundle)) {
  const text = readFileSync(bundle, "utf8");
  const n = scanPem(text).blocks.length;
  await time(`audit the system CA bundle (${n} roots)`, 20, () => audit({ pem: text }, { at, subtle: crypto.subtle }));
}
const big = `-----BEGIN CERTIFICATE-----\n${"A".repeat(216 * 1024)}`;
await time("scan a crafted 216 KB single-line PEM (the quadratic hazard)", 50, async () => scanPem(big));

// Worst cases the limits exist for: a pile of look-alike CAs and many contexts (generated here).
const { issue, kubeadmPki, kubeconfig: writeKubeconfig } = await import("../test/helpers/pki.ts");
const pki = await kubeadmPki();
const lookalikes: string[] = [];
for (let i = 0; i < 150; i++) lookalikes.push((await issue({ subject: "CN=kubernetes", ca: true })).pem);
const many = writeKubeconfig({
  clusters: [{ name: "c", ca: [pki.ca] }],
  users: [{ name: "u", cert: pki.client }],
  contexts: Array.from({ length: 150 }, (_, i) => ({ name: `ctx-${i}`, cluster: "c", user: "u" })),
  current: "ctx-0",
});
await time("crafted: 150 contexts, 150 look-alike CAs in clientCA", 5, () => audit({ kubeconfig: many, clientCA: lookalikes.join(""), serverCertificate: pki.server.pem }, { at, subtle: crypto.subtle }));
await time("crafted: 150 look-alike CAs as a PEM bundle with one leaf", 5, () => audit({ pem: pki.client.pem + lookalikes.join("") }, { at, subtle: crypto.subtle }));
