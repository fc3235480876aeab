// The in-browser core (/ui/core.js): the same audit() and stripSecrets() the Worker runs,
// bundled by scripts/build-ui.mjs and loaded by the page only when "Audit in this browser"
// is on or secrets are to be removed before an upload. No second implementation of anything.
export { audit } from "../core/audit.ts";
export { InputProblem } from "../core/errors.ts";
export { stripSecrets } from "../core/input/redact.ts";
