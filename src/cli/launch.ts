// The `certaudit` bin (bin/certaudit.cjs, CommonJS): runs the CLI (bin.ts, bundled by
// scripts/build-cli.mjs as one CommonJS script under bin/lib/) with a V8 code cache kept between
// runs (code-cache.ts), so a run after the first neither parses nor compiles the CLI again.
import { runCached } from "./code-cache.ts";

/** The bundle's file name under bin/lib/, set by scripts/build-cli.mjs (it carries a content hash). */
declare const CERTAUDIT_CLI_FILE: string;

runCached(import.meta.dirname, `lib/${CERTAUDIT_CLI_FILE}`, process.env);
