// --live (CLI only, never the Worker): connect to a kubeconfig context's API server and record
// what it actually presents.
//
// Two connections:
//  1. Node's TLS stack (node:tls) with the context's own CA, client certificate and key, as
//     kubectl would connect, then GET /version: the handshake, Node's own trust decision and the
//     HTTP status. Node does not expose the CertificateRequest's certificate_authorities list,
//     and its detailed peer chain (getPeerCertificate(true)) is re-ordered and completed from the
//     local trust store, so it is not exactly what the server sent.
//  2. A TLS 1.2 probe on a plain socket that sends a ClientHello and reads the server's first
//     flight, which TLS 1.2 sends in the clear: the Certificate message (the exact chain, in the
//     order sent) and the CertificateRequest (the acceptable client CA names). It stops at
//     ServerHelloDone, before any key exchange; no credentials are sent on this connection.
// The presented chain is then audited by the caller as `serverCertificate`, so the core decides
// serverTrusted; nothing here judges certificates.
import { randomBytes } from "node:crypto";
import { isIP, Socket } from "node:net";
import type { PeerCertificate, TLSSocket } from "node:tls";
import { decodeBase64, toPem } from "../core/encoding/pem.ts";
import { InputProblem } from "../core/errors.ts";
import { Findings } from "../core/findings/index.ts";
import { bytesToText, detect } from "../core/input/detect.ts";
import { readKubeconfig } from "../core/input/kubeconfig.ts";
import { formatName, parseNameDer } from "../core/x509/names.ts";
import { parseCertificate } from "../core/x509/cert.ts";
import { iso } from "../core/checks/expiry.ts";
import type { LiveResult } from "./render.ts";

export interface LiveTarget {
  context: string;
  server: string;
  host: string;
  port: number;
  /** The name verified against the certificate (tls-server-name, else the URL host). */
  serverName: string;
  /** SNI sent: none for an IP literal (as Go and OpenSSL do). */
  sni: string | undefined;
  proxyUrl: string | null;
  ca: string | null;
  cert: string | null;
  key: string | null;
  notes: string[];
}

const pemOf = (b64: string | null): string | null => {
  if (!b64) return null;
  const bytes = decodeBase64(b64);
  return bytes ? bytesToText(bytes) : null;
};

/** A context --live cannot connect for, and why. */
export interface Unprobed {
  context: string;
  reason: string;
}

