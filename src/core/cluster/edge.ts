// One trust edge: who presents, who verifies, what was checked, and whether and until when the
// verifying component accepts. Chains are verified as Go's crypto/x509 does (every verifier on a
// control plane is a Go program), with the verifier's purpose and host name.
import type { Finding } from "../findings/index.ts";
import { newBudget, verifyChain } from "../verify/index.ts";
import type { ChainResult, Purpose } from "../verify/types.ts";
import type { Cert } from "../x509/cert.ts";
import type { Renewal } from "./renewal.ts";
import type { SignatureVerifier } from "../x509/signature.ts";
import type { EdgeNode } from "./nodes.ts";

export type Relation =
  | "serving"
  | "client"
  | "etcd-client"
  | "etcd-serving"
  | "etcd-peer"
  | "kubelet-serving"
  | "front-proxy"
  | "service-account"
  | "signing"
  | "root-ca"
  | "root-ca-configmap"
  | "key-pair"
  | "tls-secret"
  | "webhook"
  | "apiservice";
export type EdgeVerdict = "holds" | "broken" | "unknown";

export interface Edge {
  from: string;
  to: string;
  relation: Relation;
  /** The component or object `from` and `to` name (nodes.ts); null when neither end names one. */
  fromNode: EdgeNode | null;
  toNode: EdgeNode | null;
  verdict: EdgeVerdict;
  /** The earliest notAfter that matters to the edge. */
  breaksAt: Date | null;
  /** The certificate whose notAfter is breaksAt (for the renewal plan). */
  limiting: Cert | null;
  detail: string;
  certificate: Cert | null;
  findings: Finding[];
  /** What renews or repairs the edge, when the certificate's path alone does not say (Kubernetes objects). */
  renewal?: Renewal;
  /** Further plan lines the edge needs after its repair (a broken caBundle's serving Secret expiring). */
  alsoRenew?: { renewal: Renewal; before: Date }[];
}

export interface ChainCheck {
  result: ChainResult;
  /** The earliest notAfter on the path built (the leaf's when none was). */
  limiting: Cert;
}

/** Verifies `presented` (leaf first, the rest untrusted intermediates) against `anchors`, as Go does. */
export async function goVerify(
  presented: Cert[],
  anchors: Cert[],
  purpose: Purpose,
  at: Date,
  verifier: SignatureVerifier,
  serverName?: string,
): Promise<ChainCheck> {
  const [leaf, ...intermediates] = presented;
  if (!leaf) throw new Error("goVerify needs a certificate");
  const result = await verifyChain({
    leaf,
    intermediates,
    anchors,
    at,
    purpose,
    profile: "go",
    budget: newBudget(),
    verifier,
    ...(serverName ? { serverName } : {}),
  });
  const path = result.path.length ? result.path : [leaf];
  let limiting = path[0]!;
  for (const c of path) if (c.notAfter < limiting.notAfter) limiting = c;
  return { result, limiting };
}

/** Records a chain check on its edge: the certificate that limits it, when it breaks, holds or broken. */
export function applyCheck(edge: Edge, check: ChainCheck): boolean {
  edge.limiting = check.limiting;
  edge.breaksAt = check.limiting.notAfter;
  edge.verdict = check.result.valid ? "holds" : "broken";
  return check.result.valid;
}

/** The reason of a failed chain in one clause, e.g. `chain.cert-expired: ...`. */
export function why(check: ChainCheck): string {
  const r = check.result.reason;
  return r ? r.message.replace(/\.$/, "") : "accepted";
}
