// POST /v1/audit to the app in this process (src/http/app.ts), as the archive and directory
// upload tests send a body: the answer's status, content type and JSON.
import { createApp } from "../../../src/http/app.ts";

export async function postAudit(body: BodyInit, type: string | undefined, at: string) {
  const res = await createApp().request(`/v1/audit?at=${at}`, { method: "POST", body, headers: type ? { "content-type": type } : {} });
  return { status: res.status, type: res.headers.get("content-type"), json: (await res.json()) as any };
}
