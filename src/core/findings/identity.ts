import { family } from "./types.ts";

/** What the API server will believe about who the client is (CN = user, O = groups). */
export const IDENTITY = family("identity", {
  "identity.system-masters": {
    severity: "warning",
    title: "The client certificate is in the system:masters group",
    advice: "system:masters bypasses RBAC and every authorization webhook, and a client certificate cannot be revoked before it expires. Keep it as a sealed break-glass credential; give people a certificate with a normal group bound by RBAC instead.",
  },
  "identity.node": {
    severity: "info",
    title: "The client certificate is a kubelet (node) identity",
    advice: "CN system:node:NAME with O=system:nodes is authorized by the Node authorizer and NodeRestriction admission plugin.",
  },
  "identity.node-group-missing": {
    severity: "warning",
    title: "A system:node: user without the system:nodes group",
    advice: "The Node authorizer only applies to users in the system:nodes group, so this kubelet will be forbidden most requests. Re-issue with O=system:nodes.",
  },
  "identity.empty-user": {
    severity: "error",
    title: "The client certificate has no Common Name",
    advice: "kube-apiserver takes the user name from the CN and rejects a certificate without one (`Unauthorized`). Re-issue with CN set to the user name.",
  },
  "identity.multiple-cn": {
    severity: "warning",
    title: "The client certificate has more than one Common Name",
    advice: "kube-apiserver uses only one (Go reads the first), so the user name may not be what you expect. Re-issue with a single CN.",
  },
});
