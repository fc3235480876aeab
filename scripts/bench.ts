// `npm run bench`: how long the audit takes in Node on realistic and crafted inputs, beside
// node:crypto (native parse + verify) and @peculiar/x509 (parse + read fields + verify) on the
// same certificates in the same run. Prints one table with figures and ratios, and writes
// bench-out/node.json. Run with --expose-gc (the npm script does) for the heap figure.
// A benchmark, not a test. `npm run bench:workerd` measures the same inputs inside workerd.
import { cpus, totalmem } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { audit } from "../src/core/audit.ts";
import { scanPem } from "../src/core/encoding/pem.ts";
import { parseCertificate } from "../src/core/x509/cert.ts";
import { benchInputs, certificateDers, fx, ROOT } from "./bench-inputs.ts";
import { issuerIndexes, nativeParseVerify, peculiarParseVerify } from "./bench-baselines.ts";

const at = new Date("2026-06-01T00:00:00Z");
const opts = { at, subtle: crypto.subtle };
const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));

/** CPU time of this process (all its threads: WebCrypto's pool included), in ms. */
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Median and p90 in ms of `runs` calls after up to 3 warm-up calls: CPU time of the process
 * (robust on a shared machine, comparable with workerd's CPU figures), and the wall-clock median.
 */
async function time(
  runs: number,
  fn: () => unknown,
  warm = Math.min(3, runs),
): Promise<{ median: number; p90: number; wall: number; runs: number }> {
  for (let i = 0; i < warm; i++) await fn();
  const t: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = cpuNow();
    const t0 = performance.now();
    await fn();
    w.push(performance.now() - t0);
    t.push(cpuNow() - c0);
  }
  t.sort((a, b) => a - b);
  w.sort((a, b) => a - b);
  const q = (p: number) => t[Math.min(t.length - 1, Math.floor(p * t.length))]!;
  return { median: q(0.5), p90: q(0.9), wall: w[Math.floor(w.length / 2)]!, runs };
}
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
const us = (x: number) => `${(x * 1000).toFixed(0)} µs`;

const machine = {
  cpu: cpus()[0]?.model ?? "?",
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.versions.node,
};
console.log(
  `certaudit bench on Node ${machine.node}, ${machine.cores} × ${machine.cpu}; figures are CPU time of the process (median), wall-clock where said\n`,
);

// 1. The audit beside the baselines, per input.
const rows: Record<string, unknown>[] = [];
console.log(
  "| input | certs | certaudit audit | per cert | node:crypto per cert | certaudit ÷ native | @peculiar/x509 per cert | peculiar ÷ certaudit |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
);
for (const input of await benchInputs()) {
  const ders = certificateDers(input.pems);
  const n = ders.length;
  const issuers = issuerIndexes(ders);
  const big = n >= 1000;
  const ours = await time(n >= 5000 ? 3 : big ? 5 : n > 100 ? 20 : 300, () => audit(input.audit, opts), big ? 1 : 3);
  const native = await time(big ? 5 : n > 100 ? 20 : 300, () => nativeParseVerify(ders, issuers));
  const peculiar = await time(big ? 1 : n > 100 ? 3 : 50, () => peculiarParseVerify(ders, issuers), 1);
  const row = {
    input: input.name,
    certificates: n,
    auditMs: ours.median,
    auditP90Ms: ours.p90,
    auditWallMs: ours.wall,
    perCertMs: ours.median / n,
    nativePerCertMs: native.median / n,
    peculiarPerCertMs: peculiar.median / n,
    ratioToNative: ours.median / native.median,
    peculiarToOurs: peculiar.median / ours.median,
    runs: ours.runs,
  };
  rows.push(row);
  console.log(
    `| ${input.name} | ${n} | ${ms(ours.median)} | ${us(row.perCertMs)} | ${us(row.nativePerCertMs)} | ${row.ratioToNative.toFixed(2)}× | ${us(row.peculiarPerCertMs)} | ${row.peculiarToOurs.toFixed(1)}× |`,
  );
}
const r1 = rows.find((r) => r.certificates === 1000) as { auditMs: number } | undefined;
const r5 = rows.find((r) => r.certificates === 5000) as { auditMs: number } | undefined;
const slope = r1 && r5 ? Math.log(r5.auditMs / r1.auditMs) / Math.log(5) : null;
if (slope !== null) console.log(`\nlog-log slope of the audit time from 1,000 to 5,000 certificates: ${slope.toFixed(2)}`);

// 2. Heap kept alive by one 5,000-certificate audit (the report held, after a full GC).
let heapKeptMiB: number | null = null;
let heapPeakMiB: number | null = null;
const gc = (globalThis as { gc?: () => void }).gc;
const five = (await benchInputs()).find((i) => i.name.startsWith("5000"));
if (gc && five) {
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const report = await audit(five.audit, opts);
  clearInterval(timer);
  gc();
  heapKeptMiB = (process.memoryUsage().heapUsed - base) / 2 ** 20;
  heapPeakMiB = (peak - base) / 2 ** 20;
  console.log(
    `heap kept alive after auditing 5,000 certificates (report held, after GC): ${heapKeptMiB.toFixed(1)} MiB; sampled peak during the audit ${heapPeakMiB.toFixed(1)} MiB (report has ${report.certificates.length} certificates, ${report.chains.length} chains)`,
  );
} else if (!gc) console.log("(run with node --expose-gc for the heap figure)");

// 3. Micro-benchmarks and the crafted worst cases the limits exist for.
const micro: Record<string, unknown>[] = [];
const line = async (name: string, runs: number, fn: () => unknown) => {
  const t = await time(runs, fn);
  micro.push({ name, medianMs: t.median, p90Ms: t.p90, wallMs: t.wall, runs });
  console.log(`| ${name} | ${ms(t.median)} | ${ms(t.p90)} | ${ms(t.wall)} | ${runs} |`);
};
console.log("\n| operation | CPU median | CPU p90 | wall median | runs |\n| --- | ---: | ---: | ---: | ---: |");
const der = scanPem(fx("e2e-users/ca.crt")).blocks[0]!.der!;
await line("parse one RSA-2048 certificate (strict DER + model)", 2000, () => parseCertificate(der, digest));
await line("audit a 3-context kubeconfig (kubectl --flatten)", 200, () => audit({ kubeconfig: fx("multi-context/kubeconfig.yaml") }, opts));
const long = `-----BEGIN CERTIFICATE-----\n${"A".repeat(216 * 1024)}`;
await line("scan a crafted 216 KB single-line PEM (the quadratic hazard)", 50, () => scanPem(long));
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
await line("crafted: 150 contexts, 150 look-alike CAs in clientCA", 5, () =>
  audit({ kubeconfig: many, clientCA: lookalikes.join(""), serverCertificate: pki.server.pem }, opts),
);
await line("crafted: 150 look-alike CAs as a PEM bundle with one leaf", 5, () =>
  audit({ pem: pki.client.pem + lookalikes.join("") }, opts),
);

mkdirSync(`${ROOT}bench-out`, { recursive: true });
writeFileSync(
  `${ROOT}bench-out/node.json`,
  `${JSON.stringify({ when: new Date().toISOString(), machine, inputs: rows, slope1000to5000: slope, heapKeptMiB, heapPeakMiB, micro }, null, 2)}\n`,
);
console.log("\nwritten: bench-out/node.json");
