// Entry point of the GitHub Action (bundled to action/dist/index.mjs by scripts/build-cli.mjs).
import { internalMessage } from "../cli/client.ts";
import { run } from "./main.ts";

run(process.env).then(
  (code) => {
    // GitHub only tells zero from non-zero: 1 for both "findings" and "could not audit".
    process.exitCode = code === 0 ? 0 : 1;
  },
  (e: unknown) => {
    // A bug: its class, never its message (it can quote the input); the stack only with CERTAUDIT_DEBUG.
    process.stdout.write(`::error title=certaudit::[internal] ${internalMessage(e)}\n`);
    if (process.env.CERTAUDIT_DEBUG) process.stdout.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
