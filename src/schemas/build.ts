// Builds the published JSON Schemas (2020-12) and the OpenAPI 3.1 document from the zod
// schemas in src/core/report/schema.ts. `npm run schemas` writes them to schemas/; a test
// fails when the checked-in files differ from what this produces.
import { z } from "zod";
import { CATALOGUE } from "../core/findings/index.ts";
import {
  AuditRequestSchema,
  FindingSchema,
  ProblemSchema,
  ReportSchema,
  SCHEMA_VERSION,
  VerifyRequestSchema,
  VerifyResultSchema,
} from "../core/report/schema.ts";

const jsonSchema = (s: z.ZodType) =>
  z.toJSONSchema(s, { target: "draft-2020-12", reused: "inline", unrepresentable: "any" }) as Record<string, unknown>;

export function buildSchemas(): Record<string, unknown> {
  const files: Record<string, unknown> = {
    "report.schema.json": { $id: "report.schema.json", ...jsonSchema(ReportSchema) },
    "verify-result.schema.json": { $id: "verify-result.schema.json", ...jsonSchema(VerifyResultSchema) },
    "audit-request.schema.json": { $id: "audit-request.schema.json", ...jsonSchema(AuditRequestSchema) },
    "verify-request.schema.json": { $id: "verify-request.schema.json", ...jsonSchema(VerifyRequestSchema) },
    "problem.schema.json": { $id: "problem.schema.json", ...jsonSchema(ProblemSchema) },
    "finding.schema.json": { $id: "finding.schema.json", ...jsonSchema(FindingSchema) },
  };
  // Every schema with a meta id becomes a component; references between them point there.
  const registry = z.toJSONSchema(z.globalRegistry, {
    target: "draft-2020-12",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  const components = Object.fromEntries(
    Object.entries(registry.schemas).map(([id, schema]) => {
      const { $schema: _drop, $id: _id, ...rest } = schema;
      return [id, rest];
    }),
  );
  const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
  const errors = (codes: number[]) =>
    Object.fromEntries(
      codes.map((c) => [
        String(c),
        {
          description:
            {
              400: "Unparseable input",
              401: "An API token is required (only when the operator set API_TOKEN_SHA256)",
              413: "Body over the size limit",
              415: "Unsupported media type",
              422: "Nothing to audit",
              429: "Rate limited; see Retry-After",
            }[c] ?? "Error",
          content: problem,
        },
      ]),
    );
  const atParam = {
    name: "at",
    in: "query",
    required: false,
    schema: { type: "string" },
    description: "Validation time (ISO 8601); default now",
  };
  const warnParam = {
    name: "warn_days",
    in: "query",
    required: false,
    schema: { type: "integer", minimum: 0, maximum: 3650 },
    description: "Warn this many days before expiry; default 30",
  };
  files["openapi.json"] = {
    openapi: "3.1.0",
    info: {
      title: "certaudit",
      version: SCHEMA_VERSION,
      description:
        "Audit Kubernetes kubeconfigs and PEM bundles: chain validity, CA identity between the client CA and the cluster CA, expiry, and whether kubectl and kube-apiserver would accept the credentials.",
    },
    paths: {
      "/v1/audit": {
        post: {
          operationId: "audit",
          summary: "Audit a kubeconfig or PEM/DER bundle",
          parameters: [atParam, warnParam],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  oneOf: [
                    { $ref: "#/components/schemas/AuditRequest" },
                    { type: "object", description: "a kubeconfig as JSON" },
                    {
                      type: "object",
                      description:
                        "Kubernetes objects as `kubectl get secrets,configmaps,validatingwebhookconfigurations,mutatingwebhookconfigurations,apiservices -A -o json` prints them (a v1 List): the report's cluster section, layout objects",
                    },
                  ],
                },
              },
              "application/yaml": {
                schema: {
                  type: "string",
                  description: "a kubeconfig, or Kubernetes objects as `kubectl get ... -A -o yaml` prints them (a List or a YAML stream)",
                },
              },
              "application/x-pem-file": { schema: { type: "string", description: "a PEM bundle" } },
              "text/plain": { schema: { type: "string", description: "a kubeconfig or PEM bundle, detected by content" } },
              "application/pkix-cert": { schema: { type: "string", format: "binary", description: "one DER certificate" } },
              "application/gzip": {
                schema: {
                  type: "string",
                  format: "binary",
                  description: "a tar.gz of a kubeadm control-plane directory (README: API, directories)",
                },
              },
              "application/x-tar": {
                schema: { type: "string", format: "binary", description: "a tar of a kubeadm control-plane directory" },
              },
              "multipart/form-data": {
                schema: {
                  type: "object",
                  properties: {
                    files: {
                      type: "array",
                      items: { type: "string", format: "binary" },
                      description: "a control-plane directory: one part per file, its filename the relative path",
                    },
                    path: {
                      type: "array",
                      items: { type: "string" },
                      description: "the relative path of the files part of the same index",
                    },
                    kubeconfig: { type: "string", format: "binary" },
                    pem: { type: "string", format: "binary" },
                    clientCA: { type: "string", format: "binary" },
                    serverCertificate: { type: "string", format: "binary" },
                    rootCA: {
                      type: "string",
                      format: "binary",
                      description:
                        "with Kubernetes objects (as file): kube-controller-manager's --root-ca-file, the cluster CA every kube-root-ca.crt must hold",
                    },
                    at: { type: "string" },
                    warnDays: { type: "integer" },
                  },
                },
              },
            },
          },
          responses: {
            "200": {
              description:
                "The trust report; with `Accept: application/openmetrics-text`, the same report as OpenMetrics text (docs/metrics.md)",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/Report" } },
                "application/openmetrics-text": { schema: { type: "string" } },
              },
            },
            ...errors([400, 401, 413, 415, 422, 429]),
          },
          security: [{}, { bearer: [] }],
        },
      },
      "/v1/verify": {
        post: {
          operationId: "verify",
          summary: "Verify one chain, like openssl verify",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/VerifyRequest" } } } },
          responses: {
            "200": {
              description: "The verification result",
              content: { "application/json": { schema: { $ref: "#/components/schemas/VerifyResult" } } },
            },
            ...errors([400, 401, 413, 415, 422, 429]),
          },
          security: [{}, { bearer: [] }],
        },
      },
      "/v1/findings": {
        get: {
          operationId: "findings",
          summary: "The finding catalogue",
          responses: {
            "200": {
              description: "Every finding code with its severity, title and advice",
              content: { "application/json": { schema: { type: "object" } } },
            },
          },
        },
      },
    },
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "Required only when the operator configured API tokens (README: Deploying in public)",
        },
      },
    },
  };
  files["findings.json"] = CATALOGUE;
  return files;
}
