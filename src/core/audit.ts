// The one entry point: audit(input, options) -> Report. Pure: the clock, the limits and
// WebCrypto come in through `options`; nothing here touches the network, files or globals.
import { checkCertificate } from "./checks/certificate.ts";
import { analyseContext, reportChainFailure, type ContextAnalysis } from "./checks/context.ts";
import { caIdentity } from "./checks/ca-identity.ts";
import { nothingExamined, openQuestions } from "./checks/open-questions.ts";
import { checkExpiry, checkOutlivesIssuer, verifiedIssuance } from "./checks/expiry.ts";
import { goBase64Error } from "./encoding/base64-go.ts";
import { decodeBase64 } from "./encoding/pem.ts";
import { InputProblem } from "./errors.ts";
import { countBySeverity, Findings } from "./findings/index.ts";
import { detect, decodeText, reportDetected } from "./input/detect.ts";
import { PLACEHOLDERS, readKubeconfig, STRIPPED, type Kubeconfig } from "./input/kubeconfig.ts";
import { CertStore, type Limits, type StoredKey } from "./input/store.ts";
import { keyMatchesCert } from "./keys/private.ts";
import { buildReport, type ChainRecord, type ContextRecord } from "./report/assemble.ts";
import type { InputKind, Report } from "./report/types.ts";
import { newBudget, verifyChain } from "./verify/index.ts";
import type { Profile } from "./verify/types.ts";
import { DEFAULT_PROFILE } from "./verify/profile-names.ts";
import { describeDisagreement, runSideBySide } from "./checks/side-by-side.ts";
import { issuersWithin } from "./checks/bundle-issuers.ts";
import type { Cert } from "./x509/cert.ts";
import { SignatureVerifier } from "./x509/signature.ts";

export type InputData = string | Uint8Array;

export interface AuditInput {
  /** Any supported document, detected by content. */
  document?: InputData;
  kubeconfig?: InputData;
  pem?: InputData;
  /** The API server's --client-ca-file (one or more CA certificates). */
  clientCA?: InputData;
  /** The chain the API server presents (--tls-cert-file), leaf first. */
  serverCertificate?: InputData;
  /**
   * Chains presented by individual servers (the CLI's --live), each deciding only the contexts
   * it names; a context named by none falls back to serverCertificate.
   */
  serverCertificates?: { contexts: string[]; certificate: InputData }[];
}

/** A file a kubeconfig names that the caller (the CLI) could not read, e.g. `users[jane].client-certificate`. */
export interface FileError {
  path: string;
  file: string;
  reason: string;
}

export interface AuditOptions {
  /** Validation time. */
  at: Date;
  /** Warn this many days before expiry (default 30). */
  warnDays?: number;
  subtle: SubtleCrypto;
  limits?: Partial<Limits>;
  /** Rules for the reported chains (the kube verdicts always follow Go). Default "go"; Go and strict RFC 5280 are compared either way. */
  profile?: Profile;
  /** Files the kubeconfig names that could not be read where it lives (kubectl would fail too). */
  fileErrors?: FileError[];
}

export const DEFAULT_LIMITS: Limits = {
  // A cluster's kubeconfig has a handful of certificates; a CA bundle such as Mozilla's has
  // about 150. 10,000 covers large fleets' bundles while bounding work: parsing and the
  // per-certificate checks cost about 0.1 ms each (docs/performance.md).
  maxCertificates: 10_000,
  // Two chains per leaf (Go's rules and strict RFC 5280, checks/side-by-side.ts), so every leaf of
  // a full bundle gets its chain; the signature-check budget below is what bounds the work.
  maxChains: 20_000,
  // A merged kubeconfig for a large fleet can hold dozens of contexts; each costs a few chains.
  maxContexts: 100,
  // Each chain has its own budget of 100 signature checks (see verify/budget.ts). 10,000 over the
  // request (cached answers included) is what the crafted worst cases spent under the former
  // 200-chain limit (150 look-alike CAs: 50 contexts x 2 chains x 100), so they cost no more,
  // while a 5,000-certificate bundle (two chains per leaf, one check each) is verified in full.
  maxSignatureChecks: 10_000,
};

export const DEFAULT_WARN_DAYS = 30;

