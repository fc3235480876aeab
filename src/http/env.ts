// The Worker bindings the HTTP surface reads (wrangler.toml [vars]).
import type { GuardEnv } from "./guard.ts";

export interface Env extends GuardEnv {
  /** Largest request body in bytes (wrangler.toml [vars]); default 1 MiB. */
  MAX_BODY_BYTES?: string;
}
