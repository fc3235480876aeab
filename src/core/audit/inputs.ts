// Step 1 of the audit: read every part of the input (a kubeconfig, PEM or DER documents, the
// API server's client CA and presented chains) into the certificate store.
import { InputProblem } from "../errors.ts";
import type { Findings } from "../findings/index.ts";
import { detect, reportDetected } from "../input/detect.ts";
import { readKubeconfig, type Kubeconfig } from "../input/kubeconfig.ts";
import type { CertStore } from "../input/store.ts";
import type { InputKind } from "../report/types.ts";
import type { Cert } from "../x509/cert.ts";
import type { AuditInput, AuditOptions, InputData } from "./types.ts";

export interface ReadInput {
  kubeconfig: Kubeconfig | null;
  kind: InputKind;
  /** The input fields given, in the order read. */
  parts: string[];
  /** Certificates of the PEM/DER documents. */
  bundleCerts: Cert[];
  clientCA: Cert[] | null;
  serverChain: Cert[] | null;
  /** Per-server chains: context name -> the chain its own server presented. */
  chainOf: Map<string, Cert[]>;
  perServer: Cert[][];
}

const given = (d: InputData | undefined | null): d is InputData =>
  d !== undefined && d !== null && !(typeof d === "string" && d.trim() === "");

export async function readInput(input: AuditInput, options: AuditOptions, store: CertStore, findings: Findings): Promise<ReadInput> {
  const mains: { name: "document" | "kubeconfig" | "pem"; data: InputData }[] = [];
  for (const name of ["document", "kubeconfig", "pem"] as const) {
    const d = input[name];
    if (given(d)) mains.push({ name, data: d });
  }
  if (mains.length === 0 && !input.clientCA && !input.serverCertificate && !input.serverCertificates?.length)
    throw new InputProblem("input.nothing-to-audit", 422, "nothing to audit: send a kubeconfig or PEM bundle");

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
      for (const e of options.fileErrors ?? [])
        findings.add("kubeconfig.file-unreadable", `${e.path} names ${e.file}, which cannot be read (${e.reason}).`, { path: e.path });
      kind = "kubeconfig";
    } else if (detected.kind === "pem") {
      const prefix = part.name === "document" ? (detected.derChain ? "der" : "pem") : part.name;
      const { certs } = await store.addPem(detected.text, (i) => `${prefix}[${i}]`, { reportKeys: true });
      bundleCerts.push(...certs);
      kind ??= detected.derChain ? "der" : "pem";
    } else {
      const c = await store.addDer(detected.der, part.name === "document" ? "der" : part.name);
      if (c) bundleCerts.push(c);
      kind ??= "der";
    }
  }

  const readAux = async (name: "clientCA" | "serverCertificate"): Promise<Cert[] | null> => {
    const d = input[name];
    if (!given(d)) return null;
    parts.push(name);
    return store.addCertificateField(d, name);
  };
  const clientCA = await readAux("clientCA");
  const serverChain = await readAux("serverCertificate");
  const chainOf = new Map<string, Cert[]>();
  const perServer: Cert[][] = [];
  for (const [i, s] of (input.serverCertificates ?? []).entries()) {
    if (i === 0) parts.push("serverCertificates");
    const certs = await store.addCertificateField(s.certificate, `serverCertificates[${i}]`);
    perServer.push(certs);
    for (const name of s.contexts) chainOf.set(name, certs);
  }
  // With only clientCA / serverCertificate, the input is the envelope itself.
  return { kubeconfig, kind: kind ?? "envelope", parts, bundleCerts, clientCA, serverChain, chainOf, perServer };
}
