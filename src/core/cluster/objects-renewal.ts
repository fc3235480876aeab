// What renews the certificates Kubernetes objects carry (issue 12), one line per edge:
// - a Secret cert-manager manages (annotation cert-manager.io/certificate-name): `cmctl renew -n
//   <namespace> <certificate>` (cert-manager docs, "cmctl renew": marks a Certificate for manual
//   renewal); any other Secret is replaced by hand and what mounts it restarted;
// - a caBundle that no longer verifies is updated to the CA that signs the serving certificate,
//   by cert-manager's cainjector when the object carries cert-manager.io/inject-ca-from;
// - a stale kube-root-ca.crt is written again by kube-controller-manager's root-ca-cert-publisher.
import type { Renewal } from "./renewal.ts";
import type { TlsSecret } from "./objects-read.ts";

export function secretRenewal(s: TlsSecret): Renewal {
  if (s.certificateName)
    return {
      command: `cmctl renew -n ${s.namespace} ${s.certificateName} (cert-manager re-issues Secret ${s.namespace}/${s.name})`,
      restart: `the Pods that mount Secret ${s.namespace}/${s.name}, unless they reload it`,
    };
  return {
    command: `replace Secret ${s.namespace}/${s.name} with a renewed certificate and key (kubectl create secret tls ${s.name} -n ${s.namespace} --cert=... --key=... --dry-run=client -o yaml | kubectl apply -f -)`,
    restart: `the Pods that mount Secret ${s.namespace}/${s.name}`,
  };
}

/** The caBundle of `who` must hold the CA that signs the serving Secret. */
export function caBundleRenewal(who: string, field: string, injectFrom: string | null, serving: TlsSecret): Renewal {
  if (injectFrom)
    return {
      command: `cert-manager's cainjector writes ${who}'s ${field} from Certificate ${injectFrom} (cert-manager.io/inject-ca-from): check that cainjector runs and that the Certificate issues Secret ${serving.namespace}/${serving.name}`,
      restart: null,
    };
  return {
    command: `update ${who}'s ${field} to the CA that signs Secret ${serving.namespace}/${serving.name} (kubectl patch)`,
    restart: null,
  };
}

/** The CA in a Secret's ca.crt or a caBundle expires: renew it, then everything it signed and every bundle holding it. */
export function caRenewal(where: string): Renewal {
  return {
    command: `renew the CA in ${where}, then re-issue what it signed and update every caBundle that holds it`,
    restart: null,
  };
}

export function rootCaRenewal(namespace: string): Renewal {
  return {
    command: `kubectl delete configmap -n ${namespace} kube-root-ca.crt (kube-controller-manager's root-ca-cert-publisher writes it again from --root-ca-file)`,
    restart: `the Pods of namespace ${namespace} that read ca.crt at start`,
  };
}
