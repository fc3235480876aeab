// A file of the Worker's static assets (public/, built by scripts/build-ui.mjs) read from a
// route: through the ASSETS binding (wrangler.toml [assets]), or null when the binding is absent
// (some test setups) or the file is not there.
import type { Context } from "hono";
import type { Env } from "./env.ts";

export async function fetchAsset(c: Context<{ Bindings: Env }>, path: string): Promise<Response | null> {
  const res = await c.env?.ASSETS?.fetch(new Request(new URL(path, c.req.url)));
  return res?.ok ? res : null;
}
