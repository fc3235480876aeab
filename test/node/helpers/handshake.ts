// One real TLS handshake with a kubeconfig context's own material, as kubectl would make it,
// against an `openssl s_server` (see sserver.ts). Records two facts:
//   serverTrusted  — the client verified the server: chain to certificate-authority-data and the
//                    name (tls-server-name, else the URL host; an IP host is matched to IP SANs).
//   clientAccepted — the server verified the client certificate and answered an HTTP request.
import { connect, checkServerIdentity, type TLSSocket } from "node:tls";
import type { TlsContext } from "./kubeconfig.ts";

export interface HandshakeResult {
  serverTrusted: boolean | null;
  /** Node's authorizationError when the server was not trusted. */
  serverError: string | null;
  clientAccepted: boolean | null;
  /** Why the client was not accepted: a client-side load error or the TLS alert / reset seen. */
  clientError: string | null;
  protocol: string | null;
}

interface Attempt {
  secure: boolean;
  authorized: boolean | null;
  authError: string | null;
  response: string;
  error: string | null;
  protocol: string | null;
}

function attempt(ctx: TlsContext, port: number, withClientCert: boolean): Promise<Attempt> {
  return new Promise((resolve) => {
    const r: Attempt = { secure: false, authorized: null, authError: null, response: "", error: null, protocol: null };
    let sock: TLSSocket;
    try {
      sock = connect({
        host: "127.0.0.1",
        port,
        ca: ctx.ca ?? undefined,
        cert: withClientCert ? (ctx.cert ?? undefined) : undefined,
        key: withClientCert ? (ctx.key ?? undefined) : undefined,
        servername: ctx.sni,
        // Like Go, which treats every certificate in RootCAs as an anchor (self-signed or not).
        allowPartialTrustChain: true,
        // Record, do not abort: the server side must still get to judge the client certificate.
        rejectUnauthorized: false,
        checkServerIdentity: (_host, cert) => checkServerIdentity(ctx.verifyName, cert),
      });
    } catch (e: any) {
      r.error = `client could not load its certificate/key: ${e.code ?? ""} ${e.message}`.trim();
      return resolve(r);
    }
    const done = () => resolve(r);
    const timer = setTimeout(() => {
      r.error ??= "timeout";
      sock.destroy();
    }, 8000);
    sock.on("secureConnect", () => {
      r.secure = true;
      r.authorized = sock.authorized;
      r.authError = sock.authorized ? null : String(sock.authorizationError);
      r.protocol = sock.getProtocol();
      sock.write("GET / HTTP/1.0\r\n\r\n");
    });
    sock.on("data", (d) => (r.response += d.toString("latin1")));
    sock.on("error", (e: any) => {
      r.error ??= `${e.code ?? ""} ${e.message}`.trim();
    });
    sock.on("close", () => {
      clearTimeout(timer);
      done();
    });
  });
}

export async function realHandshake(ctx: TlsContext, port: number): Promise<HandshakeResult> {
  const main = await attempt(ctx, port, true);
  const accepted = main.secure && /^HTTP\/1\.[01] 200/.test(main.response);
  let serverTrusted = main.authorized;
  let serverError = main.authError;
  let protocol = main.protocol;
  if (!main.secure) {
    // The handshake died before the client finished (e.g. the key does not match, so the client
    // never connected). Probe server trust alone with a connection that sends no client certificate.
    const probe = await attempt(ctx, port, false);
    serverTrusted = probe.authorized;
    serverError = probe.authError;
    protocol = probe.protocol;
  }
  return {
    serverTrusted,
    serverError,
    clientAccepted: ctx.cert && ctx.key ? accepted : null,
    clientError: accepted ? null : (main.error ?? (main.secure ? `no HTTP answer (${main.response.slice(0, 40)})` : "handshake failed")),
    protocol,
  };
}