/** What a TLS client needs for each context of the (already loaded and flattened) kubeconfig. */
export function liveTargets(input: Uint8Array): { targets: LiveTarget[]; unprobed: Unprobed[]; current: string | null } {
  const d = detect(input, "kubeconfig");
  if (d.kind !== "kubeconfig") throw new InputProblem("input.not-kubeconfig", 422, "--live needs a kubeconfig");
  const kc = readKubeconfig(d.doc, new Findings());
  const targets: LiveTarget[] = [];
  const unprobed: Unprobed[] = [];
  for (const ctx of kc.contexts) {
    const name = ctx.name;
    const cluster = kc.clusters.find((c) => c.name === ctx.cluster);
    const user = kc.users.find((u) => u.name === ctx.user);
    if (!cluster?.server) {
      unprobed.push({ context: name, reason: "no cluster with a server URL" });
      continue;
    }
    let url: URL;
    try {
      url = new URL(cluster.server);
    } catch {
      unprobed.push({ context: name, reason: `the server ${cluster.server} is not a URL` });
      continue;
    }
    if (url.protocol !== "https:") {
      unprobed.push({ context: name, reason: `the server ${cluster.server} is not https` });
      continue;
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const notes: string[] = [];
    if (cluster.caFile) notes.push(`certificate-authority ${cluster.caFile} could not be read: Node connected without the cluster CA`);
    if (user?.certFile || user?.keyFile)
      notes.push("the client certificate or key file could not be read: connected without a client certificate");
    if (user?.exec) notes.push("the exec credential plugin was not run");
    if (cluster.proxyUrl)
      notes.push(
        `proxy-url ${cluster.proxyUrl} was not used: connected directly, so the chain is what the server presents without the proxy`,
      );
    if (cluster.insecure) notes.push("insecure-skip-tls-verify is set: kubectl would not check the server at all");
    const serverName = cluster.tlsServerName ?? host;
    targets.push({
      context: name,
      server: cluster.server,
      host,
      port: url.port ? Number(url.port) : 443,
      serverName,
      sni: isIP(serverName) ? undefined : serverName,
      proxyUrl: cluster.proxyUrl ?? null,
      ca: pemOf(cluster.caData),
      cert: pemOf(user?.certData ?? null),
      key: pemOf(user?.keyData ?? null),
      notes,
    });
  }
  return { targets, unprobed, current: kc.currentContext };
}

/** What makes two contexts reach the same server: host and port, the name verified (tls-server-name), and the proxy. */
export const serverKey = (t: LiveTarget): string => JSON.stringify([t.host.toLowerCase(), t.port, t.serverName.toLowerCase(), t.proxyUrl]);

// ---------------------------------------------------------------------------------------------
// TLS 1.2 first-flight probe

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u24 = (n: number) => [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const ext = (type: number, body: number[]) => [...u16(type), ...u16(body.length), ...body];

function clientHello(sni: string | undefined): Uint8Array {
  // ECDHE (RSA and ECDSA) with AES-GCM and ChaCha20, then plain RSA: what kube-apiserver's Go
  // TLS stack and OpenSSL offer for TLS 1.2.
  const suites = [0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc009, 0xc013, 0xc00a, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
  const sigalgs = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201];
  const groups = [0x001d, 0x0017, 0x0018, 0x0019];
  const exts: number[] = [];
  if (sni) {
    const name = [...new TextEncoder().encode(sni)];
    exts.push(...ext(0x0000, [...u16(name.length + 3), 0, ...u16(name.length), ...name]));
  }
  exts.push(...ext(0x000a, [...u16(groups.length * 2), ...groups.flatMap(u16)]));
  exts.push(...ext(0x000b, [1, 0]));
  exts.push(...ext(0x000d, [...u16(sigalgs.length * 2), ...sigalgs.flatMap(u16)]));
  exts.push(...ext(0x0017, []));
  exts.push(...ext(0xff01, [0]));
  const body = [0x03, 0x03, ...randomBytes(32), 0, ...u16(suites.length * 2), ...suites.flatMap(u16), 1, 0, ...u16(exts.length), ...exts];
  const hs = [1, ...u24(body.length), ...body];
  return new Uint8Array([0x16, 0x03, 0x01, ...u16(hs.length), ...hs]);
}

/** A socket error once: Node's message usually names the code already ("connect ECONNREFUSED ..."). */
export const errorText = (e: NodeJS.ErrnoException): string =>
  !e.code || e.message.includes(e.code) ? e.message : `${e.code}: ${e.message}`;

export interface ProbeResult {
  chain: Uint8Array[] | null;
  clientCertificateRequested: boolean | null;
  caNames: string[] | null;
  error: string | null;
}

const ALERTS: Record<number, string> = {
  40: "handshake_failure",
  70: "protocol_version",
  71: "insufficient_security",
  80: "internal_error",
  112: "unrecognized_name",
};

export function probeTls12(host: string, port: number, sni: string | undefined, timeoutMs = 8000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const result: ProbeResult = { chain: null, clientCertificateRequested: null, caNames: null, error: null };
    const sock = new Socket();
    let buf = new Uint8Array(0);
    let hs = new Uint8Array(0);
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      if (error) result.error = error;
      clearTimeout(timer);
      sock.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish("timed out reading the server's TLS 1.2 first flight"), timeoutMs);
    const concat = (a: Uint8Array, b: Uint8Array) => {
      const c = new Uint8Array(a.length + b.length);
      c.set(a);
      c.set(b, a.length);
      return c;
    };
    const readHandshakes = () => {
      while (hs.length >= 4) {
        const type = hs[0]!;
        const len = (hs[1]! << 16) | (hs[2]! << 8) | hs[3]!;
        if (hs.length < 4 + len) return;
        const m = hs.subarray(4, 4 + len);
        hs = hs.subarray(4 + len);
        if (type === 11) {
          const chain: Uint8Array[] = [];
          let p = 3;
          while (p + 3 <= m.length) {
            const l = (m[p]! << 16) | (m[p + 1]! << 8) | m[p + 2]!;
            chain.push(m.slice(p + 3, p + 3 + l));
            p += 3 + l;
          }
          result.chain = chain;
        } else if (type === 13) {
          result.clientCertificateRequested = true;
          let p = 1 + m[0]!; // certificate_types
          p += 2 + ((m[p]! << 8) | m[p + 1]!); // supported_signature_algorithms
          const total = (m[p]! << 8) | m[p + 1]!;
          p += 2;
          const end = p + total;
          const names: string[] = [];
          while (p + 2 <= end) {
            const l = (m[p]! << 8) | m[p + 1]!;
            const der = m.slice(p + 2, p + 2 + l);
            try {
              names.push(formatName(parseNameDer(der)));
            } catch {
              names.push(`(unreadable name, ${der.length} bytes)`);
            }
            p += 2 + l;
          }
          result.caNames = names;
        } else if (type === 14) {
          if (result.clientCertificateRequested === null) result.clientCertificateRequested = false;
          return finish();
        }
      }
    };
    sock.on("data", (d: Uint8Array) => {
      buf = concat(buf, d);
      while (buf.length >= 5) {
        const len = (buf[3]! << 8) | buf[4]!;
        if (buf.length < 5 + len) break;
        const type = buf[0]!;
        const frag = buf.subarray(5, 5 + len);
        buf = buf.subarray(5 + len);
        if (type === 21) return finish(`the server refused TLS 1.2 (alert ${ALERTS[frag[1] ?? 0] ?? frag[1]})`);
        if (type !== 22) return finish(`unexpected TLS record type ${type}`);
        hs = concat(hs, frag);
        readHandshakes();
        if (settled) return;
      }
    });
    sock.on("error", (e: NodeJS.ErrnoException) => finish(errorText(e)));
    sock.on("close", () => finish("the server closed the connection during the TLS 1.2 probe"));
    sock.connect(port, host, () => sock.write(clientHello(sni)));
  });
}

