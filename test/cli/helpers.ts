// Shared by test/node/cli*.test.ts and test/node/action*.test.ts: running the bundles as
// subprocesses, a local certaudit API server that records upload bodies, openssl s_server.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { startWorker } from "../browser/harness.ts";

import { startSServer as startShared } from "../node/helpers/sserver.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const FIX = join(ROOT, "test/fixtures");
export const AT = "2026-06-01T00:00:00Z";
export const BIN = join(ROOT, "bin/certaudit.cjs");
export const ACTION = join(ROOT, "action/dist/index.mjs");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script with a given node binary; resolves with its exit code and output. */
export function runNode(
  script: string,
  args: string[],
  opts: { input?: string | Buffer; env?: Record<string, string | undefined>; cwd?: string; node?: string } = {},
): Promise<Run> {
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

export interface ApiServer {
  url: string;
  /** Every request seen: headers and raw body bytes. */
  requests: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: Buffer }[];
  close(): Promise<void>;
}

/**
 * The real Worker (`wrangler dev`, workerd) behind a recording proxy: every request the client
 * sends is kept (headers and raw body bytes) so tests can prove what was uploaded, then
 * forwarded to the Worker unchanged.
 */
export async function startApiServer(): Promise<ApiServer> {
  const worker = await startWorker();
  const requests: ApiServer["requests"] = [];
  const server: Server = createHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === "string" && k !== "host" && k !== "content-length") headers.set(k, v);
    const r = await fetch(`${worker.url}${req.url}`, {
      method: req.method,
      headers,
      ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
    });
    const out = Object.fromEntries(r.headers);
    delete out["content-encoding"];
    delete out["content-length"];
    res.writeHead(r.status, out);
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await worker.stop();
    },
  };
}

export function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(ROOT, "test/cli/sarif-2.1.0-rtm.5.json"), "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

export type { SServer } from "../node/helpers/sserver.ts";

/**
 * openssl s_server standing in for kube-apiserver with a fixture directory's apiserver.crt/.key,
 * announcing client-ca.crt's names in the CertificateRequest (the shared launcher does the work).
 */
export function startSServer(dir: string, attime: string, extra: string[] = []) {
  return startShared({
    serverCertPem: readFileSync(join(dir, "apiserver.crt"), "utf8"),
    serverKeyPem: readFileSync(join(dir, "apiserver.key"), "utf8"),
    clientCaPem: readFileSync(join(dir, "client-ca.crt"), "utf8"),
    attime: new Date(attime),
    announceClientCAs: true,
    extraArgs: extra,
  });
}
