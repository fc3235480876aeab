// What renews a certificate a kubeadm node uses, and which static Pod must restart to load it
// (kubeadm docs, "Certificate Management with kubeadm": `kubeadm certs renew` names, and "the
// control plane components must be restarted"; kubeadm renews neither CAs nor kubelet.conf's
// rotating client certificate).
export interface Renewal {
  command: string;
  restart: string | null;
}

const BY_PATH: Record<string, Renewal> = {
  "pki/apiserver.crt": { command: "kubeadm certs renew apiserver", restart: "kube-apiserver" },
  "pki/apiserver-kubelet-client.crt": { command: "kubeadm certs renew apiserver-kubelet-client", restart: "kube-apiserver" },
  "pki/apiserver-etcd-client.crt": { command: "kubeadm certs renew apiserver-etcd-client", restart: "kube-apiserver" },
  "pki/front-proxy-client.crt": { command: "kubeadm certs renew front-proxy-client", restart: "kube-apiserver" },
  "pki/etcd/server.crt": { command: "kubeadm certs renew etcd-server", restart: "etcd" },
  "pki/etcd/peer.crt": { command: "kubeadm certs renew etcd-peer", restart: "etcd" },
  "pki/etcd/healthcheck-client.crt": { command: "kubeadm certs renew etcd-healthcheck-client", restart: "etcd" },
  "admin.conf": { command: "kubeadm certs renew admin.conf", restart: null },
  "super-admin.conf": { command: "kubeadm certs renew super-admin.conf", restart: null },
  "controller-manager.conf": { command: "kubeadm certs renew controller-manager.conf", restart: "kube-controller-manager" },
  "scheduler.conf": { command: "kubeadm certs renew scheduler.conf", restart: "kube-scheduler" },
  "kubelet.conf": {
    command:
      "the kubelet rotates its client certificate itself (rotateCertificates); if it has lapsed, `kubeadm init phase kubeconfig kubelet` on this node",
    restart: "kubelet (systemctl restart kubelet)",
  },
  // The kubelet's own files (/var/lib/kubelet/pki): client-go util/certificate's manager asks for a
  // new certificate after 70-90% of the old one's lifetime (nextRotationDeadline).
  "var/lib/kubelet/pki/kubelet-client-current.pem": {
    command:
      "the kubelet requests a new client certificate itself (rotateCertificates: true), after 70-90% of its lifetime; if it has lapsed, `kubeadm init phase kubeconfig kubelet` on this node",
    restart: "kubelet (systemctl restart kubelet)",
  },
  "var/lib/kubelet/pki/kubelet-server-current.pem": {
    command:
      "the kubelet requests a new serving certificate itself (serverTLSBootstrap); approve its kubernetes.io/kubelet-serving CSR (`kubectl get csr`, `kubectl certificate approve <name>`)",
    restart: null,
  },
  "var/lib/kubelet/pki/kubelet.crt": {
    command:
      "the kubelet never renews its self-signed kubelet.crt: delete /var/lib/kubelet/pki/kubelet.crt and kubelet.key and it makes a new pair when it starts",
    restart: "kubelet (systemctl restart kubelet)",
  },
};

/** The kubelet's client certificate when rotateCertificates is off: nothing renews it. */
const KUBELET_CLIENT_BY_HAND: Renewal = {
  command:
    "rotateCertificates is off (in /var/lib/kubelet/config.yaml, or --rotate-certificates=false in /var/lib/kubelet/kubeadm-flags.env, which beats it), so the kubelet will not renew its client certificate: set rotateCertificates: true (kubeadm's default) and drop a false flag, or issue one by hand (`kubeadm init phase kubeconfig kubelet`) and point kubelet.conf at it",
  restart: "kubelet (systemctl restart kubelet)",
};

const CA_FILES = new Set(["pki/ca.crt", "pki/front-proxy-ca.crt", "pki/etcd/ca.crt"]);

/** The renewal for the certificate read from `path` (a tree path), or null when kubeadm has none. */
export function renewalFor(path: string | undefined, kubeletRotates = true): Renewal | null {
  if (!path) return null;
  if (!kubeletRotates && (path === "kubelet.conf" || path === "var/lib/kubelet/pki/kubelet-client-current.pem"))
    return KUBELET_CLIENT_BY_HAND;
  const known = BY_PATH[path];
  if (known) return known;
  if (CA_FILES.has(path))
    return {
      command: `renew the CA ${path} by hand (kubeadm docs: Manual rotation of CA certificates), then every certificate it signed`,
      restart: "every control-plane static Pod",
    };
  return null;
}

export function describeRenewal(r: Renewal | null): string | null {
  return r ? `${r.command}${r.restart ? `; restart ${r.restart}` : ""}` : null;
}
