// Signature checks over WebCrypto. The SubtleCrypto instance is passed in (Workers, Node and
// browsers each have one); imported keys are cached per SubjectPublicKeyInfo so a CA used for
// many children is imported once.
import { children, concatBytes, contentOf, encodeTlv, readTlv } from "../encoding/der.ts";
import type { Cert } from "./cert.ts";
import { OID } from "./oids.ts";
import { WEBCRYPTO_CURVES, WEBCRYPTO_HASHES } from "./supported.ts";

export type SignatureResult = "valid" | "invalid" | "unsupported";

/** What a check reads of the signed object: a certificate, or a PKCS#10 request (cluster/csr-der.ts). */
export interface Signed {
  id: string;
  signatureAlgorithm: Cert["signatureAlgorithm"];
  frame: Pick<Cert["frame"], "tbs" | "signature" | "signatureUnusedBits">;
}

/** What a check reads of the signer: its public key. */
export interface SignerKey {
  id: string;
  publicKey: Pick<Cert["publicKey"], "algorithm" | "curve" | "fingerprint">;
  spkiAlgorithm: Cert["spkiAlgorithm"];
  frame: Pick<Cert["frame"], "spki">;
}

export interface SignatureOutcome {
  result: SignatureResult;
  /** Why it is unsupported or invalid, in words. */
  detail?: string;
}

const CURVES: Record<string, { name: string; size: number }> = {
  [OID.p256]: { name: "P-256", size: WEBCRYPTO_CURVES["P-256"]! },
  [OID.p384]: { name: "P-384", size: WEBCRYPTO_CURVES["P-384"]! },
  [OID.p521]: { name: "P-521", size: WEBCRYPTO_CURVES["P-521"]! },
};

/** rsaEncryption AlgorithmIdentifier with NULL parameters. */
const RSA_ALG_ID = new Uint8Array([0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]);

/** WebCrypto will not import an id-RSASSA-PSS SPKI; the key bits are the same RSAPublicKey, so re-label them. */
function pssSpkiAsRsa(spki: Uint8Array): Uint8Array {
  const seq = readTlv(spki, 0);
  const [, bits] = children(spki, seq);
  if (!bits) throw new Error("bad SPKI");
  return encodeTlv(0x30, concatBytes(RSA_ALG_ID, spki.subarray(bits.start, bits.end)));
}

/** ECDSA-Sig-Value (DER SEQUENCE of two INTEGERs) to the fixed-width r||s WebCrypto wants. */
function ecdsaDerToRaw(sig: Uint8Array, size: number): Uint8Array | null {
  try {
    const seq = readTlv(sig, 0);
    if (seq.tag !== 0x30 || seq.end !== sig.length) return null;
    const parts = children(sig, seq);
    if (parts.length !== 2) return null;
    const out = new Uint8Array(size * 2);
    for (let k = 0; k < 2; k++) {
      const t = parts[k]!;
      if (t.tag !== 0x02) return null;
      let v = contentOf(sig, t);
      if (v.length > 0 && v[0]! & 0x80) return null; // negative
      while (v.length > 1 && v[0] === 0) v = v.subarray(1);
      if (v.length > size) return null;
      out.set(v, k * size + (size - v.length));
    }
    return out;
  } catch {
    return null;
  }
}

export class SignatureVerifier {
  private keys = new Map<string, Promise<CryptoKey | null>>();
  /** Signature checks asked for (cached answers included). */
  count = 0;
  /**
   * One answer per (child, issuer) pair: the strict and the Go view of a chain ask the same
   * questions. Keyed by child id, then issuer id (no joined string to build and hash per ask).
   */
  private results = new Map<string, Map<string, Promise<SignatureOutcome>>>();
  /** The answers already settled, by the same keys: a repeated question needs no await. */
  private settled = new Map<string, Map<string, SignatureOutcome>>();

  private readonly subtle: SubtleCrypto;
  private readonly maxChecks: number;
  /** `maxChecks`: the request's budget of signature checks over all chains (default unbounded). */
  constructor(subtle: SubtleCrypto, maxChecks = Number.POSITIVE_INFINITY) {
    this.subtle = subtle;
    this.maxChecks = maxChecks;
  }

  /** True once the request's budget of checks is spent. */
  exhausted(): boolean {
    return this.count >= this.maxChecks;
  }

  private importKey(
    issuer: SignerKey,
    alg: RsaHashedImportParams | EcKeyImportParams | Algorithm,
    spki: Uint8Array,
    cacheKey: string,
  ): Promise<CryptoKey | null> {
    const k = `${issuer.publicKey.fingerprint}|${cacheKey}`;
    let p = this.keys.get(k);
    if (!p) {
      p = this.subtle.importKey("spki", spki as BufferSource, alg, false, ["verify"]).catch(() => null);
      this.keys.set(k, p);
    }
    return p;
  }

  /** Verifies `child`'s signature with `issuer`'s public key. Never throws. */
  verify(child: Signed, issuer: SignerKey): Promise<SignatureOutcome> {
    this.count++;
    let byIssuer = this.results.get(child.id);
    if (!byIssuer) {
      byIssuer = new Map();
      this.results.set(child.id, byIssuer);
    }
    let r = byIssuer.get(issuer.id);
    if (!r) {
      r = this.check(child, issuer);
      byIssuer.set(issuer.id, r);
      // A rejection (a bug) reaches the caller through `r`; this side branch only records answers.
      void r.then(
        (v) => {
          let m = this.settled.get(child.id);
          if (!m) {
            m = new Map();
            this.settled.set(child.id, m);
          }
          m.set(issuer.id, v);
        },
        () => undefined,
      );
    }
    return r;
  }

