// Starts the real Worker (`wrangler dev` on a free local port) and Debian's chromium for the
// browser tests; both are stopped by the caller through the returned handles.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { freePort } from "../node/helpers/sserver.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface RunningWorker {
  url: string;
  stop(): Promise<void>;
  log(): string;
}

/** `wrangler dev` serving the Worker; `vars` are passed as `--var NAME:VALUE` (e.g. API_TOKEN_SHA256 to lock it). */
export async function startWorker(vars: Record<string, string> = {}): Promise<RunningWorker> {
  if (!existsSync(join(ROOT, "public/ui/app.js")))
    throw new Error("public/ui is missing: run `npm run build:ui` (npm test does it in pretest)");
  const port = await freePort();
  const bin = join(ROOT, "node_modules/.bin");
  let out = "";
  const child: ChildProcess = spawn(
    join(bin, "wrangler"),
    [
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(await freePort()),
      "--log-level",
      "warn",
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        CERTAUDIT_SKIP_UI_BUILD: "1",
        WRANGLER_SEND_METRICS: "false",
        CI: "1",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so stop() ends wrangler and workerd together
    },
  );
  child.stdout?.on("data", (d) => (out += String(d)));
  child.stderr?.on("data", (d) => (out += String(d)));
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not become ready within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop, log: () => out };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Where the documentation's screenshots live (docs/web-form.md shows them). */
export const SHOTS = join(ROOT, "docs/screenshots");
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Takes a screenshot in every run (so a test fails when the element cannot be drawn) and checks
 * it is a PNG of a non-empty size; writes it to docs/screenshots/<name> only when
 * CERTAUDIT_WRITE_SCREENSHOTS=1, so `npm test` leaves a clone's files as they were.
 * `take` is the Playwright call, given the path to write or undefined.
 */
export async function screenshot(name: string, take: (path: string | undefined) => Promise<Buffer>): Promise<Buffer> {
  const write = process.env.CERTAUDIT_WRITE_SCREENSHOTS === "1";
  if (write) mkdirSync(SHOTS, { recursive: true });
  const png = await take(write ? join(SHOTS, name) : undefined);
  // PNG: the signature, then the IHDR chunk's width and height (RFC 2083 section 11.2.2).
  const ok = png.length > 24 && png.subarray(0, 8).equals(PNG_SIGNATURE) && png.readUInt32BE(16) > 0 && png.readUInt32BE(20) > 0;
  if (!ok) throw new Error(`screenshot ${name}: not a PNG with a size (${png.length} bytes)`);
  return png;
}
