// The real inputs the fuzzer starts from: certificates and keys from test/fixtures (made by openssl
// and kubectl, see test/fixtures/README.md) and the kubeconfigs kubectl wrote. Runtime-neutral: the
// caller reads the files (Node: fs; workerd: `?raw` imports) and passes their text.

export interface FixtureFile {
  path: string;
  text: string;
}

export interface Seeds {
  /** DER of every certificate in the fixtures, leaf and CA. */
  certs: Uint8Array[];
  /** DER of the CA certificates (basicConstraints cA), for anchors and the fuzz CA template. */
  caCerts: Uint8Array[];
  /** Private keys as PEM label + DER. */
  keys: { label: string; der: Uint8Array }[];
  /** Kubeconfig texts (YAML and JSON) as kubectl wrote them. */
  kubeconfigs: string[];
  /** PEM files as they are (bundles with text, CRLF, odd encodings). */
  pemTexts: string[];
  /** Base64 lines of every private key: none may ever appear in an output. */
  keyLines: string[];
}

const b64ToBytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

function pemBlocks(text: string): { label: string; der: Uint8Array; lines: string[] }[] {
  const out: { label: string; der: Uint8Array; lines: string[] }[] = [];
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)) {
    const body = m[2]!;
    if (/:/.test(body)) continue; // encrypted legacy PEM headers
    out.push({
      label: m[1]!,
      der: b64ToBytes(body.replace(/\s+/g, "")),
      lines: body
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l.length >= 16),
    });
  }
  return out;
}

/** basicConstraints with cA TRUE: the bytes 06 03 55 1d 13 ... 30 03 01 01 ff. */
function isCa(der: Uint8Array): boolean {
  const hex = Array.from(der, (b) => b.toString(16).padStart(2, "0")).join("");
  const at = hex.indexOf("0603551d13");
  return at >= 0 && hex.slice(at, at + 40).includes("0101ff");
}

export function buildSeeds(files: FixtureFile[]): Seeds {
  const certs = new Map<string, Uint8Array>();
  const keys: Seeds["keys"] = [];
  const keyLines = new Set<string>();
  const kubeconfigs: string[] = [];
  const pemTexts: string[] = [];
  for (const f of files) {
    if (/kubeconfig\.(yaml|json)$|view-redacted\.yaml$/.test(f.path)) kubeconfigs.push(f.text);
    if (/\.pem$/.test(f.path)) pemTexts.push(f.text);
    for (const b of pemBlocks(f.text)) {
      if (b.label === "CERTIFICATE") certs.set(b.lines.join(""), b.der);
      else if (b.label.endsWith("PRIVATE KEY")) {
        keys.push({ label: b.label, der: b.der });
        for (const l of b.lines) keyLines.add(l);
      }
    }
  }
  // Keys embedded in kubeconfigs (client-key-data) are secrets too.
  for (const k of kubeconfigs)
    for (const m of k.matchAll(/client-key-data"?:\s*"?([A-Za-z0-9+/=]{40,})/g))
      for (const b of pemBlocks(new TextDecoder().decode(b64ToBytes(m[1]!)))) for (const l of b.lines) keyLines.add(l);
  const all = [...certs.values()];
  return { certs: all, caCerts: all.filter(isCa), keys, kubeconfigs, pemTexts, keyLines: [...keyLines] };
}
