// CertificateSigningRequests (issue 12): each spec.request decoded as Go's
// x509.ParseCertificateRequest reads it (csr-der.ts), its self-signature checked as the API server
// checks it on create (pkg/apis/certificates/validation/validation.go validateCSR: CheckSignature;
// csr-signature.ts), its requested
// identity against spec.username and the rules of its signer (csr-signers.ts), a request for
// system:masters flagged, and status.certificate checked to carry the requested key and to be
// valid now. Approval conditions are reported, not judged.
import { verifyIssuedCsrs } from "./csr-chain.ts";
import type { Finding } from "../findings/index.ts";
import { scanPem } from "../encoding/pem.ts";
import { DerError, readTlv, toHex } from "../encoding/der.ts";
import type { ClusterContext } from "./context.ts";
import { CsrParseError, parseCsr } from "./csr-der.ts";
import type { CsrObject } from "./csr-read.ts";
import { checkCsrSignature } from "./csr-signature.ts";
import { type RequestedIdentity, SIGNERS, signerViolations, UNRESTRICTED_SIGNERS } from "./csr-signers.ts";

const MASTERS = "system:masters";
const BOOTSTRAP_PREFIX = "system:bootstrap:";

export interface CsrJson {
  name: string;
  signerName: string | null;
  username: string | null;
  groups: string[];
  usages: string[];
  /** kubectl's CONDITION column: Pending, Approved, Denied, then ,Failed and ,Issued. */
  status: string;
  conditions: { type: string; status: string; reason: string | null; message: string | null }[];
  request: (RequestedIdentity & { subject: string; publicKeyFingerprint: string; signatureValid: boolean | null }) | null;
  signerRules: { judged: boolean; violations: string[] };
  certificate: string | null;
  certificateKeyMatches: boolean | null;
  certificateValidNow: boolean | null;
  findings: Finding[];
}

/** kubernetes pkg/printers/internalversion/printers.go extractCSRStatus. */
function kubectlStatus(c: CsrObject): string {
  const has = (t: string) => c.conditions.some((k) => k.type === t);
  const base = has("Denied") ? "Denied" : has("Approved") ? "Approved" : "Pending";
  return `${base}${has("Failed") ? ",Failed" : ""}${c.certificate ? ",Issued" : ""}`;
}

interface Parsed {
  identity: RequestedIdentity & { subject: string };
  spki: Uint8Array;
  verify: (spkiFingerprint: string) => Promise<boolean | null>;
}

function parseRequest(der: Uint8Array, subtle: SubtleCrypto): Parsed | string {
  let req: ReturnType<typeof parseCsr>;
  try {
    req = parseCsr(der);
  } catch (e) {
    if (e instanceof CsrParseError) return e.message;
    throw e;
  }
  return {
    identity: {
      subject: req.subject,
      // Go's pkix.Name.FillFromRDNSequence: the last CN is CommonName, every O is in Organization.
      commonName: req.commonNames.at(-1) ?? null,
      organizations: req.organizations,
      dnsNames: req.dnsNames,
      ipAddresses: req.ipAddresses,
      emails: req.emails,
      uris: req.uris,
    },
    spki: req.spki,
    verify: async (fingerprint) => (await checkCsrSignature(req, fingerprint, subtle)).valid,
  };
}

/** The DER of spec.request's first PEM block, as Go's pem.Decode and ParseCSR read it; or why not. */
function requestDer(c: CsrObject): Uint8Array | string {
  if (c.requestProblem === "absent") return "spec.request is absent";
  if (c.requestProblem === "not-base64" || !c.request) return "spec.request is not base64";
  const block = scanPem(new TextDecoder().decode(c.request)).blocks[0];
  if (block?.label !== "CERTIFICATE REQUEST") return "PEM block type must be CERTIFICATE REQUEST";
  if (!block?.der) return "the CERTIFICATE REQUEST block is not valid base64";
  // One DER SEQUENCE and nothing after it (Go's asn1.Unmarshal: "x509: trailing data").
  try {
    const outer = readTlv(block.der, 0);
    if (outer.tag !== 0x30) return "the request is not a DER SEQUENCE";
    if (outer.end !== block.der.length) return "x509: trailing data";
  } catch (e) {
    if (e instanceof DerError) return `malformed DER: ${e.message}`;
    throw e;
  }
  return block.der;
}

