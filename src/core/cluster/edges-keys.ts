// Keys: the service-account signing keys against the verifying keys, the controller-manager's
// signing CA against --client-ca-file, and every configured key file against its certificate.
import { iso } from "../checks/expiry.ts";
import { namesEqual } from "../x509/cert.ts";
import { edgeFinding, flag, newEdge, type ClusterContext } from "./context.ts";
import type { Component } from "./defaults.ts";
import { anchorsFor } from "./edges-client.ts";
import { applyKeyPair, judgeKeyPair } from "./key-pair.ts";
import { treePath } from "./tree.ts";

/** Tokens signed with --service-account-signing-key-file (API server) and --service-account-private-key-file (controller-manager) must verify with a key in --service-account-key-file. */
export async function serviceAccountKeys(ctx: ClusterContext): Promise<void> {
  const pubFile = flag(ctx, "kube-apiserver", "service-account-key-file");
  const signers: [string, string | null][] = [
    ["kube-apiserver --service-account-signing-key-file", flag(ctx, "kube-apiserver", "service-account-signing-key-file")],
    [
      "kube-controller-manager --service-account-private-key-file",
      flag(ctx, "kube-controller-manager", "service-account-private-key-file"),
    ],
  ];
  for (const [who, keyFile] of signers) {
    if (!keyFile) continue;
    const edge = newEdge({
      from: `${who} ${keyFile}`,
      to: "kube-apiserver (token authenticator)",
      relation: "service-account",
      detail: "",
    });
    ctx.edges.push(edge);
    if (!pubFile) {
      edge.detail = "--service-account-key-file is not set";
      continue;
    }
    const key = await ctx.material.key(keyFile, who);
    const pubs = await ctx.material.publicKeys(pubFile, "kube-apiserver --service-account-key-file");
    if (key === null || pubs === null) {
      edge.detail = "a key file is not in the upload";
      continue;
    }
    // A file the component cannot load stops it (the Material said which, cluster.file-unreadable):
    // broken, and nothing was compared, so no claim that the key is missing from the other file.
    if (key === "unreadable" || pubs === "unreadable") {
      edge.verdict = "broken";
      edge.detail = `${key === "unreadable" ? keyFile : pubFile} is unreadable`;
      continue;
    }
    edge.detail = `the public half of ${keyFile} looked up among the keys of --service-account-key-file ${pubFile}`;
    const ok = key.info.publicKeyFingerprint !== null && pubs.includes(key.info.publicKeyFingerprint);
    edge.verdict = ok ? "holds" : "broken";
    if (!ok)
      edgeFinding(
        ctx,
        edge,
        "cluster.sa-key-mismatch",
        `${keyFile} signs service-account tokens, but its public key is not in ${pubFile}`,
        { path: treePath(keyFile) },
      );
  }
}

/**
 * Certificates the controller-manager signs (kubelet client certificates) must verify against
 * --client-ca-file. The signer returns the leaf alone in status.certificate (k8s.io/kubernetes
 * pkg/controller/certificates/signer), so the API server must hold the signing CA itself: Go finds
 * a leaf's parent in the pool by its exact subject (cert_pool.go findPotentialParents) and checks
 * the signature with that parent's key. So: an anchor with the signer's subject bytes and key,
 * valid at the validation time.
 */
export async function signingCa(ctx: ClusterContext): Promise<void> {
  const certFile = flag(ctx, "kube-controller-manager", "cluster-signing-cert-file");
  if (!certFile) return;
  const edge = newEdge({
    from: "kube-controller-manager (CSR signer)",
    to: "kube-apiserver --client-ca-file",
    relation: "signing",
    detail: "",
  });
  ctx.edges.push(edge);
  const signer = await anchorsFor(ctx, edge, certFile, "kube-controller-manager --cluster-signing-cert-file");
  if (!signer) return;
  const s = signer[0]!;
  edge.certificate = s;
  const caFile = flag(ctx, "kube-apiserver", "client-ca-file");
  const anchors = await anchorsFor(ctx, edge, caFile, "kube-apiserver --client-ca-file");
  if (!anchors) return;
  const same = anchors.find((a) => namesEqual(a.frame.subject, s.frame.subject) && a.publicKey.fingerprint === s.publicKey.fingerprint);
  edge.detail = `the CA of --cluster-signing-cert-file ${certFile} (its subject and key) looked up among the CAs of --client-ca-file ${caFile}`;
  edge.limiting = same && same.notAfter < s.notAfter ? same : s;
  edge.breaksAt = edge.limiting.notAfter;
  const inDate = (c: typeof s) => c.notBefore <= ctx.at && ctx.at <= c.notAfter;
  const ok = same !== undefined && inDate(same) && inDate(s);
  edge.verdict = ok ? "holds" : "broken";
  if (!ok) {
    const why = same
      ? `the CA is out of its validity at ${iso(ctx.at)}`
      : `no CA in ${caFile} has the subject ${s.subject} and the key of ${certFile}`;
    edgeFinding(ctx, edge, "cluster.signing-ca-untrusted", `Certificates signed with ${certFile} do not verify against ${caFile}: ${why}`, {
      path: treePath(certFile),
      certificate: s.id,
    });
  }
}

const PAIRS: [Component, string, string][] = [
  ["kube-apiserver", "tls-cert-file", "tls-private-key-file"],
  ["kube-apiserver", "etcd-certfile", "etcd-keyfile"],
  ["kube-apiserver", "kubelet-client-certificate", "kubelet-client-key"],
  ["kube-apiserver", "proxy-client-cert-file", "proxy-client-key-file"],
  ["kube-controller-manager", "cluster-signing-cert-file", "cluster-signing-key-file"],
  ["etcd", "cert-file", "key-file"],
  ["etcd", "peer-cert-file", "peer-key-file"],
];

/** Each certificate/key flag pair must be one key pair (Go's tls.X509KeyPair, at component start). */
export async function keyPairs(ctx: ClusterContext): Promise<void> {
  for (const [component, certFlag, keyFlag] of PAIRS) {
    const certFile = flag(ctx, component, certFlag);
    const keyFile = flag(ctx, component, keyFlag);
    if (!certFile || !keyFile) continue;
    if (!ctx.material.has(certFile) && !ctx.material.has(keyFile)) continue;
    const edge = newEdge({
      from: keyFile,
      to: `${component} --${certFlag}`,
      relation: "key-pair",
      detail: `${component} --${keyFlag} ${keyFile} against --${certFlag} ${certFile}`,
    });
    ctx.edges.push(edge);
    const certs = await ctx.material.certs(certFile, `${component} --${certFlag}`);
    const key = await ctx.material.key(keyFile, `${component} --${keyFlag}`);
    if (certs === null) continue;
    if (certs === "unreadable") {
      edge.verdict = "broken";
      continue;
    }
    edge.certificate = certs[0]!;
    const j = await judgeKeyPair(key, ctx.material.keyRefusal(keyFile), certs[0]!, ctx.material.subtle);
    const where = { path: treePath(keyFile), certificate: certs[0]!.id };
    applyKeyPair(
      ctx,
      edge,
      j,
      component,
      { key: keyFile, cert: certFile },
      { ...where, certPath: treePath(certFile), keyPath: where.path },
    );
    if (j.mismatch)
      edgeFinding(ctx, edge, "cluster.key-mismatch", `${keyFile} is not the key of ${certFile}; ${component} will not start`, where);
  }
}
