// The one source of truth for the published formats: the report, the verify result, the
// request envelopes and the problem document. TypeScript types are inferred from these
// schemas (types.ts), and `npm run schemas` writes schemas/*.json and schemas/openapi.json
// from them; a test fails when the checked-in files drift.
import { z } from "zod";

import { clusterSchema } from "./cluster-schema.ts";
import { SCHEMA_VERSION } from "./version.ts";

export { SCHEMA_VERSION };

const certId = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/)
  .describe("sha256 of the certificate's DER, as `openssl x509 -fingerprint -sha256` prints it (lowercase, no colons)");
const isoTime = z.string().describe("RFC 3339 / ISO 8601 UTC time");
const dn = z
  .string()
  .describe(
    "distinguished name in RFC 4514 form, exactly as `openssl x509 -noout -subject -nameopt RFC2253,-esc_msb` prints it (last RDN first, OpenSSL short names, OID=#hex for unknown attribute types, UTF-8 unescaped)",
  );
const profileEnum = z.enum(["go", "rfc5280", "webpki", "kubernetes"]);
const PROFILE_DOC =
  "go: what Go crypto/x509 Verify accepts (kubectl, kube-apiserver; issuer names compared byte for byte), the default. rfc5280: strict RFC 5280 path validation with RFC 5280 7.1 name matching. webpki: rfc5280 plus the CA/Browser Forum Baseline Requirements. kubernetes: deprecated alias of go (results report go).";

export const FindingSchema = z
  .object({
    code: z
      .string()
      .regex(/^[a-z]+(\.[a-z0-9-]+)+$/)
      .describe("Stable finding code; see docs/findings.md"),
    severity: z.enum(["error", "warning", "info"]),
    message: z.string().describe("What was found, what the user will see because of it, and what to do"),
    certificate: certId.optional(),
    context: z.string().optional().describe("Kubeconfig context the finding concerns"),
    path: z.string().optional().describe("Where in the input: users[admin].client-certificate-data, pem[2], clientCA[0]"),
  })
  .meta({ id: "Finding" });

export const CertificateSchema = z
  .object({
    id: certId,
    subject: dn,
    issuer: dn,
    serialNumber: z.string().describe("hex, as encoded"),
    notBefore: isoTime,
    notAfter: isoTime,
    daysRemaining: z.number().int().describe("whole days from the validation time to notAfter (negative once expired)"),
    expiry: z.enum(["valid", "expiring", "expired", "not-yet-valid"]),
    isCA: z.boolean(),
    pathLen: z.number().int().nullable(),
    selfSigned: z.boolean().describe("subject and issuer names are equal (self-issued)"),
    version: z.number().int(),
    publicKey: z.object({
      algorithm: z.string(),
      bits: z.number().int().optional(),
      curve: z.string().optional(),
      fingerprint: z.string().describe("sha256 of the SubjectPublicKeyInfo, hex"),
    }),
    signatureAlgorithm: z.string(),
    keyUsage: z.array(z.string()).nullable(),
    extendedKeyUsage: z.array(z.string()).nullable(),
    subjectAltNames: z.array(
      z.object({
        type: z.enum(["dns", "ip", "email", "uri", "dirName", "otherName", "registeredID", "x400", "ediParty"]),
        value: z.string(),
      }),
    ),
    subjectKeyId: z.string().nullable(),
    authorityKeyId: z.string().nullable(),
    sources: z.array(z.object({ path: z.string() })),
  })
  .meta({ id: "Certificate" });

const chainStatus = z.enum(["valid", "invalid", "unverifiable", "budget-exhausted"]);

