import { family } from "./types.ts";

/**
 * Findings about CertificateSigningRequests (certificates.k8s.io/v1) in Kubernetes objects: part
 * of the cluster family (kept in its own file so the CSR checks stay in one place).
 */
export const CLUSTER_CSR = family("cluster", {
  "cluster.csr-unreadable": {
    severity: "error",
    title: "A CertificateSigningRequest's request or issued certificate cannot be read",
    advice:
      "spec.request must be base64 of one PEM CERTIFICATE REQUEST that Go's x509.ParseCertificateRequest reads; the API server refuses to create such an object and no signer can issue it. Create the request again (`openssl req -new`, or let the kubelet rotate), or look at what wrote status.certificate.",
    cite: "kubernetes pkg/apis/certificates/helpers.go ParseCSR; pkg/apis/certificates/validation/validation.go validateCSR",
  },
  "cluster.csr-signature-invalid": {
    severity: "error",
    title: "A CertificateSigningRequest's signature does not verify with its own public key",
    advice:
      "The request was altered after it was signed, or was never signed with the key it names: whoever approves it does not know who holds the key. The API server refuses to create such a request, so this object was changed or restored from elsewhere. Deny it (`kubectl certificate deny <name>`) and request again.",
    cite: "Go crypto/x509 CertificateRequest.CheckSignature, as kubernetes pkg/apis/certificates/validation/validation.go validateCSR calls it",
  },
  "cluster.csr-signer-rules": {
    severity: "warning",
    title: "A CertificateSigningRequest breaks the rules of its signer",
    advice:
      "kube-controller-manager marks it Failed (reason SignerValidationFailure) once approved and never issues it; a kubelet whose renewal request fails keeps its old certificate until it expires. Request again with the subject, SANs and usages the signer requires.",
    cite: "kubernetes pkg/controller/certificates/signer/signer.go handle and getCSRVerificationFuncForSignerName; pkg/apis/certificates/helpers.go ValidateKubeletClientCSR, ValidateKubeletServingCSR",
  },
  "cluster.csr-identity-mismatch": {
    severity: "warning",
    title: "A CertificateSigningRequest asks for another identity than its requester's",
    advice:
      "A node asks for another node's name (the subject's CN is not spec.username), or a requester asks for its own name with groups (O) it is not in. The CSR approver does not auto-approve the first (it is no self-renewal); whoever approves either by hand gives the requester that identity. Deny it unless you know why (`kubectl certificate deny <name>`).",
    cite: "kubernetes pkg/controller/certificates/approver/sarapprove.go isSelfNodeClientCert (spec.username == CN); k8s.io/apiserver pkg/authentication/request/x509 CommonNameUserConversion (user = CN, groups = O)",
  },
  "cluster.csr-system-masters": {
    severity: "error",
    title: "A CertificateSigningRequest asks for the system:masters group",
    advice:
      "O=system:masters in a client certificate is cluster-admin that bypasses authorization (RBAC) and cannot be revoked short of rotating the cluster CA. Deny it (`kubectl certificate deny <name>`); give admins a group bound by RBAC (kubeadm uses kubeadm:cluster-admins). The CertificateSubjectRestriction admission plugin refuses such requests for kubernetes.io/kube-apiserver-client.",
    cite: "kubernetes plugin/pkg/admission/certificates/subjectrestriction/admission.go Validate; k8s.io/apiserver pkg/authorization/authorizerfactory privileged groups (system:masters)",
  },
  "cluster.csr-certificate-key-mismatch": {
    severity: "error",
    title: "A CertificateSigningRequest's issued certificate carries another public key than the request",
    advice:
      "The requester cannot use status.certificate with its private key (`tls: private key does not match public key`), and whoever holds the certificate's key got an identity nobody requested with it. Find what wrote status.certificate; deny and delete the request and issue again.",
    cite: "Go crypto/tls X509KeyPair (the requester pairs status.certificate with the key it signed the request with); k8s.io/client-go util/certificate csr.WaitForCertificate",
  },
  "cluster.csr-certificate-untrusted": {
    severity: "error",
    title: "A CertificateSigningRequest's issued certificate does not verify against the cluster CA",
    advice:
      "kube-controller-manager signs the kubernetes.io/* signers' certificates with --cluster-signing-cert-file, which kubeadm sets to the cluster CA (pki/ca.crt, also --root-ca-file and kube-apiserver's --client-ca-file). A certificate that does not verify against it is refused: as a client certificate by kube-apiserver (`x509: certificate signed by unknown authority`), as a kubelet's serving certificate by --kubelet-certificate-authority. Either the signing CA is not the cluster CA (check the controller-manager's flags) or the certificate was not issued by it: deny and delete the request and let the requester ask again.",
    cite: "cmd/kubeadm/app/phases/controlplane/manifests.go getControllerManagerCommand (cluster-signing-cert-file and root-ca-file: the same ca.crt); Go crypto/x509 Certificate.Verify",
  },
  "cluster.csr-certificate-not-valid": {
    severity: "warning",
    title: "A CertificateSigningRequest's issued certificate is expired or not yet valid",
    advice:
      "A client that installs it is refused (`x509: certificate has expired or is not yet valid`). kube-controller-manager's CSR cleaner deletes issued requests after an hour, so an old one is left over or was restored: request a new certificate.",
    cite: "Go crypto/x509 Certificate.Verify (validity period); kubernetes pkg/controller/certificates/cleaner/cleaner.go",
  },
  "cluster.csr-signer-unjudged": {
    severity: "info",
    title: "A CertificateSigningRequest's signer has no rules certaudit checks",
    advice:
      "Its subject and usages were not judged against a signer: kubernetes.io/legacy-unknown has no rules in kube-controller-manager, and a signer outside kubernetes.io/ applies whatever its own controller does. Its signature, the system:masters check and status.certificate were still checked.",
    cite: "kubernetes pkg/controller/certificates/signer/signer.go isLegacyUnknown; Kubernetes docs, Certificates and Certificate Signing Requests (Custom signers)",
  },
});
