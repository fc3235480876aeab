// The profile names callers may send, and what each means. "kubernetes" is the old name of the
// default: it was documented as what Kubernetes clients do, so it now maps to "go" (kubectl and
// kube-apiserver are Go programs); strict RFC 5280 validation is "rfc5280".
import type { Profile } from "./types.ts";

export const PROFILES = ["go", "rfc5280", "webpki"] as const satisfies readonly Profile[];
/** Accepted from callers; "kubernetes" is a deprecated alias of "go". */
export const PROFILE_NAMES = [...PROFILES, "kubernetes"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export const DEFAULT_PROFILE: Profile = "go";

export function resolveProfile(name: ProfileName | undefined): Profile {
  if (name === undefined || name === "kubernetes") return DEFAULT_PROFILE;
  return name;
}
