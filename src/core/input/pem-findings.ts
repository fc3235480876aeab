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
 * Names a block that openssl and Go would not read. In a kubeconfig *-data field (`inKubeconfig`)
 * client-go decodes with Go, so kubectl does not see the block: an error. In an uploaded file it
 * is a warning: the certificates were audited, but the file does not work as it is.
 */
export function reportUnreadableBlock(findings: Findings, b: PemBlock, where: string, inKubeconfig: boolean): void {
  const what = `The ${b.label} block at ${where} (line ${b.line})`;
  const tail = inKubeconfig
    ? `kubectl does not read it (Go's pem.Decode skips it); with no readable block in the field kubectl stops with \`${kubectlSays(where)}\`.`
    : "It was read and audited here, but openssl and Go's pem.Decode (kubectl, kube-apiserver) do not read it.";
  const severity = inKubeconfig ? "error" : "warning";
  if (b.unreadableByTools === "no-line-breaks")
    findings.add("input.pem-no-line-breaks", `${what} has no line breaks: its base64 body shares a line with the BEGIN or END marker. ${tail}`, { path: where }, severity);
  else findings.add("input.pem-marker-not-alone", `${what} has a BEGIN or END marker that does not stand alone at the start of its line. ${tail}`, { path: where }, severity);
}

/**
 * A kubeconfig certificate field in which Go finds no CERTIFICATE block (only PKCS#7, other
 * blocks, or a BEGIN quoted in a comment): kubectl stops. Quiet when a block was already
 * reported as damaged or unreadable, so the field gets one error. The texts are kubectl's
 * (v1.32, run on such files; client-go cert.NewPoolFromBytes, crypto/tls X509KeyPair).
 */
export function reportNoGoCertificate(findings: Findings, blocks: PemBlock[], field: string): void {
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
  const held = blocks.length ? `holds only ${skipped} block(s)` : "holds no PEM block (a BEGIN marker that does not start a line is text)";
  findings.add("input.data-no-certificate", `${field} ${held}: kubectl stops with \`error: ${said}\``, { path: field });
}
