// openssl as the oracle for the control-plane form tests (cluster-render, cluster-form): what
// openssl verify says of an edge, the dates it reads and the public-key fingerprints it computes,
// all from the fixture files (test/fixtures/kubeadm, test/fixtures/k8s-objects), never from our code.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ROOT } from "./harness.ts";

export const KUBEADM = join(ROOT, "test/fixtures/kubeadm");
export const OBJECTS = join(ROOT, "test/fixtures/k8s-objects");
/** Inside every kubeadm and objects fixture's validity (test/fixtures/README.md). */
export const CLUSTER_AT = new Date("2026-11-01T00:00:00Z");
const epoch = () => String(CLUSTER_AT.getTime() / 1000);

function openssl(args: string[], input?: Buffer): { ok: boolean; out: Buffer } {
  const r = spawnSync("openssl", args, { input, maxBuffer: 1 << 20 });
  return { ok: r.status === 0, out: r.stdout };
}

/** openssl's notAfter of a kubeadm fixture file, as YYYY-MM-DD. */
export function notAfter(variant: string, file: string): string {
  const out = execFileSync("openssl", ["x509", "-noout", "-enddate", "-dateopt", "iso_8601", "-in", join(KUBEADM, variant, file)], {
    encoding: "utf8",
  });
  return out
    .trim()
    .replace(/^notAfter=/, "")
    .slice(0, 10);
}

/** etcd's --trusted-ca-file against the API server's --etcd-certfile: TLS client purpose, at the validation time. */
export function etcdClientAccepted(variant: string): boolean {
  const dir = join(KUBEADM, variant);
  return openssl([
    "verify",
    "-attime",
    epoch(),
    "-purpose",
    "sslclient",
    "-CAfile",
    join(dir, "pki/etcd/ca.crt"),
    join(dir, "pki/apiserver-etcd-client.crt"),
  ]).ok;
}

/** SHA-256 of the DER SubjectPublicKeyInfo of a PEM private key, as openssl computes it. */
export function pubsha256(pem: Buffer): string {
  return createHash("sha256")
    .update(openssl(["pkey", "-pubout", "-outform", "DER"], pem).out)
    .digest("hex");
}

type Item = {
  kind: string;
  data?: Record<string, string>;
  webhooks?: { clientConfig: { caBundle: string; service: { name: string; namespace: string } } }[];
};

/**
 * For each webhook of an objects List (the fixture has one TLS Secret): does the caBundle verify the
 * Secret's tls.crt for the Service's host, as `openssl verify -purpose sslserver -verify_hostname`?
 */
export function webhooksAccepted(text: string): boolean[] {
  const items = parseAllDocuments(text).flatMap((d) => (d.toJS() as { items: Item[] }).items);
  const tlsCrt = Buffer.from(items.find((i) => i.kind === "Secret")!.data!["tls.crt"]!, "base64");
  const tmp = mkdtempSync(join(tmpdir(), "certaudit-webhooks-"));
  try {
    return items
      .flatMap((i) => i.webhooks ?? [])
      .map((w) => {
        const ca = join(tmp, "ca.pem");
        writeFileSync(ca, Buffer.from(w.clientConfig.caBundle, "base64"));
        const host = `${w.clientConfig.service.name}.${w.clientConfig.service.namespace}.svc`;
        return openssl(["verify", "-attime", epoch(), "-purpose", "sslserver", "-verify_hostname", host, "-CAfile", ca], tlsCrt).ok;
      });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
