// The working state of one audit() call, shared by its steps.
import type { RunChain } from "../checks/context.ts";
import type { Findings } from "../findings/index.ts";
import type { CertStore } from "../input/store.ts";
import type { ChainRecord } from "../report/chain-record.ts";
import type { Profile } from "../verify/types.ts";
import type { SignatureVerifier } from "../x509/signature.ts";
import type { Roles } from "./roles.ts";

export interface AuditRun {
  at: Date;
  profile: Profile;
  findings: Findings;
  store: CertStore;
  verifier: SignatureVerifier;
  roles: Roles;
  /** Every chain built, in order, for the report. */
  chains: ChainRecord[];
  runChain: RunChain;
}
