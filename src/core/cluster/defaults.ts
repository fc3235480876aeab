// kubeadm's static Pod flags for the files and names certaudit reads, used when a component's
// manifest is not in the upload (the report says so: cluster.defaults-assumed). They are the flags
// `kubeadm init` writes on one node (cmd/kubeadm/app/phases/controlplane/manifests.go
// getAPIServerCommand, getControllerManagerCommand, getSchedulerCommand; phases/etcd/local.go
// getEtcdCommand), with kubeadm's default service range (10.96.0.0/12) and etcd on 127.0.0.1.
export type Component = "kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "etcd";

export const COMPONENTS: Component[] = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"];

export const MANIFEST_FILES: Record<Component, string> = {
  "kube-apiserver": "manifests/kube-apiserver.yaml",
  "kube-controller-manager": "manifests/kube-controller-manager.yaml",
  "kube-scheduler": "manifests/kube-scheduler.yaml",
  etcd: "manifests/etcd.yaml",
};

const PKI = "/etc/kubernetes/pki";

export const KUBEADM_FLAGS: Record<Component, Record<string, string>> = {
  "kube-apiserver": {
    "client-ca-file": `${PKI}/ca.crt`,
    "etcd-cafile": `${PKI}/etcd/ca.crt`,
    "etcd-certfile": `${PKI}/apiserver-etcd-client.crt`,
    "etcd-keyfile": `${PKI}/apiserver-etcd-client.key`,
    "etcd-servers": "https://127.0.0.1:2379",
    "kubelet-client-certificate": `${PKI}/apiserver-kubelet-client.crt`,
    "kubelet-client-key": `${PKI}/apiserver-kubelet-client.key`,
    "proxy-client-cert-file": `${PKI}/front-proxy-client.crt`,
    "proxy-client-key-file": `${PKI}/front-proxy-client.key`,
    "requestheader-allowed-names": "front-proxy-client",
    "requestheader-client-ca-file": `${PKI}/front-proxy-ca.crt`,
    "service-account-key-file": `${PKI}/sa.pub`,
    "service-account-signing-key-file": `${PKI}/sa.key`,
    "service-cluster-ip-range": "10.96.0.0/12",
    "tls-cert-file": `${PKI}/apiserver.crt`,
    "tls-private-key-file": `${PKI}/apiserver.key`,
  },
  "kube-controller-manager": {
    "client-ca-file": `${PKI}/ca.crt`,
    "cluster-signing-cert-file": `${PKI}/ca.crt`,
    "cluster-signing-key-file": `${PKI}/ca.key`,
    kubeconfig: "/etc/kubernetes/controller-manager.conf",
    "requestheader-client-ca-file": `${PKI}/front-proxy-ca.crt`,
    "root-ca-file": `${PKI}/ca.crt`,
    "service-account-private-key-file": `${PKI}/sa.key`,
  },
  "kube-scheduler": { kubeconfig: "/etc/kubernetes/scheduler.conf" },
  etcd: {
    "cert-file": `${PKI}/etcd/server.crt`,
    "key-file": `${PKI}/etcd/server.key`,
    "client-cert-auth": "true",
    "trusted-ca-file": `${PKI}/etcd/ca.crt`,
    "peer-cert-file": `${PKI}/etcd/peer.crt`,
    "peer-key-file": `${PKI}/etcd/peer.key`,
    "peer-client-cert-auth": "true",
    "peer-trusted-ca-file": `${PKI}/etcd/ca.crt`,
  },
};

/** kubeadm's kubelet (KubeletConfiguration defaults it writes to /var/lib/kubelet/config.yaml). */
export const KUBELET_DEFAULTS = {
  clientCAFile: `${PKI}/ca.crt`,
  clusterDomain: "cluster.local",
  kubeconfig: "/etc/kubernetes/kubelet.conf",
};
