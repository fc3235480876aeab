// A broken edge's line in the renewal plan: due now, with the repair its finding names. The plan
// is otherwise about expiry ("before <notAfter>: kubeadm certs renew ..."), which would tell the
// reader to wait for an edge that fails already, and a renewal does not always repair it (it keeps
// the CN, SANs and usages it finds: the findings say when another command is needed).
import type { Finding } from "../findings/index.ts";
import type { Renewal } from "./renewal.ts";

/** A sentence that tells what to do: a command in backticks, or a verb of repair. */
const ADVICE =
  /`(?:kubeadm|kubectl|cmctl) |\b(?:[Rr]enew|[Rr]e-issue|[Mm]ove|[Rr]estart|[Rr]eplace|[Uu]pdate|[Rr]egenerate|[Dd]elete|[Aa]dd|[Ss]et|[Pp]oint)\b/;

/** The sentences of a finding's message that name its repair; the whole message when none does. */
export function repairIn(message: string): string {
  const sentences = message.split(/(?<=\.)\s+(?=[A-Z`(])/);
  // The first sentence says what fails; the advice follows it.
  const advice = sentences.slice(1).filter((s) => ADVICE.test(s));
  return advice.length ? advice.join(" ") : message;
}

/** The plan line of a broken edge (dated the validation time: "now"): its error findings' repairs, which say what to restart. */
export function repairNow(findings: Finding[]): Renewal | null {
  const repairs = [...new Set(findings.filter((f) => f.severity === "error").map((f) => repairIn(f.message)))];
  return repairs.length ? { command: repairs.join(" "), restart: null } : null;
}
