// x509-limbo conformance runner: every test case through verifyChain, the same code the service
// uses. Usage: `npm run conformance [-- path/to/limbo.json(.gz)]` or `node scripts/conformance.ts [path]`.
// Writes conformance-out/certaudit.limbo-result.json (upstream result format) and
// conformance-out/misses.json, prints a table by namespace next to the baselines found beside the suite.
//
// Profile per case (see docs/conformance.md): webpki:: -> "webpki" (CA/B Forum rules the namespace
// tests), everything else (rfc5280::, pathlen::, pathological::, bettertls::, cve::, online::, ...)
// -> "rfc5280" (strict RFC 5280, formerly named "kubernetes"). Purpose: validation_kind SERVER -> server (serverAuth), CLIENT ->
// client (clientAuth). Peer names: a SERVER case's expected_peer_name (DNS or IP: serverName), a CLIENT
// case's expected_peer_names (RFC 822: email, each must match). max_chain_depth counts
// intermediates, as maxDepth does (openssl -verify_depth).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { scanPem } from "../src/core/encoding/pem.ts";
import { parseCertificate, type Cert } from "../src/core/x509/cert.ts";
import { SignatureVerifier } from "../src/core/x509/signature.ts";
import { newBudget, parseCrl, verifyChain, type Crl } from "../src/core/verify/index.ts";
import type { ChainResult, Profile, VerifyRequest } from "../src/core/verify/types.ts";
import { PROFILE_NAMES, resolveProfile, type ProfileName } from "../src/core/verify/profile-names.ts";

interface PeerName {
  kind: "DNS" | "IP" | "RFC822";
  value: string;
}
export interface LimboCase {
  id: string;
  features?: string[];
  description?: string;
  validation_kind: "SERVER" | "CLIENT";
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  expected_peer_name: PeerName | null;
  expected_peer_names?: PeerName[];
  extended_key_usage: string[];
  max_chain_depth: number | null;
  crls?: string[];
  expected_result: "SUCCESS" | "FAILURE";
  conflicts_with?: string[];
}

export interface CaseOutcome {
  id: string;
  actual: "SUCCESS" | "FAILURE" | "SKIPPED";
  context: string;
  profile?: Profile;
  result?: ChainResult;
}

/** Cases not run, each with its reason. Nothing here is a WebCrypto-verifiable case we merely fail. */
export function skipReason(tc: LimboCase): string | null {
  if (tc.features?.includes("pedantic-public-suffix-wildcard")) return "needs the Public Suffix List, which the validator does not bundle";
  return null;
}

/** `--profile=go` (or rfc5280/webpki; "kubernetes" is the alias of go) runs every case under one profile, for comparing with a baseline. */
const forcedName = process.argv.find((a) => a.startsWith("--profile="))?.slice("--profile=".length) as ProfileName | undefined;
if (forcedName !== undefined && !(PROFILE_NAMES as readonly string[]).includes(forcedName))
  throw new Error(`--profile must be one of ${PROFILE_NAMES.join(", ")}`);
const forced = forcedName === undefined ? undefined : resolveProfile(forcedName);

/** The profile a case runs under: `profile` (or --profile=) when given, else by namespace. */
export function profileFor(tc: LimboCase, profile: Profile | undefined = forced): Profile {
  if (profile) return profile;
  return tc.id.startsWith("webpki::") ? "webpki" : "rfc5280";
}

/**
 * The peer names a case asks for: a SERVER case's expected_peer_name, a CLIENT case's
 * expected_peer_names (each must match: the RFC 822 cases give one or two mailboxes).
 */
export function peerNames(tc: LimboCase): PeerName[] {
  if (tc.validation_kind === "SERVER") return tc.expected_peer_name ? [tc.expected_peer_name] : [];
  return tc.expected_peer_names ?? [];
}

const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));

/** Parses every CERTIFICATE block of a PEM text; unparseable ones are dropped (null when none). */
export async function parsePem(pem: string, cache?: Map<string, Promise<Cert[]>>): Promise<Cert[]> {
  const hit = cache?.get(pem);
  if (hit) return hit;
  const p = (async () => {
    const out: Cert[] = [];
    for (const b of scanPem(pem).blocks) {
      if (b.label !== "CERTIFICATE" || !b.der) continue;
      try {
        out.push(await parseCertificate(b.der, digest));
      } catch {
        // A certificate that fails to parse cannot be used to build a path.
      }
    }
    return out;
  })();
  cache?.set(pem, p);
  return p;
}

