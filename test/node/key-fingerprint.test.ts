// The fingerprint a key that stayed home is known by (issue 12: `<key>.pubsha256`,
// `client-key-pubsha256`) is the SHA-256 of the key's canonical SubjectPublicKeyInfo
// (src/core/keys/canonical.ts). The expectation is openssl's: `openssl pkey -pubout -outform DER |
// sha256` of the key as openssl generated it (named curve, uncompressed point, RSA with NULL
// parameters). Certificates that carry the same key in another encoding are made with openssl
// (`openssl ec -param_enc explicit -conv_form compressed` then `openssl req -x509`; asn1parse
// shows the encoding) or crafted in DER (RSA without NULL, relabelled RSASSA-PSS; the key-match
// helpers), and must have the same fingerprint, where the SPKI's own hash differs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadableTree } from "../../src/cli/directory-upload.ts";
import { certificateKeyFingerprint, fingerprintKey, keyPairMatches } from "../../src/core/cluster/key-fingerprint.ts";
import { controlPlaneReport } from "../../src/core/cluster/index.ts";
import { scanPem } from "../../src/core/encoding/pem.ts";
import { readPrivateKey } from "../../src/core/keys/private.ts";
import { parseCertificate, type Cert } from "../../src/core/x509/cert.ts";
import { issue } from "../helpers/pki.ts";
import { asRsaPss, certWithSpki, rsaWithoutNull } from "../helpers/spki.ts";
import { KUBEADM_DIR, kubeadmTree } from "../core/helpers/kubeadm-tree.ts";
import { needTool } from "./helpers/tools.ts";

const subtle = crypto.subtle;
const digest = async (d: Uint8Array) => new Uint8Array(await subtle.digest("SHA-256", d as BufferSource));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "certaudit-fp-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openssl = (args: string[], input?: Buffer | string) =>
  execFileSync("openssl", args, { cwd: dir, ...(input !== undefined ? { input } : {}) });
/** openssl's SHA-256 of the DER public key of a key file. */
const opensslFp = (keyFile: string) =>
  hex(
    new Uint8Array(
      execFileSync("openssl", ["dgst", "-sha256", "-binary"], { input: openssl(["pkey", "-in", keyFile, "-pubout", "-outform", "DER"]) }),
    ),
  );
const certOf = async (pem: string): Promise<Cert> => parseCertificate(scanPem(pem).blocks[0]!.der!, digest);
const keyOf = async (file: string) => readPrivateKey(scanPem(readFileSync(join(dir, file), "utf8")).blocks[0]!, subtle);
/** What asn1parse says of the certificate as encoded (`x509 -pubkey` would re-encode its key). */
const spkiDump = (certPem: string) => openssl(["asn1parse"], certPem).toString();

