// The kubelet's own configuration, /var/lib/kubelet/config.yaml (a KubeletConfiguration, the file
// kubeadm writes and passes with --config): which CA it verifies clients with, which serving
// certificate it presents, and whether it renews its certificates itself. Without the file,
// kubeadm's values are assumed and the report says so.
import { InputProblem } from "../errors.ts";
import type { Findings } from "../findings/index.ts";
import { parseYaml } from "../input/yaml.ts";
import { fileText, type ControlPlaneTree } from "./tree.ts";

/** kubeadm's kubelet root directory and config file (kubeadmconstants KubeletRunDirectory, KubeletConfigurationFileName). */
export const KUBELET_DIR = "/var/lib/kubelet";
export const KUBELET_CONFIG = `${KUBELET_DIR}/config.yaml`;
/** The kubelet's --cert-dir default (cmd/kubelet/app/options NewKubeletFlags: CertDirectory /var/lib/kubelet/pki). */
export const KUBELET_PKI = `${KUBELET_DIR}/pki`;
/** The kubelet's flags kubeadm writes per node (kubeadm phases/kubelet/flags.go: KUBELET_KUBEADM_ARGS). */
export const KUBEADM_FLAGS_ENV = `${KUBELET_DIR}/kubeadm-flags.env`;

export interface KubeletConfig {
  /** The config file read; null when it is not in the upload (kubeadm's values assumed). */
  path: string | null;
  /** authentication.x509.clientCAFile; null when empty (no x509 client authentication). */
  clientCAFile: string | null;
  tlsCertFile: string | null;
  tlsPrivateKeyFile: string | null;
  serverTLSBootstrap: boolean;
  rotateCertificates: boolean;
  /** clusterDomain (the DNS names Pods resolve); null when not set. */
  clusterDomain: string | null;
  /** --node-ip and --hostname-override from kubeadm-flags.env (the kubelet reports them as InternalIP and Hostname). */
  nodeIp?: string | null;
  hostnameOverride?: string | null;
  /** --rotate-certificates in kubeadm-flags.env, when given: it decides rotateCertificates (a flag beats the file). */
  rotateCertificatesFlag?: boolean | null;
}

/** What `kubeadm init` writes (kubeadm componentconfigs/kubelet.go: ClientCAFile, RotateCertificates). */
export const KUBEADM_KUBELET: KubeletConfig = {
  path: null,
  clientCAFile: "/etc/kubernetes/pki/ca.crt",
  tlsCertFile: null,
  tlsPrivateKeyFile: null,
  serverTLSBootstrap: false,
  rotateCertificates: true,
  clusterDomain: "cluster.local",
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * The kubelet's configuration. Fields the file leaves out take the KubeletConfiguration v1beta1
 * defaults (k8s.io/kubelet config/v1beta1 types.go: rotateCertificates and serverTLSBootstrap
 * default false, clientCAFile empty), not kubeadm's: the kubelet reads only the file.
 */
export function readKubeletConfig(tree: ControlPlaneTree, findings: Findings, assumptions: string[]): KubeletConfig {
  const config = readConfigFile(tree, findings, assumptions);
  const flags = readFlagsEnv(tree);
  // The kubelet re-parses its command line over the config file (cmd/kubelet/app/server.go
  // kubeletConfigFlagPrecedence: "We must enforce flag precedence by re-parsing the command line
  // into the new object"), so --rotate-certificates beats config.yaml's rotateCertificates.
  const rotate = flags.rotateCertificatesFlag;
  return { ...config, ...flags, ...(rotate === null ? {} : { rotateCertificates: rotate }) };
}

/** pflag's bool flag: bare is true, else strconv.ParseBool's spellings; the last occurrence wins; null when absent or not a bool. */
function boolFlag(args: string, name: string): boolean | null {
  let out: boolean | null = null;
  for (const m of args.matchAll(new RegExp(`(?:^|\\s)--${name}(?:=(\\S*))?(?=\\s|$)`, "g"))) {
    const v = m[1];
    if (v === undefined || ["1", "t", "T", "true", "TRUE", "True"].includes(v)) out = true;
    else if (["0", "f", "F", "false", "FALSE", "False"].includes(v)) out = false;
  }
  return out;
}

/**
 * --node-ip and --hostname-override in kubeadm-flags.env's KUBELET_KUBEADM_ARGS: the addresses the
 * kubelet reports (pkg/kubelet/nodestatus/setters.go NodeAddress: InternalIP = --node-ip, Hostname =
 * the hostname or its override). The first address of a dual-stack --node-ip.
 */
function readFlagsEnv(tree: ControlPlaneTree): {
  nodeIp: string | null;
  hostnameOverride: string | null;
  rotateCertificatesFlag: boolean | null;
} {
  const args = /^KUBELET_KUBEADM_ARGS="([^"]*)"/m.exec(fileText(tree, KUBEADM_FLAGS_ENV) ?? "")?.[1] ?? "";
  const flag = (name: string) => {
    const m = new RegExp(`(?:^|\\s)--${name}=(\\S+)`).exec(args);
    return m ? m[1]!.split(",")[0]! : null;
  };
  return {
    nodeIp: flag("node-ip"),
    hostnameOverride: flag("hostname-override"),
    rotateCertificatesFlag: boolFlag(args, "rotate-certificates"),
  };
}

