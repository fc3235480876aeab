// What each Kubernetes signer requires of a CertificateSigningRequest, as data. The rules are
// those kube-controller-manager's signers apply before signing (a request that breaks them is
// marked Failed with reason SignerValidationFailure and never issued):
// - kubernetes/pkg/controller/certificates/signer/signer.go getCSRVerificationFuncForSignerName:
//   isKubeletServing, isKubeletClient, isKubeAPIServerClient (validAPIServerClientUsages), isLegacyUnknown;
// - kubernetes/pkg/apis/certificates/helpers.go ValidateKubeletClientCSR and ValidateKubeletServingCSR
//   (kubeletClientRequiredUsages[NoRSA], kubeletServingRequiredUsages[NoRSA]).
// `selfIdentity`: the CSR approver auto-approves a kubelet client request only when the subject's
// CN equals spec.username (pkg/controller/certificates/approver/sarapprove.go isSelfNodeClientCert),
// or when the requester is bootstrapping (isNodeClientCert under the nodeclient permission).

export type SanRule = "forbidden" | "allowed";

export interface SignerRules {
  /** Who signs requests for this signer in a kubeadm cluster. */
  signedBy: string;
  /** The subject's organizations must be exactly this list (reflect.DeepEqual in Go). */
  organization: string[] | null;
  /** The subject's common name must start with this. */
  commonNamePrefix: string | null;
  sans: { dns: SanRule; ip: SanRule; email: SanRule; uri: SanRule };
  /** At least one DNS or IP SAN. */
  dnsOrIpRequired: boolean;
  /** spec.usages must equal one of these sets (order and duplicates ignored, as sets.String.Equal). */
  usageSets: string[][] | null;
  /** spec.usages must include `required` and hold nothing outside required ∪ optional. */
  usageRange: { required: string[]; optional: string[] } | null;
  /** A requester other than a bootstrap token must ask for its own name (CN = spec.username). */
  selfIdentity: boolean;
  /**
   * The certificate authenticates to kube-apiserver as user CN in groups O (k8s.io/apiserver
   * pkg/authentication/request/x509 CommonNameUserConversion): a request for oneself (CN =
   * spec.username) must not ask for groups the requester is not in (spec.groups).
   */
  clientIdentity: boolean;
  cite: string;
}

const NODE_SANS_CLIENT = { dns: "forbidden", ip: "forbidden", email: "forbidden", uri: "forbidden" } as const;
const NODE_SANS_SERVING = { dns: "allowed", ip: "allowed", email: "forbidden", uri: "forbidden" } as const;
const ANY_SANS = { dns: "allowed", ip: "allowed", email: "allowed", uri: "allowed" } as const;

export const SIGNERS: Record<string, SignerRules> = {
  "kubernetes.io/kube-apiserver-client-kubelet": {
    signedBy: "kube-controller-manager (--cluster-signing-cert-file)",
    organization: ["system:nodes"],
    commonNamePrefix: "system:node:",
    sans: NODE_SANS_CLIENT,
    dnsOrIpRequired: false,
    usageSets: [
      ["digital signature", "key encipherment", "client auth"],
      ["digital signature", "client auth"],
    ],
    usageRange: null,
    selfIdentity: true,
    clientIdentity: true,
    cite: "kubernetes pkg/apis/certificates/helpers.go ValidateKubeletClientCSR; pkg/controller/certificates/approver/sarapprove.go isSelfNodeClientCert",
  },
  "kubernetes.io/kubelet-serving": {
    signedBy: "kube-controller-manager (--cluster-signing-cert-file)",
    organization: ["system:nodes"],
    commonNamePrefix: "system:node:",
    sans: NODE_SANS_SERVING,
    dnsOrIpRequired: true,
    usageSets: [
      ["digital signature", "key encipherment", "server auth"],
      ["digital signature", "server auth"],
    ],
    usageRange: null,
    selfIdentity: true,
    clientIdentity: false,
    cite: "kubernetes pkg/apis/certificates/helpers.go ValidateKubeletServingCSR",
  },
  "kubernetes.io/kube-apiserver-client": {
    signedBy: "kube-controller-manager (--cluster-signing-cert-file)",
    organization: null,
    commonNamePrefix: null,
    sans: ANY_SANS,
    dnsOrIpRequired: false,
    usageSets: null,
    usageRange: { required: ["client auth"], optional: ["digital signature", "key encipherment"] },
    selfIdentity: false,
    clientIdentity: true,
    cite: "kubernetes pkg/controller/certificates/signer/signer.go validAPIServerClientUsages",
  },
};

/** Signers whose requests kube-controller-manager signs without any rule (signer.go isLegacyUnknown). */
export const UNRESTRICTED_SIGNERS = new Set(["kubernetes.io/legacy-unknown"]);

export interface RequestedIdentity {
  commonName: string | null;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emails: string[];
  uris: string[];
}

const sameSet = (a: string[], b: string[]) => new Set(a).size === new Set(b).size && a.every((x) => b.includes(x));

/** Every rule of the signer the request breaks, in Kubernetes' words where it has them. */
export function signerViolations(rules: SignerRules, id: RequestedIdentity, usages: string[]): string[] {
  const out: string[] = [];
  if (
    rules.organization &&
    !(id.organizations.length === rules.organization.length && rules.organization.every((o, i) => id.organizations[i] === o))
  )
    out.push(`subject organization is not ${rules.organization.join(", ")}`);
  const sans = [
    ["dns", "DNS", id.dnsNames],
    ["ip", "IP", id.ipAddresses],
    ["email", "Email", id.emails],
    ["uri", "URI", id.uris],
  ] as const;
  for (const [key, word, values] of sans)
    if (rules.sans[key] === "forbidden" && values.length) out.push(`${word} subjectAltNames are not allowed`);
  if (rules.dnsOrIpRequired && !id.dnsNames.length && !id.ipAddresses.length) out.push("DNS or IP subjectAltName is required");
  if (rules.commonNamePrefix && !(id.commonName ?? "").startsWith(rules.commonNamePrefix))
    out.push(`subject common name does not begin with ${rules.commonNamePrefix}`);
  if (rules.usageSets && !rules.usageSets.some((s) => sameSet(s, usages)))
    out.push(`usages did not match ${rules.usageSets.map((s) => `[${[...s].sort().join(" ")}]`).join(" or ")}`);
  if (rules.usageRange) {
    const allowed = [...rules.usageRange.required, ...rules.usageRange.optional];
    for (const u of usages) if (!allowed.includes(u)) out.push(`invalid usage for client certificate: ${u}`);
    for (const u of rules.usageRange.required) if (!usages.includes(u)) out.push(`missing required usage for client certificate: ${u}`);
  }
  return out;
}
