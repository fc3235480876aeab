// The hostile-name corpus (issue 11, section 1): text a certificate, a server's chain or a
// kubeconfig can carry into every output channel. One corpus for the terminal (under a
// pseudo-terminal), the Action's workflow commands, outputs and job summary, SARIF/JSON and the
// HTML report. Certificates are made here with @peculiar/x509 (test/helpers/pki.ts); nothing is
// fetched.
import { issue, type Issued } from "./pki.ts";
import * as x509 from "@peculiar/x509";

/** Terminal control: clear the screen, turn red, return to column 0, NUL, BEL, C1 CSI, OSC title and hyperlink. */
export const TERMINAL = {
  clear: "\x1b[2J",
  red: "\x1b[31m",
  home: "\x1b[H",
  cr: "\r",
  lf: "\n",
  nul: "\0",
  bel: "\x07",
  backspace: "\b",
  del: "\x7f",
  csi8: "\u009b31m",
  title: "\x1b]0;pwned\x07",
  link: "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07",
} as const;

/** Characters that reorder or hide text: bidi overrides and isolates, zero-width, BOM, separators. */
export const INVISIBLE = {
  rlo: "\u202e",
  lri: "\u2066",
  pdi: "\u2069",
  zwsp: "\u200b",
  zwj: "\u200d",
  bom: "\ufeff",
  shy: "\u00ad",
  lsep: "\u2028",
  nel: "\u0085",
} as const;

/** A lone surrogate: not text at all (only a BMPString or a JSON/YAML \u escape can carry it). */
export const LONE_SURROGATE = "\ud800";

/** Markdown and HTML that would become structure: pipes, code, links, images, raw HTML, emphasis, autolinks. */
export const MARKUP = {
  pipe: "a|b",
  ticks: "``` `x` ``",
  html: "<img src=x onerror=alert(1)><b>bold</b>",
  link: "[click](https://evil.example/l)",
  image: "![i](https://evil.example/i.png)",
  emphasis: "*em* _u_ **strong** ~~strike~~",
  entity: "&amp;&lt;",
  autolink: "https://bare.example/x www.evil.example me@evil.example <https://angle.example>",
  heading: "# heading",
  quote: "> quote",
  list: "- item",
  ordered: "1. item",
} as const;

/** GitHub workflow-command syntax (actions/runner ActionCommand.TryParseV2 and the legacy TryParse). */
export const WORKFLOW = {
  v2: "::error::injected-v2",
  v1: "##[error]injected-v1",
  stop: "##[stop-commands]tok",
  escaped: "%0A::error::injected-escaped %25",
  property: "x,title=injected:y",
} as const;

const join = (o: Record<string, string>) => Object.values(o).join(" ");

/** Every terminal and invisible character, with a readable word between them. */
export const TERMINAL_TEXT = `term ${join(TERMINAL)} ${join(INVISIBLE)} end`;
export const MARKUP_TEXT = join(MARKUP);
export const WORKFLOW_TEXT = join(WORKFLOW);

/** One string with all of it (a lone surrogate included): for channels that take any string. */
export const ALL = `${TERMINAL_TEXT} ${LONE_SURROGATE} ${MARKUP_TEXT} ${WORKFLOW_TEXT}`;

/** A file name made of the same (no `/` or NUL, which no file name can hold). */
export const HOSTILE_FILE_NAME = `evil\x1b[2J\x1b[31m\r\u202e|\`x\`[l](javascript:x)<b>,t=i:j##[error]v1 ::warning::x %0A.pem`;

/** The characters no channel may emit as themselves (the lone surrogate is checked on its own). */
export const MUST_NOT_APPEAR: readonly string[] = [
  "\x1b",
  "\r",
  "\0",
  "\x07",
  "\b",
  "\x7f",
  "\u009b",
  "\u202e",
  "\u2066",
  "\u2069",
  "\u200b",
  "\u200d",
  "\ufeff",
  "\u00ad",
  "\u2028",
  "\u0085",
];

export interface HostileCerts {
  ca: Issued;
  /** A client certificate: CN in a BMPString (lone surrogate, RLO), O in a UTF8String (ESC, CR, NUL), OU markup, L workflow commands; SANs with ESC. */
  leaf: Issued;
  /** Its subject as given, attribute by attribute. */
  fields: { cn: string; o: string; ou: string; l: string };
  sans: string[];
}

/**
 * The certificates of the corpus: a CA with a hostile name and a leaf it issued. `server`: the
 * leaf is an API server certificate for 127.0.0.1 and its CN holds no lone surrogate (OpenSSL,
 * which serves it in the --live test, refuses to load a name that cannot be converted to UTF-8).
 */