function readConfigFile(tree: ControlPlaneTree, findings: Findings, assumptions: string[]): KubeletConfig {
  const text = fileText(tree, KUBELET_CONFIG);
  if (text === null) {
    assumptions.push(
      `the kubelet runs with kubeadm's KubeletConfiguration (${KUBELET_CONFIG} not read): clientCAFile ${KUBEADM_KUBELET.clientCAFile}, rotateCertificates true, no tlsCertFile and no serverTLSBootstrap`,
    );
    return KUBEADM_KUBELET;
  }
  let doc: unknown;
  let problem: string | null = null;
  try {
    doc = parseYaml(text);
  } catch (e) {
    if (!(e instanceof InputProblem)) throw e;
    problem = e.message.replace("the kubeconfig", "the file");
  }
  if (problem === null && (!isObj(doc) || doc.kind !== "KubeletConfiguration"))
    problem = "it is not a KubeletConfiguration (kind: KubeletConfiguration)";
  if (problem !== null || !isObj(doc)) {
    findings.add(
      "cluster.file-unreadable",
      `${KUBELET_CONFIG.slice(1)} cannot be read (${problem}); kubeadm's kubelet values were assumed.`,
      {
        path: KUBELET_CONFIG.slice(1),
      },
    );
    assumptions.push(`the kubelet runs with kubeadm's KubeletConfiguration (${KUBELET_CONFIG} unreadable)`);
    return KUBEADM_KUBELET;
  }
  const authn = isObj(doc.authentication) ? doc.authentication : {};
  const x509 = isObj(authn.x509) ? authn.x509 : {};
  return {
    path: KUBELET_CONFIG,
    clientCAFile: str(x509.clientCAFile),
    tlsCertFile: str(doc.tlsCertFile),
    tlsPrivateKeyFile: str(doc.tlsPrivateKeyFile),
    serverTLSBootstrap: doc.serverTLSBootstrap === true,
    rotateCertificates: doc.rotateCertificates === true,
    clusterDomain: str(doc.clusterDomain),
  };
}

/**
 * The serving certificate and key the kubelet presents. With serverTLSBootstrap, the certificate
 * manager's file store (k8s.io/kubernetes pkg/kubelet/certificate NewKubeletServerCertificateManager:
 * certificate.NewFileStore("kubelet-server", certDir, certDir, tlsCertFile, tlsPrivateKeyFile);
 * client-go util/certificate/certificate_store.go fileStore.Current): kubelet-server-current.pem
 * (certificate and key in one file) first, then tlsCertFile and tlsPrivateKeyFile when both exist.
 * Without it, tlsCertFile when set; otherwise the self-signed pair InitializeTLS (cmd/kubelet/app/
 * server.go: `!kc.ServerTLSBootstrap && kc.TLSCertFile == "" && kc.TLSPrivateKeyFile == ""`) makes in
 * its cert directory, kubelet.crt and kubelet.key. `has` says whether a file is in the upload.
 */
export function kubeletServingFiles(
  k: KubeletConfig,
  has: (path: string) => boolean = () => false,
): { cert: string; key: string; how: string } {
  const current = `${KUBELET_PKI}/kubelet-server-current.pem`;
  if (k.serverTLSBootstrap) {
    if (k.tlsCertFile && k.tlsPrivateKeyFile && !has(current) && has(k.tlsCertFile))
      return {
        cert: k.tlsCertFile,
        key: k.tlsPrivateKeyFile,
        how: "serverTLSBootstrap with no kubelet-server-current.pem yet: tlsCertFile",
      };
    return { cert: current, key: current, how: "serverTLSBootstrap (a kubelet-serving CSR)" };
  }
  if (k.tlsCertFile) return { cert: k.tlsCertFile, key: k.tlsPrivateKeyFile ?? k.tlsCertFile, how: "tlsCertFile" };
  return {
    cert: `${KUBELET_PKI}/kubelet.crt`,
    key: `${KUBELET_PKI}/kubelet.key`,
    how: "self-signed by the kubelet (no tlsCertFile, no serverTLSBootstrap)",
  };
}
