// How the CLI and the Action say which input settles an open question (a verdict left null):
// the same report field, in each surface's own words, so a hint names a flag the user can type
// (`--client-ca`) or an input the workflow can set (`client-ca`), never an API field name.
import type { OpenQuestion, Report } from "../core/report/types.ts";

export type SettleWords = Record<NonNullable<OpenQuestion["settledBy"]>, string>;

export const CLI_WORDS: SettleWords = {
  clientCA: "pass --client-ca FILE (the API server's --client-ca-file)",
  serverCertificate: "pass --live (connect to the API server) or --server-cert FILE (its --tls-cert-file chain)",
  clusterCA: "make the cluster's CA readable (embed it with `kubectl config view --raw --flatten`, or audit the file it names)",
  clientCertificate:
    "make the client certificate readable (embed it with `kubectl config view --raw --flatten`, or audit the file it names)",
  clientKey: "audit locally with the key in place (it never leaves the machine)",
  cluster: "add the cluster the context names",
};

export const ACTION_WORDS: SettleWords = {
  ...CLI_WORDS,
  clientCA: "set the `client-ca` input (the API server's --client-ca-file)",
  serverCertificate: "set the `server-certificate` input (the chain the API server presents)",
  clientKey: "audit without an endpoint (locally), or set `send-secrets: true`",
};

const QUESTION_WORDS: Record<OpenQuestion["question"], string> = {
  clientAccepted: "would the API server accept the client certificate?",
  serverTrusted: "would kubectl trust the API server?",
  keyMatches: "does client-key-data belong to the certificate?",
};

/** One line per open question: context, question, why, and what settles it. `text` escapes the report's parts (the context's name, the reason) for the surface. */
export function openQuestionLines(report: Report, words: SettleWords, text: (s: string) => string = (s) => s): string[] {
  const out: string[] = [];
  for (const c of report.contexts)
    for (const q of c.openQuestions)
      out.push(
        `${text(c.name)}: ${QUESTION_WORDS[q.question]} Open: ${text(q.reason)}${q.settledBy ? `; to settle it, ${words[q.settledBy]}` : ""}.`,
      );
  return out;
}

/** The headline's qualifier: what a pass does and does not say. */
export function passQualifier(report: Report): string | null {
  if (report.verdict !== "pass") return null;
  const n = report.summary.openQuestions;
  return n
    ? `no problem found in what was checked; ${n} question${n === 1 ? "" : "s"} left open`
    : "every question decided, no problem found";
}
