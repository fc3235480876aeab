// Builds the web form's static assets into public/ (generated on every start, test and deploy;
// gitignored): the page script, the stylesheet, the in-browser core, the example and _headers.
// Run by `npm run build:ui`, the pretest script, and wrangler's [build] command (wrangler dev,
// wrangler deploy, --dry-run). Plain ESM so it runs on any Node >= 18.
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "public");
const ui = join(out, "ui");
// The browser tests start `wrangler dev` while other tests read public/: they build once
// (pretest) and ask wrangler's [build] step not to rebuild underneath them.
if (process.env.CERTAUDIT_SKIP_UI_BUILD === "1" && existsSync(join(ui, "app.js"))) process.exit(0);
rmSync(out, { recursive: true, force: true });
mkdirSync(ui, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  legalComments: "none",
  logLevel: "warning",
  tsconfig: join(root, "tsconfig.json"),
};
await Promise.all([
  build({ ...common, entryPoints: [join(root, "src/http/ui/client.ts")], outfile: join(ui, "app.js") }),
  build({ ...common, entryPoints: [join(root, "src/browser/core.ts")], outfile: join(ui, "core.js") }),
  build({ ...common, entryPoints: [join(root, "src/http/ui/styles.css")], outfile: join(ui, "app.css") }),
]);

// The example: kubeadm's admin.conf as kubectl wrote it, with the cluster's client CA and API
// server certificate (test/fixtures; every key there is a throwaway test key). Validated at the
// fixtures' pinned time so the example never drifts into expiry.
const fx = (name) => readFileSync(join(root, "test/fixtures/kubeadm-single-ca", name), "utf8");
writeFileSync(
  join(ui, "example.json"),
  JSON.stringify({
    document: fx("kubeconfig.yaml"),
    clientCA: fx("client-ca.crt"),
    serverCertificate: fx("apiserver.crt"),
    at: "2026-06-01T00:00:00Z",
    warnDays: "30",
  }),
);

writeFileSync(
  join(out, "_headers"),
  [
    "/ui/*",
    "  X-Content-Type-Options: nosniff",
    "  Referrer-Policy: no-referrer",
    "  Cache-Control: no-cache",
    "  Cross-Origin-Resource-Policy: same-origin",
    "",
  ].join("\n"),
);

const size = (f) => {
  const b = readFileSync(join(ui, f));
  return `${f} ${b.length} B (${gzipSync(b, { level: 9 }).length} B gzip)`;
};
console.log(
  `build-ui: ${["app.js", "app.css", "core.js", "example.json"].map(size).join(", ")}; mtime ${statSync(join(ui, "app.js")).mtime.toISOString()}`,
);
