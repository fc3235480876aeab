// The role each certificate plays in the input (server, client, CA, other), which decides
// which per-certificate rules apply and how findings name it. A certificate seen in several
// places keeps the most specific role: server or client over CA, CA over other; a later CA
// sighting replaces an earlier one, a server or client role is never replaced.
import type { Cert } from "../x509/cert.ts";

export type Role = "server" | "client" | "ca" | "other";

export class Roles {
  /** Certificate id -> its role and the input path it was given at (buildReport reads this). */
  readonly byId = new Map<string, { role: Role; path: string }>();

  set(c: Cert, role: Role, path: string): void {
    const prev = this.byId.get(c.id);
    if (!prev || prev.role === "other" || (prev.role === "ca" && role !== "other")) this.byId.set(c.id, { role, path });
  }

  get(id: string): { role: Role; path: string } | undefined {
    return this.byId.get(id);
  }
}

/** How a finding names a certificate in this role. */
export function roleWord(role: Role): string {
  return role === "ca"
    ? "CA certificate"
    : role === "server"
      ? "server certificate"
      : role === "client"
        ? "client certificate"
        : "certificate";
}
