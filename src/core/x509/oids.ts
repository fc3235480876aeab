// Object identifiers the audit names. Only what is used; each with the name OpenSSL prints.

export const OID = {
  // Extensions (RFC 5280 4.2)
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  issuerAltName: "2.5.29.18",
  basicConstraints: "2.5.29.19",
  nameConstraints: "2.5.29.30",
  crlDistributionPoints: "2.5.29.31",
  certificatePolicies: "2.5.29.32",
  policyMappings: "2.5.29.33",
  authorityKeyIdentifier: "2.5.29.35",
  policyConstraints: "2.5.29.36",
  extKeyUsage: "2.5.29.37",
  inhibitAnyPolicy: "2.5.29.54",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
  subjectInfoAccess: "1.3.6.1.5.5.7.1.11",
  ctPoisonPrecert: "1.3.6.1.4.1.11129.2.4.3",
  ctSct: "1.3.6.1.4.1.11129.2.4.2",
  // EKU purposes
  anyExtendedKeyUsage: "2.5.29.37.0",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  codeSigning: "1.3.6.1.5.5.7.3.3",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  ocspSigning: "1.3.6.1.5.5.7.3.9",
  // Name attributes
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  // Public key algorithms
  rsaEncryption: "1.2.840.113549.1.1.1",
  rsassaPss: "1.2.840.113549.1.1.10",
  ecPublicKey: "1.2.840.10045.2.1",
  ed25519: "1.3.101.112",
  ed448: "1.3.101.113",
  dsa: "1.2.840.10040.4.1",
  mgf1: "1.2.840.113549.1.1.8",
  // Curves
  p224: "1.3.132.0.33",
  p256: "1.2.840.10045.3.1.7",
  p384: "1.3.132.0.34",
  p521: "1.3.132.0.35",
  secp256k1: "1.3.132.0.10",
  // Hashes
  sha1: "1.3.14.3.2.26",
  sha224: "2.16.840.1.101.3.4.2.4",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
} as const;

export const EKU_NAMES: Record<string, string> = {
  [OID.anyExtendedKeyUsage]: "any",
  [OID.serverAuth]: "serverAuth",
  [OID.clientAuth]: "clientAuth",
  [OID.codeSigning]: "codeSigning",
  [OID.emailProtection]: "emailProtection",
  [OID.timeStamping]: "timeStamping",
  [OID.ocspSigning]: "OCSPSigning",
};

export const CURVE_NAMES: Record<string, string> = {
  [OID.p224]: "P-224",
  [OID.p256]: "P-256",
  [OID.p384]: "P-384",
  [OID.p521]: "P-521",
  [OID.secp256k1]: "secp256k1",
};

export const HASH_NAMES: Record<string, string> = {
  [OID.sha1]: "SHA-1",
  [OID.sha224]: "SHA-224",
  [OID.sha256]: "SHA-256",
  [OID.sha384]: "SHA-384",
  [OID.sha512]: "SHA-512",
};

export interface SigAlgInfo {
  name: string;
  /** Key family the algorithm needs. */
  key: "RSA" | "RSA-PSS" | "EC" | "Ed25519" | "Ed448" | "DSA" | "unknown";
  /** Hash name, when fixed by the OID (PSS reads it from parameters). */
  hash?: string;
}

export const SIGNATURE_ALGORITHMS: Record<string, SigAlgInfo> = {
  "1.2.840.113549.1.1.2": { name: "md2WithRSAEncryption", key: "RSA", hash: "MD2" },
  "1.2.840.113549.1.1.4": { name: "md5WithRSAEncryption", key: "RSA", hash: "MD5" },
  "1.2.840.113549.1.1.5": { name: "sha1WithRSAEncryption", key: "RSA", hash: "SHA-1" },
  // The old OIW form (OpenSSL prints "sha1WithRSA"; Go's x509.go signatureAlgorithmDetails maps it to SHA1WithRSA).
  "1.3.14.3.2.29": { name: "sha1WithRSA", key: "RSA", hash: "SHA-1" },
  "1.2.840.113549.1.1.14": { name: "sha224WithRSAEncryption", key: "RSA", hash: "SHA-224" },
  "1.2.840.113549.1.1.11": { name: "sha256WithRSAEncryption", key: "RSA", hash: "SHA-256" },
  "1.2.840.113549.1.1.12": { name: "sha384WithRSAEncryption", key: "RSA", hash: "SHA-384" },
  "1.2.840.113549.1.1.13": { name: "sha512WithRSAEncryption", key: "RSA", hash: "SHA-512" },
  "1.2.840.113549.1.1.10": { name: "rsassaPss", key: "RSA-PSS" },
  "1.2.840.10045.4.1": { name: "ecdsa-with-SHA1", key: "EC", hash: "SHA-1" },
  "1.2.840.10045.4.3.1": { name: "ecdsa-with-SHA224", key: "EC", hash: "SHA-224" },
  "1.2.840.10045.4.3.2": { name: "ecdsa-with-SHA256", key: "EC", hash: "SHA-256" },
  "1.2.840.10045.4.3.3": { name: "ecdsa-with-SHA384", key: "EC", hash: "SHA-384" },
  "1.2.840.10045.4.3.4": { name: "ecdsa-with-SHA512", key: "EC", hash: "SHA-512" },
  "1.3.101.112": { name: "ED25519", key: "Ed25519" },
  "1.3.101.113": { name: "ED448", key: "Ed448" },
  "1.2.840.10040.4.3": { name: "dsa-with-SHA1", key: "DSA", hash: "SHA-1" },
  "2.16.840.1.101.3.4.3.2": { name: "dsa-with-SHA256", key: "DSA", hash: "SHA-256" },
};
