import { family } from "./types.ts";

/**
 * Findings about a control plane's trust edges (a kubeadm /etc/kubernetes): each is one edge on
 * which the component that verifies would refuse, or will soon refuse, the side that presents.
 */
export const CLUSTER = family("cluster", {
  "cluster.file-missing": {
    severity: "warning",
    title: "A file a component is configured to use is not in the upload",
    advice:
      "The edges that need it are reported as unknown. Upload the whole /etc/kubernetes directory (pki/, the *.conf files and manifests/), and for the kubelet's own files its /var/lib/kubelet (config.yaml and pki/): `certaudit /etc/kubernetes /var/lib/kubelet`.",
  },
  "cluster.file-unreadable": {
    severity: "error",
    title: "A certificate or key file a component uses cannot be read",
    advice:
      "The component fails to start with this file (Go's tls.LoadX509KeyPair / cert.NewPool refuse it). Regenerate it: `kubeadm certs renew <name>`, or `kubeadm init phase certs <name>` for a CA.",
    cite: "Go crypto/tls LoadX509KeyPair; k8s.io/client-go/util/cert CertsFromFile",
  },
  "cluster.defaults-assumed": {
    severity: "info",
    title: "A component's flags were not uploaded; kubeadm's defaults were assumed",
    advice:
      "The edges of that component follow the files kubeadm configures by default. Upload manifests/ (the static Pods) so the report follows the flags the component really runs with.",
    cite: "kubeadm cmd/kubeadm/app/phases/controlplane/manifests.go getAPIServerCommand, getControllerManagerCommand; phases/etcd/local.go getEtcdCommand",
  },
  "cluster.key-mismatch": {
    severity: "error",
    title: "A key file does not belong to the certificate it is configured with",
    advice:
      "The component does not start: `tls: private key does not match public key`. Renew the pair together (`kubeadm certs renew <name>`), or restore the key that was used for the certificate.",
    cite: "Go crypto/tls/tls.go X509KeyPair",
  },
  "cluster.key-pair-unloadable": {
    severity: "error",
    title: "Go cannot load a certificate and key as a pair",
    advice:
      "The component fails when it loads the pair (crypto/tls X509KeyPair), before any connection: Go parses the certificate's key only as RSA with NULL parameters, ECDSA on a named curve (P-224, P-256, P-384, P-521) with an uncompressed point, or Ed25519, and the private key only as PKCS#1, PKCS#8 or SEC1 of those kinds, unencrypted; a certificate x509.ParseCertificate refuses for another reason (its names, times or extensions; cert.go-unparseable) fails the same way. Re-issue the pair in such a form (`kubeadm certs renew <name>`, or `openssl ec -param_enc named_curve -conv_form uncompressed` before signing).",
    cite: "Go crypto/tls/tls.go X509KeyPair and parsePrivateKey; crypto/x509/parser.go parsePublicKey",
  },
  "cluster.serving-untrusted": {
    severity: "error",
    title: "A client will not trust the API server's serving certificate",
    advice:
      "The component (or kubectl with this kubeconfig) fails with `x509: certificate signed by unknown authority`, `x509: certificate has expired` or `x509: certificate is valid for ..., not ...`. An expired certificate, or one from another CA: renew it (`kubeadm certs renew apiserver`) and restart the kube-apiserver static Pod, or fix the kubeconfig's certificate-authority-data. A name it lacks is not added by a renewal, which keeps the SANs it finds: add the name to the ClusterConfiguration's apiServer.certSANs, move pki/apiserver.crt and apiserver.key away and run `kubeadm init phase certs apiserver --config <file>`, or point the kubeconfig at a name the certificate has.",
    cite: "Go crypto/x509 Certificate.Verify (ExtKeyUsageServerAuth, VerifyHostname), as client-go's transport uses it; kubeadm renewal/manager.go certToConfig (a renewal keeps the CN, O, SANs and extended key usages it finds; kubeadm docs, kubeadm certs renew: 'extra attributes such as SANs will be based on the existing file/certificates')",
  },
  "cluster.in-cluster-name-missing": {
    severity: "error",
    title: "The API server's certificate does not cover a name Pods use",
    advice:
      "Pods reach the API server as kubernetes.default.svc and the first service IP (KUBERNETES_SERVICE_HOST); without them in the certificate every in-cluster client fails with `x509: certificate is valid for ..., not ...`. Re-issue apiserver.crt with the missing SAN (delete it and run `kubeadm init phase certs apiserver`), then restart kube-apiserver.",
    cite: "kubeadm pkiutil GetAPIServerAltNames; client-go rest.InClusterConfig",
  },
  "cluster.client-refused": {
    severity: "error",
    title: "The API server will refuse a component's client certificate",
    advice:
      "kube-apiserver answers the component with 401 Unauthorized (its --client-ca-file does not verify the certificate for client authentication). Renew it: `kubeadm certs renew <kubeconfig>` for admin.conf, super-admin.conf, controller-manager.conf and scheduler.conf (then restart that static Pod); the kubelet rotates its own (check /var/lib/kubelet/pki).",
    cite: "k8s.io/apiserver pkg/authentication/request/x509 Authenticator.AuthenticateRequest (x509 Verify with ExtKeyUsageClientAuth)",
  },
  "cluster.identity-wrong": {
    severity: "error",
    title: "A component's client certificate does not carry the identity it needs",
    advice:
      "The API server accepts the certificate but authorizes a different user, so the component is refused with 403 Forbidden. `kubeadm certs renew` keeps the CN and O it finds, so write the file again with the identity kubeadm gives it: move it away and run `kubeadm init phase kubeconfig <admin, super-admin, controller-manager, scheduler or kubelet>` (kubelets: system:node:<node> in system:nodes), then restart that static Pod.",
    cite: "kubeadm docs, PKI certificates and requirements (Configure certificates for user accounts); k8s.io/apiserver x509 CommonNameUserConversion; kubeadm renewal/manager.go certToConfig (a renewal keeps the CN, O, SANs and extended key usages it finds; kubeadm docs, kubeadm certs renew: 'extra attributes such as SANs will be based on the existing file/certificates')",
  },
  "cluster.etcd-client-refused": {
    severity: "error",
    title: "etcd will refuse the API server's client certificate",
    advice:
      "kube-apiserver cannot reach etcd (`tls: bad certificate` in etcd's log, `context deadline exceeded` in the API server's) and the whole API goes down. Renew it with `kubeadm certs renew apiserver-etcd-client` (signed by the CA in etcd's --trusted-ca-file), then restart the kube-apiserver static Pod.",
    cite: "etcd client/pkg/transport listener.go (tls.RequireAndVerifyClientCert with --trusted-ca-file); Go crypto/tls verifyClientCertificate",
  },
  "cluster.etcd-server-untrusted": {
    severity: "error",
    title: "The API server will not trust etcd's serving certificate",
    advice:
      "kube-apiserver cannot reach etcd (`x509: certificate signed by unknown authority` or `... is valid for ..., not ...`). An expired certificate, or one from another CA: `kubeadm certs renew etcd-server` (signed by pki/etcd/ca.crt, which must be the CA in --etcd-cafile). A --etcd-servers host it lacks is not added by a renewal, which keeps the SANs it finds: add it to etcd.local.serverCertSANs, move pki/etcd/server.crt and server.key away and run `kubeadm init phase certs etcd-server --config <file>`. Then restart the etcd static Pod.",
    cite: "Go crypto/x509 Certificate.Verify as the etcd client (go.etcd.io/etcd/client/v3) calls it with ServerName from --etcd-servers; kubeadm renewal/manager.go certToConfig (a renewal keeps the CN, O, SANs and extended key usages it finds; kubeadm docs, kubeadm certs renew: 'extra attributes such as SANs will be based on the existing file/certificates')",
  },
  "cluster.etcd-peer-refused": {
    severity: "error",
    title: "etcd members will refuse each other's peer certificate",
    advice:
      "Members cannot join or keep quorum (`tls: bad certificate`). The peer certificate must verify against --peer-trusted-ca-file for both server and client authentication. Expired, or from another CA: `kubeadm certs renew etcd-peer`. Without serverAuth or clientAuth a renewal does not help (it keeps the usages it finds): move pki/etcd/peer.crt and peer.key away and run `kubeadm init phase certs etcd-peer`. Then restart the etcd static Pod.",
    cite: "kubeadm certlist.go KubeadmCertEtcdPeer (ExtKeyUsageServerAuth, ExtKeyUsageClientAuth); etcd embed/config.go peer TLS; kubeadm renewal/manager.go certToConfig (a renewal keeps the CN, O, SANs and extended key usages it finds; kubeadm docs, kubeadm certs renew: 'extra attributes such as SANs will be based on the existing file/certificates')",
  },
  "cluster.kubelet-serving-unverified": {
    severity: "info",
    title: "kube-apiserver does not verify the kubelets' serving certificates",
    advice:
      "Without --kubelet-certificate-authority the API server connects to kubelets (logs, exec, attach, port-forward) with TLS verification off, so any certificate is accepted and a host on the path can impersonate a kubelet. kubeadm leaves it unset, so this is a note, not a warning. To verify: let kubelets get serving certificates from the cluster CA (serverTLSBootstrap: true in the KubeletConfiguration, and approve their kubernetes.io/kubelet-serving CSRs), then set --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt.",
    cite: "k8s.io/kubernetes pkg/kubelet/client/kubelet_client.go transportConfig (`if c.EnableHttps && !cfg.HasCA() { cfg.TLS.Insecure = true }`); CIS Kubernetes Benchmark 1.2.5 (--kubelet-certificate-authority)",
  },
  "cluster.kubelet-serving-untrusted": {
    severity: "error",
    title: "kube-apiserver will not trust the kubelet's serving certificate",
    advice:
      "`kubectl logs`, `exec`, `attach` and `port-forward` to Pods on this node fail (`x509: certificate signed by unknown authority` or a name error). A kubelet's self-signed kubelet.crt never verifies against --kubelet-certificate-authority: enable serverTLSBootstrap: true and approve the kubelet-serving CSRs (certificates from the cluster CA for the node's names and addresses), or point tlsCertFile at a certificate from that CA.",
    cite: "k8s.io/kubernetes pkg/kubelet/client/kubelet_client.go (TLS CAFile = --kubelet-certificate-authority; GetConnectionInfo dials nodeutil.GetPreferredNodeAddress); Go crypto/tls verifyServerCertificate",
  },
  "cluster.kubelet-rotation-off": {
    severity: "warning",
    title: "The kubelet will not renew its client certificate",
    advice:
      "With rotateCertificates false (the KubeletConfiguration default; kubeadm sets true) the kubelet keeps its client certificate until it expires, then the API server refuses it and the node goes NotReady. Set rotateCertificates: true in /var/lib/kubelet/config.yaml, remove a --rotate-certificates=false from /var/lib/kubelet/kubeadm-flags.env (a flag beats the config file), and restart the kubelet.",
    cite: "k8s.io/kubelet config/v1beta1 KubeletConfiguration.rotateCertificates (default false); cmd/kubelet/app/server.go kubeletConfigFlagPrecedence (flags re-parsed over the config file); k8s.io/client-go util/certificate manager",
  },
  "cluster.front-proxy-refused": {
    severity: "error",
    title: "The aggregation layer's client certificate will be refused",
    advice:
      "Requests the API server proxies to extension API servers (metrics-server, `kubectl top`) fail with 401. Renew it with `kubeadm certs renew front-proxy-client` (signed by --requestheader-client-ca-file) and restart kube-apiserver.",
    cite: "k8s.io/apiserver pkg/authentication/request/headerrequest NewDynamicVerifyOptionsSecure",
  },
  "cluster.front-proxy-name-not-allowed": {
    severity: "error",
    title: "The front-proxy client's common name is not in --requestheader-allowed-names",
    advice:
      "Extension API servers refuse the proxied requests (`x509: subject with cn=... is not in the allowed list`), so `kubectl top` and aggregated APIs fail. Re-issue the certificate with CN front-proxy-client (a renewal keeps the CN it finds: move pki/front-proxy-client.crt and front-proxy-client.key away and run `kubeadm init phase certs front-proxy-client`, then restart kube-apiserver), or add its CN to --requestheader-allowed-names.",
    cite: "k8s.io/apiserver pkg/authentication/request/x509 NewVerifier / verifyOptions allowed names check; kubeadm renewal/manager.go certToConfig (a renewal keeps the CN, O, SANs and extended key usages it finds; kubeadm docs, kubeadm certs renew: 'extra attributes such as SANs will be based on the existing file/certificates')",
  },
  "cluster.front-proxy-ca-is-client-ca": {
    severity: "warning",
    title: "The request-header CA is also the client CA",
    advice:
      "Any client certificate the cluster CA signs can then set X-Remote-User headers and impersonate anyone through the aggregation layer. Use a separate CA for --requestheader-client-ca-file, as kubeadm does (front-proxy-ca).",
    cite: "Kubernetes docs, Configure the Aggregation Layer (CA reusage and conflicts)",
  },
  "cluster.sa-key-mismatch": {
    severity: "error",
    title: "The service-account signing key and the verifying key are not one pair",
    advice:
      "Every service-account token is refused with 401 (`invalid bearer token`), so controllers and Pods lose API access. Put the public half of the signing key in the file --service-account-key-file names (`openssl rsa -in sa.key -pubout -out sa.pub`) and restart kube-apiserver and kube-controller-manager.",
    cite: "k8s.io/kubernetes pkg/serviceaccount jwt.go (tokens are verified with --service-account-key-file keys)",
  },
  "cluster.signing-ca-untrusted": {
    severity: "error",
    title: "The controller-manager signs certificates the API server will not accept",
    advice:
      "Every kubelet client certificate it issues (TLS bootstrap, rotation) is refused with 401, so nodes drop out as their certificates rotate. Make --cluster-signing-cert-file a CA that --client-ca-file holds (kubeadm: both pki/ca.crt).",
    cite: "k8s.io/kubernetes pkg/controller/certificates/signer; k8s.io/apiserver x509 Authenticator",
  },
  "cluster.root-ca-differs": {
    severity: "error",
    title: "The CA given to Pods does not verify the API server",
    advice:
      "The controller-manager publishes --root-ca-file as the kube-root-ca.crt ConfigMap; in-cluster clients fail with `x509: certificate signed by unknown authority`. Point --root-ca-file at the CA that signs apiserver.crt (kubeadm: pki/ca.crt).",
    cite: "k8s.io/kubernetes pkg/controller/certificates/rootcacertpublisher",
  },
  "cluster.tls-secret-chain-order": {
    severity: "error",
    title: "A TLS Secret's tls.crt does not start with the leaf certificate",
    advice:
      "Go's tls.X509KeyPair serves the first certificate as the leaf, so clients see the CA as the server's certificate and the key does not match it. Put the leaf first in tls.crt, then its intermediates.",
    cite: "Go crypto/tls/tls.go X509KeyPair (the first CERTIFICATE block is the leaf)",
  },
  "cluster.tls-secret-key-mismatch": {
    severity: "error",
    title: "A TLS Secret's tls.key is not the key of its tls.crt",
    advice:
      "The server that mounts the Secret cannot start TLS (`tls: private key does not match public key`). Re-issue the Secret so tls.crt and tls.key are one pair (cert-manager: delete the Secret to have it re-issued).",
    cite: "Go crypto/tls/tls.go X509KeyPair",
  },
  "cluster.tls-secret-ca-mismatch": {
    severity: "error",
    title: "A TLS Secret's ca.crt does not verify its tls.crt",
    advice:
      "Clients that trust the Secret's ca.crt (webhook caBundles injected from it, mTLS peers) refuse the certificate. Re-issue tls.crt from the CA in ca.crt, or update ca.crt to the CA that signed it.",
    cite: "Go crypto/x509 Certificate.Verify (ExtKeyUsageServerAuth)",
  },
  "cluster.webhook-cabundle-untrusted": {
    severity: "error",
    title: "A webhook's caBundle does not verify its Service's serving certificate",
    advice:
      "Every admission call to the webhook fails with `x509: certificate signed by unknown authority` (or a name or expiry error), and with failurePolicy Fail the matching requests are refused. Put the CA that signs the serving certificate into clientConfig.caBundle (cert-manager's cainjector does this from the Certificate named in cert-manager.io/inject-ca-from).",
    cite: "k8s.io/apiserver pkg/util/webhook/authentication.go and client.go (rest TLS config with CAData = caBundle, ServerName = <service>.<namespace>.svc); Go crypto/tls verifyServerCertificate",
  },
  "cluster.webhook-serving-unknown": {
    severity: "warning",
    title: "A webhook's serving certificate is not in the input",
    advice:
      "The edge is undecided: no kubernetes.io/tls Secret in the input has the SAN <service>.<namespace>.svc or the cert-manager pairing, the webhook has no caBundle, or it is served at a URL. Include the serving Secret (`kubectl get secret -n <namespace> -o yaml`) to decide it.",
    cite: "k8s.io/apiserver pkg/util/webhook/client.go (service webhooks are called at <service>.<namespace>.svc)",
  },
  "cluster.apiservice-cabundle-untrusted": {
    severity: "error",
    title: "An APIService's caBundle does not verify its Service's serving certificate",
    advice:
      "The aggregator cannot reach the extension API server: the APIService turns Available=False (FailedDiscoveryCheck), requests for its group fail with 503, and discovery errors break `kubectl api-resources` and namespace deletion. Put the CA that signs the serving certificate into spec.caBundle (cert-manager's cainjector does this from the Certificate named in cert-manager.io/inject-ca-from).",
    cite: "k8s.io/kube-aggregator pkg/apiserver/handler_proxy.go proxyHandler.updateAPIService (TLS CAData = spec.caBundle, ServerName = <service>.<namespace>.svc); Go crypto/tls verifyServerCertificate",
  },
  "cluster.apiservice-insecure": {
    severity: "warning",
    title: "An APIService skips TLS verification",
    advice:
      "With spec.insecureSkipTLSVerify: true the aggregator accepts any certificate from the Service, so whoever answers for it receives the API server's proxied requests (with the front proxy's client certificate and the user's identity headers). Set spec.caBundle to the CA of the serving certificate and remove insecureSkipTLSVerify.",
    cite: "k8s.io/kube-aggregator pkg/apiserver/handler_proxy.go proxyHandler.updateAPIService (TLS Insecure = spec.insecureSkipTLSVerify)",
  },
  "cluster.apiservice-serving-unknown": {
    severity: "warning",
    title: "An APIService's serving certificate is not in the input",
    advice:
      "The edge is undecided: no kubernetes.io/tls Secret in the input has the SAN <service>.<namespace>.svc or the cert-manager pairing, or the APIService has no caBundle (the aggregator then uses its system roots). Include the serving Secret (`kubectl get secret -n <namespace> -o yaml`) to decide it.",
    cite: "k8s.io/kube-aggregator pkg/apiserver/handler_proxy.go proxyHandler.updateAPIService (ServerName = <service>.<namespace>.svc)",
  },
  "cluster.root-ca-configmap-differs": {
    severity: "error",
    title: "A namespace's kube-root-ca.crt is not the cluster CA given, or not the bundle the other namespaces carry",
    advice:
      "Pods in that namespace verify the API server with the CA in their kube-root-ca.crt (mounted into every service-account volume); a stale one fails with `x509: certificate signed by unknown authority`. kube-controller-manager's root-ca-cert-publisher writes the ConfigMap from --root-ca-file: delete the stale ConfigMap to have it written again, and check that the controller-manager runs with the cluster CA.",
    cite: "k8s.io/kubernetes pkg/controller/certificates/rootcacertpublisher publisher.go (ConfigMap kube-root-ca.crt, data ca.crt, in every namespace)",
  },
  "cluster.edge-expiring": {
    severity: "warning",
    title: "A trust edge breaks soon",
    advice:
      "On that date the verifying component starts refusing the certificate. Run the renewal the plan names before then (`kubeadm certs renew <name>`, then restart the static Pod).",
    cite: "kubeadm docs, Certificate Management with kubeadm (certificate renewal)",
  },
});
