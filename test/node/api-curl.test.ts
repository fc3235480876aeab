// What real curl sends, fed to the API app unchanged. A tiny loopback server records the exact
// bytes and headers of `curl -d @kubeconfig` (curl strips CR and LF from a --data file, curl(1)
// --data) and of `curl -F upload=@admin.conf`; the app (createApp, the Worker's own Hono app,
// called in-process) must answer each with a problem that says what to do.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { join } from "node:path";
import { expect, it } from "vitest";
import { createApp } from "../../src/http/app.ts";
import { FIX } from "../cli/helpers.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";

const haveCurl = toolWorks("curl", ["--version"]);
const withCurl = describeWithTool("curl", haveCurl, "apt-get install curl");

/** Runs curl with `args` against a loopback server; resolves with what the server received. */
async function capture(args: string[]): Promise<{ type: string; body: Buffer }> {
  let got: { type: string; body: Buffer } | null = null;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    got = { type: String(req.headers["content-type"] ?? ""), body: Buffer.concat(chunks) };
    res.end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((res, rej) => {
    const p = spawn("curl", ["-s", "-o", "/dev/null", ...args, `http://127.0.0.1:${port}/v1/audit`], { cwd: FIX });
    p.on("error", rej);
    p.on("close", (code) => (code === 0 ? res() : rej(new Error(`curl exited ${code}`))));
  });
  await new Promise<void>((r) => server.close(() => r()));
  if (!got) throw new Error("curl sent nothing");
  return got;
}

async function send(c: { type: string; body: Buffer }) {
  const res = await createApp().request("/v1/audit", { method: "POST", body: new Uint8Array(c.body), headers: { "content-type": c.type } });
  return { status: res.status, type: res.headers.get("content-type"), problem: (await res.json()) as { code: string; detail: string } };
}

withCurl("what real curl sends", () => {
  it("curl -d @kubeconfig: its line breaks are gone, and the answer says to use --data-binary", async () => {
    const sent = await capture(["-d", "@e2e-users/kubeconfig.yaml"]);
    expect(sent.body.includes(0x0a)).toBe(false); // curl really stripped them
    expect(sent.type).toBe("application/x-www-form-urlencoded");
    const r = await send(sent);
    expect(r.status).toBe(400);
    expect(r.type).toBe("application/problem+json");
    expect(r.problem.code).toBe("input.line-breaks-stripped");
    expect(r.problem.detail).toContain("--data-binary");
    // The same file with --data-binary is audited.
    const ok = await createApp().request("/v1/audit", {
      method: "POST",
      body: new Uint8Array((await capture(["--data-binary", "@e2e-users/kubeconfig.yaml"])).body),
      headers: { "content-type": sent.type },
    });
    expect(ok.status).toBe(200);
  });

  it("curl -F upload=@admin.conf: the answer names the accepted field names", async () => {
    const sent = await capture(["-F", `upload=@${join("e2e-users", "kubeconfig.yaml")}`]);
    expect(sent.type).toMatch(/^multipart\/form-data; boundary=/);
    const r = await send(sent);
    expect(r.status).toBe(422);
    expect(r.problem.code).toBe("input.nothing-to-audit");
    expect(r.problem.detail).toMatch(/"upload"/);
    for (const f of ["kubeconfig", "pem", "document", "clientCA", "serverCertificate"]) expect(r.problem.detail).toContain(f);
  });
});
