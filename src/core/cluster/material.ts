// The files of the tree as the components load them: certificate bundles (PEM, every
// CERTIFICATE block, as client-go's cert.CertsFromFile), private keys, public keys and the
// kubeconfigs' embedded data. Each file is read once; what is missing or unreadable becomes one
// finding, and the edges that need it are unknown (missing) or broken (unreadable; a key only when
// Go's X509KeyPair refuses it too, keyRefusal, else unknown).
import { decodeBase64, scanPem, type PemBlock } from "../encoding/pem.ts";
import type { Findings } from "../findings/index.ts";
import { readKubeconfig } from "../input/kubeconfig.ts";
import { parseYaml } from "../input/yaml.ts";
import { InputProblem } from "../errors.ts";
import { Findings as Scratch } from "../findings/index.ts";
import { readPrivateKey, type PrivateKey } from "../keys/private.ts";
import { CertParseError, parseCertificate, type Cert } from "../x509/cert.ts";
import { keyFingerprint } from "../keys/canonical.ts";
import { goPrivateKeyRefusal } from "../keys/go-keypair.ts";
import { certificateKeyFingerprint, KUBECONFIG_PUBSHA256, PUBSHA256_SUFFIX, readPubsha256 } from "./key-fingerprint.ts";
import { fileText, treePath, type ControlPlaneTree } from "./tree.ts";

export type FileKind = "certificate" | "key" | "public-key" | "kubeconfig" | "manifest" | "other";

/** A file's content: null when it is not in the upload, "unreadable" when it is but cannot be used. */
export type Loaded<T> = T | null | "unreadable";

export interface ComponentKubeconfig {
  path: string;
  server: string | null;
  tlsServerName: string | null;
  /** The current context's user name (kubeadm names kubelet.conf's system:node:<node name>). */
  user: string | null;
  ca: Cert[];
  client: Cert[];
  key: PrivateKey | null;
  /** Go's tls.X509KeyPair refusal of the client key (keys/go-keypair.ts), whether or not it could be read here. */
  keyRefusal: string | null;
  /** Where the CA, certificate and key came from (embedded data or a file reference). */
  refs: { ca: string; cert: string; key: string };
}

const dec = new TextDecoder();

export class Material {
  readonly files = new Map<string, { kind: FileKind; certificates: string[] }>();
  /** Certificate id → the first path it was read from. */
  readonly pathOf = new Map<string, string>();
  /** Every certificate read, by id. */
  readonly byId = new Map<string, Cert>();
  private certCache = new Map<string, Loaded<Cert[]>>();
  private keyCache = new Map<string, Loaded<PrivateKey>>();
  private refusals = new Map<string, string>();

  private readonly tree: ControlPlaneTree;
  readonly subtle: SubtleCrypto;
  private readonly findings: Findings;

  constructor(tree: ControlPlaneTree, subtle: SubtleCrypto, findings: Findings) {
    this.tree = tree;
    this.subtle = subtle;
    this.findings = findings;
  }

  has(path: string): boolean {
    return this.tree.has(treePath(path));
  }

  private note(path: string, kind: FileKind, certs: Cert[] = []): void {
    const p = treePath(path);
    const f = this.files.get(p) ?? { kind, certificates: [] };
    for (const c of certs) {
      if (!f.certificates.includes(c.id)) f.certificates.push(c.id);
      if (!this.pathOf.has(c.id)) this.pathOf.set(c.id, p);
      this.byId.set(c.id, c);
    }
    this.files.set(p, f);
  }

  missing(path: string, who: string): void {
    this.findings.add("cluster.file-missing", `${who} uses ${path}, which is not in the upload.`, { path: treePath(path) });
  }

  /** The CERTIFICATE blocks parsed; a finding (once) and "unreadable" when one cannot be read or there is none. */
  private async parseBlocks(blocks: PemBlock[], path: string, who: string): Promise<Cert[] | "unreadable"> {
    const out: Cert[] = [];
    const refuse = (why: string): "unreadable" => {
      this.findings.add("cluster.file-unreadable", `${path} ${why}; ${who} cannot load it.`, { path: path.split("#")[0]! });
      return "unreadable";
    };
    for (const b of blocks) {
      if (b.label !== "CERTIFICATE") continue;
      if (!b.der) return refuse(`holds a CERTIFICATE block that is not valid base64 (line ${b.line})`);
      try {
        out.push(await parseCertificate(b.der, async (d) => new Uint8Array(await this.subtle.digest("SHA-256", d as BufferSource))));
      } catch (e) {
        if (!(e instanceof CertParseError)) throw e;
        return refuse(`holds a certificate that cannot be read (${e.message})`);
      }
    }
    return out.length ? out : refuse("holds no certificate");
  }

