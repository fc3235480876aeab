// What audit() takes: the input documents and the options (re-exported by audit.ts).
import type { Limits } from "../input/store.ts";
import type { Profile } from "../verify/types.ts";

export type InputData = string | Uint8Array;

export interface AuditInput {
  /** Any supported document, detected by content. */
  document?: InputData;
  kubeconfig?: InputData;
  pem?: InputData;
  /** The API server's --client-ca-file (one or more CA certificates). */
  clientCA?: InputData;
  /** The chain the API server presents (--tls-cert-file), leaf first. */
  serverCertificate?: InputData;
  /**
   * Chains presented by individual servers (the CLI's --live), each deciding only the contexts
   * it names; a context named by none falls back to serverCertificate.
   */
  serverCertificates?: { contexts: string[]; certificate: InputData }[];
}

/** A file a kubeconfig names that the caller (the CLI) could not read, e.g. `users[jane].client-certificate`. */
export interface FileError {
  path: string;
  file: string;
  reason: string;
}

export interface AuditOptions {
  /** Validation time. */
  at: Date;
  /** Warn this many days before expiry (default 30). */
  warnDays?: number;
  subtle: SubtleCrypto;
  limits?: Partial<Limits>;
  /** Rules for the reported chains (the kube verdicts always follow Go). Default "go"; Go and strict RFC 5280 are compared either way. */
  profile?: Profile;
  /** Files the kubeconfig names that could not be read where it lives (kubectl would fail too). */
  fileErrors?: FileError[];
  /**
   * The input was read where it lives (the CLI, the Action without an endpoint, the form's
   * in-browser mode): nothing was uploaded, so a private key in it is input.private-key-in-file,
   * not input.private-key-uploaded.
   */
  local?: boolean;
}