export async function hostileCerts(opts: { server?: boolean } = {}): Promise<HostileCerts> {
  const fields = {
    cn: `cn ${TERMINAL.clear}${INVISIBLE.rlo}${opts.server ? "" : LONE_SURROGATE}${INVISIBLE.lri} rlo`,
    o: `o ${TERMINAL_TEXT}`,
    ou: `ou ${MARKUP_TEXT}`,
    l: `l ${WORKFLOW_TEXT}`,
  };
  const name = (prefix: string): x509.JsonNameParams => [
    { CN: [{ bmpString: `${prefix}${fields.cn}` }] },
    { O: [{ utf8String: fields.o }] },
    { OU: [{ utf8String: fields.ou }] },
    { L: [{ utf8String: fields.l }] },
  ];
  const sans = [
    `evil${TERMINAL.clear}${TERMINAL.red}.example`,
    `cr${TERMINAL.cr}::error::x.example`,
    `md|[l](https${":"}//evil.example).example`,
  ];
  const ca = await issue({ subject: "CN=placeholder", ca: true });
  // The subject is given as a Name so the string types stay as chosen (BMPString, UTF8String).
  const caCert = await reissue(ca, name("ca "), null, name("ca "));
  const leaf = await issue({
    subject: "CN=placeholder",
    issuer: ca,
    eku: [opts.server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2"],
    sans: [
      ...sans.map((value) => ({ type: "dns" as const, value })),
      ...(opts.server ? [{ type: "ip" as const, value: "127.0.0.1" }] : []),
    ],
    notBefore: new Date(Date.now() - 86400_000),
    notAfter: new Date(Date.now() + 30 * 86400_000 * 12),
  });
  const leafCert = await reissue(leaf, name("leaf "), caCert, name("ca "));
  return { ca: caCert, leaf: leafCert, fields, sans };
}

/** The same certificate with its subject (and, for a leaf, its issuer) as a Name with chosen string types. */
async function reissue(
  base: Issued,
  subject: x509.JsonNameParams,
  issuer: Issued | null,
  issuerName: x509.JsonNameParams,
): Promise<Issued> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: base.cert.serialNumber,
    subject: new x509.Name(subject),
    issuer: new x509.Name(issuerName),
    notBefore: base.cert.notBefore,
    notAfter: base.cert.notAfter,
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
    publicKey: base.keys.publicKey,
    signingKey: issuer ? issuer.keys.privateKey : base.keys.privateKey,
    extensions: base.cert.extensions
      .filter((e) => e.type !== "2.5.29.35")
      .concat(issuer ? [await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey)] : []),
  });
  return { ...base, cert, pem: cert.toString("pem") };
}

/** YAML double-quoted scalar: JSON escapes are YAML escapes (\u001b, \ud800, \r, \u0000). */
const q = (s: string) => JSON.stringify(s);

/**
 * A kubeconfig whose context, cluster and user names, server URL and extension names are hostile
 * (the certificates embedded), with a duplicate context name and a repeated extension name so that
 * findings quote them.
 */
export function hostileKubeconfig(certs: HostileCerts): string {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const ctx = `ctx ${TERMINAL_TEXT} ${MARKUP.link} ${WORKFLOW.v1}`;
  const cluster = `cluster ${TERMINAL.clear}${INVISIBLE.rlo} ${MARKUP.html}`;
  const user = `user ${TERMINAL.red}${TERMINAL.cr}${WORKFLOW.v2}`;
  const ext = `ext ${TERMINAL.clear}${INVISIBLE.rlo}${LONE_SURROGATE}`;
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${b64(certs.ca.pem)}`,
    `    server: ${q(`https://127.0.0.1:6443/${TERMINAL.clear}${INVISIBLE.rlo}`)}`,
    "    extensions:",
    `    - name: ${q(ext)}`,
    "      extension: {}",
    `    - name: ${q(ext)}`,
    "      extension: {}",
    `  name: ${q(cluster)}`,
    "contexts:",
    "- context:",
    `    cluster: ${q(cluster)}`,
    `    user: ${q(user)}`,
    `  name: ${q(ctx)}`,
    "- context:",
    `    cluster: ${q(cluster)}`,
    `    user: ${q(user)}`,
    `  name: ${q(ctx)}`,
    `current-context: ${q(ctx)}`,
    "users:",
    `- name: ${q(user)}`,
    "  user:",
    `    client-certificate-data: ${b64(certs.leaf.pem)}`,
    `    client-key-data: ${b64(certs.leaf.keyPem)}`,
    "",
  ].join("\n");
}

/** A kubeconfig the YAML reader refuses, with hostile text in the key it names and around the error position. */
export function hostileBrokenKubeconfig(): string {
  const key = `key ${TERMINAL.clear}${INVISIBLE.rlo} ${MARKUP.link}`;
  return ["apiVersion: v1", "kind: Config", `${q(key)}: 1`, `${q(key)}: 2`, "clusters: []", ""].join("\n");
}

/** True when `s` holds a lone surrogate (a UTF-16 code unit no pair completes). */
export const hasLoneSurrogate = (s: string): boolean => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

/** The characters of MUST_NOT_APPEAR that `s` holds, shown as escapes (empty when none). */
export function rawControls(s: string): string[] {
  return MUST_NOT_APPEAR.filter((c) => s.includes(c)).map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
