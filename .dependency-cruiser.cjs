// Import rules, checked in CI (`npm run lint:imports`): no cycles anywhere, and src/core imports
// nothing outside itself (no Hono, no node:, no surfaces), so it runs unchanged in Workers, Node
// and a browser.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", comment: "Import cycles make the order of evaluation matter and the layers unreadable.", from: {}, to: { circular: true } },
    {
      name: "core-is-pure",
      severity: "error",
      comment: "src/core may import only src/core and the pure libraries it is built on (zod, yaml); CSRs are read by src/core/cluster/csr-der.ts.",
      from: { path: "^src/core/" },
      to: { pathNot: ["^src/core/", "^node_modules/(zod|yaml)/"] },
    },
    { name: "core-no-node-builtins", severity: "error", from: { path: "^src/core/" }, to: { dependencyTypes: ["core"] } },
    { name: "surfaces-do-not-import-each-other", severity: "error", comment: "The CLI, the Action and the HTTP app share only the core and the renderers in src/cli/render.ts.", from: { path: "^src/http/" }, to: { path: "^src/(cli|action)/" } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    parser: "swc",
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "\\.test\\.ts$" },
  },
};
