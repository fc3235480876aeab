// Certificates built in tests at fixed dates with @peculiar/x509 over WebCrypto.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(crypto);

export type KeyKind = "rsa2048" | "rsa1024" | "p256" | "p384" | "ed25519";

const ALGS: Record<KeyKind, { gen: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm; sign: Algorithm | EcdsaParams }> = {
  rsa2048: {
    gen: {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    } as RsaHashedKeyGenParams,
    sign: { name: "RSASSA-PKCS1-v1_5" },
  },
  rsa1024: {
    gen: {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 1024,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    } as RsaHashedKeyGenParams,
    sign: { name: "RSASSA-PKCS1-v1_5" },
  },
  p256: { gen: { name: "ECDSA", namedCurve: "P-256" }, sign: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams },
  p384: { gen: { name: "ECDSA", namedCurve: "P-384" }, sign: { name: "ECDSA", hash: "SHA-384" } as EcdsaParams },
  ed25519: { gen: { name: "Ed25519" }, sign: { name: "Ed25519" } },
};

const keyCache = new Map<string, Promise<CryptoKeyPair>>();

/** A key pair; `label` lets tests reuse one key for several certificates (same-key CAs). */
export function keyPair(kind: KeyKind = "p256", label = Math.random().toString(36)): Promise<CryptoKeyPair> {
  const k = `${kind}|${label}`;
  let p = keyCache.get(k);
  if (!p) {
    p = crypto.subtle.generateKey(ALGS[kind].gen, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
    keyCache.set(k, p);
  }
  return p;
}

export interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  kind: KeyKind;
  pem: string;
  /** PKCS#8 PEM of the private key. */
  keyPem: string;
}

export interface CertSpec {
  subject: string;
  issuer?: Issued;
  kind?: KeyKind;
  keys?: CryptoKeyPair;
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
  pathLen?: number;
  /** basicConstraints critical (default true, as RFC 5280 requires for CAs). */
  bcCritical?: boolean;
  eku?: string[];
  keyUsage?: number;
  sans?: { type: "dns" | "ip"; value: string }[];
  serial?: string;
  hash?: "SHA-1" | "SHA-256";
  /** Extra extensions, added as given. */
  extra?: x509.Extension[];
  /** Leave out the authorityKeyIdentifier (real intermediates without one still chain in browsers and Go). */
  noAki?: boolean;
}

export const T0 = new Date("2025-01-01T00:00:00Z");
export const T_END = new Date("2035-01-01T00:00:00Z");
export const AT = new Date("2026-06-01T00:00:00Z");

let serial = 1;

export async function issue(spec: CertSpec): Promise<Issued> {
  const kind = spec.kind ?? spec.issuer?.kind ?? "p256";
  const keys = spec.keys ?? (await keyPair(kind));
  const signer = spec.issuer ?? null;
  const exts: x509.Extension[] = [];
  if (spec.ca) exts.push(new x509.BasicConstraintsExtension(true, spec.pathLen, spec.bcCritical ?? true));
  exts.push(
    new x509.KeyUsagesExtension(
      spec.keyUsage ??
        (spec.ca
          ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
          : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment),
      true,
    ),
  );
  if (spec.eku) exts.push(new x509.ExtendedKeyUsageExtension(spec.eku, false));
  if (spec.sans) exts.push(new x509.SubjectAlternativeNameExtension(spec.sans.map((s) => ({ type: s.type, value: s.value }))));
  exts.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  if (signer && !spec.noAki) exts.push(await x509.AuthorityKeyIdentifierExtension.create(signer.keys.publicKey));
  exts.push(...(spec.extra ?? []));
  const signKind = signer?.kind ?? kind;
  const signAlg = { ...ALGS[signKind].sign, ...(spec.hash && signKind.startsWith("rsa") ? { hash: spec.hash } : {}) };
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber:
      spec.serial ??
      (serial++)
        .toString(16)
        .padStart(4, "0")
        .replace(/^[89a-f]/, "0$&"),
    subject: spec.subject,
    issuer: signer ? signer.cert.subject : spec.subject,
    notBefore: spec.notBefore ?? T0,
    notAfter: spec.notAfter ?? T_END,
    signingAlgorithm:
      signAlg.name === "RSASSA-PKCS1-v1_5" ? ({ name: "RSASSA-PKCS1-v1_5", hash: spec.hash ?? "SHA-256" } as Algorithm) : signAlg,
    publicKey: keys.publicKey,
    signingKey: signer ? signer.keys.privateKey : keys.privateKey,
    extensions: exts,
  });
  const p8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", keys.privateKey)) as ArrayBuffer);
  const keyPem = x509.PemConverter.encode(p8.buffer as ArrayBuffer, "PRIVATE KEY");
  return { cert, keys, kind, pem: cert.toString("pem"), keyPem };
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

