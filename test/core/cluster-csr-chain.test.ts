// Issued CSR certificates against the cluster CA given (--root-ca). The CAs and the issued
// certificates are made here with openssl (openssl x509 -req signs the fixture's own requests,
// test/fixtures/k8s-objects/csr, make-csr.sh), and `openssl verify` (with -purpose for the usage the
// signer issues for) decides each expectation; the fixture's status.certificate came from
// make-csr.sh's signing CA, a third CA never given here.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { auditObjects } from "../../src/core/cluster/index.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";

const AT = new Date();
const text = readFileSync(new URL("../fixtures/k8s-objects/csr/objects.yaml", import.meta.url), "utf8");
const docs = text.split(/^---\n/m).map((d) => parse(d));
const named = (name: string) => structuredClone(docs.find((d) => d.metadata.name === name));
const b64 = (s: string) => Buffer.from(s).toString("base64");
const unb64 = (s: string) => Buffer.from(s, "base64").toString();

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");
withOpenssl("status.certificate against the cluster CA given (kubeadm: --cluster-signing-cert-file is pki/ca.crt)", () => {
  const dir = mkdtempSync(join(tmpdir(), "certaudit-csr-chain-"));
  const ssl = (args: string[], input?: string) => {
    const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8", ...(input ? { input } : {}) });
    return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
  };
  const ca = (name: string) => {
    const r = ssl([
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.crt`,
      "-subj",
      `/CN=${name}`,
      "-days",
      "30",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,digitalSignature",
    ]);
    expect(r.ok, r.out).toBe(true);
    return readFileSync(join(dir, `${name}.crt`));
  };
  /** The fixture's request `name` signed by CA `by` with extendedKeyUsage `eku`. */
  const issue = (name: string, by: string, eku: string) => {
    writeFileSync(join(dir, `${name}.csr`), unb64(named(name).spec.request));
    writeFileSync(join(dir, `${name}.ext`), `extendedKeyUsage=${eku}\nkeyUsage=critical,digitalSignature\n`);
    const r = ssl([
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${by}.crt`,
      "-CAkey",
      `${by}.key`,
      "-CAcreateserial",
      "-days",
      "10",
      "-extfile",
      `${name}.ext`,
      "-out",
      `${name}-${by}.crt`,
    ]);
    expect(r.ok, r.out).toBe(true);
    return readFileSync(join(dir, `${name}-${by}.crt`), "utf8");
  };
  const verify = (crt: string, by: string, purpose: string) => {
    writeFileSync(join(dir, "probe.crt"), crt);
    return ssl(["verify", "-CAfile", `${by}.crt`, "-purpose", purpose, "probe.crt"]).ok;
  };
  const clusterCa = ca("cluster-ca");
  ca("other-ca");
  const stream = (items: any[]) => items.map((d) => stringify(d)).join("---\n");
  const untrusted = async (items: any[], rootCa?: Uint8Array) => {
    const { cluster } = await auditObjects(stream(items), { at: AT, subtle: crypto.subtle, ...(rootCa ? { rootCa } : {}) });
    return {
      names: cluster.findings.filter((f) => f.code === "cluster.csr-certificate-untrusted").map((f) => f.path),
      assumptions: cluster.assumptions,
    };
  };

  it("a kubelet client certificate the cluster CA issued holds; the fixture's (another CA) is refused", async () => {
    const ours = named("node-csr-kubelet-client");
    ours.metadata.name = "issued-by-cluster-ca";
    ours.status.certificate = b64(issue("node-csr-kubelet-client", "cluster-ca", "clientAuth"));
    const theirs = named("node-csr-kubelet-client");
    expect(verify(unb64(ours.status.certificate), "cluster-ca", "sslclient")).toBe(true);
    expect(verify(unb64(theirs.status.certificate), "cluster-ca", "sslclient")).toBe(false);
    const r = await untrusted([ours, theirs], clusterCa);
    expect(r.names).toEqual(["csrs/node-csr-kubelet-client"]);
    expect(r.assumptions.some((a) => a.includes("assuming it is also --cluster-signing-cert-file"))).toBe(true);
  });

  it("kubelet-serving: serverAuth from the cluster CA holds; clientAuth only is refused (openssl -purpose sslserver)", async () => {
    const good = named("csr-kubelet-serving");
    good.status = { certificate: b64(issue("csr-kubelet-serving", "cluster-ca", "serverAuth")) };
    const bad = named("csr-kubelet-serving");
    bad.metadata.name = "serving-client-only";
    bad.status = { certificate: b64(issue("csr-kubelet-serving", "cluster-ca", "clientAuth")) };
    expect(verify(unb64(good.status.certificate), "cluster-ca", "sslserver")).toBe(true);
    expect(verify(unb64(bad.status.certificate), "cluster-ca", "sslserver")).toBe(false);
    expect((await untrusted([good, bad], clusterCa)).names).toEqual(["csrs/serving-client-only"]);
  });

  it("given another CA, the cluster CA's certificate is refused; without --root-ca nothing is checked and the report says so", async () => {
    const ours = named("node-csr-kubelet-client");
    ours.status.certificate = b64(issue("node-csr-kubelet-client", "cluster-ca", "clientAuth"));
    expect(verify(unb64(ours.status.certificate), "other-ca", "sslclient")).toBe(false);
    expect((await untrusted([ours], readFileSync(join(dir, "other-ca.crt")))).names).toEqual(["csrs/node-csr-kubelet-client"]);
    const none = await untrusted([ours]);
    expect(none.names).toEqual([]);
    expect(none.assumptions.some((a) => a.startsWith("issued CertificateSigningRequest certificates were not verified"))).toBe(true);
  });

  it("a custom signer's certificate is not judged against the cluster CA", async () => {
    const custom = named("csr-custom-signer");
    custom.status = { certificate: b64(issue("node-csr-kubelet-client", "other-ca", "clientAuth")) };
    expect((await untrusted([custom], clusterCa)).names).toEqual([]);
  });
});