export async function runCase(
  tc: LimboCase,
  verifier: SignatureVerifier,
  cache?: Map<string, Promise<Cert[]>>,
  now = new Date(),
  asProfile?: Profile,
): Promise<CaseOutcome> {
  const skip = skipReason(tc);
  if (skip) return { id: tc.id, actual: "SKIPPED", context: skip };
  const profile = profileFor(tc, asProfile ?? forced);
  const [leaf] = await parsePem(tc.peer_certificate, cache);
  if (!leaf) return { id: tc.id, actual: "FAILURE", context: "the peer certificate does not parse", profile };
  const anchors = (await Promise.all(tc.trusted_certs.map((p) => parsePem(p, cache)))).flat();
  const intermediates = (await Promise.all(tc.untrusted_intermediates.map((p) => parsePem(p, cache)))).flat();
  const crls: Crl[] = [];
  for (const pem of tc.crls ?? [])
    for (const b of scanPem(pem).blocks) {
      if (b.label !== "X509 CRL" || !b.der) continue;
      try {
        crls.push(parseCrl(b.der));
      } catch {
        return { id: tc.id, actual: "FAILURE", context: "a supplied CRL does not parse, so revocation status is unknown", profile };
      }
    }
  const base: VerifyRequest = {
    leaf,
    intermediates,
    anchors,
    at: tc.validation_time ? new Date(tc.validation_time) : now,
    purpose: tc.validation_kind === "CLIENT" ? "client" : "server",
    profile,
    budget: newBudget(),
    verifier,
    ...(crls.length ? { crls } : {}),
    ...(tc.max_chain_depth !== null && tc.max_chain_depth !== undefined ? { maxDepth: tc.max_chain_depth } : {}),
  };
  // One validation per expected peer name (DNS or IP: serverName; RFC 822: email, as
  // /v1/verify's email field), each with its own budget; the case succeeds when all do.
  const names = peerNames(tc);
  let result: ChainResult | null = null;
  for (const n of names.length ? names : [null]) {
    const named = n === null ? {} : n.kind === "RFC822" ? { email: n.value } : { serverName: n.value };
    result = await verifyChain({ ...base, budget: newBudget(), ...named });
    if (!result.valid) break;
  }
  if (!result) throw new Error("unreachable: at least one validation runs");
  const context = result.valid
    ? `valid via ${result.path.length} certificate(s)`
    : `${result.status}: ${result.reason?.code} ${result.reason?.message ?? ""}`;
  return { id: tc.id, actual: result.valid ? "SUCCESS" : "FAILURE", context, profile, result };
}

export function loadSuite(path: string): { testcases: LimboCase[] } {
  const raw = readFileSync(path);
  const text = path.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
  return JSON.parse(text) as { testcases: LimboCase[] };
}

/** Every case under `profile` (or by namespace when undefined). `actual` holds ERROR for a throw. */
export async function runSuite(
  cases: LimboCase[],
  profile?: Profile,
  cache = new Map<string, Promise<Cert[]>>(),
): Promise<{ outcomes: CaseOutcome[]; actual: Map<string, string>; slow: { id: string; ms: number }[] }> {
  const verifier = new SignatureVerifier(crypto.subtle);
  const outcomes: CaseOutcome[] = [];
  const actual = new Map<string, string>();
  const slow: { id: string; ms: number }[] = [];
  for (const tc of cases) {
    const s = performance.now();
    let o: CaseOutcome;
    try {
      o = await runCase(tc, verifier, cache, new Date(), profile);
    } catch (e) {
      o = { id: tc.id, actual: "FAILURE", context: `ERROR ${e instanceof Error ? e.stack : String(e)}` };
      actual.set(tc.id, "ERROR");
    }
    const ms = performance.now() - s;
    if (ms > 50) slow.push({ id: tc.id, ms });
    if (!actual.has(tc.id)) actual.set(tc.id, o.actual);
    outcomes.push({ id: o.id, actual: o.actual, context: o.context, ...(o.profile ? { profile: o.profile } : {}) });
  }
  return { outcomes, actual, slow };
}

