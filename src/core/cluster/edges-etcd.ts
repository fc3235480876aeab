// kube-apiserver ↔ etcd, and etcd ↔ etcd. etcd is a Go program too: with --client-cert-auth it
// requires a client certificate that verifies against --trusted-ca-file for client
// authentication (etcd client/pkg/transport TLSInfo.ServerConfig: tls.RequireAndVerifyClientCert);
// the API server's etcd client verifies etcd's certificate against --etcd-cafile for the host of
// each --etcd-servers URL (grpc credentials: ServerName is the endpoint's host).
import { serverTarget } from "../input/server-url.ts";
import { edgeFinding, flag, newEdge, type ClusterContext } from "./context.ts";
import { anchorsFor } from "./edges-client.ts";
import { applyCheck, goVerify, why, type Edge } from "./edge.ts";
import { treePath } from "./tree.ts";
import type { Cert } from "../x509/cert.ts";

async function presented(ctx: ClusterContext, edge: Edge, path: string | null, who: string): Promise<Cert[] | null> {
  const r = await anchorsFor(ctx, edge, path, who);
  if (r) edge.certificate = r[0]!;
  return r;
}

export async function apiserverToEtcd(ctx: ClusterContext): Promise<void> {
  const edge = newEdge({ from: "kube-apiserver (etcd client)", to: "etcd", relation: "etcd-client", detail: "" });
  ctx.edges.push(edge);
  const certFile = flag(ctx, "kube-apiserver", "etcd-certfile");
  const certs = await presented(ctx, edge, certFile, "kube-apiserver --etcd-certfile");
  if (flag(ctx, "etcd", "client-cert-auth") !== "true") {
    edge.verdict = "holds";
    edge.detail = "etcd does not ask for client certificates (--client-cert-auth is not true)";
    return;
  }
  if (!certs) return;
  const caFile = flag(ctx, "etcd", "trusted-ca-file");
  const anchors = await anchorsFor(ctx, edge, caFile, "etcd --trusted-ca-file");
  if (!anchors) return;
  const check = await goVerify(certs, anchors, "client", ctx.at, ctx.verifier);
  edge.detail = `--etcd-certfile ${certFile} verified against etcd's --trusted-ca-file ${caFile} (clientAuth)`;
  applyCheck(edge, check);
  if (!check.result.valid)
    edgeFinding(ctx, edge, "cluster.etcd-client-refused", `etcd refuses ${certFile}: ${why(check)}`, {
      path: treePath(certFile!),
      certificate: certs[0]!.id,
    });
}

export async function etcdToApiserver(ctx: ClusterContext): Promise<void> {
  const servers = (flag(ctx, "kube-apiserver", "etcd-servers") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const certFile = flag(ctx, "etcd", "cert-file");
  const caFile = flag(ctx, "kube-apiserver", "etcd-cafile");
  for (const server of servers) {
    const target = serverTarget(server, false, null);
    const edge = newEdge({ from: `etcd (${server})`, to: "kube-apiserver (etcd client)", relation: "etcd-serving", detail: "" });
    ctx.edges.push(edge);
    if (target.kind !== "tls" || target.serverName === null) {
      edge.detail = `${server} is not an https URL: no certificate is checked`;
      continue;
    }
    const certs = await presented(ctx, edge, certFile, "etcd --cert-file");
    if (!certs) continue;
    const anchors = await anchorsFor(ctx, edge, caFile, "kube-apiserver --etcd-cafile");
    if (!anchors) continue;
    const host = target.serverName.replace(/^\[|\]$/g, "");
    const check = await goVerify(certs, anchors, "server", ctx.at, ctx.verifier, host);
    edge.detail = `etcd's --cert-file ${certFile} verified against --etcd-cafile ${caFile} for ${host} (serverAuth)`;
    applyCheck(edge, check);
    if (!check.result.valid)
      edgeFinding(ctx, edge, "cluster.etcd-server-untrusted", `kube-apiserver will not trust etcd at ${server}: ${why(check)}`, {
        path: treePath(certFile!),
        certificate: certs[0]!.id,
      });
  }
}

/** etcd peers present --peer-cert-file both as servers and as clients (peer-client-cert-auth). */
export async function etcdPeers(ctx: ClusterContext): Promise<void> {
  const edge = newEdge({ from: "etcd (peer)", to: "etcd (peer)", relation: "etcd-peer", detail: "" });
  ctx.edges.push(edge);
  const certFile = flag(ctx, "etcd", "peer-cert-file");
  const certs = await presented(ctx, edge, certFile, "etcd --peer-cert-file");
  if (!certs) return;
  const caFile = flag(ctx, "etcd", "peer-trusted-ca-file");
  const anchors = await anchorsFor(ctx, edge, caFile, "etcd --peer-trusted-ca-file");
  if (!anchors) return;
  const peerUrl = (flag(ctx, "etcd", "initial-advertise-peer-urls") ?? "").split(",")[0]!.trim();
  const target = peerUrl ? serverTarget(peerUrl, false, null) : null;
  const host = target?.kind === "tls" && target.serverName ? target.serverName.replace(/^\[|\]$/g, "") : undefined;
  const asServer = await goVerify(certs, anchors, "server", ctx.at, ctx.verifier, host);
  const clientAuth = flag(ctx, "etcd", "peer-client-cert-auth") === "true";
  const asClient = clientAuth ? await goVerify(certs, anchors, "client", ctx.at, ctx.verifier) : null;
  edge.detail = `--peer-cert-file ${certFile} verified against --peer-trusted-ca-file ${caFile} as a server${host ? ` for ${host}` : ""} (serverAuth)${clientAuth ? " and as a client (clientAuth)" : ""}`;
  edge.limiting = asServer.limiting;
  edge.breaksAt = asServer.limiting.notAfter;
  const bad = [asServer, asClient].find((c) => c && !c.result.valid);
  edge.verdict = bad ? "broken" : "holds";
  if (bad)
    edgeFinding(
      ctx,
      edge,
      "cluster.etcd-peer-refused",
      bad === asServer
        ? `etcd members refuse ${certFile} as a peer server: ${why(bad)}`
        : // etcd 3.4 observed (test/node/etcd-peers.test.ts): the others' own connections carry both directions.
          `etcd members refuse ${certFile} as a peer client: ${why(bad)}; the others can still connect to this member, so it keeps quorum while it is the only one, but members that all present such a certificate cannot form a cluster`,
      { path: treePath(certFile!), certificate: certs[0]!.id },
    );
}
