// The `cluster` section of the report: a control plane's trust edges (issue 12). Additive: a
// report of a kubeconfig or a bundle has no `cluster`.
import { z } from "zod";
import { csrSchema } from "./csr-schema.ts";
import { relationWords } from "../cluster/relations.ts";

const certId = z.string().regex(/^sha256:[0-9a-f]{64}$/);
const isoTime = z.string().describe("RFC 3339 / ISO 8601 UTC time");

const EdgeNodeSchema = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("component"),
      id: z
        .string()
        .describe(
          "kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kubelet, kubectl (a kubeconfig's user), pods (in-cluster clients), extension-apiservers",
        ),
    }),
    z.object({
      type: z.literal("object"),
      kind: z.string().describe("the Kubernetes kind, e.g. Secret, ValidatingWebhookConfiguration"),
      name: z.string().describe("<namespace>/<name>, or <name> for a cluster-scoped object"),
    }),
  ])
  .meta({ id: "EdgeNode" });

/** Built by schema.ts with its FindingSchema (so the two files do not import each other). */
export function clusterSchema<F extends z.ZodType>(FindingSchema: F) {
  const ClusterEdgeSchema = z
    .object({
      from: z
        .string()
        .describe(
          `one end of the edge, in words (a component, a kubeconfig's user, a key file, an object). Which end presents and which verifies depends on the relation: ${relationWords()}`,
        ),
      to: z.string().describe("the other end, in words (what it is for each relation: see from)"),
      fromNode: EdgeNodeSchema.nullable()
        .optional()
        .describe("the component or object `from` names, as data; null when it names none (absent in older reports)"),
      toNode: EdgeNodeSchema.nullable().optional().describe("the component or object `to` names, as data"),
      relation: z.enum([
        "serving",
        "client",
        "etcd-client",
        "etcd-serving",
        "etcd-peer",
        "kubelet-serving",
        "front-proxy",
        "service-account",
        "signing",
        "root-ca",
        "root-ca-configmap",
        "key-pair",
        "tls-secret",
        "webhook",
        "apiservice",
      ]),
      verdict: z
        .enum(["holds", "broken", "unknown"])
        .describe(
          "holds: the verifying component accepts at the validation time; broken: it refuses; unknown: a file it needs is not in the upload, or the verifier checks nothing (an APIService with insecureSkipTLSVerify)",
        ),
      breaksAt: isoTime
        .nullable()
        .describe(
          "the earliest notAfter among the certificates the edge relies on (in the past for an expired edge); null when no certificate bounds it",
        ),
      detail: z.string().describe("what was checked, in words: files, purpose, names"),
      certificate: certId.nullable().describe("the certificate presented, when there is one"),
      renew: z
        .string()
        .nullable()
        .describe(
          "the kubeadm command that renews what this edge relies on, and the static Pod to restart; for Kubernetes objects, what renews the Secret (cmctl renew for cert-manager) or updates the caBundle",
        ),
      findings: z.array(FindingSchema),
    })
    .meta({ id: "ClusterEdge" });

  return z
    .object({
      layout: z
        .enum(["kubeadm", "objects"])
        .describe(
          "kubeadm: a control-plane directory; objects: Kubernetes objects (TLS Secrets, webhook configurations, APIServices, kube-root-ca.crt ConfigMaps)",
        ),
      components: z.array(
        z.object({
          name: z.string(),
          manifest: z.string().nullable().describe("the static Pod file read; null when kubeadm's defaults were assumed"),
          flags: z.record(z.string(), z.string()),
        }),
      ),
      files: z.array(
        z.object({
          path: z.string(),
          kind: z.enum(["certificate", "key", "public-key", "kubeconfig", "manifest", "other"]),
          certificates: z.array(certId),
        }),
      ),
      assumptions: z.array(z.string()).describe("what the report assumed because it was not in the upload"),
      edges: z
        .array(ClusterEdgeSchema)
        .describe(
          "sorted by the time each breaks, earliest first: breaksAt, or the validation time for an edge broken for another reason (an untrusted chain, a wrong name); edges without a date last",
        ),
      firstBreak: z
        .object({ edge: z.number().int().describe("index into edges"), at: isoTime.nullable() })
        .nullable()
        .describe(
          "the first edge to break: a broken edge, else the edge with the earliest breaksAt; at is when it breaks: its breaksAt, or the validation time for an edge broken for another reason (as edges are sorted)",
        ),
      renewals: z
        .array(
          z.object({
            command: z.string(),
            restart: z.string().nullable(),
            before: isoTime.describe(
              "the earliest notAfter among the edges this renewal keeps alive; the validation time for an edge that is broken now (the repair its findings name, or a caBundle to update)",
            ),
          }),
        )
        .describe(
          "one line per kubeadm renewal the edges need before their certificates expire, earliest first; an edge broken now has a line due now with the repair its findings name (instead of its dated renewal)",
        ),
      findings: z.array(FindingSchema).describe("every finding of the edges, once"),
      csrs: z.array(csrSchema(FindingSchema)).optional().describe("the CertificateSigningRequests of the objects, when there are any"),
    })
    .meta({ id: "Cluster" });
}
