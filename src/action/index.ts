// Entry point of the GitHub Action (bundled to action/dist/index.mjs by scripts/build-cli.mjs).
import { run } from "./main.ts";

run(process.env).then(
  (code) => {
    // GitHub only tells zero from non-zero: 1 for both "findings" and "could not audit".
    process.exitCode = code === 0 ? 0 : 1;
  },
  (e: unknown) => {
    process.stdout.write(`::error title=certaudit::[internal] ${String(e instanceof Error ? e.message : e).replace(/\r?\n/g, " ")}\n`);
    process.exitCode = 1;
  },
);
