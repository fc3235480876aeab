// The report is a contract: fields may be added, never renamed or removed. The types are
// inferred from the schemas in schema.ts, the one source of truth for schemas/*.json.
import type { z } from "zod";
import type {
  CaRelationSchema,
  OpenQuestionSchema,
  CertificateSchema,
  ChainSchema,
  ContextSchema,
  ReportSchema,
  VerifyResultSchema,
} from "./schema.ts";

export { SCHEMA_VERSION } from "./version.ts";

export type Report = z.infer<typeof ReportSchema>;
export type CertificateJson = z.infer<typeof CertificateSchema>;
export type ChainJson = z.infer<typeof ChainSchema>;
export type ContextJson = z.infer<typeof ContextSchema>;
export type VerifyResultJson = z.infer<typeof VerifyResultSchema>;
export type CaRelation = z.infer<typeof CaRelationSchema>;
export type OpenQuestion = z.infer<typeof OpenQuestionSchema>;
export type Verdict = Report["verdict"];
export type InputKind = Report["input"]["kind"];
export type Purpose = ChainJson["purpose"];
