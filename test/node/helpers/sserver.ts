// A real TLS server standing in for kube-apiserver: `openssl s_server` with the API server's
// certificate (and chain), requiring a client certificate that verifies against the client CA
// (kube-apiserver's --client-ca-file), checked at a fixed validation time with -attime.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pemBlocks } from "./kubeconfig.ts";

export interface SServer {
  port: number;
  /** Everything s_server printed (stdout + stderr) so far. */
  output(): string;
  stop(): Promise<void>;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const live = new Set<ChildProcess>();
/** Kills every s_server this module started (by its own pid); safe to call more than once. */
export function killAll(): void {
  for (const p of live) {
    try {
      p.kill("SIGKILL");
    } catch {
      /* gone */
    }
  }
  live.clear();
}
process.once("exit", killAll);

export interface SServerOptions {
  serverCertPem: string;
  serverKeyPem: string;
  clientCaPem: string;
  attime: Date;
  /**
   * Also name the client CAs in the CertificateRequest, as kube-apiserver announces its
   * --client-ca-file (OpenSSL 3.0 has no -requestCAfile; -CAfile does it, and may also complete a
   * leaf-only server chain, which is why the cross-check leaves it off).
   */
  announceClientCAs?: boolean;
  /** More s_server arguments, e.g. ["-tls1_3"]. */
  extraArgs?: string[];
}

export async function startSServer(opts: SServerOptions): Promise<SServer> {
  const dir = mkdtempSync(join(tmpdir(), "certaudit-sserver-"));
  const [leaf, ...chain] = pemBlocks(opts.serverCertPem);
  if (!leaf) throw new Error("no certificate in the server certificate PEM");
  writeFileSync(join(dir, "cert.pem"), leaf);
  writeFileSync(join(dir, "key.pem"), opts.serverKeyPem, { mode: 0o600 });
  writeFileSync(join(dir, "client-ca.pem"), opts.clientCaPem);
  if (chain.length) writeFileSync(join(dir, "chain.pem"), chain.join(""));

  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const args = [
      "s_server",
      "-accept",
      `127.0.0.1:${port}`,
      "-cert",
      join(dir, "cert.pem"),
      "-key",
      join(dir, "key.pem"),
      ...(chain.length ? ["-cert_chain", join(dir, "chain.pem")] : []),
      // Verify clients against client-ca.pem only (not the system store), and keep it out of the
      // server's own chain: kube-apiserver sends exactly its --tls-cert-file, never its client CA.
      // (-CAfile would both trust system roots and auto-append the client CA to the server chain.)
      ...(opts.announceClientCAs ? ["-CAfile", join(dir, "client-ca.pem")] : []),
      "-verifyCAfile",
      join(dir, "client-ca.pem"),
      "-no-CAfile",
      "-no-CApath",
      "-no-CAstore",
      // Like Go, which treats every certificate in the client CA pool as an anchor (self-signed or not).
      "-partial_chain",
      "-Verify",
      "1",
      "-verify_return_error",
      "-attime",
      String(Math.floor(opts.attime.getTime() / 1000)),
      "-www",
      ...(opts.extraArgs ?? []),
    ];
    const proc = spawn("openssl", args, { stdio: ["ignore", "pipe", "pipe"] });
    live.add(proc);
    let out = "";
    proc.stdout!.on("data", (d) => (out += d));
    proc.stderr!.on("data", (d) => (out += d));
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      const check = () => {
        if (/ACCEPT/.test(out)) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      proc.stdout!.on("data", check);
      proc.once("exit", () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!ready) {
      proc.kill("SIGKILL");
      live.delete(proc);
      if (/in use/i.test(out)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`openssl s_server did not start: ${out}`);
    }
    return {
      port,
      output: () => out,
      stop: () =>
        new Promise<void>((resolve) => {
          live.delete(proc);
          rmSync(dir, { recursive: true, force: true });
          if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
          proc.once("exit", () => resolve());
          proc.kill("SIGTERM");
        }),
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error("no free port for openssl s_server after 5 attempts");
}
