// The report is a contract: fields may be added, never renamed or removed.
// The JSON Schemas in schemas/ are generated from src/core/report/schema.ts, which mirrors
// these types; a test checks that real reports validate against them.
import type { Finding } from "../findings/types.ts";

export const SCHEMA_VERSION = "1.0";

export type Verdict = "pass" | "warn" | "fail";
export type Purpose = "server" | "client" | "any";
export type InputKind = "kubeconfig" | "pem" | "der" | "envelope";

export interface SubjectAltNameJson {
  type: "dns" | "ip" | "email" | "uri" | "dirName" | "otherName" | "registeredID" | "x400" | "ediParty";
  value: string;
}

export interface CertificateSource {
  /** Where the certificate was found: `clusters[prod].certificate-authority-data`, `pem[0]`, `clientCA[1]`. */
  path: string;
}

export interface CertificateJson {
  id: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  daysRemaining: number;
  expiry: "valid" | "expiring" | "expired" | "not-yet-valid";
  isCA: boolean;
  pathLen: number | null;
  selfSigned: boolean;
  version: number;
  publicKey: { algorithm: string; bits?: number; curve?: string; fingerprint: string };
  signatureAlgorithm: string;
  keyUsage: string[] | null;
  extendedKeyUsage: string[] | null;
  subjectAltNames: SubjectAltNameJson[];
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  sources: CertificateSource[];
}

export interface ChainJson {
  /** Leaf certificate id. */
  leaf: string;
  /** Certificate ids from the leaf to the anchor (inclusive), the best path found. */
  path: string[];
  anchor: string | null;
  purpose: Purpose;
  valid: boolean;
  /** "valid", "invalid", "unverifiable" (an algorithm WebCrypto lacks) or "budget-exhausted". */
  status: "valid" | "invalid" | "unverifiable" | "budget-exhausted";
  /** Finding code of the most specific failure, or null when valid. */
  reason: string | null;
  /** Plain-English explanation of the failure. */
  reasonMessage: string | null;
  /** The earliest notAfter on the path. */
  effectiveExpiry: string | null;
  /** What the chain was checked for: `client (users[admin]; ...)`, `server (clusters[prod], name ...)`, `bundle (pem[0])`. */
  role: string;
  /** Go crypto/x509's verdict on the same chain (what kubectl and kube-apiserver decide), where computed. */
  go?: { valid: boolean; reason: string | null };
  /** Candidate issuers that were tried and rejected, with why (at most 20). */
  rejected?: { candidate: string; code: string; message: string }[];
}

export type CaRelation = "same-certificate" | "same-key" | "same-name-different-key" | "cross-signed" | "different" | "unknown";

export interface ContextJson {
  name: string;
  cluster: string | null;
  user: string | null;
  server: string | null;
  current: boolean;
  /** Ids of the cluster CA certificates (certificate-authority-data). */
  clusterCA: string[];
  client: {
    certificate: string | null;
    /** Extra certificates sent after the leaf in client-certificate-data. */
    chain: string[];
    identity: { user: string | null; groups: string[] } | null;
    keyMatches: boolean | null;
    authMethods: string[];
  };
  caIdentity: { relation: CaRelation; clientIssuer: string | null; clusterCA: string | null; explanation: string };
  /** Would kubectl trust the API server? null when the server certificate was not supplied. */
  serverTrusted: boolean | null;
  /** Would kube-apiserver accept the client certificate? null when not decidable from the input. */
  clientAccepted: boolean | null;
  verdict: Verdict;
}

export interface Report {
  schemaVersion: string;
  validationTime: string;
  warnDays: number;
  input: { kind: InputKind; parts: string[] };
  verdict: Verdict;
  summary: { certificates: number; errors: number; warnings: number; infos: number; earliestExpiry: string | null; earliestExpiryCertificate: string | null };
  certificates: CertificateJson[];
  chains: ChainJson[];
  contexts: ContextJson[];
  findings: Finding[];
}

export interface VerifyResultJson {
  valid: boolean;
  status: ChainJson["status"];
  path: string[];
  anchor: string | null;
  reason: string | null;
  reasonMessage: string | null;
  validationTime: string;
  findings: Finding[];
  certificates: CertificateJson[];
}
