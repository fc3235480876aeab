// What test/oracles/csr answers for each request: Go's pem.Decode + x509.ParseCertificateRequest
// + CheckSignature (as the API server reads spec.request), the fields it exposes, and, with a
// certificate, whether it carries the request's key and is valid at `at`.
import { runGoOracle } from "./go-oracle.ts";

export interface GoCsr {
  name: string;
  parse: string;
  signature: string;
  commonName: string;
  organization: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emails: string[];
  uris: string[];
  spkiSha256: string;
  sameKey: string;
  validAt: string;
}

export interface GoCsrInput {
  name: string;
  /** spec.request: base64 of the PEM text. */
  request: string;
  /** status.certificate: base64 of the PEM text, or "". */
  certificate: string;
  at: string;
}

/** Go's answers, in the input's order; null when Go is missing locally (a failure under CI=true). */
export const goCsrs = (input: GoCsrInput[]): GoCsr[] | null => runGoOracle<GoCsr[]>("csr", input);
