// Kubernetes objects whose YAML does not parse: the request was meant as objects (a List or an
// object kind kubectl prints, at the top level, and no kubeconfig's `kind: Config`), so the
// problem names them, not the kubeconfig the text would otherwise be read as.
import { LineCounter, parseAllDocuments } from "yaml";
import { InputProblem } from "../errors.ts";
import { PLAIN } from "../input/yaml.ts";

const KINDS = "List|Secret|ValidatingWebhookConfiguration|MutatingWebhookConfiguration|APIService|ConfigMap|CertificateSigningRequest";
const TOP_KIND = new RegExp(`^kind:\\s*["']?(${KINDS})["']?\\s*$|^\\{?\\s*"kind"\\s*:\\s*"(${KINDS})"`, "m");

/** The 400 for text that names Kubernetes objects at its top level but is not valid YAML; null otherwise. */
export function objectsYamlProblem(text: string): InputProblem | null {
  // Both of TOP_KIND's alternatives hold "kind": a text without it (a PEM bundle) is not searched.
  if (!text.includes("kind") || !TOP_KIND.test(text) || /^kind:\s*["']?Config["']?\s*$/m.test(text)) return null;
  const lineCounter = new LineCounter();
  for (const d of parseAllDocuments(text, { lineCounter, prettyErrors: false, logLevel: "error" })) {
    const err = "errors" in d ? d.errors[0] : undefined;
    if (!err) continue;
    const pos = lineCounter.linePos(err.pos[0]);
    const what = PLAIN[err.code] ?? `YAML error ${err.code}`;
    return new InputProblem(
      "input.yaml-syntax",
      400,
      `the Kubernetes objects are not valid YAML: ${what} at line ${pos.line}, column ${pos.col}`,
      { line: pos.line, column: pos.col },
    );
  }
  return null;
}
