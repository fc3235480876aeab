// CertificateSigningRequests (certificates.k8s.io/v1) as `kubectl get certificatesigningrequests
// -o yaml` prints them: spec.request (base64 of a PEM CERTIFICATE REQUEST), who asked
// (spec.username, spec.groups), for which signer and usages, and the status the approver and the
// signer wrote (conditions, status.certificate). status.certificate becomes a file of the tree
// (`csrs/<name>/status.certificate`) so the objects' Material loads it.
import { decodeBase64 } from "../encoding/pem.ts";

export const CSR_KIND = "CertificateSigningRequest";

export interface CsrCondition {
  type: string;
  status: string;
  reason: string | null;
  message: string | null;
}

export interface CsrObject {
  name: string;
  signerName: string | null;
  username: string | null;
  groups: string[];
  usages: string[];
  /** spec.request decoded from base64; null when absent or not base64. */
  request: Uint8Array | null;
  /** spec.request as written, for the report when it is not base64. */
  requestProblem: "absent" | "not-base64" | null;
  /** Tree path of the decoded status.certificate; null when the signer has not issued one. */
  certificate: string | null;
  conditions: CsrCondition[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);
const encoder = new TextEncoder();

/** One CertificateSigningRequest item; its status.certificate is added to `tree`. */
export function readCsr(item: Obj, tree: Map<string, Uint8Array>): CsrObject {
  const meta = isObj(item.metadata) ? item.metadata : {};
  const spec = isObj(item.spec) ? item.spec : {};
  const status = isObj(item.status) ? item.status : {};
  const name = str(meta.name) ?? "?";
  const req = str(spec.request);
  const request = req === null ? null : decodeBase64(req);
  const cert = str(status.certificate);
  const certPath = `csrs/${name}/status.certificate`;
  if (cert !== null && cert !== "") tree.set(certPath, decodeBase64(cert) ?? encoder.encode("(not base64)"));
  return {
    name,
    signerName: str(spec.signerName),
    username: str(spec.username),
    groups: strings(spec.groups),
    usages: strings(spec.usages),
    request,
    requestProblem: req === null ? "absent" : request === null ? "not-base64" : null,
    certificate: cert !== null && cert !== "" ? certPath : null,
    conditions: (Array.isArray(status.conditions) ? status.conditions : []).filter(isObj).map((c) => ({
      type: str(c.type) ?? "?",
      status: str(c.status) ?? "?",
      reason: str(c.reason),
      message: str(c.message),
    })),
  };
}
