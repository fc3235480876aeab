// A key-pair edge as the Go component sees it when it starts: crypto/tls X509KeyPair
// (crypto/tls/tls.go) parses the certificate (x509.ParseCertificate), then the key
// (parsePrivateKey), then checks the certificate's key type, and only then compares the keys.
// The same answer for a key that is here and a key that stayed on the client (its fingerprint and
// Go's refusal of it, key-fingerprint.ts): a refusal is never turned into a match.
import { goCertificateRefusal } from "../keys/go-keypair.ts";
import type { PrivateKey } from "../keys/private.ts";
import type { Cert } from "../x509/cert.ts";
import { edgeFinding, type ClusterContext } from "./context.ts";
import type { Edge, EdgeVerdict } from "./edge.ts";
import { keyPairMatches } from "./key-fingerprint.ts";

export interface KeyPairJudgement {
  verdict: EdgeVerdict;
  /** Go's error when X509KeyPair refuses the pair before comparing the keys. */
  refusal: string | null;
  /** Which file Go refused. */
  refused: "certificate" | "key" | null;
  /** The keys were compared and differ. */
  mismatch: boolean;
}

/**
 * The pair `key` (null when it is not in the upload, "unreadable" when it is but cannot be read
 * here) and `cert`, with Go's refusal of the key file (Material.keyRefusal).
 */
export async function judgeKeyPair(
  key: PrivateKey | "unreadable" | null,
  keyRefusal: string | null,
  cert: Cert,
  subtle: SubtleCrypto,
): Promise<KeyPairJudgement> {
  const refused = (refusal: string, of: "certificate" | "key"): KeyPairJudgement => ({
    verdict: "broken",
    refusal,
    refused: of,
    mismatch: false,
  });
  const undecided: KeyPairJudgement = { verdict: "unknown", refusal: null, refused: null, mismatch: false };
  const certRefusal = goCertificateRefusal(cert);
  if (certRefusal?.stage === "parse") return refused(certRefusal.error, "certificate");
  // The rest of x509.ParseCertificate (names, times, extensions: x509/cert.ts goParseErrors).
  if (cert.goParseErrors.length) return refused(cert.goParseErrors[0]!, "certificate");
  if (key === null) return undecided;
  if (keyRefusal) return refused(keyRefusal, "key");
  if (certRefusal) return refused(certRefusal.error, "certificate");
  // Go would parse the key, but it could not be read here (a curve WebCrypto lacks, P-224): undecided.
  if (key === "unreadable") return undecided;
  const m = await keyPairMatches(key, cert, subtle);
  return { verdict: m === true ? "holds" : m === false ? "broken" : "unknown", refusal: null, refused: null, mismatch: m === false };
}

/** Sets the edge's verdict and, for a refusal, the finding that the component cannot start TLS with the pair. */
export function applyKeyPair(
  ctx: ClusterContext,
  edge: Edge,
  j: KeyPairJudgement,
  who: string,
  files: { key: string; cert: string },
  where: { certPath: string; keyPath: string; certificate: string },
): void {
  edge.verdict = j.verdict;
  if (j.refusal)
    edgeFinding(
      ctx,
      edge,
      "cluster.key-pair-unloadable",
      `${who} cannot load ${files.cert} with ${files.key}: Go's tls.X509KeyPair fails with "${j.refusal}", so ${who} cannot start TLS with this pair`,
      { path: j.refused === "certificate" ? where.certPath : where.keyPath, certificate: where.certificate },
    );
}