export interface KubeUserSpec {
  name: string;
  cert?: Issued | string;
  chain?: Issued[];
  key?: string;
  extra?: Record<string, unknown>;
}

/** A kubeconfig written as kubectl writes one (YAML, embedded data). */
export function kubeconfig(opts: {
  clusters: { name: string; server?: string; ca?: Issued[] | string; extra?: Record<string, unknown> }[];
  users: KubeUserSpec[];
  contexts: { name: string; cluster?: string; user?: string }[];
  current?: string;
}): string {
  const lines = ["apiVersion: v1", "kind: Config", "clusters:"];
  for (const c of opts.clusters) {
    lines.push("- cluster:");
    if (c.ca) lines.push(`    certificate-authority-data: ${typeof c.ca === "string" ? c.ca : b64(c.ca.map((x) => x.pem).join(""))}`);
    for (const [k, v] of Object.entries(c.extra ?? {})) lines.push(`    ${k}: ${JSON.stringify(v)}`);
    if (c.server !== "") lines.push(`    server: ${c.server ?? "https://127.0.0.1:6443"}`);
    lines.push(`  name: ${c.name}`);
  }
  lines.push("contexts:");
  for (const c of opts.contexts) {
    lines.push("- context:");
    if (c.cluster) lines.push(`    cluster: ${c.cluster}`);
    if (c.user) lines.push(`    user: ${c.user}`);
    lines.push(`  name: ${c.name}`);
  }
  if (opts.current) lines.push(`current-context: ${opts.current}`);
  lines.push("preferences: {}", "users:");
  for (const u of opts.users) {
    lines.push(`- name: ${u.name}`, "  user:");
    const body: string[] = [];
    if (u.cert)
      body.push(
        `    client-certificate-data: ${typeof u.cert === "string" ? u.cert : b64([u.cert, ...(u.chain ?? [])].map((x) => x.pem).join(""))}`,
      );
    if (u.key !== undefined) body.push(`    client-key-data: ${u.key.startsWith("-----") ? b64(u.key) : u.key}`);
    else if (u.cert && typeof u.cert !== "string") body.push(`    client-key-data: ${b64(u.cert.keyPem)}`);
    for (const [k, v] of Object.entries(u.extra ?? {})) body.push(`    ${k}: ${JSON.stringify(v)}`);
    if (body.length === 0) lines[lines.length - 1] = "  user: {}";
    lines.push(...body);
  }
  return `${lines.join("\n")}\n`;
}

/** The standard kubeadm-like PKI: one CA, an API server certificate, an admin client. */
export async function kubeadmPki(kind: KeyKind = "p256") {
  const ca = await issue({ subject: "CN=kubernetes", ca: true, kind });
  const server = await issue({
    subject: "CN=kube-apiserver",
    issuer: ca,
    eku: ["1.3.6.1.5.5.7.3.1"],
    sans: [
      { type: "dns", value: "kubernetes" },
      { type: "ip", value: "127.0.0.1" },
    ],
    notBefore: new Date("2026-01-01T00:00:00Z"),
    notAfter: new Date("2027-01-01T00:00:00Z"),
  });
  const client = await issue({
    subject: "CN=jane, O=developers",
    issuer: ca,
    eku: ["1.3.6.1.5.5.7.3.2"],
    notBefore: new Date("2026-01-01T00:00:00Z"),
    notAfter: new Date("2027-01-01T00:00:00Z"),
  });
  return { ca, server, client };
}
