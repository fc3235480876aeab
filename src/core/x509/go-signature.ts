// What Go's crypto/x509 checkSignature (x509.go, Go 1.19) answers before any arithmetic, from the
// signature's AlgorithmIdentifier and the signer's SPKI algorithm alone: the algorithm as
// getSignatureAlgorithmFromAI reads it (RSASSA-PSS only in Go's three buckets), the key as
// getPublicKeyAlgorithmFromOID reads it (an id-RSASSA-PSS key is UnknownPublicKeyAlgorithm: a nil
// key). Used for a CSR's self-signature (cluster/csr-signature.ts, allowSHA1 = true) and for every
// signature on a path under the Go profile (verify/chain.ts; SHA-1 and MD5 are refused before, by
// policy.ts insecureSignature, as checkSignature refuses them with allowSHA1 = false).
import { children, contentOf, DerError, decodeOid, readTlv, type Tlv } from "../encoding/der.ts";
import { OID } from "./oids.ts";

type GoKey = "RSA" | "ECDSA" | "Ed25519" | "DSA";

/** x509.go signatureAlgorithmDetails, without RSASSA-PSS (read from its parameters): public key kind and hash (null: none). */
const GO_SIGNATURES: Record<string, { key: GoKey; hash: string | null }> = {
  "1.2.840.113549.1.1.2": { key: "RSA", hash: null }, // MD2: crypto.Hash(0)
  "1.2.840.113549.1.1.4": { key: "RSA", hash: "MD5" },
  "1.2.840.113549.1.1.5": { key: "RSA", hash: "SHA-1" },
  "1.3.14.3.2.29": { key: "RSA", hash: "SHA-1" },
  "1.2.840.113549.1.1.11": { key: "RSA", hash: "SHA-256" },
  "1.2.840.113549.1.1.12": { key: "RSA", hash: "SHA-384" },
  "1.2.840.113549.1.1.13": { key: "RSA", hash: "SHA-512" },
  "1.2.840.10040.4.3": { key: "DSA", hash: "SHA-1" },
  "2.16.840.1.101.3.4.3.2": { key: "DSA", hash: "SHA-256" },
  "1.2.840.10045.4.1": { key: "ECDSA", hash: "SHA-1" },
  "1.2.840.10045.4.3.2": { key: "ECDSA", hash: "SHA-256" },
  "1.2.840.10045.4.3.3": { key: "ECDSA", hash: "SHA-384" },
  "1.2.840.10045.4.3.4": { key: "ECDSA", hash: "SHA-512" },
  [OID.ed25519]: { key: "Ed25519", hash: null },
};

/** getPublicKeyAlgorithmFromOID: the keys Go reads (any other is UnknownPublicKeyAlgorithm, a nil key). */
const GO_KEYS: Record<string, GoKey> = {
  [OID.rsaEncryption]: "RSA",
  [OID.ecPublicKey]: "ECDSA",
  [OID.ed25519]: "Ed25519",
  [OID.dsa]: "DSA",
};

export const PSS_SALT: Record<string, number> = { [OID.sha256]: 32, [OID.sha384]: 48, [OID.sha512]: 64 };
const NULL = [0x05, 0x00];

/** An AlgorithmIdentifier { OID, parameters absent or NULL }: the OID, or null. */
function hashAlgorithm(buf: Uint8Array, ai: Tlv | undefined): string | null {
  if (ai?.tag !== 0x30) return null;
  const [oidT, params] = children(buf, ai);
  if (oidT?.tag !== 0x06) return null;
  if (params && !(params.end - params.start === 2 && buf[params.start] === NULL[0] && buf[params.start + 1] === NULL[1])) return null;
  return decodeOid(contentOf(buf, oidT));
}

/** getSignatureAlgorithmFromAI for RSASSA-PSS: MGF1 with the message hash, salt = hash length, trailer 1; else unknown (null). */
export function goPssHash(params: Uint8Array | undefined): string | null {
  if (!params) return null;
  try {
    const seq = readTlv(params, 0);
    if (seq.tag !== 0x30) return null;
    // pssParameters: [0] hash, [1] mgf and [2] saltLength EXPLICIT and required, [3] trailerField
    // EXPLICIT DEFAULT 1, in this order; what follows is left unread. encoding/asn1 parseField
    // reads an EXPLICIT field's header and then the element inside, whatever length the header
    // says (only the inner element's length is checked), and goes on after that element.
    const explicit: Partial<Record<number, Tlv>> = {};
    for (let p = seq.contentStart, want = 0xa0; p < seq.end && want <= 0xa3; want++) {
      const tag = params[p]!;
      if (tag !== want) {
        if (want === 0xa3) break;
        return null;
      }
      const first = params[p + 1] ?? 0;
      const inner = readTlv(params, p + 2 + (first & 0x80 ? first & 0x7f : 0), seq.end);
      explicit[tag] = inner;
      p = inner.end;
    }
    const hash = hashAlgorithm(params, explicit[0xa0]);
    const mgf = explicit[0xa1];
    const salt = explicit[0xa2];
    const trailer = explicit[0xa3];
    if (!hash || mgf?.tag !== 0x30 || salt?.tag !== 0x02) return null;
    const [mgfOid, mgfHash] = children(params, mgf);
    if (mgfOid?.tag !== 0x06 || decodeOid(contentOf(params, mgfOid)) !== OID.mgf1) return null;
    if (hashAlgorithm(params, mgfHash) !== hash) return null;
    const small = (t: Tlv) => (t.end - t.contentStart === 1 ? params[t.contentStart]! : -1);
    if (trailer && (trailer.tag !== 0x02 || small(trailer) !== 1)) return null;
    return PSS_SALT[hash] === small(salt) ? hash : null;
  } catch (e) {
    if (e instanceof DerError) return null;
    throw e;
  }
}

/** An AlgorithmIdentifier as the certificate model and the CSR reader keep it. */
export interface AlgorithmId {
  oid: string;
  name: string;
  params?: Uint8Array;
}

/**
 * Why Go's checkSignature answers before any arithmetic, or null when it goes on to verify:
 * valid null for ErrUnsupportedAlgorithm ("algorithm unimplemented") and InsecureAlgorithmError
 * (MD5), false for signaturePublicKeyAlgoMismatchError.
 */
export function goSignatureRefusal(sa: AlgorithmId, keyOid: string): { valid: false | null; why: string } | null {
  const ed25519WithParams = sa.oid === OID.ed25519 && sa.params !== undefined;
  const details = ed25519WithParams
    ? undefined
    : sa.oid === OID.rsassaPss
      ? goPssHash(sa.params) && { key: "RSA" as const, hash: "PSS" }
      : GO_SIGNATURES[sa.oid];
  const unsupported = { valid: null, why: "x509: cannot verify signature: algorithm unimplemented" } as const;
  if (!details || (details.hash === null && details.key !== "Ed25519")) return unsupported;
  if (details.hash === "MD5") return { valid: null, why: `x509: cannot verify signature: insecure algorithm ${sa.name}` };
  const key = GO_KEYS[keyOid];
  if (!key || key === "DSA") return unsupported; // checkSignature's key switch has no DSA (nor nil) case
  if (key !== details.key)
    return { valid: false, why: `x509: signature algorithm specifies an ${details.key} public key, but have public key of type ${key}` };
  return null;
}