export interface Row {
  total: number;
  pass: number;
  falseAccept: number;
  falseReject: number;
  skipped: number;
  errors: number;
}
const emptyRow = (): Row => ({ total: 0, pass: 0, falseAccept: 0, falseReject: 0, skipped: 0, errors: 0 });

export function tally(cases: LimboCase[], actual: Map<string, string>): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const tc of cases) {
    const ns = tc.id.split("::")[0]!;
    for (const key of [ns, "TOTAL"]) {
      const r = rows.get(key) ?? emptyRow();
      rows.set(key, r);
      r.total++;
      const a = actual.get(tc.id);
      if (a === undefined || a === "ERROR") r.errors++;
      else if (a === "SKIPPED") r.skipped++;
      else if (a === tc.expected_result) r.pass++;
      else if (a === "SUCCESS") r.falseAccept++;
      else r.falseReject++;
    }
  }
  return rows;
}

const pct = (r: Row) => (r.total - r.skipped - r.errors > 0 ? ((100 * r.pass) / (r.total - r.skipped - r.errors)).toFixed(2) : "-");

async function main(): Promise<void> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const suitePath = resolve(
    process.argv.slice(2).find((a) => !a.startsWith("--")) ??
      process.env.LIMBO ??
      join(root, "..", "shared", "conformance", "limbo.json.gz"),
  );
  if (!existsSync(suitePath)) {
    console.log(`conformance: suite not found at ${suitePath}; nothing to run (pass a path: npm run conformance -- path/to/limbo.json.gz)`);
    return;
  }
  const t0 = performance.now();
  const suite = loadSuite(suitePath);
  const tLoad = performance.now();
  const { outcomes, actual, slow } = await runSuite(suite.testcases, forced);
  const tRun = performance.now();

  const rows = tally(suite.testcases, actual);
  const line = (name: string, r: Row) =>
    `${name.padEnd(14)} ${String(r.total).padStart(6)} ${String(r.pass).padStart(6)} ${String(r.falseAccept).padStart(6)} ${String(r.falseReject).padStart(6)} ${String(r.skipped).padStart(6)} ${String(r.errors).padStart(6)} ${pct(r).padStart(7)}`;
  console.log(
    `${"namespace".padEnd(14)} ${"cases".padStart(6)} ${"pass".padStart(6)} ${"f-acc".padStart(6)} ${"f-rej".padStart(6)} ${"skip".padStart(6)} ${"error".padStart(6)} ${"pass%".padStart(7)}`,
  );
  for (const [ns, r] of [...rows].filter(([k]) => k !== "TOTAL").sort()) console.log(line(ns, r));
  console.log(line("TOTAL", rows.get("TOTAL")!));

  const skips = new Map<string, number>();
  for (const o of outcomes) if (o.actual === "SKIPPED") skips.set(o.context, (skips.get(o.context) ?? 0) + 1);
  for (const [why, n] of skips) console.log(`skipped ${n}: ${why}`);

  // Baselines: same table's TOTAL line for each validator, for comparison.
  const baseDir = join(dirname(suitePath), "baselines");
  if (existsSync(baseDir)) {
    console.log("\nbaselines (same suite):");
    for (const f of readdirSync(baseDir)
      .filter((n) => n.endsWith(".limbo-result.json.gz") || n.endsWith(".limbo-result.json"))
      .sort()) {
      const raw = readFileSync(join(baseDir, f));
      const b = JSON.parse((f.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8")) as {
        results: { id: string; actual_result: string }[];
      };
      const m = new Map(b.results.map((r) => [r.id, r.actual_result]));
      console.log(line(f.replace(/\.limbo-result\.json(\.gz)?$/, "").slice(0, 14), tally(suite.testcases, m).get("TOTAL")!));
    }
  }

  const expected = new Map(suite.testcases.map((t) => [t.id, t]));
  const misses = outcomes
    .filter((o) => o.actual !== "SKIPPED" && (actual.get(o.id) === "ERROR" || o.actual !== expected.get(o.id)!.expected_result))
    .map((o) => ({
      id: o.id,
      expected: expected.get(o.id)!.expected_result,
      actual: actual.get(o.id),
      profile: o.profile,
      context: o.context,
    }));
  const outDir = join(root, "conformance-out", forced ?? "");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, "certaudit.limbo-result.json"),
    JSON.stringify(
      {
        version: 1,
        harness: "certaudit verifyChain",
        results: outcomes.map((o) => ({ id: o.id, actual_result: o.actual, context: o.context })),
      },
      null,
      1,
    ),
  );
  writeFileSync(join(outDir, "misses.json"), JSON.stringify(misses, null, 1));
  console.log(`\n${misses.length} miss(es) written to conformance-out/misses.json`);
  for (const m of misses.slice(0, 40)) console.log(`  ${m.actual} (want ${m.expected}) ${m.id} [${m.profile}] ${m.context.slice(0, 160)}`);
  slow.sort((a, b) => b.ms - a.ms);
  console.log(
    `\ntime: load ${((tLoad - t0) / 1000).toFixed(1)} s, run ${((tRun - tLoad) / 1000).toFixed(1)} s for ${suite.testcases.length} cases; slowest: ${
      slow
        .slice(0, 5)
        .map((s) => `${s.id} ${s.ms.toFixed(0)} ms`)
        .join(", ") || "none over 50 ms"
    }`,
  );
  process.exitCode = misses.some((m) => m.actual === "SUCCESS") ? 1 : 0;
}

