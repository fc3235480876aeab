// Kubernetes objects posted to /v1/audit (`kubectl get secrets,configmaps,...,apiservices -A -o
// yaml` or `-o json`, a List or a YAML stream): recognised here, audited by the same core
// function as `certaudit FILE` (core/cluster/audit-objects.ts). Only a request whose one input is
// the document is read this way; anything else stays with the kubeconfig/PEM audit.
import type { AuditInput } from "../core/audit.ts";
import { looksLikeObjects, objectsYamlProblem } from "../core/cluster/index.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The document's text when the request is Kubernetes objects; else null. */
export function objectsDocument(input: AuditInput): string | null {
  const keys = Object.keys(input).filter((k) => input[k as keyof AuditInput] !== undefined);
  if (keys.length !== 1 || keys[0] !== "document") return null;
  const doc = input.document;
  let text: string;
  if (typeof doc === "string") text = doc;
  else if (doc instanceof Uint8Array) {
    try {
      text = decoder.decode(doc);
    } catch {
      return null; // not UTF-8: DER, PKCS#12, ... for the document audit
    }
  } else return null;
  if (looksLikeObjects(text)) return text;
  // Objects whose YAML is broken: say so, rather than that the kubeconfig it falls to is not valid YAML.
  const problem = objectsYamlProblem(text);
  if (problem) throw problem;
  return null;
}
