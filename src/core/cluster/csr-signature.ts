// A CSR's self-signature as the API server checks it on create (kubernetes
// pkg/apis/certificates/validation/validation.go validateCSR: CertificateRequest.CheckSignature),
// that is Go's crypto/x509 checkSignature(algo, tbs, signature, publicKey, allowSHA1=true)
// (x509.go, Go 1.19), the arithmetic done by WebCrypto through the chain code's verifier:
// - true: Go's check passes;
// - false: the signature does not verify, or the algorithm names another kind of key than the
//   request carries (Go's signaturePublicKeyAlgoMismatchError);
// - null: not checked. Go answers ErrUnsupportedAlgorithm (an algorithm Go does not know, MD2,
//   SHA-224, DSA, RSASSA-PSS parameters other than Go's three, a key Go does not read such as an
//   id-RSASSA-PSS one) or InsecureAlgorithmError (MD5), or WebCrypto cannot do the algorithm.
import { goPssHash, goSignatureRefusal, PSS_SALT } from "../x509/go-signature.ts";
import { HASH_NAMES, OID } from "../x509/oids.ts";
import { SignatureVerifier } from "../x509/signature.ts";
import type { Csr } from "./csr-der.ts";

/** Why Go's checkSignature answers before any arithmetic, or null when it goes on to verify. */
const goSignatureGate = (csr: Csr) => goSignatureRefusal(csr.signatureAlgorithm, csr.spkiAlgorithm.oid);

/** CheckSignature's verdict (see the top of this file) and, when not true, Go's words or WebCrypto's. */
export async function checkCsrSignature(
  csr: Csr,
  spkiFingerprint: string,
  subtle: SubtleCrypto,
): Promise<{ valid: boolean | null; why?: string }> {
  const gate = goSignatureGate(csr);
  if (gate) return gate;
  // RSASSA-PSS as Go reads its parameters (goPssHash): the message and MGF1 hash, salt = hash length.
  const sa = csr.signatureAlgorithm;
  const pssHashOid = sa.oid === OID.rsassaPss ? goPssHash(sa.params) : null; // not null here: the gate passed
  const pssHash = pssHashOid ? HASH_NAMES[pssHashOid]! : null;
  const signatureAlgorithm = pssHash
    ? { ...sa, key: "RSA-PSS", hash: pssHash, pss: { hash: pssHash, mgfHash: pssHash, saltLength: PSS_SALT[pssHashOid!]! } }
    : sa;
  const signed = { id: "csr", signatureAlgorithm, frame: csr };
  const key = {
    id: "csr",
    publicKey: { ...csr.publicKey, fingerprint: spkiFingerprint },
    spkiAlgorithm: csr.spkiAlgorithm,
    frame: { spki: csr.keySpki },
  };
  const r = await new SignatureVerifier(subtle).verify(signed, key);
  if (r.result === "valid") return { valid: true };
  return { valid: r.result === "invalid" ? false : null, ...(r.detail ? { why: r.detail } : {}) };
}
