// `curl -d @file` (--data, --data-ascii) sends the file with every CR and LF removed (curl(1),
// --data: "carriage returns and newlines will be stripped out"); a kubeconfig so flattened is no
// longer YAML. This recognises such a body after it failed to parse, so the answer says what
// happened and what to type instead, rather than a YAML error at line 1.
import { InputProblem } from "../core/errors.ts";

/** Top-level kubeconfig keys (client-go's clientcmd/api/v1 Config). */
const KUBECONFIG_KEYS = ["apiVersion", "kind", "clusters", "contexts", "users", "current-context", "preferences"];

/** True for a body with no line break that still carries two or more kubeconfig top-level keys. */
export function looksLikeFlattenedKubeconfig(text: string): boolean {
  if (/[\r\n]/.test(text)) return false;
  // The keys end up glued to the value before them ("apiVersion: v1clusters:- cluster:").
  const found = KUBECONFIG_KEYS.filter((k) => new RegExp(`${k}:(\\s|-|$)`).test(text));
  return found.length >= 2;
}

/**
 * The problem to answer instead of `err` when the body failed to parse because its line breaks
 * were stripped; null when that is not what happened (the original error stands).
 */
export function lineBreaksStripped(err: unknown, document: string | Uint8Array | undefined): InputProblem | null {
  if (!(err instanceof InputProblem) || document === undefined) return null;
  if (!["input.yaml-syntax", "input.unrecognized", "input.not-kubeconfig"].includes(err.code)) return null;
  const text = typeof document === "string" ? document : new TextDecoder().decode(document);
  if (!looksLikeFlattenedKubeconfig(text)) return null;
  return new InputProblem(
    "input.line-breaks-stripped",
    400,
    "the body looks like a kubeconfig whose line breaks were removed, as `curl -d @file` does; send the file unchanged with `curl --data-binary @file` (or `-F kubeconfig=@file`)",
  );
}
