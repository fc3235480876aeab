// Real tools as test oracles: Go 1.19's crypto/x509 (test/oracles/x509parse, stdlib only, run
// with `go run`) and the openssl command line. A missing tool skips locally and fails under CI;
// whether a tool works is test/helpers/tools.ts's toolWorks, as everywhere.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { toolWorks } from "../../helpers/tools.ts";

const ORACLE_DIR = fileURLToPath(new URL("../../oracles/x509parse/", import.meta.url));

export const HAVE_GO = toolWorks("go", ["version"]);
export const HAVE_OPENSSL = toolWorks("openssl", ["version"]);
/** Under CI a missing tool is a failure, not a skip. */
export const MUST_HAVE_TOOLS = process.env.CI === "true";

export interface GoParse {
  file: string;
  ok: boolean;
  error?: string;
  notBefore?: string;
  notAfter?: string;
  version?: number;
  keyAlgorithm?: string;
  keyBits?: number;
  curve?: string;
  maxPathLen: number;
  dnsNames?: string[];
  signature?: string;
}

const dir = () => mkdtempSync(join(tmpdir(), "certaudit-oracle-"));

/** x509.ParseCertificate on each DER; with `issuerOf`, also issuer.CheckSignature over the child's TBS. */
export function goParse(ders: Record<string, Uint8Array>, issuerOf: Record<string, string> = {}): Record<string, GoParse> {
  const d = dir();
  const args: string[] = [];
  for (const [name, der] of Object.entries(ders)) {
    const f = join(d, `${name}.der`);
    writeFileSync(f, der);
    args.push(issuerOf[name] ? `${f}:${join(d, `${issuerOf[name]}.der`)}` : f);
  }
  const r = spawnSync("go", ["run", ".", ...args], { cwd: ORACLE_DIR, encoding: "utf8", env: { ...process.env, GOTOOLCHAIN: "local" } });
  if (r.status !== 0) throw new Error(`go run failed: ${r.stderr}`);
  const out: Record<string, GoParse> = {};
  const names = Object.keys(ders);
  r.stdout
    .trim()
    .split("\n")
    .forEach((line, i) => (out[names[i]!] = JSON.parse(line) as GoParse));
  return out;
}

/** `openssl <args> -in file.der` (DER input); returns status and output. */
export function openssl(der: Uint8Array, args: string[]): { status: number; out: string } {
  const f = join(dir(), "c.der");
  writeFileSync(f, der);
  const r = spawnSync("openssl", [...args, "-inform", "DER", "-in", f], { encoding: "utf8" });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export function opensslRaw(args: string[], input?: string): { status: number; out: string; stdout: Buffer } {
  const r = spawnSync("openssl", args, { input });
  return { status: r.status ?? -1, out: `${r.stdout?.toString("latin1")}${r.stderr?.toString()}`, stdout: r.stdout };
}

export function pemFile(der: Uint8Array): string {
  const f = join(dir(), "c.pem");
  writeFileSync(
    f,
    `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE-----\n`,
  );
  return f;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** `notBefore=May 31 23:00:00 2026 GMT` (what `openssl x509 -dates` prints) as an ISO string, or null for "Bad time value". */
export function opensslDate(out: string, field: "notBefore" | "notAfter"): string | null {
  const line = out.split("\n").find((l) => l.startsWith(`${field}=`));
  const m = line && /=(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)(?:\.\d+)? (\d+) GMT/.exec(line);
  if (!m) return null;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[6]), MONTHS.indexOf(m[1]!), Number(m[2]));
  d.setUTCHours(Number(m[3]), Number(m[4]), Number(m[5]), 0);
  return d.toISOString();
}
