// The CLI's main() in this process, its --endpoint answered by the Hono app in this process: what
// a user's `certaudit ... --endpoint URL` sends and gets, with every request kept for the test.
import { main } from "../../../src/cli/main.ts";
import { createApp } from "../../../src/http/app.ts";

export interface Sent {
  /** The request body as sent (FormData for multipart uploads). */
  body: BodyInit | null | undefined;
  /** The body as text, as the service reads it. */
  text: string;
  type: string;
}

export async function runCli(args: string[], stdin = new Uint8Array()) {
  const requests: Sent[] = [];
  const app = createApp();
  let out = "";
  let err = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
    readStdin: async () => stdin,
    fetch: (async (url: string | URL, init?: RequestInit) => {
      const b = init!.body;
      const text = b instanceof FormData ? await new Response(b).text() : String(b);
      requests.push({ body: b, text, type: new Headers(init!.headers).get("content-type") ?? "" });
      return app.request(String(url).replace(/^https?:\/\/[^/]+/, ""), init);
    }) as typeof fetch,
  });
  return { code, out, err, requests };
}
