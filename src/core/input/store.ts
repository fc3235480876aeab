// Every certificate and key in a request, parsed once, de-duplicated by id, with all the
// places it was found. The limit on certificates is enforced here.
import { scanPem, type PemBlock } from "../encoding/pem.ts";
import { Pkcs7Error, pkcs7Certificates } from "../encoding/pkcs7.ts";
import { InputProblem } from "../errors.ts";
import type { Findings } from "../findings/index.ts";
import { PRIVATE_KEY_LABELS, readPrivateKey, type PrivateKey } from "../keys/private.ts";
import { CertParseError, parseCertificate, type Cert } from "../x509/cert.ts";
import { NameCache } from "../x509/name-cache.ts";
import { detect, reportDetected } from "./detect.ts";
import { badBodyWhy, reportBrokenMarkers, reportDamagedBlocks, reportNoGoCertificate, reportUnreadableBlocks } from "./pem-findings.ts";
import { trustedCertificateDer } from "./trusted-findings.ts";

export interface StoredKey {
  key: PrivateKey;
  path: string;
}

export interface Limits {
  /** Most certificates parsed per request; the rest are skipped with engine.certificate-limit. */
  maxCertificates: number;
  /** Most chains built per request (each with its own path-building budget). */
  maxChains: number;
  /** Most kubeconfig contexts analysed per request. */
  maxContexts: number;
  /**
   * Most signature checks asked per request over all its chains (cached answers included); past
   * it no further chain is built (engine.chain-limit). Unset: only the per-chain budget applies.
   */
  maxSignatureChecks?: number;
}

const asBytes = (b: ArrayBuffer) => new Uint8Array(b);

export class CertStore {
  private byId = new Map<string, { cert: Cert; sources: string[] }>();
  readonly keys: StoredKey[] = [];
  private parsed = 0;
  private limitReported = false;
  private readonly digest: (d: Uint8Array) => Promise<Uint8Array>;
  private readonly subtle: SubtleCrypto;
  private readonly findings: Findings;
  private readonly limits: Limits;
  /** Names read once per request (a CA's name in each of its leaves). */
  private readonly names = new NameCache();

  /** False when the input never left the user's machine: a key is then "in the file", not "uploaded". */
  private readonly keysUploaded: boolean;

  constructor(subtle: SubtleCrypto, findings: Findings, limits: Limits, opts: { keysUploaded?: boolean } = {}) {
    this.keysUploaded = opts.keysUploaded ?? true;
    this.subtle = subtle;
    this.findings = findings;
    this.limits = limits;
    this.digest = (d) => subtle.digest("SHA-256", d as BufferSource).then(asBytes);
  }

  /** Parses one DER certificate found at `path`; returns null (with a finding) when unreadable. */
  async addDer(der: Uint8Array, path: string): Promise<Cert | null> {
    if (this.parsed >= this.limits.maxCertificates) {
      if (!this.limitReported) {
        this.limitReported = true;
        this.findings.add(
          "engine.certificate-limit",
          `Only the first ${this.limits.maxCertificates} certificates were audited; ${path} and later ones were skipped.`,
          { path },
        );
      }
      return null;
    }
    this.parsed++;
    let cert: Cert;
    try {
      cert = await parseCertificate(der, this.digest, this.names);
    } catch (e) {
      // Only the parser's own error is a finding; anything else is a bug and must surface as one.
      if (!(e instanceof CertParseError)) throw e;
      this.findings.add("input.unparseable-certificate", `The certificate at ${path} cannot be read (${e.message}).`, { path });
      return null;
    }
    const seen = this.byId.get(cert.id);
    if (seen) {
      if (!seen.sources.includes(path)) seen.sources.push(path);
      return seen.cert;
    }
    this.byId.set(cert.id, { cert, sources: [path] });
    return cert;
  }