// ---------------------------------------------------------------------------------------------
// The kubectl-like connection through Node's TLS stack

interface NodeHandshake {
  ok: boolean;
  protocol: string | null;
  authorized: boolean | null;
  authError: string | null;
  httpStatus: number | null;
  error: string | null;
  peerChain: Uint8Array[];
}

function peerChain(sock: TLSSocket): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  let c: PeerCertificate | undefined = sock.getPeerCertificate(true) as PeerCertificate;
  while (c?.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(new Uint8Array(c.raw));
    c = (c as { issuerCertificate?: PeerCertificate }).issuerCertificate;
  }
  return out;
}

async function nodeHandshake(t: LiveTarget, timeoutMs = 8000): Promise<NodeHandshake> {
  // node:tls is loaded here, not at start: it costs every other run of the CLI ~15 ms of CPU.
  const { connect } = await import("node:tls");
  return new Promise((resolve) => {
    const r: NodeHandshake = { ok: false, protocol: null, authorized: null, authError: null, httpStatus: null, error: null, peerChain: [] };
    let sock: TLSSocket;
    try {
      sock = connect({
        host: t.host,
        port: t.port,
        ...(t.ca ? { ca: t.ca } : {}),
        ...(t.cert && t.key ? { cert: t.cert, key: t.key } : {}),
        ...(t.sni ? { servername: t.sni } : {}),
        // Record, do not abort: the audit decides; Node's view is reported beside it.
        rejectUnauthorized: false,
        ALPNProtocols: ["http/1.1"],
      });
    } catch (e) {
      r.error = `the client certificate or key cannot be loaded: ${(e as Error).message}`;
      return resolve(r);
    }
    let response = "";
    const timer = setTimeout(() => {
      r.error ??= "timed out";
      sock.destroy();
    }, timeoutMs);
    sock.on("secureConnect", () => {
      r.ok = true;
      r.protocol = sock.getProtocol();
      r.authorized = sock.authorized;
      r.authError = sock.authorized ? null : String(sock.authorizationError);
      r.peerChain = peerChain(sock);
      sock.write(
        `GET /version HTTP/1.1\r\nHost: ${t.serverName}\r\nUser-Agent: certaudit-live\r\nAccept: application/json\r\nConnection: close\r\n\r\n`,
      );
    });
    sock.on("data", (d: Buffer) => {
      response += d.toString("latin1");
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(response);
      if (m) {
        r.httpStatus = Number(m[1]);
        sock.end();
      }
    });
    sock.on("error", (e: NodeJS.ErrnoException) => {
      r.error ??= errorText(e);
    });
    sock.on("close", () => {
      clearTimeout(timer);
      if (r.ok && r.httpStatus === null && !r.error) r.error = "the connection closed without an HTTP answer (client certificate refused?)";
      resolve(r);
    });
  });
}

