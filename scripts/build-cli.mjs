// Bundles the CLI (bin/certaudit.mjs and its bundle bin/lib/cli-*.cjs, plain Node >= 20: package.json
// engines) and the GitHub Action (action/dist/index.mjs, one file, node24: action.yml runs.using)
// with esbuild. Both are committed: `npx certaudit` and `uses: ...` run them without a build step.
// test/node/cli-bundle.test.ts rebuilds in memory and fails when the committed files are stale.
//
// The entry bin/certaudit.mjs is the launcher (src/cli/launch.ts): it runs the CLI, one CommonJS
// script under bin/lib/ (shipped by package.json `files`), through node:vm with a V8 code cache
// made after the run (src/cli/code-cache.ts). Code behind a dynamic import() (the PKCS#12 reader
// and its ASN.1 libraries, ...) is in the script but evaluated only when imported. Node built-ins
// are loaded with require(): an ESM import of node:fs or node:util makes Node evaluate every lazy
// export of the module (fs/promises, readline, worker_threads), a few ms at each start.
//
//   node scripts/build-cli.mjs          write the bundles
//   node scripts/build-cli.mjs --check  exit 1 if a committed bundle is stale
import { build } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

// esbuild emits `require` calls for Node built-ins used by CommonJS dependencies; ESM output
// needs a real `require` for them.
const banner =
  'import { createRequire as __certauditCreateRequire } from "node:module";\nconst require = __certauditCreateRequire(import.meta.url);';

/**
 * `chunks`: the directory (relative to the root) that holds the CLI's bundle, and only it: one
 * CommonJS script (run by the launcher through node:vm, src/cli/code-cache.ts), its file name
 * carrying a content hash. The launcher is built after it and told that name.
 */
export const TARGETS = [
  { entry: "src/cli/bin.ts", chunks: "bin/lib", target: "node20", what: "certaudit CLI" },
  { entry: "src/cli/launch.ts", out: "bin/certaudit.mjs", target: "node20", shebang: true, what: "certaudit CLI launcher" },
  { entry: "src/action/index.ts", out: "action/dist/index.mjs", target: "node24", shebang: false, what: "certaudit GitHub Action" },
];

/**
 * `import { a, b } from "node:fs"` becomes `const m = require("node:fs"); export const a = m.a, b = m.b`
 * (see above): only the names imported are read. Not esbuild's CommonJS interop, which copies
 * every property (and so evaluates every lazy one); other import forms stay ESM imports.
 */
const builtinsViaRequire = {
  name: "builtins-via-require",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) => {
      if (a.namespace === "builtin") return { path: a.path, external: true };
      // The CLI is a script run through node:vm, which has no loader for a real import():
      // `await import("node:tls")` becomes a require of it, evaluated at that moment as before.
      if (a.kind === "dynamic-import") return { path: a.path, namespace: "builtin-dynamic" };
      if (a.kind !== "import-statement" || a.path === "node:module") return undefined;
      const names = importedNames(readFileSync(a.importer, "utf8"), a.path);
      if (!names?.size) return undefined;
      return { path: `${a.path}?${[...names].sort().join(",")}`, namespace: "builtin" };
    });
    b.onLoad({ filter: /.*/, namespace: "builtin-dynamic" }, (a) => ({
      contents: `module.exports = require(${JSON.stringify(a.path)});\n`,
      loader: "js",
    }));
    b.onLoad({ filter: /.*/, namespace: "builtin" }, (a) => {
      const [mod, names] = a.path.split("?");
      const list = names.split(",");
      if (LAZY_BUILTINS.has(mod) && list.every((n) => typeof nodeRequire(mod)[n] === "function"))
        return { contents: lazyWrappers(mod, list), loader: "js" };
      return {
        contents: `const m = require(${JSON.stringify(mod)});\nexport const ${list.map((n) => `${n} = m.${n}`).join(", ")};\n`,
        loader: "js",
      };
    });
  },
};

/**
 * Built-ins that the kubeconfig path never uses: loaded on the first call of what is imported from
 * them (see lazyWrappers), not at start. node:net (live.ts, for --live) costs ~3 ms of CPU.
 */
