// Entry point of the `certaudit` bin (bundled to bin/lib/cli-*.cjs by scripts/build-cli.mjs; run by bin/certaudit.cjs).
import { crashed, main } from "./main.ts";

async function readStdin(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of process.stdin) chunks.push(c as Uint8Array);
  return new Uint8Array(Buffer.concat(chunks));
}

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, readStdin }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = crashed(e, { stderr: process.stderr, env: process.env });
  },
);