describe("key fingerprints are the key's, whatever the certificate's SPKI encoding", () => {
  it("EC: explicit parameters of a named curve and a compressed point (openssl) match the key's fingerprint", async (ctx) => {
    needTool(ctx, "openssl");
    for (const curve of ["P-256", "P-384", "P-521"]) {
      const key = `ec-${curve}.pem`;
      openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", `ec_paramgen_curve:${curve}`, "-out", key]);
      const want = opensslFp(key);
      const other = `ec-${curve}-other.pem`;
      openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", `ec_paramgen_curve:${curve}`, "-out", other]);
      // The key's own fingerprint, as the CLI and the Action compute it before an upload.
      expect((await keyOf(key)).info.publicKeyFingerprint, curve).toBe(want);
      for (const [enc, form] of [
        ["explicit", "uncompressed"],
        ["explicit", "compressed"],
        ["named_curve", "compressed"],
        ["named_curve", "uncompressed"],
      ] as const) {
        const conv = `ec-${curve}-${enc}-${form}.pem`;
        openssl(["ec", "-in", key, "-param_enc", enc, "-conv_form", form, "-out", conv]);
        const pem = openssl(["req", "-new", "-x509", "-key", conv, "-subj", "/CN=x", "-days", "30", "-sha256"]).toString();
        const dump = spkiDump(pem);
        // The encoding is what it says (openssl asn1parse): explicit parameters spell out the prime field.
        expect(dump.includes("prime-field"), `${curve} ${enc}`).toBe(enc === "explicit");
        const cert = await certOf(pem);
        const unusual = enc === "explicit" || form === "compressed";
        expect(cert.publicKey.fingerprint === want, `${curve} ${enc} ${form}: the SPKI's own hash`).toBe(!unusual);
        expect(await certificateKeyFingerprint(cert, subtle), `${curve} ${enc} ${form}`).toBe(want);
        expect(await keyPairMatches(fingerprintKey(want)!, cert, subtle), `${curve} ${enc} ${form}`).toBe(true);
        expect(await keyPairMatches(fingerprintKey(opensslFp(other))!, cert, subtle), `${curve} ${enc} ${form}, other key`).toBe(false);
      }
    }
  });

  it("RSA: parameters absent instead of NULL, and the key labelled RSASSA-PSS, match the key's fingerprint", async (ctx) => {
    needTool(ctx, "openssl");
    const ca = await issue({ subject: "CN=ca", ca: true });
    openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem"]);
    openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-other.pem"]);
    const want = opensslFp("rsa.pem");
    expect((await keyOf("rsa.pem")).info.publicKeyFingerprint).toBe(want);
    const spki = new Uint8Array(openssl(["pkey", "-in", "rsa.pem", "-pubout", "-outform", "DER"]));
    for (const [name, odd] of [
      ["without NULL", rsaWithoutNull(spki)],
      ["RSASSA-PSS", asRsaPss(spki)],
    ] as const) {
      const pem = await certWithSpki(odd, ca);
      const dump = spkiDump(pem);
      expect(dump.includes("NULL"), name).toBe(false);
      const cert = await certOf(pem);
      expect(cert.publicKey.fingerprint, name).not.toBe(want);
      expect(await certificateKeyFingerprint(cert, subtle), name).toBe(want);
      expect(await keyPairMatches(fingerprintKey(want)!, cert, subtle), name).toBe(true);
      expect(await keyPairMatches(fingerprintKey(opensslFp("rsa-other.pem"))!, cert, subtle), name).toBe(false);
    }
  });

  it("Ed25519: the fingerprint is openssl's", async (ctx) => {
    needTool(ctx, "openssl");
    openssl(["genpkey", "-algorithm", "ED25519", "-out", "ed.pem"]);
    const pem = openssl(["req", "-new", "-x509", "-key", "ed.pem", "-subj", "/CN=x", "-days", "30"]).toString();
    const want = opensslFp("ed.pem");
    expect((await keyOf("ed.pem")).info.publicKeyFingerprint).toBe(want);
    expect(await certificateKeyFingerprint(await certOf(pem), subtle)).toBe(want);
  });

  it("a control plane whose apiserver.crt carries its RSA key without NULL parameters: the uploaded fingerprint is openssl's, and the pair is judged as locally", async (ctx) => {
    needTool(ctx, "openssl");
    const AT = new Date("2026-11-01T00:00:00Z");
    // Same key (pki/apiserver.key of the base fixture, RSA as kubeadm makes it); only the SPKI encoding changes.
    const base = join(KUBEADM_DIR, "base/pki");
    const spki = new Uint8Array(openssl(["pkey", "-in", join(base, "apiserver.key"), "-pubout", "-outform", "DER"]));
    const crt = await certWithSpki(rsaWithoutNull(spki), await issue({ subject: "CN=other-ca", ca: true }));
    expect(spkiDump(crt)).toMatch(/rsaEncryption\s*\n\s*\d+:d=3 +hl=\d +l= *\d+ prim: BIT STRING/);
    const tree = kubeadmTree("base");
    tree.set("pki/apiserver.crt", new TextEncoder().encode(crt));
    const edge = (r: Awaited<ReturnType<typeof controlPlaneReport>>) => {
      const e = r.cluster!.edges.find((e) => e.relation === "key-pair" && e.to === "kube-apiserver --tls-cert-file")!;
      return { verdict: e.verdict, codes: e.findings.map((f) => f.code) };
    };
    // Go's X509KeyPair refuses the certificate before it compares keys ("x509: RSA key missing NULL
    // parameters"; the Go oracle run in cluster-key-pair-go.test.ts), so the pair is broken, locally…
    const local = edge(await controlPlaneReport(tree, { at: AT, subtle }));
    expect(local).toEqual({ verdict: "broken", codes: ["cluster.key-pair-unloadable"] });
    // …and uploaded, where the key is its fingerprint (openssl's), which matches: a match does not undo the refusal.
    const { files } = await uploadableTree(tree, subtle);
    expect(new TextDecoder().decode(files.get("pki/apiserver.key.pubsha256")).trim()).toBe(opensslFp(join(base, "apiserver.key")));
    expect(files.has("pki/apiserver.key")).toBe(false);
    expect(await keyPairMatches(fingerprintKey(opensslFp(join(base, "apiserver.key")))!, await certOf(crt), subtle)).toBe(true);
    expect(edge(await controlPlaneReport(files, { at: AT, subtle }))).toEqual(local);
  });
});
