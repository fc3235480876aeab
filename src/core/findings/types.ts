// The shape of the product's vocabulary. A finding code is lowercase, dotted, grouped by family
// (`input.*`, `kubeconfig.*`, `cert.*`, `chain.*`, `key.*`, `identity.*`, `engine.*`), and is
// never renamed or reused once published. Each family lives in its own file beside this one.

export type Severity = "error" | "warning" | "info";

export interface FindingDef {
  severity: Severity;
  /** One line: what is wrong, in plain English. */
  title: string;
  /** What the user will see because of it (for example the kubectl error) and what to do. */
  advice: string;
  /** RFC clause or other source, where one exists. */
  cite?: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  /** The specific instance followed by the catalogue's advice. */
  message: string;
  /** Certificate id (`sha256:...`) it concerns, if any. */
  certificate?: string;
  /** Kubeconfig context name it concerns, if any. */
  context?: string;
  /** Where in the input: `users[admin].client-certificate-data`, `pem[2]`, `clientCA[0]`. */
  path?: string;
}

/** Declares a family with codes checked at compile time to start with the family prefix. */
export function family<P extends string, T extends Record<`${P}.${string}`, FindingDef>>(_prefix: P, defs: T): T {
  return defs;
}