const LAZY_BUILTINS = new Set(["node:net"]);
const nodeRequire = createRequire(import.meta.url);

/**
 * A module whose exports load `mod` on first use. A capitalised name is a class: its wrapper
 * constructs the real class, so `new Socket()` returns the module's own object (our code never
 * uses `instanceof` on these). Only for functions and classes (a constant would be read too late).
 */
function lazyWrappers(mod, names) {
  const lines = ["let m;", `const load = () => (m ??= require(${JSON.stringify(mod)}));`];
  for (const n of names)
    lines.push(
      /^[A-Z]/.test(n)
        ? `export function ${n}(...a) { return new (load().${n})(...a); }`
        : `export function ${n}(...a) { return load().${n}(...a); }`,
    );
  return `${lines.join("\n")}\n`;
}

/**
 * `import { parseDocument, LineCounter } from "yaml"` becomes a module of wrappers that load the
 * yaml package on first use (`require("yaml")` inside a function: esbuild evaluates the bundled
 * CommonJS package there, not when the chunk loads). A kubeconfig in the plain subset is read by
 * core's own reader (src/core/input/yaml-plain.ts) and never needs the package, whose evaluation
 * (72 modules) cost a few ms at every start. Any other import form keeps the package as esbuild
 * bundles it.
 */
const LAZY_PACKAGES = new Set(["yaml"]);
const lazyPackages = {
  name: "lazy-packages",
  setup(b) {
    b.onResolve({ filter: /^[a-z]/ }, (a) => {
      if (!LAZY_PACKAGES.has(a.path) || a.kind !== "import-statement" || a.namespace !== "file") return undefined;
      if (a.importer.split(sep).includes("node_modules")) return undefined;
      const names = importedNames(readFileSync(a.importer, "utf8"), a.path);
      if (!names?.size) return undefined;
      return { path: `${a.path}?${[...names].sort().join(",")}`, namespace: "lazy-package" };
    });
    b.onLoad({ filter: /.*/, namespace: "lazy-package" }, (a) => {
      const [mod, names] = a.path.split("?");
      return { contents: lazyWrappers(mod, names.split(",")), loader: "js", resolveDir: root };
    });
  },
};

