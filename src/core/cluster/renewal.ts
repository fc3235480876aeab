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
};

const CA_FILES = new Set(["pki/ca.crt", "pki/front-proxy-ca.crt", "pki/etcd/ca.crt"]);

/** The renewal for the certificate read from `path` (a tree path), or null when kubeadm has none. */
export function renewalFor(path: string | undefined): Renewal | null {
  if (!path) return null;
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
