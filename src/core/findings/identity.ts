import { family } from "./types.ts";

/** What the API server will believe about who the client is (CN = user, O = groups). */
export const IDENTITY = family("identity", {
  "identity.system-masters": {
    severity: "warning",
    title: "The client certificate is in the system:masters group",
    advice:
      "system:masters bypasses RBAC and every authorization webhook, and a client certificate cannot be revoked before it expires. Keep it as a sealed break-glass credential; give people a certificate with a normal group bound by RBAC instead.",
    cite: "k8s.io/apiserver pkg/authentication/user/user.go SystemPrivilegedGroup; kubernetes pkg/kubeapiserver/authorizer (NewPrivilegedGroups ahead of every other authorizer)",
  },
  "identity.node": {
    severity: "info",
    title: "The client certificate is a kubelet (node) identity",
    advice: "CN system:node:NAME with O=system:nodes is authorized by the Node authorizer and NodeRestriction admission plugin.",
    cite: "kubernetes plugin/pkg/auth/authorizer/node (Node authorizer); pkg/auth/nodeidentifier/default.go",
  },
  "identity.node-group-missing": {
    severity: "warning",
    title: "A system:node: user without the system:nodes group",
    advice:
      "The Node authorizer only applies to users in the system:nodes group, so this kubelet will be forbidden most requests. Re-issue with O=system:nodes.",
    cite: "kubernetes pkg/auth/nodeidentifier/default.go NodeIdentity (needs a system:node: user name and the system:nodes group)",
  },
  "identity.empty-user": {
    severity: "error",
    title: "The client certificate has no Common Name",
    advice:
      "kube-apiserver takes the user name from the CN and does not authenticate a certificate whose CN is empty: the request is anonymous, so kubectl shows `Forbidden` for `system:anonymous` (or `Unauthorized` where anonymous auth is off). Re-issue with CN set to the user name.",
    cite: "k8s.io/apiserver/pkg/authentication/request/x509/x509.go CommonNameUserConversion (empty Subject.CommonName: not authenticated)",
  },
  "identity.multiple-cn": {
    severity: "warning",
    title: "The client certificate has more than one Common Name",
    advice:
      "kube-apiserver uses only one: Go's Subject.CommonName keeps the last CN in the certificate, so the user name may not be what you expect. Re-issue with a single CN.",
    cite: "Go crypto/x509/pkix pkix.go (*Name).FillFromRDNSequence; pinned by test/oracles/x509name",
  },
});