/** Decodes a kubeconfig *-data field: base64 of PEM text. */
function decodeDataField(value: string, path: string, findings: Findings): string | null {
  if (value.trim() === STRIPPED) {
    findings.add("input.secret-stripped", `${path} was removed before upload.`, { path });
    return null;
  }
  if (PLACEHOLDERS.has(value.trim())) {
    findings.add("input.placeholder-data", `${path} is "${value.trim()}".`, { path });
    return null;
  }
  const goError = goBase64Error(value);
  const bytes = decodeBase64(value);
  if (goError !== null || !bytes) {
    findings.add("input.bad-base64", `${path} is not base64 as Go reads it${goError !== null ? `: kubectl will refuse to load this file, printing \`error: error loading config file "…": illegal base64 data at input byte ${goError}\`` : ""}${bytes ? "; it was decoded leniently and audited here" : ""}.`, { path });
    if (!bytes) return null;
  }
  const text = decodeText(bytes, { utf16: false })?.text ?? null;
  if (text === null || !text.includes("-----BEGIN ")) {
    findings.add("input.data-not-pem", `${path} decodes to ${text === null ? "binary data (DER?)" : "text without PEM blocks"}.`, { path });
    return null;
  }
  return text;
}

/** Why the input gave no certificate, as far as the input itself tells. */
function nothingAuditedDetail(kubeconfig: Kubeconfig | null): string {
  if (!kubeconfig) return "The input holds no certificate that could be read";
  const refs = [...kubeconfig.clusters.filter((c) => c.caFile && !c.caData), ...kubeconfig.users.filter((u) => u.certFile && !u.certData)].length;
  if (refs) return `The kubeconfig holds no readable certificate data; ${refs} certificate(s) are file references whose content was not part of the input`;
  return "The kubeconfig holds no readable certificate-authority-data or client-certificate-data";
}

interface Part {
  name: string;
  data: InputData;
}

export async function audit(input: AuditInput, options: AuditOptions): Promise<Report> {
  const at = options.at;
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new InputProblem("input.bad-option", 400, "the validation time is not a valid date");
  const warnDays = options.warnDays ?? DEFAULT_WARN_DAYS;
  if (!Number.isFinite(warnDays) || warnDays < 0 || warnDays > 3650) throw new InputProblem("input.bad-option", 400, "warnDays must be a number of days from 0 to 3650");
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const profile = options.profile ?? DEFAULT_PROFILE;
  const findings = new Findings();
  const store = new CertStore(options.subtle, findings, limits);
  const verifier = new SignatureVerifier(options.subtle, limits.maxSignatureChecks);

  const mains: Part[] = [];
  for (const name of ["document", "kubeconfig", "pem"] as const) {
    const d = input[name];
    if (d !== undefined && d !== null && !(typeof d === "string" && d.trim() === "")) mains.push({ name, data: d });
  }
  if (mains.length === 0 && !input.clientCA && !input.serverCertificate && !input.serverCertificates?.length) throw new InputProblem("input.nothing-to-audit", 422, "nothing to audit: send a kubeconfig or PEM bundle");

  let kubeconfig: Kubeconfig | null = null;
  let kind: InputKind | null = null;
  const parts: string[] = [];
  const bundleCerts: Cert[] = [];

  for (const part of mains) {
    const detected = detect(part.data, part.name);
    reportDetected(detected, part.name, findings);
    parts.push(part.name);
    if (detected.kind === "kubeconfig") {
      if (kubeconfig) throw new InputProblem("input.bad-option", 422, "only one kubeconfig can be audited per request");
      kubeconfig = readKubeconfig(detected.doc, findings);
      // kubectl fails on a file it cannot read (client-go dataFromSliceOrFile / os.ReadFile).
      for (const e of options.fileErrors ?? []) findings.add("kubeconfig.file-unreadable", `${e.path} names ${e.file}, which cannot be read (${e.reason}).`, { path: e.path });
      kind = "kubeconfig";
    } else if (detected.kind === "pem") {
      const { certs } = await store.addPem(detected.text, (i) => (part.name === "document" ? `pem[${i}]` : `${part.name}[${i}]`), { reportKeys: true });
      bundleCerts.push(...certs);
      kind ??= "pem";
    } else {
      const c = await store.addDer(detected.der, part.name === "document" ? "der" : part.name);
      if (c) bundleCerts.push(c);
      kind ??= "der";
    }
  }

  const readAux = async (name: "clientCA" | "serverCertificate"): Promise<Cert[] | null> => {
    const d = input[name];
    if (d === undefined || d === null || (typeof d === "string" && d.trim() === "")) return null;
    parts.push(name);
    return store.addCertificateField(d, name);
  };
  const clientCA = await readAux("clientCA");
  const serverChain = await readAux("serverCertificate");
  // Per-server chains: context name -> the chain its own server presented.
  const chainOf = new Map<string, Cert[]>();
  const perServer: Cert[][] = [];
  for (const [i, s] of (input.serverCertificates ?? []).entries()) {
    if (i === 0) parts.push("serverCertificates");
    const certs = await store.addCertificateField(s.certificate, `serverCertificates[${i}]`);
    perServer.push(certs);
    for (const name of s.contexts) chainOf.set(name, certs);
  }
  // With only clientCA / serverCertificate, the input is the envelope itself.
  kind ??= "envelope";

  const roles = new Map<string, { role: "server" | "client" | "ca" | "other"; path: string }>();
  const setRole = (c: Cert, role: "server" | "client" | "ca" | "other", path: string) => {
    const prev = roles.get(c.id);
    if (!prev || prev.role === "other" || (prev.role === "ca" && role !== "other")) roles.set(c.id, { role, path });
  };
  const chains: ChainRecord[] = [];
  let chainCount = 0;
  let chainLimitReported = false;
  const runChain = async (leaf: Cert, intermediates: readonly Cert[], anchors: readonly Cert[], purpose: "server" | "client" | "any", chainProfile: Profile, serverName?: string) => {
    if (chainCount >= limits.maxChains || verifier.exhausted()) {
      if (!chainLimitReported) {
        chainLimitReported = true;
        findings.add("engine.chain-limit", `Only ${chainCount} chains were built for this request${chainCount < limits.maxChains ? ` (its ${limits.maxSignatureChecks} signature checks were spent)` : ""}.`, { certificate: leaf.id });
      }
      return null;
    }
    chainCount++;
    return verifyChain({ leaf, intermediates, anchors, at, purpose, profile: chainProfile, budget: newBudget(), verifier, ...(serverName ? { serverName } : {}) });
  };

  // Kubeconfig: decode every data field, then analyse each context.
  const contexts: ContextRecord[] = [];
  if (kubeconfig) {
    const clusterCerts = new Map<string, Cert[]>();
    for (const cl of kubeconfig.clusters) {
      const path = `clusters[${cl.name}].certificate-authority-data`;
      const text = cl.caData ? decodeDataField(cl.caData, path, findings) : null;
      const certs = text ? (await store.addPem(text, (i) => `${path}[${i}]`, { reportKeys: false })).certs : [];
      certs.forEach((c) => setRole(c, "ca", path));
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
      if (chain[0]) setRole(chain[0], "client", certPath);
      chain.slice(1).forEach((c) => setRole(c, "ca", certPath));
      userMaterial.set(u.name, { chain, keys });
    }
    // A key pair shared by several users.
    const byFingerprint = new Map<string, string[]>();
    for (const [name, m] of userMaterial) {
      const fp = m.chain[0]?.publicKey.fingerprint ?? m.keys[0]?.key.info.publicKeyFingerprint;
      if (fp) byFingerprint.set(fp, [...(byFingerprint.get(fp) ?? []), name]);
    }
    for (const [, names] of byFingerprint)
      if (names.length > 1) findings.add("key.reused", `Users ${names.map((n) => `"${n}"`).join(", ")} share one key pair.`, { path: `users[${names[0]}].client-key-data` });

    if (serverChain?.[0]) setRole(serverChain[0], "server", "serverCertificate[0]");
    serverChain?.slice(1).forEach((c) => setRole(c, "ca", "serverCertificate"));
    perServer.forEach((certs, i) => certs.forEach((c, j) => setRole(c, j === 0 ? "server" : "ca", `serverCertificates[${i}][${j}]`)));
    clientCA?.forEach((c) => setRole(c, "ca", "clientCA"));

    const relations = new Map<string, ReturnType<typeof caIdentity>>();
    const contextList = kubeconfig.contexts.slice(0, limits.maxContexts);
    if (kubeconfig.contexts.length > limits.maxContexts)
      findings.add("engine.context-limit", `The kubeconfig has ${kubeconfig.contexts.length} contexts; the first ${limits.maxContexts} were analysed.`, { path: "contexts" });
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
          verifier,
          findings,
          runChain,
          profile,
          chains,
          relations,
        });
      if (nothingExamined(analysis.json))
        findings.add("kubeconfig.context-not-audited", `Context "${ctx.name}" has no certificate that could be read.`, { context: ctx.name });
      const open = openQuestions({ json: analysis.json, cluster, user, hasClientCA: clientCA !== null, hasServerChain: !!ownServerChain?.length });
      contexts.push({ ...analysis, open });
    }
  } else {
    // A PEM/DER bundle: every certificate that signs nothing else in the bundle is a leaf; its
    // chain is built from the bundle, trusting self-signed CAs in it and any clientCA given.
    // Frozen: every leaf's search shares one candidate index over them (verify/candidates.ts).
    const all = Object.freeze([...bundleCerts, ...(serverChain ?? [])]);
    const anchors = Object.freeze([...all.filter((c) => c.selfIssued && c.basicConstraints?.ca === true), ...(clientCA ?? [])]);
    const issuesSomething = issuersWithin(all);
    const leaves = all.filter((c) => !issuesSomething.has(c.id) && !(c.selfIssued && c.basicConstraints?.ca === true));
    for (const c of all) setRole(c, c.basicConstraints?.ca ? "ca" : "other", store.sourcesOf(c.id)[0] ?? "pem");
    if (serverChain?.[0]) setRole(serverChain[0], "server", "serverCertificate[0]");
    for (const leaf of leaves) {
      if (anchors.length === 0) continue;
      // The leaf is among `all`; path building never takes a leaf as its own issuer.
      const { reported: result, go, strict } = await runSideBySide((p) => runChain(leaf, all, anchors, "any", p), profile);
      if (!result) continue;
      const where = store.sourcesOf(leaf.id)[0] ?? "pem";
      chains.push({ result, profile, go, strict, purpose: "any", role: `bundle (${where})`, findingPath: where });
      reportChainFailure(findings, result, { path: where });
      const disagree = describeDisagreement(go, strict);
      if (disagree) findings.add("chain.tools-disagree", `For the chain of ${where}, ${disagree}.`, { path: where, certificate: leaf.id });
    }
    // Keys in a bundle: match them with certificates.
    for (const k of store.keys) {
      const match = store.all().find((e) => keyMatchesCert(k.key, e.cert) === true);
      if (k.key.info.problem) findings.add(k.key.info.encrypted ? "key.encrypted" : "key.unreadable", `The key at ${k.path}: ${k.key.info.problem}.`, { path: k.path });
      else if (!match) findings.add("key.unused", `The ${k.key.info.algorithm} key at ${k.path} matches no certificate in the upload.`, { path: k.path });
    }
  }

  // Per-certificate checks.
  for (const { cert, sources } of store.all()) {
    const r = roles.get(cert.id) ?? { role: "other" as const, path: sources[0] ?? "" };
    const roleWord = r.role === "ca" ? "CA certificate" : r.role === "server" ? "server certificate" : r.role === "client" ? "client certificate" : "certificate";
    checkExpiry(cert, at, warnDays, findings, r.path, roleWord);
    checkCertificate(cert, findings, r.path, r.role);
    if (sources.length > 1 && new Set(sources.map((s) => s.replace(/\[\d+\]$/, ""))).size < sources.length)
      findings.add("input.duplicate-certificate", `"${cert.subject}" appears at ${sources.join(", ")}.`, { certificate: cert.id });
  }
  for (const ch of chains) checkOutlivesIssuer(verifiedIssuance(ch.result), findings);
  if (store.all().length === 0) findings.add("input.nothing-audited", nothingAuditedDetail(kubeconfig), {});

  const report = buildReport({ at, warnDays, kind, parts, store, chains, contexts, findings: findings.list, roles });
  const counts = countBySeverity(report.findings);
  report.summary = { ...report.summary, ...counts };
  return report;
}
