// Runs the CLI's bundle (one CommonJS script, bin/lib/cli-*.cjs) through node:vm with a V8 code
// cache made AFTER the run: it holds the bytecode of every function the run compiled, so the next
// run neither parses nor compiles the audit's code. (Node's own compile cache,
// module.enableCompileCache, serialises a module right after its compilation: only its top-level
// code, the functions being compiled lazily on each run; docs/performance.md, "The CLI's start-up".)
//
// The rules are Node's compile-cache rules (docs/cli.md, "Start-up and the code cache"):
// - the directory is $NODE_COMPILE_CACHE if set, else <os.tmpdir()>/node-compile-cache; one file
//   per bundle (its name carries the bundle's content hash), Node version and architecture;
// - NODE_DISABLE_COMPILE_CACHE=1: nothing is read or written;
// - written when there was none or V8 rejected it (another V8 or other flags), through a
//   temporary file renamed into place (concurrent runs never read half a file), and only by a
//   run that audited something (exit 0 or 1, not --help or --version): a cache is written once,
//   so one made by `certaudit --help` (270 KB instead of 520) would leave the audit's functions
//   to be compiled again on every later run (8 ms of CPU per run on Node 24);
// - any failure (no directory, read-only, ...) only means no cache: nothing is printed;
// - used only when the directory and the file belong to this user and nobody else may write them
//   (a code cache is code: in a shared temporary directory another user could plant one). The
//   directory is made 0700, the file 0600. Where there are no user ids (Windows), not used.
import { createRequire } from "node:module";

// Built-ins by require: an ESM import of node:fs evaluates its lazy exports (fs/promises, ...).
const require = createRequire(import.meta.filename);
const { lstatSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } = require("node:fs") as typeof import("node:fs");
const { tmpdir } = require("node:os") as typeof import("node:os");
const { basename, dirname, join } = require("node:path") as typeof import("node:path");
const { Script } = require("node:vm") as typeof import("node:vm");

/** Where the cache of `file` lives, or null when the user turned the cache off. */
export function cachePath(file: string, env: Record<string, string | undefined>): string | null {
  if (env.NODE_DISABLE_COMPILE_CACHE === "1") return null;
  const dir = env.NODE_COMPILE_CACHE || join(tmpdir(), "node-compile-cache");
  return join(dir, `certaudit-${basename(file, ".cjs")}-${process.version}-${process.arch}.v8`);
}

/** Is `path` (lstat: not a link) this user's own, a directory or a file as asked, writable by no one else? */
function ours(path: string, dir: boolean): boolean {
  try {
    const st = lstatSync(path);
    return (dir ? st.isDirectory() : st.isFile()) && st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function save(script: InstanceType<typeof Script>, path: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    // One level only: a mkdir -p could walk places such as /proc (Node 24's own loops there).
    try {
      mkdirSync(dirname(path), { mode: 0o700 });
    } catch {
      /* exists, or cannot be made */
    }
    if (!ours(dirname(path), true)) return;
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600, flag: "wx" });
    renameSync(tmp, path);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      /* never written */
    }
  }
}

/** Did this run audit something? Exit 0 or 1 (findings at or above --fail-on), and no help or version asked. */
export function audited(code: number, args: string[]): boolean {
  return (code === 0 || code === 1) && !args.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "-v");
}

/** Runs the CommonJS script `name` (a path relative to the directory `dir`) as Node would require it, with the code cache. */
export function runCached(dir: string, name: string, env: Record<string, string | undefined>): void {
  const file = join(dir, name);
  const path = cachePath(file, env);
  let cachedData: Buffer | undefined;
  if (path && typeof process.getuid === "function" && ours(dirname(path), true) && ours(path, false))
    try {
      cachedData = readFileSync(path);
    } catch {
      /* gone since */
    }
  // ASCII only (scripts/build-cli.mjs escapes the rest; test/node/cli-bundle.test.ts): latin1 is
  // the same text, read without UTF-8's validation (~0.3 ms of the 0.8-1.5 ms read).
  const source = readFileSync(file, "latin1");
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (path && typeof process.getuid === "function" && (!cachedData || script.cachedDataRejected))
    process.once("exit", (code) => {
      if (audited(code, process.argv.slice(2))) save(script, path);
    });
  const mod = { exports: {} };
  (script.runInThisContext() as (...a: unknown[]) => void).call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
}