/** The profiles the product ships (profile-names.ts, aliases aside), each with its own baseline. */
export const SHIPPED_PROFILES = ["go", "rfc5280", "webpki"] as const satisfies readonly Profile[];

export interface BaselineRow {
  pass: number;
  falseAccept: number;
  falseReject: number;
  skipped: number;
  errors: number;
  /** Ids of the cases falsely accepted: CI fails on any case not listed (test/node/limbo-full.test.ts). */
  falseAccepts: string[];
}
export interface Baseline {
  suite: { cases: number };
  profiles: Record<(typeof SHIPPED_PROFILES)[number], BaselineRow>;
}

/** Every case under each shipped profile, as the committed baseline records it. */
export async function measureBaseline(cases: LimboCase[]): Promise<Baseline> {
  const cache = new Map<string, Promise<Cert[]>>();
  const expected = new Map(cases.map((t) => [t.id, t.expected_result]));
  const profiles = {} as Baseline["profiles"];
  for (const p of SHIPPED_PROFILES) {
    const { actual } = await runSuite(cases, p, cache);
    const t = tally(cases, actual).get("TOTAL")!;
    const falseAccepts = [...actual]
      .filter(([id, a]) => a === "SUCCESS" && expected.get(id) === "FAILURE")
      .map(([id]) => id)
      .sort();
    profiles[p] = {
      pass: t.pass,
      falseAccept: t.falseAccept,
      falseReject: t.falseReject,
      skipped: t.skipped,
      errors: t.errors,
      falseAccepts,
    };
  }
  return { suite: { cases: cases.length }, profiles };
}

const BASELINE_PATH = fileURLToPath(new URL("../test/conformance/baseline.json", import.meta.url));

async function writeBaseline(suitePath: string): Promise<void> {
  const b = await measureBaseline(loadSuite(suitePath).testcases);
  writeFileSync(BASELINE_PATH, `${JSON.stringify(b, null, 1)}\n`);
  for (const p of SHIPPED_PROFILES)
    console.log(
      `${p.padEnd(8)} pass ${b.profiles[p].pass}, false accepts ${b.profiles[p].falseAccept}, false rejects ${b.profiles[p].falseReject}, skipped ${b.profiles[p].skipped}`,
    );
  console.log(`wrote ${BASELINE_PATH}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--write-baseline")) {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
    await writeBaseline(
      resolve(
        process.argv.slice(2).find((a) => !a.startsWith("--")) ??
          process.env.LIMBO ??
          join(root, "..", "shared", "conformance", "limbo.json.gz"),
      ),
    );
  } else await main();
}
