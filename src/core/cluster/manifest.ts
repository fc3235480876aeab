// A static Pod manifest's flags: the first container's command and args, `--name=value` (as
// kubeadm writes them) or `--name value`. The flags are the truth about which file a component uses.
import { InputProblem } from "../errors.ts";
import { parseYaml } from "../input/yaml.ts";

export type Flags = Map<string, string>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The flags of a static Pod, or a reason it cannot be read. */
export function readStaticPodFlags(text: string): { flags: Flags } | { problem: string } {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    if (e instanceof InputProblem) return { problem: e.message.replace("the kubeconfig", "the manifest") };
    throw e;
  }
  const containers = isObj(doc) && isObj(doc.spec) ? doc.spec.containers : undefined;
  const first = Array.isArray(containers) ? containers[0] : undefined;
  if (!isObj(first)) return { problem: "it has no spec.containers[0]" };
  const words = [...(Array.isArray(first.command) ? first.command : []), ...(Array.isArray(first.args) ? first.args : [])].filter(
    (w): w is string => typeof w === "string",
  );
  const flags: Flags = new Map();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith("--")) continue;
    const eq = w.indexOf("=");
    if (eq > 0) flags.set(w.slice(2, eq), w.slice(eq + 1));
    else if (i + 1 < words.length && !words[i + 1]!.startsWith("--")) flags.set(w.slice(2), words[++i]!);
    else flags.set(w.slice(2), "true");
  }
  return { flags };
}
