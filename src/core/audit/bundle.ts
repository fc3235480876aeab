// Step 2 for a PEM/DER bundle: a chain for every leaf, built from the bundle and trusting its
// self-signed CAs and any clientCA given; then the bundle's keys matched with certificates.
import { reportChainFailure } from "../checks/context.ts";
import { describeDisagreement, runSideBySide } from "../checks/side-by-side.ts";
import { keyMatchesCert } from "../keys/private.ts";
import { bundleAnchors, bundleLeaves } from "./bundle-leaves.ts";
import type { ReadInput } from "./inputs.ts";
import type { AuditRun } from "./run.ts";

export async function analyseBundle(run: AuditRun, read: ReadInput): Promise<void> {
  const { findings, store, roles, profile } = run;
  const { serverChain, clientCA } = read;
  // Frozen: every leaf's search shares one candidate index over them (verify/candidates.ts).
  const all = Object.freeze([...read.bundleCerts, ...(serverChain ?? [])]);
  const anchors = Object.freeze([...bundleAnchors(all), ...(clientCA ?? [])]);
  const leaves = bundleLeaves(all);
  for (const c of all) roles.set(c, c.basicConstraints?.ca ? "ca" : "other", store.sourcesOf(c.id)[0] ?? "pem");
  if (serverChain?.[0]) roles.set(serverChain[0], "server", "serverCertificate[0]");
  for (const leaf of leaves) {
    if (anchors.length === 0) continue;
    // The leaf is among `all`; path building never takes a leaf as its own issuer.
    const { reported: result, go, strict } = await runSideBySide((p) => run.runChain(leaf, all, anchors, "any", p), profile);
    if (!result) continue;
    const where = store.sourcesOf(leaf.id)[0] ?? "pem";
    run.chains.push({ result, profile, go, strict, purpose: "any", role: `bundle (${where})`, findingPath: where });
    reportChainFailure(findings, result, { path: where });
    const disagree = describeDisagreement(go, strict);
    if (disagree) findings.add("chain.tools-disagree", `For the chain of ${where}, ${disagree}.`, { path: where, certificate: leaf.id });
  }
  // Keys in a bundle: match them with certificates.
  for (const k of store.keys) {
    const match = store.all().find((e) => keyMatchesCert(k.key, e.cert) === true);
    if (k.key.info.problem)
      findings.add(k.key.info.encrypted ? "key.encrypted" : "key.unreadable", `The key at ${k.path}: ${k.key.info.problem}.`, {
        path: k.path,
      });
    else if (!match)
      findings.add("key.unused", `The ${k.key.info.algorithm} key at ${k.path} matches no certificate in the upload.`, { path: k.path });
  }
}
