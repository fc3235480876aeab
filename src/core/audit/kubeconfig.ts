// Step 2 for a kubeconfig: decode every data field, give each certificate its role, report
// shared keys, then analyse each context (checks/context.ts) and what it leaves open.
import type { caIdentity } from "../checks/ca-identity.ts";
import { analyseContext, type ContextAnalysis } from "../checks/context.ts";
import { nothingExamined, openQuestions } from "../checks/open-questions.ts";
import type { Kubeconfig } from "../input/kubeconfig.ts";
import type { Limits, StoredKey } from "../input/store.ts";
import type { ContextRecord } from "../report/assemble.ts";
import type { Cert } from "../x509/cert.ts";
import { decodeDataField } from "./data-field.ts";
import type { ReadInput } from "./inputs.ts";
import { reportSharedKeys } from "./key-reuse.ts";
import type { AuditRun } from "./run.ts";

export async function analyseKubeconfig(run: AuditRun, kubeconfig: Kubeconfig, read: ReadInput, limits: Limits): Promise<ContextRecord[]> {
  const { findings, store, roles } = run;
  const { clientCA, serverChain, chainOf, perServer } = read;
  const clusterCerts = new Map<string, Cert[]>();
  for (const cl of kubeconfig.clusters) {
    const path = `clusters[${cl.name}].certificate-authority-data`;
    const text = cl.caData ? decodeDataField(cl.caData, path, findings) : null;
    const certs = text ? (await store.addPem(text, (i) => `${path}[${i}]`, { reportKeys: false })).certs : [];
    for (const c of certs) roles.set(c, "ca", path);
    clusterCerts.set(cl.name, certs);
  }
  const userMaterial = new Map<string, { chain: Cert[]; keys: StoredKey[] }>();
  for (const u of kubeconfig.users) {
    const certPath = `users[${u.name}].client-certificate-data`;
    const keyPath = `users[${u.name}].client-key-data`;
    const certText = u.certData ? decodeDataField(u.certData, certPath, findings) : null;
    const chain = certText ? (await store.addPem(certText, (i) => `${certPath}[${i}]`, { reportKeys: false })).certs : [];
    const keyText = u.keyData ? decodeDataField(u.keyData, keyPath, findings) : null;
    const keys = keyText ? (await store.addPem(keyText, () => keyPath, { reportKeys: false })).keys : [];
    if (chain[0]) roles.set(chain[0], "client", certPath);
    for (const c of chain.slice(1)) roles.set(c, "ca", certPath);
    userMaterial.set(u.name, { chain, keys });
  }
  reportSharedKeys(userMaterial, findings);

  if (serverChain?.[0]) roles.set(serverChain[0], "server", "serverCertificate[0]");
  for (const c of serverChain?.slice(1) ?? []) roles.set(c, "ca", "serverCertificate");
  for (const [i, certs] of perServer.entries())
    for (const [j, c] of certs.entries()) roles.set(c, j === 0 ? "server" : "ca", `serverCertificates[${i}][${j}]`);
  for (const c of clientCA ?? []) roles.set(c, "ca", "clientCA");

  const contexts: ContextRecord[] = [];
  const relations = new Map<string, ReturnType<typeof caIdentity>>();
  const contextList = kubeconfig.contexts.slice(0, limits.maxContexts);
  if (kubeconfig.contexts.length > limits.maxContexts)
    findings.add(
      "engine.context-limit",
      `The kubeconfig has ${kubeconfig.contexts.length} contexts; the first ${limits.maxContexts} were analysed.`,
      { path: "contexts" },
    );
  for (const ctx of contextList) {
    const cluster = kubeconfig.clusters.find((c) => c.name === ctx.cluster) ?? null;
    const user = kubeconfig.users.find((u) => u.name === ctx.user) ?? null;
    const material = user ? userMaterial.get(user.name) : undefined;
    const ownServerChain = chainOf.get(ctx.name) ?? serverChain;
    const analysis: ContextAnalysis = await analyseContext({
      ctx,
      current: kubeconfig.currentContext === ctx.name,
      cluster,
      user,
      clusterCAs: cluster ? (clusterCerts.get(cluster.name) ?? []) : [],
      clientChain: material?.chain ?? [],
      keys: material?.keys ?? [],
      clientCA,
      serverChain: ownServerChain,
      pool: store.all().map((e) => e.cert),
      verifier: run.verifier,
      findings,
      runChain: run.runChain,
      profile: run.profile,
      chains: run.chains,
      relations,
    });
    if (nothingExamined(analysis.json))
      findings.add("kubeconfig.context-not-audited", `Context "${ctx.name}" has no certificate that could be read.`, { context: ctx.name });
    const open = openQuestions({
      json: analysis.json,
      cluster,
      user,
      hasClientCA: clientCA !== null,
      hasServerChain: !!ownServerChain?.length,
    });
    contexts.push({ ...analysis, open });
  }
  return contexts;
}
