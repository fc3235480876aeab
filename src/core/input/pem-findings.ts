// Findings for PEM blocks we read but openssl and Go's pem.Decode do not (see encoding/pem.ts).
import type { PemBlock } from "../encoding/pem.ts";
import type { Findings } from "../findings/index.ts";

/** What kubectl prints when a *-data field holds no block Go can read (kubectl v1.32, run on such files). */
function kubectlSays(path: string): string {
  if (path.includes("certificate-authority-data")) return "unable to load root certificates: unable to parse bytes as PEM block";
  if (path.includes("client-key-data")) return "tls: failed to find any PEM data in key input";
  return "tls: failed to find any PEM data in certificate input";
}

/**
 * Names the blocks of one text that openssl and Go would not read, once per reason. In a
 * kubeconfig *-data field (`inKubeconfig`) client-go decodes with Go, so kubectl does not see
 * them: an error. In an uploaded file a warning: the certificates were audited, but the file
 * does not work as it is.
 */
export function reportUnreadableBlocks(findings: Findings, blocks: { block: PemBlock; where: string }[], inKubeconfig: boolean): void {
  for (const reason of ["no-line-breaks", "marker-not-alone"] as const) {
    const these = blocks.filter((b) => b.block.unreadableByTools === reason);
    if (these.length === 0) continue;
    const first = these[0]!;
    const what =
      these.length === 1
        ? `The ${first.block.label} block at ${first.where} (line ${first.block.line})`
        : `${these.length} blocks (${these.map((b) => `${b.block.label} at ${b.where}`).join(", ")})`;
    const verb = these.length === 1 ? "has" : "have";
    const tail = inKubeconfig
      ? `kubectl does not read ${these.length === 1 ? "it" : "them"} (Go's pem.Decode skips such blocks); with no readable block in the field kubectl stops with \`${kubectlSays(first.where)}\`.`
      : `${these.length === 1 ? "It was" : "They were"} read and audited here, but openssl and Go's pem.Decode (kubectl, kube-apiserver) do not read ${these.length === 1 ? "it" : "them"}.`;
    const severity = inKubeconfig ? "error" : "warning";
    if (reason === "no-line-breaks")
      findings.add(
        "input.pem-no-line-breaks",
        `${what} ${verb} no line breaks: the base64 body shares a line with the BEGIN or END marker. ${tail}`,
        { path: first.where },
        severity,
      );
    else
      findings.add(
        "input.pem-marker-not-alone",
        `${what} ${verb} a BEGIN or END marker that does not stand alone at the start of its line. ${tail}`,
        { path: first.where },
        severity,
      );
  }
}

/**
 * A kubeconfig certificate field in which Go finds no CERTIFICATE block (only PKCS#7, other
 * blocks, or a BEGIN quoted in a comment): kubectl stops. Quiet when a block was already
 * reported as damaged or unreadable, so the field gets one error. The texts are kubectl's
 * (v1.32, run on such files; client-go cert.NewPoolFromBytes, crypto/tls X509KeyPair).
 */
export function reportNoGoCertificate(findings: Findings, blocks: PemBlock[], field: string, brokenMarkers = 0): void {
  const ca = field.endsWith("certificate-authority-data");
  if (!ca && !field.endsWith("client-certificate-data")) return;
  if (blocks.some((b) => b.problem || b.unreadableByTools)) return;
  if (blocks.some((b) => b.label === "CERTIFICATE")) return;
  const skipped = blocks.map((b) => b.label).join(" ");
  const said = ca
    ? `unable to load root certificates: ${blocks.length ? "no valid certificate authority data seen" : "unable to parse bytes as PEM block"}`
    : blocks.length
      ? `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skipped}]`
      : "tls: failed to find any PEM data in certificate input";
  const held = blocks.length
    ? `holds only ${skipped} block(s)`
    : brokenMarkers > 0
      ? "holds no PEM block (its lines that start with `-----BEGIN` or `-----END` are no markers Go reads: input.pem-broken-marker)"
      : "holds no PEM block (a BEGIN marker that does not start a line is text)";
  findings.add("input.data-no-certificate", `${field} ${held}: kubectl stops with \`error: ${said}\``, { path: field });
}

/** Why Go's pem.Decode (and so kubectl) refuses a block's body, for input.bad-pem-block. */
export function badBodyWhy(b: PemBlock): string {
  const d = b.badBody;
  if (d && "unpadded" in d) return "has a base64 body without its `=` padding, which Go's pem.Decode (kubectl) and openssl refuse";
  if (d?.marker)
    return `has a line in its body that starts like a PEM marker (line ${d.line}, \`-----...\`) but is not its END line, so the body is not base64 to Go's pem.Decode (kubectl)`;
  if (d) return `has a character that is not base64 in its body (line ${d.line}), which Go's pem.Decode (kubectl) refuses`;
  return "is not valid base64 as openssl and Go read it (only base64 characters, with its `=` padding)";
}

/** Lines that start like a marker but are none (PemScan.brokenMarkers), once per text. */
export function reportBrokenMarkers(findings: Findings, lines: number[], where: string): void {
  if (lines.length === 0) return;
  const shown = lines.slice(0, 5).join(", ") + (lines.length > 5 ? `, … (${lines.length} lines)` : "");
  const what = lines.length === 1 ? `Line ${shown} of ${where} starts` : `Lines ${shown} of ${where} start`;
  findings.add(
    "input.pem-broken-marker",
    `${what} with \`-----BEGIN\` or \`-----END\` but ${lines.length === 1 ? "is" : "are"} not a PEM marker openssl or Go's pem.Decode read; skipped.`,
    { path: where },
  );
}

/** Damaged blocks at most this many per reason are named one by one; more are folded into one finding. */
const DAMAGED_ONE_BY_ONE = 3;

/**
 * input.bad-pem-block for each damaged block, except that a run of blocks damaged the same way
 * (a line of repeated `-----BEGIN CERTIFICATE-----`) is one finding naming the first few.
 */
export function reportDamagedBlocks(findings: Findings, damaged: { block: PemBlock; where: string; why: string }[]): void {
  const byWhy = new Map<string, typeof damaged>();
  for (const d of damaged) byWhy.set(d.why, [...(byWhy.get(d.why) ?? []), d]);
  for (const [why, these] of byWhy) {
    if (these.length <= DAMAGED_ONE_BY_ONE) {
      for (const { block: b, where } of these)
        findings.add("input.bad-pem-block", `The ${b.label} block at ${where} (line ${b.line}) ${why}.`, { path: where });
      continue;
    }
    const first = these[0]!;
    const named = these
      .slice(0, 5)
      .map((d) => `${d.block.label} at ${d.where} (line ${d.block.line})`)
      .join(", ");
    findings.add(
      "input.bad-pem-block",
      `${these.length} blocks are damaged the same way (${named}${these.length > 5 ? ", …" : ""}): each ${why}.`,
      { path: first.where },
    );
  }
}
