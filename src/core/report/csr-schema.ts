// The `cluster.csrs` list of the report: each CertificateSigningRequest of the objects audited
// (issue 12). Additive: present only when the input holds CSRs.
import { z } from "zod";

const certId = z.string().regex(/^sha256:[0-9a-f]{64}$/);

/** Built by cluster-schema.ts with the report's FindingSchema. */
export function csrSchema<F extends z.ZodType>(FindingSchema: F) {
  return z
    .object({
      name: z.string(),
      signerName: z.string().nullable(),
      username: z.string().nullable().describe("spec.username: who created the request"),
      groups: z.array(z.string()),
      usages: z.array(z.string()),
      status: z
        .string()
        .describe("kubectl's CONDITION column: Pending, Approved or Denied, then ,Failed and ,Issued (reported, not judged)"),
      conditions: z.array(
        z.object({ type: z.string(), status: z.string(), reason: z.string().nullable(), message: z.string().nullable() }),
      ),
      request: z
        .object({
          subject: z.string().describe("the subject in RFC 4514 form, as `openssl req -subject -nameopt RFC2253,-esc_msb` prints it"),
          commonName: z.string().nullable().describe("the subject's last CN, as Go's pkix.Name reads it"),
          organizations: z.array(z.string()).describe("the subject's O values: the groups the certificate would carry"),
          dnsNames: z.array(z.string()),
          ipAddresses: z.array(z.string()),
          emails: z.array(z.string()),
          uris: z.array(z.string()),
          publicKeyFingerprint: z.string().describe("sha256 of the request's SubjectPublicKeyInfo DER, hex"),
          signatureValid: z
            .boolean()
            .nullable()
            .describe("the request's self-signature; null when the platform's WebCrypto lacks its algorithm"),
        })
        .nullable()
        .describe("spec.request decoded; null when it cannot be read (cluster.csr-unreadable)"),
      signerRules: z
        .object({
          judged: z.boolean().describe("false for kubernetes.io/legacy-unknown and signers certaudit has no rules for"),
          violations: z.array(z.string()).describe("the signer's rules the request breaks, in Kubernetes' words"),
        })
        .describe("the rules kube-controller-manager's signer applies before signing"),
      certificate: certId.nullable().describe("status.certificate's first certificate"),
      certificateKeyMatches: z.boolean().nullable().describe("status.certificate carries the request's public key"),
      certificateValidNow: z.boolean().nullable().describe("status.certificate is within its validity at the validation time"),
      findings: z.array(FindingSchema),
    })
    .meta({ id: "ClusterCsr" });
}
