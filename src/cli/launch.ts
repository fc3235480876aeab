// The `certaudit` bin's first module (bin/certaudit.mjs): turns on Node's compile cache, then loads
// the CLI (bin.ts, its own chunk under bin/lib/). The cache keeps V8's compiled code of the bundle
// between runs, so a run does not compile the CLI again (docs/performance.md, "The CLI's start-up").
//
// - module.enableCompileCache exists from Node 22.1; on Node 20 this is a no-op.
// - Where: $NODE_COMPILE_CACHE if set, else Node's default (<os.tmpdir()>/node-compile-cache),
//   as TypeScript's tsc launcher does. NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node honours it).
// - It never fails the run: a directory that cannot be written is reported by the returned status
//   (ignored here), and anything thrown is swallowed.
// - Imported as a namespace: a named import of a missing export would not link on Node 20.
import * as module from "node:module";

try {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {
  /* no cache: the CLI only compiles its code again */
}
await import("./bin.ts");
