// The rule table of each profile (see rules.ts for what each rule means).
import type { Profile } from "../types.ts";
import { GO } from "./go.ts";
import { RFC5280 } from "./rfc5280.ts";
import type { ProfileRules } from "./rules.ts";
import { WEBPKI } from "./webpki.ts";

export type { ProfileRules } from "./rules.ts";

export const PROFILE_RULES: Record<Profile, ProfileRules> = { go: GO, rfc5280: RFC5280, webpki: WEBPKI };

export function rulesOf(profile: Profile): ProfileRules {
  return PROFILE_RULES[profile];
}
