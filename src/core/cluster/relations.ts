// What an edge's `from` and `to` are, relation by relation: which end presents the certificate
// (or signs), and which verifies; or, for a comparison, what is compared with what. The report
// schema's descriptions are made from this table, and test/core/cluster-relations.test.ts checks
// every fixture edge against it.
import type { Relation } from "./edge.ts";

export interface RelationRoles {
  /**
   * The end whose certificate (or signature) is checked; "same": both ends are one component or
   * object; "none": nobody presents anything, from's certificates are compared with to's.
   */
  presents: "from" | "to" | "same" | "none";
  /** from and to, in words. */
  words: string;
}

export const RELATION_ROLES: Record<Relation, RelationRoles> = {
  serving: {
    presents: "to",
    words:
      "from is a kubeconfig's user (kubectl or a component), which verifies with the kubeconfig's CA for its server name; to is kube-apiserver, which presents --tls-cert-file",
  },
  "root-ca": {
    presents: "to",
    words:
      "from is the Pods, which verify with kube-root-ca.crt (--root-ca-file) for the in-cluster names; to is kube-apiserver, which presents --tls-cert-file",
  },
  "root-ca-configmap": {
    presents: "none",
    words:
      "a comparison, no TLS: from is a namespace's kube-root-ca.crt ConfigMap (its ca.crt, the bundle that namespace's Pods verify kube-apiserver with); to is what it is compared with: the cluster CA given (--root-ca, the API's rootCA part), else the bundle most namespaces' kube-root-ca.crt carry (no object: toNode is null)",
  },
  client: {
    presents: "from",
    words: "from presents a client certificate; to verifies it (kube-apiserver with --client-ca-file, a kubelet with its clientCAFile)",
  },
  "etcd-client": {
    presents: "from",
    words: "from is kube-apiserver, which presents --etcd-certfile; to is etcd, which verifies it with --trusted-ca-file",
  },
  "etcd-serving": {
    presents: "from",
    words:
      "from is etcd, which presents --cert-file; to is kube-apiserver, which verifies it with --etcd-cafile for the --etcd-servers host",
  },
  "etcd-peer": {
    presents: "same",
    words: "both are etcd members: each presents --peer-cert-file and verifies the other's with --peer-trusted-ca-file",
  },
  "front-proxy": {
    presents: "from",
    words:
      "from is kube-apiserver, which presents --proxy-client-cert-file; to is the extension API servers, which verify it with --requestheader-client-ca-file and --requestheader-allowed-names",
  },
  "service-account": {
    presents: "from",
    words:
      "from signs service-account tokens with a private key; to, kube-apiserver's token authenticator, verifies them with --service-account-key-file",
  },
  signing: {
    presents: "from",
    words:
      "from is kube-controller-manager's CSR signer (--cluster-signing-cert-file), whose certificates kubelets present; to is --client-ca-file, which must hold that CA to verify them",
  },
  "key-pair": {
    presents: "same",
    words: "from is a private key and to the certificate it must match; one component loads both",
  },
  "tls-secret": {
    presents: "same",
    words: "from is a Secret's tls.crt, which its server presents; to is the same Secret's ca.crt, which verifies it",
  },
  webhook: {
    presents: "from",
    words:
      "from is a webhook configuration, whose Service presents a Secret's tls.crt (certificate); to is kube-apiserver, which verifies it with the configuration's caBundle",
  },
  apiservice: {
    presents: "from",
    words:
      "from is an APIService, whose Service presents a Secret's tls.crt (certificate); to is kube-apiserver's aggregator proxy, which verifies it with spec.caBundle for <service>.<namespace>.svc (with spec.insecureSkipTLSVerify it verifies nothing and the edge is unknown)",
  },
  "kubelet-serving": {
    presents: "from",
    words:
      "from is the kubelet, which presents its serving certificate (tlsCertFile, kubelet-server-current.pem or the self-signed kubelet.crt); to is kube-apiserver, which verifies it with --kubelet-certificate-authority when set",
  },
};

/** The table in one description, for the report schema. */
export function relationWords(): string {
  return Object.entries(RELATION_ROLES)
    .map(([r, { words }]) => `${r}: ${words}`)
    .join("; ");
}
