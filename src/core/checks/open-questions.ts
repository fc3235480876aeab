// What a context's report could not decide, and which input would decide it. A verdict that is
// `null` is an open question, never a quiet pass: every surface lists these beside the headline,
// each in its own words for the input (the API's `clientCA`, the CLI's `--client-ca`, the
// Action's `client-ca`, the form's "Client CA bundle").
import type { KubeCluster, KubeUser } from "../input/kubeconfig.ts";
import { STRIPPED } from "../input/kubeconfig.ts";
import type { ContextJson, OpenQuestion } from "../report/types.ts";

export interface OpenQuestionInput {
  json: Omit<ContextJson, "verdict" | "openQuestions">;
  cluster: KubeCluster | null;
  user: KubeUser | null;
  /** The request carried the API server's --client-ca-file / its serving chain. */
  hasClientCA: boolean;
  hasServerChain: boolean;
}

const stripped = (v: string | null) => v?.trim() === STRIPPED;

function clientQuestion(i: OpenQuestionInput): OpenQuestion | null {
  const { json, user } = i;
  if (json.clientAccepted !== null || !user) return null;
  if (json.client.certificate) {
    if (i.hasClientCA)
      return {
        question: "clientAccepted",
        settledBy: null,
        reason: "the client certificate's chain could not be checked against the client CA; see the findings",
      };
    return { question: "clientAccepted", settledBy: "clientCA", reason: "the API server's --client-ca-file was not supplied" };
  }
  if (user.certFile)
    return {
      question: "clientAccepted",
      settledBy: "clientCertificate",
      reason: `the client certificate is a file reference (${user.certFile}) whose content was not part of the input`,
    };
  if (user.certData)
    return {
      question: "clientAccepted",
      settledBy: "clientCertificate",
      reason: "client-certificate-data could not be read; see the findings",
    };
  // No client certificate at all: the question does not apply (tokens, exec plugins and
  // passwords are not certificates; certaudit does not claim they work).
  return null;
}

function serverQuestion(i: OpenQuestionInput): OpenQuestion | null {
  const { json, cluster } = i;
  if (json.serverTrusted !== null) return null;
  if (!cluster)
    return { question: "serverTrusted", settledBy: "cluster", reason: "the context names no cluster that exists in the kubeconfig" };
  if (cluster.insecure) return null;
  if (json.clusterCA.length === 0) {
    if (cluster.caFile)
      return {
        question: "serverTrusted",
        settledBy: "clusterCA",
        reason: `the cluster CA is a file reference (${cluster.caFile}) whose content was not part of the input`,
      };
    if (cluster.caData)
      return {
        question: "serverTrusted",
        settledBy: "clusterCA",
        reason: "certificate-authority-data could not be read; see the findings",
      };
    return {
      question: "serverTrusted",
      settledBy: "clusterCA",
      reason: "the cluster has no certificate-authority-data, so kubectl would use the trust store of the machine it runs on",
    };
  }
  if (!i.hasServerChain)
    return {
      question: "serverTrusted",
      settledBy: "serverCertificate",
      reason: "the certificate the API server presents was not supplied",
    };
  return { question: "serverTrusted", settledBy: null, reason: "the server certificate could not be checked; see the findings" };
}

function keyQuestion(i: OpenQuestionInput): OpenQuestion | null {
  const { json, user } = i;
  if (json.client.keyMatches !== null || !json.client.certificate || !user) return null;
  if (stripped(user.keyData))
    return { question: "keyMatches", settledBy: "clientKey", reason: "client-key-data was removed before upload" };
  if (user.keyFile && !user.keyData)
    return {
      question: "keyMatches",
      settledBy: "clientKey",
      reason: `the client key is a file reference (${user.keyFile}) whose content was not part of the input`,
    };
  if (!user.keyData) return { question: "keyMatches", settledBy: "clientKey", reason: "the user has no client key" };
  return { question: "keyMatches", settledBy: null, reason: "client-key-data could not be read; see the findings" };
}

/** The questions this context leaves open, in the order the surfaces show them. */
export function openQuestions(i: OpenQuestionInput): OpenQuestion[] {
  return [clientQuestion(i), serverQuestion(i), keyQuestion(i)].filter((q): q is OpenQuestion => q !== null);
}

/** True when the context's own material (cluster CA, client certificate) gave nothing to examine. */
export function nothingExamined(json: Omit<ContextJson, "verdict" | "openQuestions">): boolean {
  return json.clusterCA.length === 0 && json.client.certificate === null;
}
