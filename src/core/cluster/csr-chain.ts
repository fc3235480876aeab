// Issued CertificateSigningRequests against the cluster CA the user gave (--root-ca, the API's
// rootCA: kube-controller-manager's --root-ca-file). The kubernetes.io/* signers are
// kube-controller-manager's csrsigning controller, signing with --cluster-signing-cert-file; kubeadm
// sets that flag and --root-ca-file to the same file, pki/ca.crt (cmd/kubeadm/app/phases/
// controlplane/manifests.go getControllerManagerCommand: "root-ca-file": caFile,
// "cluster-signing-cert-file": caFile). So the check assumes kubeadm's layout and says so. Each
// certificate is verified as Go's crypto/x509 would at the time it is valid (expiry is
// cluster.csr-certificate-not-valid's question), for the purpose its signer issues it for.
import type { Purpose } from "../verify/types.ts";
import type { ClusterContext } from "./context.ts";
import type { CsrObject } from "./csr-read.ts";
import type { Finding } from "../findings/index.ts";
import { goVerify, why } from "./edge.ts";

/** kube-controller-manager's signers (pkg/controller/certificates/signer) and the purpose each certificate serves. */
const CONTROLLER_SIGNERS: Record<string, (usages: string[]) => Purpose> = {
  "kubernetes.io/kube-apiserver-client": () => "client",
  "kubernetes.io/kube-apiserver-client-kubelet": () => "client",
  "kubernetes.io/kubelet-serving": () => "server",
  // certificates.k8s.io/v1beta1's default signer: whatever usages were requested.
  "kubernetes.io/legacy-unknown": (u) => (u.includes("client auth") ? "client" : u.includes("server auth") ? "server" : "any"),
};

/** What csr.ts reported of a request (its CsrJson, the fields this check reads and adds to). */
interface Judged {
  certificate: string | null;
  certificateValidNow: boolean | null;
  findings: Finding[];
}

/** Each issued certificate of a controller-manager signer verified against the cluster CA in `rootCaFile`. */
export async function verifyIssuedCsrs(ctx: ClusterContext, csrs: CsrObject[], out: Judged[], rootCaFile: string): Promise<void> {
  const anchors = await ctx.material.certs(rootCaFile, "the cluster CA given (--root-ca)");
  if (!Array.isArray(anchors)) return; // the Material said why
  let checked = 0;
  for (const [i, c] of csrs.entries()) {
    const json = out[i]!;
    const purpose = CONTROLLER_SIGNERS[c.signerName ?? "kubernetes.io/legacy-unknown"];
    if (!purpose || !c.certificate || !json.certificate) continue;
    const certs = await ctx.material.certs(c.certificate, `CertificateSigningRequest ${c.name} status.certificate`);
    if (!Array.isArray(certs)) continue;
    const leaf = certs[0]!;
    checked++;
    const at = json.certificateValidNow ? ctx.at : leaf.notBefore;
    const check = await goVerify(certs, anchors, purpose(c.usages), at, ctx.verifier);
    if (check.result.valid) continue;
    json.findings.push(
      ctx.findings.add(
        "cluster.csr-certificate-untrusted",
        `CertificateSigningRequest ${c.name}: status.certificate (${c.signerName ?? "kubernetes.io/legacy-unknown"}) does not verify against the cluster CA given: ${why(check)}`,
        { path: `csrs/${c.name}`, certificate: leaf.id },
      ),
    );
  }
  if (checked)
    ctx.assumptions.push(
      `issued certificates of kube-controller-manager's signers (kubernetes.io/*) were verified against the cluster CA given (--root-ca), assuming it is also --cluster-signing-cert-file, as kubeadm sets both to pki/ca.crt; other signers' certificates were not verified`,
    );
}