export interface LiveOutcome {
  live: LiveResult;
  /** PEM of the presented chain (leaf first), to audit as serverCertificate; null if none was seen. */
  serverCertificatePem: string | null;
}

export async function goLive(t: LiveTarget): Promise<LiveOutcome> {
  const [probe, node] = [await probeTls12(t.host, t.port, t.sni), await nodeHandshake(t)];
  const notes = [...t.notes];
  let chain: Uint8Array[] = [];
  let chainSource: LiveResult["chainSource"] = "none";
  if (probe.chain?.length) {
    chain = probe.chain;
    chainSource = "tls1.2-certificate-message";
  } else if (node.peerChain.length) {
    chain = node.peerChain;
    chainSource = "node-peer-certificate";
    notes.push(
      `the TLS 1.2 probe saw no chain (${probe.error ?? "no Certificate message"}); the chain shown is Node's peer chain, which Node re-orders and completes from certificate-authority-data, so it may differ from what the server sent`,
    );
  }
  if (probe.caNames === null && probe.clientCertificateRequested !== false)
    notes.push(
      `acceptable client CA names unavailable: Node's TLS API does not expose the CertificateRequest, and the TLS 1.2 probe could not read it (${probe.error ?? "no CertificateRequest"}); a TLS 1.3-only server encrypts it`,
    );
  // The core's certificate model, the same parser the audit of this chain uses.
  const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));
  const presentedChain = await Promise.all(
    chain.map(async (der) => {
      const pem = toPem("CERTIFICATE", der);
      try {
        const c = await parseCertificate(der, digest);
        return { subject: c.subject, issuer: c.issuer, notAfter: iso(c.notAfter), pem };
      } catch {
        return { subject: "(unreadable certificate)", issuer: "", notAfter: "", pem };
      }
    }),
  );
  return {
    live: {
      context: t.context,
      contexts: [t.context],
      server: t.server,
      presentedChain,
      chainSource,
      acceptableClientCANames: probe.caNames,
      clientCertificateRequested: probe.clientCertificateRequested,
      notes,
      handshake: {
        ok: node.ok,
        protocol: node.protocol,
        nodeAuthorized: node.authorized,
        nodeAuthorizationError: node.authError,
        httpStatus: node.httpStatus,
        error: node.error,
      },
    },
    serverCertificatePem: presentedChain.length ? presentedChain.map((c) => c.pem).join("") : null,
  };
}
