// Shared by test/node/cli*.test.ts and test/node/action*.test.ts: running the bundles as
// subprocesses, a local certaudit API server that records upload bodies, openssl s_server.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { createApp } from "../../src/http/app.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const FIX = join(ROOT, "test/fixtures");
export const AT = "2026-06-01T00:00:00Z";
export const BIN = join(ROOT, "bin/certaudit.mjs");
export const ACTION = join(ROOT, "action/dist/index.mjs");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script with a given node binary; resolves with its exit code and output. */
export function runNode(script: string, args: string[], opts: { input?: string | Buffer; env?: Record<string, string | undefined>; cwd?: string; node?: string } = {}): Promise<Run> {
  return new Promise((res, rej) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...opts.env })) if (v !== undefined) env[k] = v;
    const p = spawn(opts.node ?? process.execPath, [script, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("error", rej);
    p.on("close", (code) => res({ code, stdout, stderr }));
    p.stdin.end(opts.input ?? "");
  });
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

export interface ApiServer {
  url: string;
  /** Every request seen: headers and raw body bytes. */
  requests: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: Buffer }[];
  close(): Promise<void>;
}

/** The Worker's Hono app (createApp from src/http/app.ts) behind node:http, recording bodies. */
export async function startApiServer(): Promise<ApiServer> {
  const app = createApp();
  const requests: ApiServer["requests"] = [];
  const server: Server = createHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const r = await app.fetch(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }) }), {});
    res.writeHead(r.status, Object.fromEntries(r.headers));
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

export function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(ROOT, "test/cli/sarif-2.1.0-rtm.5.json"), "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

export interface SServer {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

/**
 * openssl s_server standing in for kube-apiserver: the fixture's API server chain, client
 * certificates verified against client-ca.crt, whose subject names are announced in the
 * CertificateRequest, as kube-apiserver announces its --client-ca-file. Without an explicit
 * -cert_chain OpenSSL may complete a leaf-only server chain from -CAfile.
 */
export async function startSServer(dir: string, attime: string, extra: string[] = []): Promise<SServer> {
  const tmp = mkdtempSync(join(tmpdir(), "certaudit-cli-sserver-"));
  const blocks = readFileSync(join(dir, "apiserver.crt"), "utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
  writeFileSync(join(tmp, "leaf.pem"), blocks[0]!);
  if (blocks.length > 1) writeFileSync(join(tmp, "chain.pem"), blocks.slice(1).join(""));
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const args = [
      "s_server", "-accept", `127.0.0.1:${port}`,
      "-cert", join(tmp, "leaf.pem"), "-key", join(dir, "apiserver.key"),
      ...(blocks.length > 1 ? ["-cert_chain", join(tmp, "chain.pem")] : []),
      // -CAfile makes OpenSSL 3.0 announce client-ca.crt's subject names in the CertificateRequest
      // (3.0 has no -requestCAfile); -verifyCAfile is what client certificates are checked against.
      "-CAfile", join(dir, "client-ca.crt"), "-verifyCAfile", join(dir, "client-ca.crt"),
      "-no-CAfile", "-no-CApath", "-no-CAstore", "-partial_chain",
      "-Verify", "1", "-verify_return_error",
      "-attime", String(Math.floor(new Date(attime).getTime() / 1000)),
      "-www",
      ...extra,
    ];
    const proc = spawn("openssl", args, { stdio: ["ignore", "pipe", "pipe"] });
    live.add(proc);
    let out = "";
    proc.stdout!.on("data", (d) => (out += d));
    proc.stderr!.on("data", (d) => (out += d));
    const ready = await new Promise<boolean>((r) => {
      const timer = setTimeout(() => r(false), 5000);
      proc.stdout!.on("data", () => {
        if (/ACCEPT/.test(out)) {
          clearTimeout(timer);
          r(true);
        }
      });
      proc.once("exit", () => {
        clearTimeout(timer);
        r(false);
      });
    });
    if (!ready) {
      proc.kill("SIGKILL");
      live.delete(proc);
      if (/in use/i.test(out)) continue;
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`openssl s_server did not start: ${out}`);
    }
    return {
      port,
      output: () => out,
      stop: () =>
        new Promise<void>((r) => {
          live.delete(proc);
          rmSync(tmp, { recursive: true, force: true });
          if (proc.exitCode !== null || proc.signalCode !== null) return r();
          proc.once("exit", () => r());
          proc.kill("SIGTERM");
        }),
    };
  }
  throw new Error("no free port for openssl s_server");
}
