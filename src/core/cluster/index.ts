// A kubeadm control plane's trust edges (issue 12): the one entry point surfaces use.
export { auditControlPlane, type ClusterJson, type ClusterOptions } from "./audit-cluster.ts";
export { normalizeTree, treePath, type ControlPlaneTree } from "./tree.ts";
export { controlPlaneReport } from "./report.ts";
export { auditObjects, objectsReport } from "./audit-objects.ts";
export { looksLikeObjects } from "./objects-read.ts";
export { objectsYamlProblem } from "./objects-yaml.ts";
