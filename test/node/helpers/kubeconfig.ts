// Reads a kubeconfig (YAML or JSON) into what a TLS client needs per context, the way client-go
// builds its rest.Config: CA from certificate-authority-data, client cert chain and key from
// client-certificate-data / client-key-data, server name from tls-server-name or the server URL host.
import { isIP } from "node:net";
import { parse } from "yaml";

export interface TlsContext {
  name: string;
  cluster: string;
  user: string;
  server: string;
  /** PEM text of certificate-authority-data (may hold several certificates). */
  ca: string | null;
  /** PEM text of client-certificate-data (leaf first, then any chain). */
  cert: string | null;
  /** PEM text of client-key-data. */
  key: string | null;
  tlsServerName: string | null;
  /** The name the client verifies the server certificate against (Go: tls.Config.ServerName). */
  verifyName: string;
  /** The SNI value sent (Go and OpenSSL send none for an IP literal). */
  sni: string | undefined;
}

const b64 = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? Buffer.from(v, "base64").toString("utf8") : null);

export function readKubeconfig(text: string): TlsContext[] {
  const doc = parse(text) as any;
  const clusters = new Map<string, any>((doc.clusters ?? []).map((c: any) => [c.name, c.cluster ?? {}]));
  const users = new Map<string, any>((doc.users ?? []).map((u: any) => [u.name, u.user ?? {}]));
  return (doc.contexts ?? []).map((c: any): TlsContext => {
    const cl = clusters.get(c.context?.cluster) ?? {};
    const us = users.get(c.context?.user) ?? {};
    const url = new URL(cl.server);
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const tlsServerName: string | null = cl["tls-server-name"] ?? null;
    const verifyName = tlsServerName ?? host;
    return {
      name: c.name,
      cluster: c.context?.cluster,
      user: c.context?.user,
      server: cl.server,
      ca: b64(cl["certificate-authority-data"]),
      cert: b64(us["client-certificate-data"]),
      key: b64(us["client-key-data"]),
      tlsServerName,
      verifyName,
      sni: isIP(verifyName) ? undefined : verifyName,
    };
  });
}

/** Splits PEM text into its blocks (each with BEGIN/END lines). */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----\r?\n?/g) ?? [];
}