  /**
   * Reads a PEM text: certificates are parsed, private keys read (never kept beyond the
   * request), other blocks reported. Returns the certificates in order. `reportKeys: false` is
   * how a kubeconfig *-data field is read: client-go reads those with Go's pem.Decode, so a
   * block Go skips is an error there, and PKCS#7 (which Go does not read) is not unpacked.
   */
  async addPem(
    text: string,
    path: (i: number) => string,
    opts: { reportKeys: boolean },
  ): Promise<{ certs: Cert[]; keys: StoredKey[]; blocks: PemBlock[] }> {
    const scan = scanPem(text);
    const certs: Cert[] = [];
    const keys: StoredKey[] = [];
    const unreadable: { block: PemBlock; where: string }[] = [];
    const damaged: { block: PemBlock; where: string; why: string }[] = [];
    for (const b of scan.blocks) {
      const where = path(b.index);
      if (b.problem) {
        const why =
          b.problem === "unterminated"
            ? "has no END line"
            : b.problem === "label-mismatch"
              ? "ends with a different label than it begins"
              : badBodyWhy(b);
        damaged.push({ block: b, where, why });
        continue;
      }
      if (b.unreadableByTools) unreadable.push({ block: b, where });
      if (b.label === "CERTIFICATE" || b.label === "X509 CERTIFICATE" || b.label === "TRUSTED CERTIFICATE") {
        const der = b.label === "TRUSTED CERTIFICATE" ? trustedCertificateDer(b, where, this.findings) : b.der!;
        const c = der ? await this.addDer(der, where) : null;
        if (c) certs.push(c);
      } else if ((b.label === "PKCS7" || b.label === "CMS") && opts.reportKeys) {
        certs.push(...(await this.addPkcs7(b, where)));
      } else if (PRIVATE_KEY_LABELS.has(b.label)) {
        const key = await readPrivateKey(b, this.subtle);
        const stored = { key, path: where };
        keys.push(stored);
        this.keys.push(stored);
        if (opts.reportKeys)
          this.findings.add(
            this.keysUploaded ? "input.private-key-uploaded" : "input.private-key-in-file",
            `A ${b.label} block was found at ${where}.`,
            { path: where },
          );
      } else {
        this.findings.add("input.unknown-pem-block", `A ${b.label} block at ${where} was skipped.`, { path: where });
      }
    }
    reportDamagedBlocks(this.findings, damaged);
    reportUnreadableBlocks(this.findings, unreadable, !opts.reportKeys);
    reportBrokenMarkers(this.findings, scan.brokenMarkers, path(0).replace(/\[\d+\]$/, ""));
    if (!opts.reportKeys) reportNoGoCertificate(this.findings, scan.blocks, path(0).replace(/\[\d+\]$/, ""), scan.brokenMarkers.length);
    if (scan.strayLines > 0 && opts.reportKeys)
      this.findings.add("input.stray-text", `${scan.strayLines} line(s) of text outside PEM blocks were ignored.`, {
        path: path(0).replace(/\[\d+\]$/, ""),
      });
    return { certs, keys, blocks: scan.blocks };
  }

  /** The certificates of a PKCS#7 bundle, as `openssl pkcs7 -print_certs` lists them. */
  private async addPkcs7(b: PemBlock, where: string): Promise<Cert[]> {
    let ders: Uint8Array[];
    try {
      ders = pkcs7Certificates(b.der!);
    } catch (e) {
      if (!(e instanceof Pkcs7Error)) throw e;
      this.findings.add("input.bad-pem-block", `The ${b.label} block at ${where} (line ${b.line}) cannot be read: ${e.message}.`, {
        path: where,
      });
      return [];
    }
    this.findings.add(
      "input.pkcs7-bundle",
      `The ${b.label} block at ${where} carries ${ders.length} certificate(s); they were read and audited.`,
      { path: where },
    );
    const certs: Cert[] = [];
    for (const [i, der] of ders.entries()) {
      const c = await this.addDer(der, `${where}.certificates[${i}]`);
      if (c) certs.push(c);
    }
    return certs;
  }

  /**
   * A field that must hold certificates (clientCA, serverCertificate, trustAnchors, ...), as PEM or
   * DER; a kubeconfig there is a mistake. Returns the readable certificates in order.
   */
  async addCertificateField(data: string | Uint8Array, field: string): Promise<Cert[]> {
    const d = detect(data, field);
    reportDetected(d, field, this.findings);
    if (d.kind === "kubeconfig")
      throw new InputProblem("input.bad-option", 422, `${field} must be PEM or DER certificates, not a kubeconfig`, {
        pointer: `/${field}`,
      });
    if (d.kind === "der") {
      const c = await this.addDer(d.der, `${field}[0]`);
      return c ? [c] : [];
    }
    return (await this.addPem(d.text, (i) => `${field}[${i}]`, { reportKeys: true })).certs;
  }

  all(): { cert: Cert; sources: string[] }[] {
    return [...this.byId.values()];
  }

  sourcesOf(id: string): string[] {
    return this.byId.get(id)?.sources ?? [];
  }
}