export async function auditCsr(ctx: ClusterContext, c: CsrObject, subtle: SubtleCrypto): Promise<CsrJson> {
  const label = `CertificateSigningRequest ${c.name}`;
  const where = { path: `csrs/${c.name}` };
  const out: CsrJson = {
    name: c.name,
    signerName: c.signerName,
    username: c.username,
    groups: c.groups,
    usages: c.usages,
    status: kubectlStatus(c),
    conditions: c.conditions,
    request: null,
    signerRules: { judged: false, violations: [] },
    certificate: null,
    certificateKeyMatches: null,
    certificateValidNow: null,
    findings: [],
  };
  const add = (code: Parameters<typeof ctx.findings.add>[0], detail: string, certificate?: string) =>
    out.findings.push(ctx.findings.add(code, `${label}: ${detail}`, certificate ? { ...where, certificate } : where));

  const der = requestDer(c);
  const parsed = typeof der === "string" ? der : parseRequest(der, subtle);
  if (typeof parsed === "string") {
    add("cluster.csr-unreadable", `spec.request cannot be read (${parsed})`);
  } else {
    const fingerprint = toHex(new Uint8Array(await subtle.digest("SHA-256", parsed.spki as BufferSource)));
    // null: an algorithm Go or WebCrypto cannot check (csr-signature.ts), said in the report, not guessed.
    const signatureValid = await parsed.verify(fingerprint);
    out.request = { ...parsed.identity, publicKeyFingerprint: fingerprint, signatureValid };
    if (signatureValid === false)
      add("cluster.csr-signature-invalid", "the request's signature does not verify with the public key it carries");
    judgeIdentity(c, out, add);
  }
  if (c.certificate) await judgeCertificate(ctx, c, out, label, add);
  return out;
}

type Add = (code: Parameters<ClusterContext["findings"]["add"]>[0], detail: string, certificate?: string) => void;

function judgeIdentity(c: CsrObject, out: CsrJson, add: Add): void {
  const id = out.request!;
  if (id.organizations.includes(MASTERS))
    add(
      "cluster.csr-system-masters",
      `${c.username ?? "an unknown requester"} requests O=${MASTERS} with CN=${id.commonName ?? "none"}; status ${out.status}`,
    );
  const signer = c.signerName ?? "kubernetes.io/legacy-unknown"; // certificates.k8s.io/v1beta1's default
  const rules = SIGNERS[signer];
  if (!rules) {
    add(
      "cluster.csr-signer-unjudged",
      UNRESTRICTED_SIGNERS.has(signer)
        ? `${signer} signs without rules; the subject and usages were not judged`
        : `${signer} is not a signer whose rules certaudit knows; the subject and usages were not judged`,
    );
    return;
  }
  out.signerRules = { judged: true, violations: signerViolations(rules, id, c.usages) };
  if (out.signerRules.violations.length)
    add("cluster.csr-signer-rules", `${signer} will not sign it: ${out.signerRules.violations.join("; ")}`);
  const requester = c.username ?? "";
  if (rules.selfIdentity && requester && !requester.startsWith(BOOTSTRAP_PREFIX) && id.commonName !== requester)
    add("cluster.csr-identity-mismatch", `${requester} requests CN=${id.commonName ?? "none"}`);
  const extra = id.organizations.filter((o) => !c.groups.includes(o));
  if (rules.clientIdentity && requester && id.commonName === requester && extra.length)
    add("cluster.csr-identity-mismatch", `${requester} requests its own name with groups it is not in: ${extra.join(", ")}`);
}

async function judgeCertificate(ctx: ClusterContext, c: CsrObject, out: CsrJson, label: string, add: Add): Promise<void> {
  const certs = await ctx.material.certs(c.certificate!, `${label} status.certificate`);
  if (!Array.isArray(certs)) return; // the Material said why (cluster.file-unreadable)
  const leaf = certs[0]!;
  out.certificate = leaf.id;
  out.certificateValidNow = leaf.notBefore <= ctx.at && ctx.at <= leaf.notAfter;
  if (!out.certificateValidNow)
    add(
      "cluster.csr-certificate-not-valid",
      `status.certificate is valid from ${leaf.notBefore.toISOString()} to ${leaf.notAfter.toISOString()}`,
      leaf.id,
    );
  if (out.request) {
    out.certificateKeyMatches = out.request.publicKeyFingerprint === leaf.publicKey.fingerprint;
    if (!out.certificateKeyMatches)
      add("cluster.csr-certificate-key-mismatch", "status.certificate does not carry the public key of spec.request", leaf.id);
  }
}

/** Every CSR of the input. */
export async function auditCsrs(
  ctx: ClusterContext,
  csrs: CsrObject[],
  subtle: SubtleCrypto,
  rootCaFile: string | null = null,
): Promise<CsrJson[]> {
  if (!csrs.length) return [];
  const out: CsrJson[] = [];
  for (const c of csrs) out.push(await auditCsr(ctx, c, subtle));
  if (rootCaFile) await verifyIssuedCsrs(ctx, csrs, out, rootCaFile);
  else if (out.some((c) => c.certificate))
    ctx.assumptions.push(
      "issued CertificateSigningRequest certificates were not verified against the cluster's signing CA (kube-controller-manager's --cluster-signing-cert-file is not in the input; --root-ca gives the cluster CA)",
    );
  return out;
}