  /**
   * verify(), counted the same, but a question already answered gets its answer directly
   * instead of a promise (path building awaits only a check that is still to be made).
   */
  verifyNow(child: Signed, issuer: SignerKey): SignatureOutcome | Promise<SignatureOutcome> {
    const known = this.settled.get(child.id)?.get(issuer.id);
    if (known === undefined) return this.verify(child, issuer);
    this.count++;
    return known;
  }

  private async check(child: Signed, issuer: SignerKey): Promise<SignatureOutcome> {
    const sa = child.signatureAlgorithm;
    const keyAlg = issuer.spkiAlgorithm.oid;
    const data = child.frame.tbs as BufferSource;
    const sig = child.frame.signature;
    // Go (parser.go RightAlign) and OpenSSL ("invalid bit string bits left") both fail such a signature.
    if (child.frame.signatureUnusedBits)
      return {
        result: "invalid",
        detail: `the signature BIT STRING has ${child.frame.signatureUnusedBits} unused bit(s), so it is not a signature value`,
      };
    try {
      switch (sa.key) {
        case "RSA":
        case "RSA-PSS": {
          if (keyAlg !== OID.rsaEncryption && keyAlg !== OID.rsassaPss)
            return { result: "invalid", detail: `a ${sa.name} signature cannot come from a ${issuer.publicKey.algorithm} key` };
          const hash = sa.hash ?? "";
          if (!WEBCRYPTO_HASHES.has(hash))
            return { result: "unsupported", detail: `${sa.name} uses ${hash || "an unknown hash"}, which WebCrypto cannot verify` };
          const spki = keyAlg === OID.rsassaPss ? pssSpkiAsRsa(issuer.frame.spki) : issuer.frame.spki;
          // RFC 4055 1.2: a key whose SPKI algorithm is id-RSASSA-PSS may only make RSASSA-PSS signatures.
          if (sa.key === "RSA" && keyAlg === OID.rsassaPss)
            return {
              result: "invalid",
              detail: `a ${sa.name} (PKCS#1 v1.5) signature cannot come from an RSASSA-PSS-restricted key (RFC 4055 1.2)`,
            };
          if (sa.key === "RSA") {
            const key = await this.importKey(issuer, { name: "RSASSA-PKCS1-v1_5", hash }, spki, `pkcs1|${hash}`);
            if (!key) return { result: "unsupported", detail: "WebCrypto could not import the issuer's RSA key" };
            return (await this.subtle.verify("RSASSA-PKCS1-v1_5", key, sig as BufferSource, data))
              ? { result: "valid" }
              : { result: "invalid" };
          }
          const pss = sa.pss!;
          if (pss.mgfHash !== pss.hash)
            return {
              result: "unsupported",
              detail: "RSASSA-PSS with an MGF1 hash different from the message hash cannot be checked with WebCrypto",
            };
          const key = await this.importKey(issuer, { name: "RSA-PSS", hash }, spki, `pss|${hash}`);
          if (!key) return { result: "unsupported", detail: "WebCrypto could not import the issuer's RSA key" };
          return (await this.subtle.verify({ name: "RSA-PSS", saltLength: pss.saltLength }, key, sig as BufferSource, data))
            ? { result: "valid" }
            : { result: "invalid" };
        }
        case "EC": {
          if (keyAlg !== OID.ecPublicKey)
            return { result: "invalid", detail: `an ECDSA signature cannot come from a ${issuer.publicKey.algorithm} key` };
          const curve = CURVES[issuer.spkiAlgorithm.curveOid ?? ""];
          if (!curve)
            return { result: "unsupported", detail: `the issuer's curve ${issuer.publicKey.curve ?? "?"} is not available in WebCrypto` };
          const hash = sa.hash ?? "";
          if (!WEBCRYPTO_HASHES.has(hash)) return { result: "unsupported", detail: `${sa.name} is not available in WebCrypto` };
          const raw = ecdsaDerToRaw(sig, curve.size);
          if (!raw) return { result: "invalid", detail: "the ECDSA signature is not a well-formed DER value" };
          const key = await this.importKey(issuer, { name: "ECDSA", namedCurve: curve.name }, issuer.frame.spki, "ecdsa");
          if (!key) return { result: "unsupported", detail: "WebCrypto could not import the issuer's EC key" };
          return (await this.subtle.verify({ name: "ECDSA", hash }, key, raw as BufferSource, data))
            ? { result: "valid" }
            : { result: "invalid" };
        }
        case "Ed25519": {
          if (keyAlg !== OID.ed25519)
            return { result: "invalid", detail: `an Ed25519 signature cannot come from a ${issuer.publicKey.algorithm} key` };
          const key = await this.importKey(issuer, { name: "Ed25519" }, issuer.frame.spki, "ed25519");
          if (!key) return { result: "unsupported", detail: "this runtime's WebCrypto has no Ed25519" };
          return (await this.subtle.verify({ name: "Ed25519" }, key, sig as BufferSource, data))
            ? { result: "valid" }
            : { result: "invalid" };
        }
        default:
          return { result: "unsupported", detail: `${sa.name} signatures are not available in WebCrypto` };
      }
    } catch (e) {
      return { result: "unsupported", detail: `WebCrypto refused the check (${e instanceof Error ? e.name : "error"})` };
    }
  }
}
