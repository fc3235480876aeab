// The identity each component kubeconfig must carry for the API server to authorize it (kubeadm
// docs "PKI certificates and requirements", Configure certificates for user accounts; the API
// server reads CN as the user and O as the groups: k8s.io/apiserver x509 CommonNameUserConversion).
import { commonNames, organizations, type Cert } from "../x509/cert.ts";

export interface Requirement {
  file: string;
  component: string;
  /** In words, for the report. */
  wants: string;
  ok(cn: string, orgs: string[]): boolean;
  /** Why the identity cannot be judged (the edge is then unknown, never holds). */
  undecided?: string;
}

export const KUBECONFIG_IDENTITIES: Requirement[] = [
  // kubeadm >= 1.29 puts admin.conf in kubeadm:cluster-admins; earlier releases used system:masters.
  {
    file: "admin.conf",
    component: "kubectl (admin.conf)",
    wants: "O=kubeadm:cluster-admins (or system:masters before kubeadm 1.29)",
    ok: (_, o) => o.includes("kubeadm:cluster-admins") || o.includes("system:masters"),
  },
  {
    file: "super-admin.conf",
    component: "kubectl (super-admin.conf)",
    wants: "O=system:masters",
    ok: (_, o) => o.includes("system:masters"),
  },
  {
    file: "controller-manager.conf",
    component: "kube-controller-manager",
    wants: "CN=system:kube-controller-manager",
    ok: (cn) => cn === "system:kube-controller-manager",
  },
  { file: "scheduler.conf", component: "kube-scheduler", wants: "CN=system:kube-scheduler", ok: (cn) => cn === "system:kube-scheduler" },
  {
    file: "kubelet.conf",
    component: "kubelet",
    wants: "CN=system:node:<node name>, O=system:nodes",
    ok: (cn, o) => cn.startsWith("system:node:") && cn.length > 12 && o.includes("system:nodes"),
  },
];

/** The user and groups the API server derives from a client certificate. */
export function identityOf(cert: Cert): { cn: string; orgs: string[] } {
  return { cn: commonNames(cert)[0] ?? "", orgs: organizations(cert) };
}
