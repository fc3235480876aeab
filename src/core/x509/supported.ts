// What signatures can be checked here: WebCrypto's algorithms (Workers, Node and browsers
// share them). One list for the verifier (signature.ts) and the cert.unsupported-algorithm
// finding (checks/certificate.ts).

/** Hashes WebCrypto computes for signatures (SHA-224 is not one). */
export const WEBCRYPTO_HASHES: ReadonlySet<string> = new Set(["SHA-1", "SHA-256", "SHA-384", "SHA-512"]);

/** Named curves WebCrypto verifies ECDSA on, with the byte size of a coordinate. */
export const WEBCRYPTO_CURVES: Readonly<Record<string, number>> = { "P-256": 32, "P-384": 48, "P-521": 66 };

/** Public-key algorithms (x509/cert.ts publicKey.algorithm) whose signatures can be verified. */
export const WEBCRYPTO_KEYS: ReadonlySet<string> = new Set(["RSA", "RSA-PSS", "EC", "Ed25519"]);
