// One TLS handshake between two in-process sides (Node's tls, OpenSSL underneath): the server
// presents `server` and (with `clientCa`) requires a client certificate; the client trusts `ca`
// for `host` (a name or an IP, matched as Go matches it: IP SANs for an IP). TLS 1.2 so the
// server judges the client before the client reports success. Accepted only when both sides
// completed. Used by the control-plane oracles (cluster-tls-oracle, cluster-kubelet-tls).
import { isIP } from "node:net";
import { checkServerIdentity, connect, createServer } from "node:tls";

export interface Side {
  cert?: string;
  key?: string;
}
/** One handshake: the server presents `server` and (with `clientCa`) requires a client certificate; the client trusts `ca` for `host`. */
export function handshake(
  server: Side & { clientCa?: string },
  client: Side & { ca?: string; host?: string },
): Promise<{ ok: boolean; why: string }> {
  return new Promise((resolve) => {
    // Accepted only when both sides completed: the server judged the client, the client the server.
    let done = false;
    const sides = { server: false, client: false };
    const finish = (ok: boolean, why: string) => {
      if (done) return;
      done = true;
      srv.close();
      resolve({ ok, why });
    };
    const completed = (side: "server" | "client") => {
      sides[side] = true;
      if (sides.server && sides.client) finish(true, "accepted");
    };
    const srv = createServer(
      {
        cert: server.cert,
        key: server.key,
        maxVersion: "TLSv1.2",
        ...(server.clientCa ? { requestCert: true, rejectUnauthorized: true, ca: server.clientCa } : {}),
      },
      (s) => {
        completed("server");
        s.on("error", () => {});
        s.end();
      },
    );
    srv.on("tlsClientError", (e) => finish(false, `server: ${e.message}`));
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      const host = client.host;
      const sock = connect({
        host: "127.0.0.1",
        port,
        cert: client.cert,
        key: client.key,
        ca: client.ca,
        maxVersion: "TLSv1.2",
        ...(host && !isIP(host) ? { servername: host } : {}),
        rejectUnauthorized: client.ca !== undefined,
        checkServerIdentity: (_h, c) => (host ? checkServerIdentity(host, c) : undefined),
      });
      sock.on("error", (e) => finish(false, `client: ${e.message}`));
      sock.on("secureConnect", () => {
        completed("client");
        sock.end();
      });
    });
  });
}
