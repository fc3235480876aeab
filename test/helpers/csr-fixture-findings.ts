// What each request of the CSR fixture (test/fixtures/k8s-objects/csr, made by make-csr.sh) must be
// reported for, from the Kubernetes source cited beside each; judged in Node
// (test/core/cluster-csr.test.ts) and inside workerd (test/http/csr-workerd.test.ts).
export const CSR_FIXTURE_FINDINGS: Record<string, string[]> = {
  // helpers.go ValidateKubeletClientCSR: O=[system:nodes], no SANs, CN system:node:, usages
  // {digital signature, client auth} = kubeletClientRequiredUsagesNoRSA; sarapprove.go
  // isSelfNodeClientCert: CN == spec.username.
  "node-csr-kubelet-client": [],
  // helpers.go ValidateKubeletServingCSR: a DNS or IP SAN, usages = kubeletServingRequiredUsagesNoRSA.
  "csr-kubelet-serving": [],
  "csr-tampered": ["cluster.csr-signature-invalid"],
  // subjectrestriction/admission.go Validate: system:masters in Subject.Organization; and
  // x509 CommonNameUserConversion (user CN, groups O): mallory, in system:authenticated only,
  // asks for her own name in system:masters.
  "csr-system-masters": ["cluster.csr-system-masters", "cluster.csr-identity-mismatch"],
  // sarapprove.go isSelfNodeClientCert: spec.username system:node:node-1 != CN system:node:node-2.
  "csr-cn-mismatch": ["cluster.csr-identity-mismatch"],
  // helpers.go ValidateKubeletClientCSR: dnsSANNotAllowedErr.
  "csr-client-dns-san": ["cluster.csr-signer-rules"],
  "csr-other-key": ["cluster.csr-certificate-key-mismatch"],
  // signer.go getCSRVerificationFuncForSignerName: no kube-controller-manager signer for example.com/signer.
  "csr-custom-signer": ["cluster.csr-signer-unjudged"],
};
