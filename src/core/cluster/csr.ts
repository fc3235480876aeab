// CertificateSigningRequests (issue 12): each spec.request decoded with @peculiar/x509's
// Pkcs10CertificateRequest (loaded only when the input holds a CSR, so a kubeconfig audit never
// evaluates it), its self-signature checked as the API server checks it on create
// (pkg/apis/certificates/validation/validation.go validateCSR: CheckSignature), its requested
// identity against spec.username and the rules of its signer (csr-signers.ts), a request for
// system:masters flagged, and status.certificate checked to carry the requested key and to be
// valid now. Approval conditions are reported, not judged.
import { verifyIssuedCsrs } from "./csr-chain.ts";
import type { Finding } from "../findings/index.ts";
import { scanPem } from "../encoding/pem.ts";
import { DerError, readTlv, toHex } from "../encoding/der.ts";
import type { ClusterContext } from "./context.ts";
import type { CsrObject } from "./csr-read.ts";
import { type RequestedIdentity, SIGNERS, signerViolations, UNRESTRICTED_SIGNERS } from "./csr-signers.ts";

type X509 = typeof import("@peculiar/x509");
let parser: Promise<X509> | undefined;

/** @peculiar/x509 with the Reflect polyfill its dependency injection (tsyringe) needs, loaded once. */
function loadParser(): Promise<X509> {
  // A CommonJS package: through a split ESM chunk (the CLI's bundle) its exports arrive as the
  // namespace's `default`; through a single bundle or Node, as named exports. Take whichever holds them.
  parser ??= import("reflect-metadata")
    .then(() => import("@peculiar/x509"))
    .then((m) => ("Pkcs10CertificateRequest" in m ? m : (m as unknown as { default: X509 }).default));
  return parser;
}

const SAN_OID = "2.5.29.17";
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

/** Errors of a parser fed hostile bytes; a programming error (TypeError and the like) is not one of them. */
const isParseError = (e: unknown) => e instanceof Error && !(e instanceof TypeError || e instanceof ReferenceError);

interface Parsed {
  identity: RequestedIdentity & { subject: string };
  spki: Uint8Array;
  verify: () => Promise<boolean>;
}

function parseRequest(x509: X509, der: Uint8Array, subtle: SubtleCrypto): Parsed | string {
  try {
    const req = new x509.Pkcs10CertificateRequest(der as BufferSource);
    const cns = req.subjectName.getField("CN");
    const ext = req.getExtension(SAN_OID);
    const names = ext instanceof x509.SubjectAlternativeNameExtension ? ext.names.items : [];
    const of = (t: string) => names.filter((n) => n.type === t).map((n) => n.value);
    return {
      identity: {
        subject: req.subject,
        // Go's pkix.Name.FillFromRDNSequence: the last CN is CommonName, every O is in Organization.
        commonName: cns.length ? cns[cns.length - 1]! : null,
        organizations: req.subjectName.getField("O"),
        dnsNames: of("dns"),
        ipAddresses: of("ip"),
        emails: of("email"),
        uris: of("url"),
      },
      spki: new Uint8Array(req.publicKey.rawData),
      verify: () => req.verify({ subtle } as Crypto),
    };
  } catch (e) {
    if (!isParseError(e)) throw e;
    return (e as Error).message;
  }
}

/** The DER of spec.request's first PEM block, as Go's pem.Decode and ParseCSR read it; or why not. */
function requestDer(c: CsrObject): Uint8Array | string {
  if (c.requestProblem === "absent") return "spec.request is absent";
  if (c.requestProblem === "not-base64" || !c.request) return "spec.request is not base64";
  const block = scanPem(new TextDecoder().decode(c.request)).blocks[0];
  if (block?.label !== "CERTIFICATE REQUEST") return "PEM block type must be CERTIFICATE REQUEST";
  if (!block?.der) return "the CERTIFICATE REQUEST block is not valid base64";
  // One DER SEQUENCE and nothing after it (Go's asn1.Unmarshal: "x509: trailing data"), before
  // the library sees it: it answers an empty or unframed buffer with a TypeError.
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

export async function auditCsr(ctx: ClusterContext, x509: X509, c: CsrObject, subtle: SubtleCrypto): Promise<CsrJson> {
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
  const parsed = typeof der === "string" ? der : parseRequest(x509, der, subtle);
  if (typeof parsed === "string") {
    add("cluster.csr-unreadable", `spec.request cannot be read (${parsed})`);
  } else {
    let signatureValid: boolean | null;
    try {
      signatureValid = await parsed.verify();
    } catch (e) {
      if (!isParseError(e)) throw e;
      signatureValid = null; // an algorithm WebCrypto does not offer: said in the report, not guessed
    }
    const digest = new Uint8Array(await subtle.digest("SHA-256", parsed.spki as BufferSource));
    out.request = { ...parsed.identity, publicKeyFingerprint: toHex(digest), signatureValid };
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

/** Every CSR of the input; the parser is loaded only when there is one. */
export async function auditCsrs(
  ctx: ClusterContext,
  csrs: CsrObject[],
  subtle: SubtleCrypto,
  rootCaFile: string | null = null,
): Promise<CsrJson[]> {
  if (!csrs.length) return [];
  const x509 = await loadParser();
  const out: CsrJson[] = [];
  for (const c of csrs) out.push(await auditCsr(ctx, x509, c, subtle));
  if (rootCaFile) await verifyIssuedCsrs(ctx, csrs, out, rootCaFile);
  else if (out.some((c) => c.certificate))
    ctx.assumptions.push(
      "issued CertificateSigningRequest certificates were not verified against the cluster's signing CA (kube-controller-manager's --cluster-signing-cert-file is not in the input; --root-ca gives the cluster CA)",
    );
  return out;
}
