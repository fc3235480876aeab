// A chain the audit built, with what the report needs to publish it (assemble.ts chainJson).
import type { ChainResult, Profile, Purpose } from "../verify/types.ts";

export interface ChainRecord {
  result: ChainResult;
  /** The profile `result` was computed under. */
  profile?: Profile;
  /** Go's verdict on the same chain, where one was computed. */
  go?: ChainResult | null;
  /** Strict RFC 5280's verdict on the same chain, where one was computed. */
  strict?: ChainResult | null;
  purpose: Purpose;
  role: string;
  findingPath: string;
  context?: string;
}
