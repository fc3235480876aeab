// The Worker bindings the HTTP surface reads (wrangler.toml [vars] and [assets]).
import type { GuardEnv } from "./guard.ts";

export interface Env extends GuardEnv {
  /** Largest request body in bytes (wrangler.toml [vars]); default 1 MiB. */
  MAX_BODY_BYTES?: string;
  /** The Workers static-assets binding (wrangler.toml [assets]): public/, built by scripts/build-ui.mjs; absent in some test setups. */
  ASSETS?: { fetch(input: string | Request): Promise<Response> };
}

/** The default body limit, and the one in force for these bindings. */
export const DEFAULT_MAX_BODY = 1024 * 1024;
export const maxBodyBytes = (env: Env | undefined): number => Number(env?.MAX_BODY_BYTES ?? DEFAULT_MAX_BODY) || DEFAULT_MAX_BODY;