/** The value names of `import { ... } from "<mod>"` in a file; null if it imports the module otherwise too. */
function importedNames(src, mod) {
  const quoted = mod.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const braces = [...src.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*"${quoted}"`, "g"))];
  const all = [...src.matchAll(new RegExp(`(?:import|export)\\s+(type\\s)?[^;]*?from\\s*"${quoted}"`, "g"))];
  if (braces.length !== all.filter((m) => !m[1]).length) return null;
  const names = new Set();
  for (const m of braces)
    for (const part of m[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/)[0];
      if (name && !name.startsWith("type ")) names.add(name);
    }
  return names;
}

/**
 * The packages our code imports (yaml, @peculiar/x509, the ASN.1 libraries of the PKCS#12 reader,
 * ...) go to a second script, bin/lib/vendor.cjs, which the CLI requires only when one of them is
 * first used: the script every run reads and V8 deserialises is then our code only (a kubeconfig
 * run needs none of them). vendor.cjs exports each package as a getter that evaluates it on
 * first access. It is not in the code cache (src/cli/code-cache.ts): what needs it is rare.
 * `used` collects the package names while the CLI's script is built.
 */
function vendorOut(used) {
  return {
    name: "vendor-out",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (a) => {
        if (a.path.startsWith("node:") || a.kind === "entry-point") return undefined;
        if (a.namespace === "file" && a.importer.split(sep).includes("node_modules")) return undefined;
        if (a.namespace !== "file" && a.namespace !== "lazy-package") return undefined;
        used.add(a.path);
        return { path: a.path, namespace: "vendor" };
      });
      b.onResolve({ filter: /^\.\/vendor\.cjs$/ }, (a) => (a.namespace === "vendor" ? { path: a.path, external: true } : undefined));
      b.onLoad({ filter: /.*/, namespace: "vendor" }, (a) => ({
        contents: `module.exports = require("./vendor.cjs")[${JSON.stringify(a.path)}];\n`,
        loader: "js",
      }));
    },
  };
}

/**
 * charset "ascii" escapes every non-ASCII character of the code; what is left is in comments
 * esbuild keeps (class fields' doc comments). An ASCII-only source is a one-byte string, read
 * faster at each start.
 */
const ascii = (text) => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** vendor.cjs's entry: one lazy getter per package. */
function vendorEntry(used) {
  const lines = [...used]
    .sort()
    .map((p) => `Object.defineProperty(exports, ${JSON.stringify(p)}, { enumerable: true, get: () => require(${JSON.stringify(p)}) });`);
  return `${lines.join("\n")}\n`;
}

/** Builds every target in memory; returns { [path relative to the root]: text }. */
export async function buildAll() {
  const out = {};
  let cliFile = null;
  const used = new Set();
  for (const t of TARGETS) {
    const launcher = t.out === "bin/certaudit.mjs";
    const head = `// ${t.what} ${pkg.version}: generated by scripts/build-cli.mjs from ${t.entry}; do not edit.`;
    const res = await build({
      absWorkingDir: root,
      entryPoints: [t.entry],
      bundle: true,
      platform: "node",
      format: t.chunks ? "cjs" : "esm",
      target: t.target,
      write: false,
      ...(t.chunks
        ? {
            outdir: t.chunks,
            entryNames: "cli-[hash]",
            outExtension: { ".js": ".cjs" },
            plugins: [builtinsViaRequire, lazyPackages, vendorOut(used)],
          }
        : { outfile: t.out }),
      legalComments: "eof",
      charset: t.chunks ? "ascii" : "utf8",
      logLevel: "silent",
      define: {
        "process.env.CERTAUDIT_VERSION": JSON.stringify(pkg.version),
        ...(launcher ? { CERTAUDIT_CLI_FILE: JSON.stringify(cliFile) } : {}),
      },
      // CommonJS has its own require; the launcher needs none (it makes its own).
      banner: { js: t.chunks || launcher ? head : `${head}\n${banner}` },
    });
    for (const f of res.outputFiles) {
      const rel = relative(root, f.path).split(sep).join("/");
      if (t.chunks) cliFile = basename(rel);
      const text = t.chunks ? ascii(f.text) : f.text;
      out[rel] = rel === t.out && t.shebang ? `#!/usr/bin/env node\n${text}` : text;
    }
    if (t.chunks) {
      const vendor = await build({
        absWorkingDir: root,
        stdin: { contents: vendorEntry(used), resolveDir: root, sourcefile: "vendor.cjs", loader: "js" },
        bundle: true,
        platform: "node",
        format: "cjs",
        target: t.target,
        write: false,
        outfile: `${t.chunks}/vendor.cjs`,
        legalComments: "eof",
        charset: "ascii",
        logLevel: "silent",
        banner: {
          js: `// certaudit CLI ${pkg.version}: the packages bin/lib/${cliFile} uses, generated by scripts/build-cli.mjs; do not edit.`,
        },
      });
      out[`${t.chunks}/vendor.cjs`] = ascii(vendor.outputFiles[0].text);
    }
  }
  return out;
}

/** The files a target's chunk directory holds now (to find stale chunks). */
export function committedChunks() {
  const out = [];
  for (const t of TARGETS) {
    if (!t.chunks) continue;
    let names = [];
    try {
      names = readdirSync(join(root, t.chunks));
    } catch {
      /* none yet */
    }
    for (const n of names) out.push(`${t.chunks}/${n}`);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildAll();
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const rel of committedChunks()) {
    if (rel in files) continue;
    if (check) {
      stale++;
      console.error(`${rel} is not built any more: run npm run build:cli`);
    } else rmSync(join(root, rel));
  }
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, rel);
    if (check) {
      let old = null;
      try {
        old = readFileSync(path, "utf8");
      } catch {
        /* missing */
      }
      if (old !== text) {
        stale++;
        console.error(`${rel} is stale: run npm run build:cli`);
      }
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text, { mode: TARGETS.some((t) => t.out === rel && t.shebang) ? 0o755 : 0o644 });
      console.log(`${rel}: ${text.length} bytes`);
    }
  }
  process.exitCode = stale ? 1 : 0;
}