  /** Every certificate in a PEM file, leaf first. */
  async certs(path: string, who: string): Promise<Loaded<Cert[]>> {
    const p = treePath(path);
    if (this.certCache.has(p)) return this.certCache.get(p)!;
    const text = fileText(this.tree, p);
    let r: Loaded<Cert[]>;
    if (text === null) {
      this.missing(path, who);
      r = null;
    } else {
      r = await this.parseBlocks(scanPem(text).blocks, p, who);
      if (r !== "unreadable") this.note(p, "certificate", r);
    }
    this.certCache.set(p, r);
    return r;
  }

  /** Go's tls.X509KeyPair refusal of the key file at `path` (read by key()), or null when Go parses it. */
  keyRefusal(path: string): string | null {
    return this.refusals.get(treePath(path)) ?? null;
  }

  /** The private key in a PEM file. */
  async key(path: string, who: string): Promise<Loaded<PrivateKey>> {
    const p = treePath(path);
    if (this.keyCache.has(p)) return this.keyCache.get(p)!;
    const text = fileText(this.tree, p);
    // A file of certificate and key (the kubelet's *-current.pem) arrives from the CLI as its certificates and a fingerprint.
    const keyless = text === null || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text);
    const fingerprint = keyless ? fileText(this.tree, p + PUBSHA256_SUFFIX) : null;
    let r: Loaded<PrivateKey> = null;
    if (fingerprint !== null) {
      // The key stayed on the client's machine: its public key's SHA-256 (and Go's refusal of it) came instead.
      const sent = readPubsha256(fingerprint);
      if (sent?.refusal) this.refusals.set(p, sent.refusal);
      r = sent?.key ?? "unreadable";
      if (!sent)
        this.findings.add(
          "cluster.file-unreadable",
          `${p}${PUBSHA256_SUFFIX} is not one SHA-256 in hex; ${who} cannot be matched to its key.`,
          {
            path: p + PUBSHA256_SUFFIX,
          },
        );
      else if (r === "unreadable")
        this.findings.add("cluster.file-unreadable", `${p} holds no private key Go can parse (${sent.refusal}); ${who} cannot load it.`, {
          path: p + PUBSHA256_SUFFIX,
        });
      else this.note(p + PUBSHA256_SUFFIX, "key");
    } else if (text === null) this.missing(path, who);
    else {
      const refusal = goPrivateKeyRefusal(text);
      if (refusal) this.refusals.set(p, refusal);
      const block = scanPem(text).blocks.find((b) => b.label.endsWith("PRIVATE KEY"));
      const key = block ? await readPrivateKey(block, this.subtle) : null;
      r = key && !key.info.problem ? key : "unreadable";
      if (r === "unreadable")
        this.findings.add(
          "cluster.file-unreadable",
          `${p} holds no usable private key${key?.info.problem ? ` (${key.info.problem})` : ""}; ${who} cannot load it.`,
          { path: p },
        );
      else this.note(p, "key");
    }
    this.keyCache.set(p, r);
    return r;
  }

  /**
   * The fingerprints (canonical SPKI SHA-256, keys/canonical.ts) of the public keys a --service-account-key-file holds: PUBLIC KEY
   * blocks, private keys (their public half) and certificates, as kube-apiserver's keyutil reads it.
   */
  async publicKeys(path: string, who: string): Promise<Loaded<string[]>> {
    const p = treePath(path);
    const text = fileText(this.tree, p);
    if (text === null) {
      this.missing(path, who);
      return null;
    }
    const out: string[] = [];
    for (const b of scanPem(text).blocks) {
      if (!b.der) continue;
      if (b.label === "PUBLIC KEY") out.push(await keyFingerprint(b.der, this.subtle));
      else if (b.label.endsWith("PRIVATE KEY")) {
        const k = await readPrivateKey(b, this.subtle);
        if (k.info.publicKeyFingerprint) out.push(k.info.publicKeyFingerprint);
      } else if (b.label === "CERTIFICATE") {
        const certs = await this.parseBlocks([b], p, who);
        if (certs !== "unreadable") for (const c of certs) out.push(await certificateKeyFingerprint(c, this.subtle));
      }
    }
    if (!out.length) {
      this.findings.add("cluster.file-unreadable", `${p} holds no public key ${who} can read.`, { path: p });
      return "unreadable";
    }
    this.note(p, "public-key");
    return out;
  }

  /** A component kubeconfig: its current context's server, CA, client certificate and key. */
  async kubeconfig(path: string, who: string): Promise<Loaded<ComponentKubeconfig>> {
    const p = treePath(path);
    const text = fileText(this.tree, p);
    if (text === null) {
      this.missing(path, who);
      return null;
    }
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      if (!(e instanceof InputProblem)) throw e;
      this.findings.add("cluster.file-unreadable", `${p}: ${e.message}.`, { path: p });
      return "unreadable";
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      this.findings.add("cluster.file-unreadable", `${p} is not a kubeconfig.`, { path: p });
      return "unreadable";
    }
    const kc = readKubeconfig(doc as Record<string, unknown>, new Scratch());
    const ctx = kc.contexts.find((c) => c.name === kc.currentContext) ?? kc.contexts[0];
    const cluster = kc.clusters.find((c) => c.name === ctx?.cluster);
    const user = kc.users.find((u) => u.name === ctx?.user);
    this.note(p, "kubeconfig");
    const embedded = async (data: string | null, file: string | null, field: string): Promise<{ certs: Cert[]; ref: string }> => {
      if (data) {
        const bytes = decodeBase64(data);
        if (!bytes) this.findings.add("cluster.file-unreadable", `${p}: ${field} is not valid base64; ${who} cannot load it.`, { path: p });
        const certs = bytes ? await this.parseBlocks(scanPem(dec.decode(bytes)).blocks, `${p}#${field}`, who) : "unreadable";
        if (certs !== "unreadable") this.note(p, "kubeconfig", certs);
        return { certs: certs === "unreadable" ? [] : certs, ref: `${p} (${field})` };
      }
      if (file) {
        const certs = await this.certs(file, who);
        return { certs: Array.isArray(certs) ? certs : [], ref: treePath(file) };
      }
      return { certs: [], ref: `${p} (no ${field})` };
    };
    const ca = await embedded(cluster?.caData ?? null, cluster?.caFile ?? null, "certificate-authority-data");
    const client = await embedded(user?.certData ?? null, user?.certFile ?? null, "client-certificate-data");
    let key: PrivateKey | null = null;
    let keyRefusal: string | null = null;
    let keyRef = `${p} (no client-key-data)`;
    if (user?.keyData) {
      const bytes = decodeBase64(user.keyData);
      const block = bytes ? scanPem(dec.decode(bytes)).blocks.find((b) => b.label.endsWith("PRIVATE KEY")) : undefined;
      const k = block ? await readPrivateKey(block, this.subtle) : null;
      key = k && !k.info.problem ? k : null;
      keyRefusal = bytes ? goPrivateKeyRefusal(dec.decode(bytes)) : null;
      keyRef = `${p} (client-key-data)`;
    } else if (typeof rawUser(doc, user?.name)?.[KUBECONFIG_PUBSHA256] === "string") {
      const sent = readPubsha256(rawUser(doc, user?.name)![KUBECONFIG_PUBSHA256] as string);
      key = sent?.key ?? null;
      keyRefusal = sent?.refusal ?? null;
      keyRef = `${p} (${KUBECONFIG_PUBSHA256})`;
    } else if (user?.keyFile) {
      const k = await this.key(user.keyFile, who);
      key = k === "unreadable" ? null : k;
      keyRefusal = this.keyRefusal(user.keyFile);
      keyRef = treePath(user.keyFile);
    }
    return {
      path: p,
      server: cluster?.server ?? null,
      tlsServerName: cluster?.tlsServerName ?? null,
      user: ctx?.user ?? null,
      ca: ca.certs,
      client: client.certs,
      key,
      keyRefusal,
      refs: { ca: ca.ref, cert: client.ref, key: keyRef },
    };
  }
}

/** The `user` map of the named kubeconfig user, as written (for the fields client-go does not know). */
function rawUser(doc: unknown, name: string | undefined): Record<string, unknown> | undefined {
  const users = (doc as { users?: unknown }).users;
  if (!Array.isArray(users)) return undefined;
  const entry = users.find((u) => typeof u === "object" && u !== null && (u as { name?: unknown }).name === name) as
    | { user?: unknown }
    | undefined;
  return typeof entry?.user === "object" && entry.user !== null ? (entry.user as Record<string, unknown>) : undefined;
}
