// One chain under the reported profile, Go's rules and strict RFC 5280, each run once. The
// reported profile (default "go": what kubectl and kube-apiserver accept) gives `valid`; Go and
// strict RFC 5280 are compared, and where they part a `chain.tools-disagree` finding names what
// the stricter side refuses, so that an RFC 5280 deviation is reported beside a Go verdict.
import type { ChainResult, Profile } from "../verify/types.ts";

export interface SideBySide {
  /** Under the profile the caller asked for. */
  reported: ChainResult | null;
  /** Under Go's rules (crypto/x509 Verify). */
  go: ChainResult | null;
  /** Under strict RFC 5280 (the rfc5280 profile). */
  strict: ChainResult | null;
}

export async function runSideBySide(run: (profile: Profile) => Promise<ChainResult | null>, reported: Profile): Promise<SideBySide> {
  const go = await run("go");
  const strict = await run("rfc5280");
  const other = reported === "go" ? go : reported === "rfc5280" ? strict : await run(reported);
  return { reported: other, go, strict };
}

/** "Go accepts the chain while strict RFC 5280 validation rejects it (why)", or null when they agree. */
export function describeDisagreement(go: ChainResult | null, strict: ChainResult | null): string | null {
  if (!go || !strict || go.valid === strict.valid) return null;
  const why = (go.valid ? strict : go).reason?.message ?? "";
  return `Go ${go.valid ? "accepts" : "rejects"} the chain while strict RFC 5280 validation ${strict.valid ? "accepts" : "rejects"} it (${why})`;
}