export const ChainSchema = z
  .object({
    leaf: certId,
    path: z.array(certId).describe("leaf first, anchor last when one was reached"),
    anchor: certId.nullable(),
    purpose: z.enum(["server", "client", "any"]),
    valid: z.boolean(),
    status: chainStatus,
    reason: z.string().nullable().describe("finding code of the most specific failure"),
    reasonMessage: z.string().nullable(),
    effectiveExpiry: isoTime.nullable().describe("the earliest notAfter on the path"),
    role: z.string(),
    profile: profileEnum.exclude(["kubernetes"]).optional().describe(`the rules \`valid\` follows. ${PROFILE_DOC}`),
    go: z
      .object({ valid: z.boolean(), reason: z.string().nullable() })
      .optional()
      .describe("Go crypto/x509's verdict on the same chain (kubectl, kube-apiserver)"),
    rfc5280: z
      .object({ valid: z.boolean(), reason: z.string().nullable(), reasonMessage: z.string().nullable() })
      .optional()
      .describe("strict RFC 5280's verdict on the same chain; where it differs from go, a chain.tools-disagree finding says why"),
    rejected: z.array(z.object({ candidate: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Chain" });

export const CaRelationSchema = z
  .enum(["same-certificate", "same-key", "same-name-different-key", "cross-signed", "different", "unknown"])
  .describe(
    "How the client certificate's CA relates to the cluster CA (checks/ca-identity.ts). same-certificate: the client certificate chains to a cluster CA certificate, signed by it directly or through intermediates; same-key: its issuer has a cluster CA's key in another certificate (re-issued CA); same-name-different-key: its issuer has a cluster CA's name but not its key (rotated CA); cross-signed: the two CAs are linked by a cross-certificate; different: unrelated; unknown: not decidable (no client certificate, no cluster CA, or too many look-alike CAs)",
  );
const verdict = z
  .enum(["pass", "warn", "fail"])
  .describe(
    "fail: an error finding; warn: a warning; pass: neither, in what was examined. An input in which no certificate could be examined is never pass (input.nothing-audited). A pass does not decide the open questions: see contexts[].openQuestions and summary.complete",
  );

export const OpenQuestionSchema = z
  .object({
    question: z.enum(["clientAccepted", "serverTrusted", "keyMatches"]).describe("the context field that is null"),
    settledBy: z
      .enum(["clientCA", "serverCertificate", "clusterCA", "clientCertificate", "clientKey", "cluster"])
      .nullable()
      .describe(
        "the input that would decide it (clientCA: the API server's --client-ca-file; serverCertificate: the chain it presents; clusterCA, clientCertificate, clientKey: the kubeconfig's own data, e.g. file references' content); null: the findings say why it cannot be decided",
      ),
    reason: z.string().describe("why it is open, in words"),
  })
  .meta({ id: "OpenQuestion" });

export const ContextSchema = z
  .object({
    name: z.string(),
    cluster: z.string().nullable(),
    user: z.string().nullable(),
    server: z.string().nullable(),
    current: z.boolean(),
    clusterCA: z.array(certId),
    client: z.object({
      certificate: certId.nullable(),
      chain: z.array(certId),
      identity: z.object({ user: z.string().nullable(), groups: z.array(z.string()) }).nullable(),
      keyMatches: z.boolean().nullable(),
      authMethods: z.array(z.string()),
    }),
    caIdentity: z.object({
      relation: CaRelationSchema,
      clientIssuer: certId.nullable(),
      clusterCA: certId.nullable(),
      explanation: z.string(),
    }),
    serverTrusted: z
      .boolean()
      .nullable()
      .describe(
        "would kubectl trust the API server with this kubeconfig (its certificate checked against the name kubectl derives from the server URL or tls-server-name)? null: not decidable from the input, no name can be derived (kubeconfig.server-name-unknown), or the server is plain http:// and no certificate is checked",
      ),
    clientAccepted: z
      .boolean()
      .nullable()
      .describe("would kube-apiserver accept this client certificate? null: not decidable from the input"),
    openQuestions: z
      .array(OpenQuestionSchema)
      .describe(
        "each verdict left null that applies to this context, with the input that would settle it; empty when every applicable question was decided",
      ),
    verdict,
  })
  .meta({ id: "Context" });

export const ClusterSchema = clusterSchema(FindingSchema);

export const ReportSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    validationTime: isoTime,
    warnDays: z.number(),
    input: z.object({
      kind: z
        .enum(["kubeconfig", "pem", "der", "envelope", "directory", "objects"])
        .describe(
          "directory: a kubeadm control-plane directory (see cluster); objects: Kubernetes objects as kubectl get -o yaml prints them",
        ),
      parts: z.array(z.string()),
    }),
    verdict,
    summary: z.object({
      certificates: z.number().int(),
      errors: z.number().int(),
      warnings: z.number().int(),
      infos: z.number().int(),
      earliestExpiry: isoTime.nullable(),
      earliestExpiryCertificate: certId.nullable(),
      openQuestions: z.number().int().describe("open questions over all contexts (contexts[].openQuestions)"),
      complete: z.boolean().describe("true when at least one certificate was examined and no context leaves a question open"),
    }),
    certificates: z.array(CertificateSchema),
    chains: z.array(ChainSchema),
    contexts: z.array(ContextSchema),
    findings: z.array(FindingSchema),
    cluster: ClusterSchema.optional().describe("a control plane's trust edges, when a kubeadm directory was audited"),
  })
  .meta({ id: "Report", title: "certaudit trust report" });

export const VerifyResultSchema = z
  .object({
    valid: z.boolean(),
    status: chainStatus,
    path: z.array(certId),
    anchor: certId.nullable(),
    reason: z.string().nullable(),
    reasonMessage: z.string().nullable(),
    profile: profileEnum.describe(`the profile \`valid\` follows (an alias is reported by the name it maps to). ${PROFILE_DOC}`),
    go: z.object({ valid: z.boolean(), reason: z.string().nullable() }).optional().describe("Go crypto/x509's verdict on the same chain"),
    rfc5280: z
      .object({ valid: z.boolean(), reason: z.string().nullable(), reasonMessage: z.string().nullable() })
      .optional()
      .describe("strict RFC 5280's verdict on the same chain; where it differs from go, a chain.tools-disagree finding says why"),
    validationTime: isoTime,
    rejected: z.array(z.object({ candidate: z.string(), code: z.string(), message: z.string() })),
    findings: z.array(FindingSchema),
    certificates: z.array(CertificateSchema),
  })
  .meta({ id: "VerifyResult", title: "certaudit chain verification result" });

const pemText = z.string().max(4 * 1024 * 1024);

export const AuditRequestSchema = z
  .object({
    kubeconfig: pemText.optional().describe("a kubeconfig, YAML or JSON"),
    pem: pemText.optional().describe("PEM bundle, or base64 of one DER certificate"),
    clientCA: pemText.optional().describe("the API server's --client-ca-file"),
    serverCertificate: pemText.optional().describe("the chain the API server presents, leaf first"),
    at: z.string().optional().describe("validation time, ISO 8601; default now"),
    warnDays: z.number().int().min(0).max(3650).optional().describe("warn this many days before expiry; default 30"),
  })
  .strict()
  .meta({ id: "AuditRequest", title: "certaudit audit request envelope" });

export const VerifyRequestSchema = z
  .object({
    certificate: pemText.describe(
      "the certificate to verify (PEM or base64 DER); a PEM bundle's first certificate is the leaf and the rest are untrusted intermediates",
    ),
    intermediates: pemText.optional(),
    trustAnchors: pemText,
    at: z.string().optional(),
    serverName: z.string().max(253).optional().describe("DNS name or IP address the leaf must be valid for"),
    email: z
      .string()
      .max(320)
      .regex(/^[^@\s]+@[^@\s]+$/)
      .optional()
      .describe(
        "e-mail address the leaf must be valid for, as `openssl verify -verify_email`: equal to an rfc822Name subjectAltName (local part exactly, domain in any letter case), or to the subject's emailAddress when there is no rfc822Name; failure is chain.email-mismatch. Go's Verify has no such check, so every profile applies it the same way",
      ),
    purpose: z.enum(["server", "client", "any"]).optional(),
    maxDepth: z
      .number()
      .int()
      .min(0)
      .max(32)
      .optional()
      .describe(
        "most intermediate certificates on the path, as `openssl verify -verify_depth`: the leaf and the trust anchor do not count, so 0 allows only a leaf issued by a trust anchor; self-issued intermediates are not counted except under the go profile. Default: no limit under go (Go has none), 6 under rfc5280 and webpki (rustls-webpki)",
      ),
    profile: profileEnum.optional().describe(`rules for \`valid\`; default go. ${PROFILE_DOC}`),
    crls: pemText
      .optional()
      .describe("X509 CRL PEM blocks; when given, every certificate on the path must be covered by a CRL from its issuer and not revoked"),
  })
  .strict()
  .meta({ id: "VerifyRequest", title: "certaudit chain verification request" });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe("stable problem code, e.g. input.yaml-syntax"),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    pointer: z.string().optional(),
    instance: z
      .string()
      .optional()
      .describe("on a 500 (code internal) only: the id of this occurrence, also in the service's log; quote it when reporting the bug"),
  })
  .meta({ id: "Problem", title: "RFC 9457 problem details" });
