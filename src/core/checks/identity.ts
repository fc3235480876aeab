// What kube-apiserver's x509 authenticator makes of a client certificate: user = CN,
// groups = O values (k8s.io/apiserver/pkg/authentication/request/x509 CommonNameUserConversion).
import type { Findings } from "../findings/index.ts";
import { commonNames, organizations, type Cert } from "../x509/cert.ts";

export interface Identity {
  user: string | null;
  groups: string[];
}

export function identityOf(cert: Cert): Identity {
  const cns = commonNames(cert);
  // Go's pkix.Name keeps the last CN it reads; kube-apiserver uses Subject.CommonName.
  return { user: cns.length ? cns[cns.length - 1]! : null, groups: organizations(cert) };
}

export function checkIdentity(cert: Cert, findings: Findings, where: { context?: string; path: string }): Identity {
  const id = identityOf(cert);
  const at = { certificate: cert.id, ...where };
  if (!id.user) findings.add("identity.empty-user", `The client certificate "${cert.subject}" has no CN.`, at);
  if (commonNames(cert).length > 1)
    findings.add(
      "identity.multiple-cn",
      `The client certificate has ${commonNames(cert).length} CNs; the API server will use "${id.user}".`,
      at,
    );
  if (id.groups.includes("system:masters")) findings.add("identity.system-masters", `User "${id.user}" is in system:masters.`, at);
  if (id.user?.startsWith("system:node:")) {
    if (id.groups.includes("system:nodes")) findings.add("identity.node", `User "${id.user}" is a node identity.`, at);
    else findings.add("identity.node-group-missing", `User "${id.user}" has groups [${id.groups.join(", ")}].`, at);
  }
  return id;
}
