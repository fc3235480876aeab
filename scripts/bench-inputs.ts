// Inputs shared by `npm run bench` (Node) and `npm run bench:workerd`: the fixtures, Debian's CA
// bundle, and large bundles generated here (one RSA-2048 CA issuing N-1 P-256 server leaves with
// @peculiar/x509), cached under bench-out/ so both benches and repeated runs read the same bytes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

export const ROOT = new URL("..", import.meta.url).pathname;
export const fx = (p: string) => readFileSync(`${ROOT}test/fixtures/${p}`, "utf8");
export const DEBIAN = "/etc/ssl/certs/ca-certificates.crt";
export const BUNDLE_SIZES = [1000, 5000] as const;

/** A PEM bundle of `n` certificates: the CA first, then n-1 leaves it issued (all distinct keys). */
export async function largeBundle(n: number): Promise<string> {
  const file = `${ROOT}bench-out/bundle-${n}.pem`;
  if (existsSync(file)) return readFileSync(file, "utf8");
  const { issue } = await import("../test/helpers/pki.ts");
  const ca = await issue({ subject: "CN=bench CA,O=certaudit bench", ca: true, kind: "rsa2048" });
  const parts = [ca.pem];
  for (let i = 1; i < n; i++) {
    const leaf = await issue({
      subject: `CN=svc-${i}.bench.example,O=certaudit bench`,
      issuer: ca,
      kind: "p256",
      eku: ["1.3.6.1.5.5.7.3.1"],
      sans: [{ type: "dns", value: `svc-${i}.bench.example` }],
    });
    parts.push(leaf.pem);
  }
  mkdirSync(`${ROOT}bench-out`, { recursive: true });
  writeFileSync(file, parts.join("\n"));
  return parts.join("\n");
}

export interface BenchInput {
  name: string;
  /** The certificates' PEM texts, for the baselines. */
  pems: string;
  /** What the audit is given. */
  audit: { kubeconfig?: string; clientCA?: string; serverCertificate?: string; pem?: string };
}

export async function benchInputs(): Promise<BenchInput[]> {
  const kubeconfig = fx("e2e-users/kubeconfig.yaml");
  const clientCA = fx("e2e-users/client-ca.crt");
  const server = fx("e2e-users/apiserver.crt");
  const inputs: BenchInput[] = [
    // Three distinct certificates: the kubeconfig's CA (client-ca.crt is the same one) and client, the server's.
    {
      name: "kubeconfig + client CA + server cert",
      pems: [fx("e2e-users/ca.crt"), fx("e2e-users/client.crt"), server].join("\n"),
      audit: { kubeconfig, clientCA, serverCertificate: server },
    },
  ];
  if (existsSync(DEBIAN)) {
    const text = readFileSync(DEBIAN, "utf8");
    inputs.push({ name: "Debian CA bundle", pems: text, audit: { pem: text } });
  }
  for (const n of BUNDLE_SIZES) {
    const text = await largeBundle(n);
    inputs.push({ name: `${n}-certificate bundle`, pems: text, audit: { pem: text } });
  }
  return inputs;
}

/** DER of every CERTIFICATE block (Node's own base64 decoder; for the baselines only). */
export function certificateDers(pems: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const m of pems.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g))
    out.push(new Uint8Array(Buffer.from(m[1]!, "base64")));
  return out;
}
