// Who may call a deployed certaudit, and how often. Both are off until the operator turns them
// on, so `npm start` and an open instance work as before:
//  - API tokens: the Workers secret API_TOKEN_SHA256 holds the SHA-256 digests (hex) of the
//    accepted tokens, separated by commas or white space (several, for rotation). The token is
//    never stored, only its digest; digests are compared with crypto.subtle.timingSafeEqual.
//  - Rate limiting: the Workers rate-limiting binding RATE_LIMITER (wrangler.toml), keyed by the
//    token's digest, or by the client address for anonymous use.
// Neither the token nor its digest is ever logged or echoed.
import type { MiddlewareHandler } from "hono";
import { InputProblem } from "../core/errors.ts";
import { problemResponse } from "./problem.ts";

export interface GuardEnv {
  /** Comma- or space-separated lowercase hex SHA-256 digests of accepted bearer tokens. */
  API_TOKEN_SHA256?: string;
  /** The Workers rate-limiting binding. */
  RATE_LIMITER?: { limit(o: { key: string }): Promise<{ success: boolean }> };
}

/** The period of the RATE_LIMITER binding in wrangler.toml, in seconds (Retry-After). */
export const RATE_PERIOD_SECONDS = 60;

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function fromHex(s: string): Uint8Array | null {
  if (!/^[0-9a-f]{64}$/.test(s)) return null;
  return new Uint8Array(s.match(/../g)!.map((h) => parseInt(h, 16)));
}

/**
 * The configured digests. A malformed entry is dropped but still counts as configured, so a typo
 * in the secret locks the endpoint (fails closed) rather than opening it.
 */
export function acceptedDigests(env: GuardEnv | undefined): { digests: Uint8Array[]; configured: boolean } {
  const raw = env?.API_TOKEN_SHA256?.trim() ?? "";
  if (!raw) return { digests: [], configured: false };
  const digests = raw
    .toLowerCase()
    .split(/[\s,]+/)
    .map(fromHex)
    .filter((d): d is Uint8Array => d !== null);
  return { digests, configured: true };
}

type TimingSafe = SubtleCrypto & { timingSafeEqual?: (a: ArrayBufferView | ArrayBuffer, b: ArrayBufferView | ArrayBuffer) => boolean };

function equalDigests(a: Uint8Array, b: Uint8Array): boolean {
  const subtle = crypto.subtle as TimingSafe;
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(a, b);
  let diff = a.length ^ b.length; // both are 32 bytes; outside workerd only in unit tests
  for (let i = 0; i < a.length && i < b.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function bearer(header: string | undefined): string | null {
  const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? "");
  return m ? m[1]! : null;
}

const unauthorized = (detail: string) => {
  const res = problemResponse(new InputProblem("http.unauthorized", 401, detail));
  res.headers.set("WWW-Authenticate", 'Bearer realm="certaudit"');
  return res;
};

/** Requires a bearer token whose digest is configured, when any is; then applies the rate limit. */
export function guard<E extends { Bindings: GuardEnv }>(): MiddlewareHandler<E> {
  return async (c, next) => {
    const { digests, configured } = acceptedDigests(c.env);
    let key = `addr:${c.req.header("CF-Connecting-IP") ?? "unknown"}`;
    if (configured) {
      const token = bearer(c.req.header("Authorization"));
      if (!token) return unauthorized("this certaudit requires an API token: send Authorization: Bearer <token>");
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
      if (!digests.some((d) => equalDigests(d, digest))) return unauthorized("the API token is not accepted");
      key = `token:${hex(digest)}`;
    }
    if (c.env?.RATE_LIMITER) {
      const { success } = await c.env.RATE_LIMITER.limit({ key });
      if (!success) {
        const res = problemResponse(
          new InputProblem("http.rate-limited", 429, `too many requests; try again in ${RATE_PERIOD_SECONDS} seconds`),
        );
        res.headers.set("Retry-After", String(RATE_PERIOD_SECONDS));
        return res;
      }
    }
    await next();
  };
}
