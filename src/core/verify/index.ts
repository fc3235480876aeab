// X.509 path validation: the one entry point the service, the audit and the conformance runner use.
export { verifyChain } from "./chain.ts";
export { newBudget } from "./budget.ts";
export { parseServerName, parseIp } from "./hostname.ts";
export { parseCrl, CrlParseError, type Crl } from "./crl.ts";
export type { Budget, ChainResult, Profile, Purpose, Rejection, VerifyRequest } from "./types.ts";
