// The in-browser core (/ui/core.js): the same audit() and stripSecrets() the Worker runs,
// bundled by scripts/build-ui.mjs and loaded by the page only when "Audit in this browser"
// is on or secrets are to be removed before an upload. No second implementation of anything:
// a control-plane folder or archive is read with the API's own tar reader and audited by the
// core's controlPlaneReport; Kubernetes objects by objectsReport; keys are replaced by their
// public keys' fingerprints by the function the CLI uses before an upload.
export { audit } from "../core/audit.ts";
export { controlPlaneReport, looksLikeObjects, objectsReport } from "../core/cluster/index.ts";
export { uploadableTree } from "../core/cluster/keyless-tree.ts";
export { InputProblem } from "../core/errors.ts";
export { stripSecrets } from "../core/input/redact.ts";
export { readTarArchive, safeRelativePath } from "../http/archive.ts";
export { archiveLimits, withoutTopFolder } from "../http/directory-upload.ts";
