// The Cloudflare Worker entry: the Hono app is the fetch handler.
import { createApp } from "./http/app.ts";

export default createApp();
