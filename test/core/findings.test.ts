// Every finding code in the catalogue is triggered here by an input that should produce it,
// and the last test fails when a code is added to the catalogue without a case in this table.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { audit, type AuditInput, type AuditOptions } from "../../src/core/audit.ts";
import { CATALOGUE } from "../../src/core/findings/index.ts";
import type { Report } from "../../src/core/report/types.ts";
import { verifyCertificate, type VerifyRequest } from "../../src/core/verify-chain.ts";
import { encodeTlv } from "../../src/core/encoding/der.ts";
import { stripSecrets } from "../../src/core/input/redact.ts";
import { AT, issue, keyPair, kubeadmPki, kubeconfig, type Issued } from "../helpers/pki.ts";
import { craftCert, pem as craftedPem } from "./helpers/craft.ts";
import { auditControlPlane, auditObjects } from "../../src/core/cluster/index.ts";
import { editTree, KUBEADM_AT, kubeadmTree, nodeTree } from "./helpers/kubeadm-tree.ts";

const fixture = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), "utf8");
const run = (input: AuditInput, opts: Partial<AuditOptions> = {}) => audit(input, { at: AT, subtle: crypto.subtle, ...opts });
const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString("base64");
const CLIENT = ["1.3.6.1.5.5.7.3.2"];
const SERVER = ["1.3.6.1.5.5.7.3.1"];
const Y2026 = new Date("2026-01-01T00:00:00Z");
const Y2027 = new Date("2027-01-01T00:00:00Z");

/** A kubeconfig around the standard PKI with user/cluster extras. */
async function kc(
  opts: {
    userExtra?: Record<string, unknown>;
    clusterExtra?: Record<string, unknown>;
    client?: Issued | null;
    key?: string;
    ca?: Issued[] | string;
    server?: string;
  } = {},
) {
  const pki = await kubeadmPki();
  const client = opts.client === null ? undefined : (opts.client ?? pki.client);
  return {
    pki,
    text: kubeconfig({
      clusters: [
        {
          name: "c",
          ca: opts.ca ?? [pki.ca],
          ...(opts.server !== undefined ? { server: opts.server } : {}),
          ...(opts.clusterExtra ? { extra: opts.clusterExtra } : {}),
        },
      ],
      users: [
        {
          name: "u",
          ...(client ? { cert: client } : {}),
          ...(opts.key !== undefined ? { key: opts.key } : {}),
          ...(opts.userExtra ? { extra: opts.userExtra } : {}),
        },
      ],
      contexts: [{ name: "ctx", cluster: "c", user: "u" }],
      current: "ctx",
    }),
  };
}

/** Replaces every occurrence of one byte sequence in a DER certificate (to craft odd algorithms). */
function patch(der: ArrayBuffer, from: number[], to: number[]): Uint8Array {
  const b = new Uint8Array(der.slice(0));
  for (let i = 0; i + from.length <= b.length; i++) if (from.every((v, j) => b[i + j] === v)) b.set(to, i);
  return b;
}
const pemOf = (der: Uint8Array) => x509.PemConverter.encode(der.buffer as ArrayBuffer, "CERTIFICATE");
const SHA256_RSA = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];

type Case = () => Promise<{ findings: { code: string }[] }>;

const kubeCases: Record<string, Case> = {
  "kubeconfig.no-contexts": async () => run({ kubeconfig: "apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n" }),
  "kubeconfig.current-context-missing": async () =>
    run({ kubeconfig: (await kc()).text.replace("current-context: ctx", "current-context: gone") }),
  "kubeconfig.no-current-context": async () => run({ kubeconfig: (await kc()).text.replace("current-context: ctx\n", "") }),
  "kubeconfig.context-missing-cluster": async () =>
    run({ kubeconfig: (await kc()).text.replace("    cluster: c", "    cluster: nowhere") }),
  "kubeconfig.context-missing-user": async () => run({ kubeconfig: (await kc()).text.replace("    user: u", "    user: nobody") }),
  "kubeconfig.duplicate-name": async () => run({ kubeconfig: (await kc()).text.replace("users:\n", "users:\n- name: u\n  user: {}\n") }),
  // kubectl: `json: cannot unmarshal bool into Go struct field AuthInfo.users.user.token of type string` (test/node/kubeconfig-oracle.test.ts).
  "kubeconfig.wrong-type": async () =>
    run({ kubeconfig: (await kc({ client: null, userExtra: { token: "yes" } })).text.replace('token: "yes"', "token: yes") }),
  "kubeconfig.no-server": async () => run({ kubeconfig: (await kc({ server: "" })).text }),
  "kubeconfig.bad-server-url": async () => run({ kubeconfig: (await kc({ server: "https://[bad" })).text }),
  "kubeconfig.http-server": async () => run({ kubeconfig: (await kc({ server: "http://10.0.0.1:8080" })).text }),
  "kubeconfig.server-userinfo": async () => run({ kubeconfig: (await kc({ server: "https://admin:pw@10.0.0.1:6443" })).text }),
  // Go's url.Parse gives host ":6443", so net/http has no ServerName (crypto/tls refuses to verify without one).
  "kubeconfig.server-name-unknown": async () => run({ kubeconfig: (await kc({ server: "https://:6443" })).text }),
  // kubectl -v=6 shows `GET http://localhost:6443/...` for this server (test/node/kubeconfig-oracle.test.ts).
  "kubeconfig.server-without-scheme": async () => run({ kubeconfig: (await kc({ server: "localhost:6443" })).text }),
  "kubeconfig.insecure-skip-tls-verify": async () =>
    run({ kubeconfig: (await kc({ ca: "", clusterExtra: { "insecure-skip-tls-verify": true } })).text }),
  "kubeconfig.insecure-with-ca": async () => run({ kubeconfig: (await kc({ clusterExtra: { "insecure-skip-tls-verify": true } })).text }),
  "kubeconfig.no-cluster-ca": async () => run({ kubeconfig: (await kc({ ca: "" })).text }),
  "kubeconfig.ca-data-and-file": async () =>
    run({ kubeconfig: (await kc({ clusterExtra: { "certificate-authority": "/etc/kubernetes/pki/ca.crt" } })).text }),
  "kubeconfig.cert-data-and-file": async () =>
    run({ kubeconfig: (await kc({ userExtra: { "client-certificate": "/home/jane/jane.crt" } })).text }),
  "kubeconfig.key-data-and-file": async () => run({ kubeconfig: (await kc({ userExtra: { "client-key": "/home/jane/jane.key" } })).text }),
  "kubeconfig.cert-without-key": async () => run({ kubeconfig: (await kc({ key: "" })).text.replace(/ {4}client-key-data: .*\n/, "") }),
  "kubeconfig.key-without-cert": async () => {
    const { pki } = await kc();
    return run({ kubeconfig: (await kc({ client: null, userExtra: { "client-key-data": b64(pki.client.keyPem) } })).text });
  },
  "kubeconfig.multiple-auth-methods": async () =>
    run({ kubeconfig: (await kc({ client: null, userExtra: { token: "abc.def", username: "admin", password: "pw" } })).text }),
  "kubeconfig.no-credentials": async () => run({ kubeconfig: (await kc({ client: null })).text }),
  "kubeconfig.static-token": async () => run({ kubeconfig: (await kc({ client: null, userExtra: { token: "eyJhbGciOi.secret" } })).text }),
  "kubeconfig.basic-auth": async () =>
    run({ kubeconfig: (await kc({ client: null, userExtra: { username: "admin", password: "hunter2" } })).text }),
  "kubeconfig.context-not-audited": async () => run({ kubeconfig: (await kc({ client: null, ca: "" })).text }),
  // The CLI reports a file it could not read beside the kubeconfig (src/cli/kubeconfig-files.ts).
  "kubeconfig.file-unreadable": async () =>
    run(
      { kubeconfig: (await kc({ client: null, userExtra: { "client-certificate": "/nonexistent/jane.crt" } })).text },
      { fileErrors: [{ path: "users[u].client-certificate", file: "/nonexistent/jane.crt", reason: "ENOENT" }] },
    ),
  "kubeconfig.file-reference": async () =>
    run({ kubeconfig: (await kc({ client: null, userExtra: { tokenFile: "/var/run/secrets/token" } })).text }),
  "kubeconfig.exec-plugin": async () =>
    run({
      kubeconfig: (await kc({ client: null, userExtra: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws" } } }))
        .text,
    }),
  "kubeconfig.exec-invalid": async () =>
    run({
      kubeconfig: (await kc({ client: null, userExtra: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "aws" } } })).text,
    }),
  "kubeconfig.auth-provider": async () =>
    run({ kubeconfig: (await kc({ client: null, userExtra: { "auth-provider": { name: "gcp" } } })).text }),
  "kubeconfig.impersonation": async () => run({ kubeconfig: (await kc({ userExtra: { as: "alice" } })).text }),
  "kubeconfig.impersonation-without-user": async () => run({ kubeconfig: (await kc({ userExtra: { "as-groups": ["ops"] } })).text }),
  "kubeconfig.proxy-url": async () => run({ kubeconfig: (await kc({ clusterExtra: { "proxy-url": "socks5://127.0.0.1:1080" } })).text }),
  "kubeconfig.tls-server-name": async () => run({ kubeconfig: (await kc({ clusterExtra: { "tls-server-name": "kubernetes" } })).text }),
  "kubeconfig.client-ca-rotated": async () => {
    const old = await issue({ subject: "CN=kubernetes", ca: true });
    const rotated = await issue({ subject: "CN=kubernetes", ca: true });
    const client = await issue({ subject: "CN=jane", issuer: rotated, eku: CLIENT, notBefore: Y2026, notAfter: Y2027 });
    return run({ kubeconfig: (await kc({ ca: [old], client })).text });
  },
  "kubeconfig.client-ca-different": async () => {
    const other = await issue({ subject: "CN=client-ca", ca: true });
    const client = await issue({ subject: "CN=jane", issuer: other, eku: CLIENT, notBefore: Y2026, notAfter: Y2027 });
    return run({ kubeconfig: (await kc({ client })).text });
  },
  "kubeconfig.client-verdict-undecided": async () => run({ kubeconfig: (await kc()).text }),
  "kubeconfig.server-verdict-undecided": async () => run({ kubeconfig: (await kc()).text }),
  "kubeconfig.client-rejected": async () => {
    const other = await issue({ subject: "CN=other-ca", ca: true });
    return run({ kubeconfig: (await kc()).text, clientCA: other.pem });
  },
  "kubeconfig.server-untrusted": async () => {
    const other = await issue({ subject: "CN=other-ca", ca: true });
    const server = await issue({
      subject: "CN=kube-apiserver",
      issuer: other,
      eku: SERVER,
      sans: [{ type: "ip", value: "127.0.0.1" }],
      notBefore: Y2026,
      notAfter: Y2027,
    });
    return run({ kubeconfig: (await kc()).text, serverCertificate: server.pem });
  },
};

const inputCases: Record<string, Case> = {
  "input.private-key-uploaded": async () => {
    const { client } = await kubeadmPki();
    return run({ pem: client.pem + client.keyPem });
  },
  // Audited where it lives (the CLI, the Action, the form's in-browser mode): nothing was uploaded.
  "input.private-key-in-file": async () => {
    const { client } = await kubeadmPki();
    return run({ pem: client.pem + client.keyPem }, { local: true });
  },
  "input.unparseable-certificate": async () =>
    run({ pem: `-----BEGIN CERTIFICATE-----\n${b64(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01, 0x00]))}\n-----END CERTIFICATE-----\n` }),
  "input.bad-pem-block": async () => run({ pem: "-----BEGIN CERTIFICATE-----\nMIIB\n" }),
  "input.unknown-pem-block": async () => run({ pem: "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n" }),
  // OpenSSL's trusted form: the certificate, then X509_CERT_AUX { trust SEQUENCE OF OID { clientAuth } } (as `openssl x509 -trustout -addtrust clientAuth` writes; test/node/der-chain-trusted.test.ts compares with openssl).
  "input.trusted-certificate": async () => {
    const { ca } = await kubeadmPki();
    const clientAuth = encodeTlv(0x06, new Uint8Array([0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02]));
    const aux = encodeTlv(0x30, encodeTlv(0x30, clientAuth));
    const der = new Uint8Array([...new Uint8Array(ca.cert.rawData), ...aux]);
    return run({ pem: `-----BEGIN TRUSTED CERTIFICATE-----\n${b64(der)}\n-----END TRUSTED CERTIFICATE-----\n` });
  },
  "input.duplicate-certificate": async () => {
    const { ca } = await kubeadmPki();
    return run({ pem: ca.pem + ca.pem });
  },
  "input.placeholder-data": async () => run({ kubeconfig: (await kc({ ca: "DATA+OMITTED", key: "REDACTED" })).text }),
  "input.bad-base64": async () => run({ kubeconfig: (await kc({ ca: "not*base64*data" })).text }),
  "input.data-not-pem": async () => {
    const { ca } = await kubeadmPki();
    return run({ kubeconfig: (await kc({ ca: b64(new Uint8Array(ca.cert.rawData)) })).text });
  },
  // kubectl: `unable to load root certificates: no valid certificate authority data seen` (test/node/kubeconfig-oracle.test.ts).
  "input.data-no-certificate": async () => {
    const { ca } = await kubeadmPki();
    return run({
      kubeconfig: (
        await kc({ ca: b64(`-----BEGIN PKCS7-----\n${b64(signedData([new Uint8Array(ca.cert.rawData)]))}\n-----END PKCS7-----\n`) })
      ).text,
    });
  },
  "input.secret-stripped": async () => run({ kubeconfig: stripSecrets((await kc()).text).text }),
  "input.nothing-audited": async () => run({ pem: "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n" }),
  "input.stray-text": async () => {
    const { ca } = await kubeadmPki();
    return run({ pem: `Certificate:\n    Data: the text openssl x509 -text prints\n${ca.pem}` });
  },
  // What `curl -d @ca.crt` sends (curl strips CR and LF); test/node/pem-oracle.test.ts has openssl's and Go's view.
  "input.pem-no-line-breaks": async () => run({ pem: (await kubeadmPki()).ca.pem.replace(/\r?\n/g, "") }),
  // A line of repeated BEGIN fragments after a certificate; test/node/pem-hostile.test.ts has Go's view.
  "input.pem-broken-marker": async () => run({ pem: `${(await kubeadmPki()).ca.pem.trimEnd()}\n${"-----BEGIN ".repeat(50)}\n` }),
  // Base64 of the DER with its "=" padding removed; test/node/pem-hostile.test.ts has Go's, base64's and openssl's view.
  "input.base64-unpadded": async () => {
    const pem = readFileSync(new URL("../fixtures/e2e-users/ca.crt", import.meta.url), "utf8");
    const b64 = pem
      .split("\n")
      .filter((l) => l && !l.startsWith("-----"))
      .join("");
    expect(b64.endsWith("=")).toBe(true);
    return run({ pem: b64.replace(/=+$/, "") });
  },
  // `cat a.pem b.pem` where a.pem has no final newline.
  "input.pem-marker-not-alone": async () => {
    const { ca, client } = await kubeadmPki();
    return run({ pem: ca.pem.trimEnd() + client.pem });
  },
  "input.pkcs7-bundle": async () => {
    const { ca, client } = await kubeadmPki();
    return run({ pem: signedData([new Uint8Array(ca.cert.rawData), new Uint8Array(client.cert.rawData)]) });
  },
  "input.utf16-pem": async () => {
    const { ca } = await kubeadmPki();
    return run({ pem: new Uint8Array([0xff, 0xfe, ...Buffer.from(ca.pem, "utf16le")]) });
  },
};

/** A degenerate PKCS#7 SignedData carrying certificates, as `openssl crl2pkcs7 -nocrl` writes it (RFC 5652 5.1). */
function signedData(certs: Uint8Array[]): Uint8Array {
  const oid = (hex: string) => encodeTlv(0x06, Buffer.from(hex, "hex"));
  const sd = encodeTlv(
    0x30,
    Buffer.concat([
      encodeTlv(0x02, new Uint8Array([1])),
      encodeTlv(0x31, new Uint8Array()),
      encodeTlv(0x30, oid("2a864886f70d010701")),
      encodeTlv(0xa0, Buffer.concat(certs)),
      encodeTlv(0x31, new Uint8Array()),
    ]),
  );
  return encodeTlv(0x30, Buffer.concat([oid("2a864886f70d010702"), encodeTlv(0xa0, sd)]));
}

const certCases: Record<string, Case> = {
  "cert.expired": async () => run({ pem: (await issue({ subject: "CN=old", notAfter: new Date("2026-01-01T00:00:00Z") })).pem }),
  "cert.not-yet-valid": async () => run({ pem: (await issue({ subject: "CN=future", notBefore: new Date("2026-07-01T00:00:00Z") })).pem }),
  "cert.expiring-soon": async () => run({ pem: (await issue({ subject: "CN=soon", notAfter: new Date("2026-06-20T00:00:00Z") })).pem }),
  "cert.outlives-issuer": async () => {
    const ca = await issue({ subject: "CN=short-ca", ca: true, notAfter: new Date("2026-12-01T00:00:00Z") });
    const leaf = await issue({ subject: "CN=leaf", issuer: ca, notAfter: new Date("2027-06-01T00:00:00Z") });
    return run({ pem: leaf.pem + ca.pem });
  },
  "cert.weak-rsa-key": async () => run({ pem: (await issue({ subject: "CN=weak", kind: "rsa1024" })).pem }),
  // WebCrypto binds an RSA key to one hash, so the SHA-1 certificate comes from the openssl-made fixture.
  "cert.sha1-signature": async () => run({ pem: fixture("sha1-client/client.crt") + fixture("sha1-client/ca.crt") }),
  "cert.md5-signature": async () => {
    const c = await issue({ subject: "CN=md5", kind: "rsa2048" });
    return run({ pem: pemOf(patch(c.cert.rawData, SHA256_RSA, [...SHA256_RSA.slice(0, 8), 0x04])) });
  },
  "cert.unsupported-algorithm": async () => {
    const c = await issue({ subject: "CN=sha224", kind: "rsa2048" });
    return run({ pem: pemOf(patch(c.cert.rawData, SHA256_RSA, [...SHA256_RSA.slice(0, 8), 0x0e])) });
  },
  "cert.malformed": async () => {
    // Two SAN extensions: Go refuses to parse such a certificate.
    const keys = await keyPair("p256");
    const san = new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "a.example" }]);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: "01",
      name: "CN=dup",
      notBefore: new Date("2026-01-01"),
      notAfter: new Date("2027-01-01"),
      keys,
      signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
      extensions: [san, san],
    } as never);
    return run({ pem: cert.toString("pem") });
  },
  // parser.go parseCertificate: "x509: invalid version" for an encoded version above 2 (v4).
  "cert.go-unparseable": async () => run({ pem: craftedPem(await craftCert({ version: 3 })) }),
  "cert.no-san": async () => {
    const { ca } = await kubeadmPki();
    const server = await issue({ subject: "CN=127.0.0.1", issuer: ca, eku: SERVER, notBefore: Y2026, notAfter: Y2027 });
    return run({ kubeconfig: (await kc({ ca: [ca] })).text, serverCertificate: server.pem });
  },
  "cert.self-signed-leaf": async () => {
    const self = await issue({ subject: "CN=selfie", eku: CLIENT, notBefore: Y2026, notAfter: Y2027 });
    return run({ kubeconfig: (await kc({ client: self })).text });
  },
  "cert.long-validity": async () => {
    const { ca } = await kubeadmPki();
    const client = await issue({ subject: "CN=forever", issuer: ca, eku: CLIENT });
    return run({ kubeconfig: (await kc({ ca: [ca], client })).text });
  },
  "cert.unknown-critical-extension": async () => {
    const keys = await keyPair("p256");
    const ext = new x509.Extension("1.3.6.1.4.1.99999.1", true, new Uint8Array([0x05, 0x00]));
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: "02",
      name: "CN=odd",
      notBefore: new Date("2026-01-01"),
      notAfter: new Date("2027-01-01"),
      keys,
      signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
      extensions: [ext],
    } as never);
    return run({ pem: cert.toString("pem") });
  },
};

const keyCases: Record<string, Case> = {
  "key.mismatch": async () => {
    const other = await issue({ subject: "CN=other" });
    return run({ kubeconfig: (await kc({ key: other.keyPem })).text });
  },
  "key.certificate-unloadable": async () => {
    // An RSA SubjectPublicKeyInfo without the NULL parameters: Go's parsePublicKey refuses it
    // ("x509: RSA key missing NULL parameters"), so X509KeyPair cannot load the pair.
    const pki = await kubeadmPki();
    const rsa = await issue({ subject: "CN=rsa", kind: "rsa2048" });
    const spki = new Uint8Array(rsa.cert.publicKey.rawData);
    const bits = spki.subarray(2 + 15 + (spki[1]! & 0x80 ? spki[1]! & 0x7f : 0));
    const alg = encodeTlv(0x30, new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]));
    const noNull = encodeTlv(0x30, new Uint8Array([...alg, ...bits]));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: "0b01",
      subject: "CN=jane",
      issuer: pki.ca.cert.subject,
      notBefore: Y2026,
      notAfter: Y2027,
      signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
      publicKey: noNull as BufferSource,
      signingKey: pki.ca.keys.privateKey,
      extensions: [new x509.ExtendedKeyUsageExtension(CLIENT, false)],
    });
    const text = kubeconfig({
      clusters: [{ name: "c", ca: [pki.ca] }],
      users: [{ name: "u", cert: b64(cert.toString("pem")), key: rsa.keyPem }],
      contexts: [{ name: "ctx", cluster: "c", user: "u" }],
      current: "ctx",
    });
    return run({ kubeconfig: text });
  },
  "key.encrypted": async () =>
    run({
      kubeconfig: (
        await kc({
          key: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n",
        })
      ).text,
    }),
  "key.unreadable": async () =>
    run({
      kubeconfig: (await kc({ key: `-----BEGIN RSA PRIVATE KEY-----\n${b64("not a key at all")}\n-----END RSA PRIVATE KEY-----\n` })).text,
    }),
  "key.reused": async () => {
    const pki = await kubeadmPki();
    const text = kubeconfig({
      clusters: [{ name: "c", ca: [pki.ca] }],
      users: [
        { name: "a", cert: pki.client },
        { name: "b", cert: pki.client },
      ],
      contexts: [{ name: "x", cluster: "c", user: "a" }],
      current: "x",
    });
    return run({ kubeconfig: text });
  },
  "key.unused": async () => {
    const { ca, client } = await kubeadmPki();
    return run({ pem: ca.pem + client.keyPem });
  },
};

const identityCases: Record<string, Case> = {
  "identity.system-masters": async () => {
    const { ca } = await kubeadmPki();
    return run({
      kubeconfig: (
        await kc({
          ca: [ca],
          client: await issue({
            subject: "CN=kubernetes-admin, O=system:masters",
            issuer: ca,
            eku: CLIENT,
            notBefore: Y2026,
            notAfter: Y2027,
          }),
        })
      ).text,
    });
  },
  "identity.node": async () => {
    const { ca } = await kubeadmPki();
    return run({
      kubeconfig: (
        await kc({
          ca: [ca],
          client: await issue({
            subject: "CN=system:node:worker-1, O=system:nodes",
            issuer: ca,
            eku: CLIENT,
            notBefore: Y2026,
            notAfter: Y2027,
          }),
        })
      ).text,
    });
  },
  "identity.node-group-missing": async () => {
    const { ca } = await kubeadmPki();
    return run({
      kubeconfig: (
        await kc({
          ca: [ca],
          client: await issue({
            subject: "CN=system:node:worker-1, O=workers",
            issuer: ca,
            eku: CLIENT,
            notBefore: Y2026,
            notAfter: Y2027,
          }),
        })
      ).text,
    });
  },
  "identity.empty-user": async () => {
    const { ca } = await kubeadmPki();
    return run({
      kubeconfig: (
        await kc({ ca: [ca], client: await issue({ subject: "O=developers", issuer: ca, eku: CLIENT, notBefore: Y2026, notAfter: Y2027 }) })
      ).text,
    });
  },
  "identity.multiple-cn": async () => {
    const { ca } = await kubeadmPki();
    return run({
      kubeconfig: (
        await kc({
          ca: [ca],
          client: await issue({ subject: "CN=jane, CN=admin", issuer: ca, eku: CLIENT, notBefore: Y2026, notAfter: Y2027 }),
        })
      ).text,
    });
  },
};

const engineCases: Record<string, Case> = {
  "engine.certificate-limit": async () => {
    const { ca, client } = await kubeadmPki();
    return run({ pem: ca.pem + client.pem }, { limits: { maxCertificates: 1 } });
  },
  "engine.context-limit": async () => {
    const text = (await kc()).text.replace("contexts:\n", "contexts:\n- context:\n    cluster: c\n    user: u\n  name: second\n");
    return run({ kubeconfig: text }, { limits: { maxContexts: 1 } });
  },
  "engine.chain-limit": async () => {
    const { ca, client, server } = await kubeadmPki();
    return run({ pem: ca.pem + client.pem + server.pem }, { limits: { maxChains: 1 } });
  },
};

const verify = (req: VerifyRequest) => verifyCertificate(req, { at: AT, subtle: crypto.subtle });

const verdictCases: Record<string, Case> = {
  "chain.tools-disagree": async () => {
    // A CA whose basicConstraints is not critical: RFC 5280 4.2.1.9 requires it to be, Go does not check.
    const ca = await issue({ subject: "CN=kubernetes", ca: true, bcCritical: false });
    const client = await issue({ subject: "CN=jane", issuer: ca, eku: CLIENT, notBefore: Y2026, notAfter: Y2027 });
    return run({ kubeconfig: (await kc({ ca: [ca], client })).text, clientCA: ca.pem });
  },
};

const NAME_CONSTRAINTS = "2.5.29.30";
/** NameConstraints permitting one DNS subtree: SEQUENCE { [0] { SEQUENCE { [2] name } } }. */
function permitDns(name: string, critical = true): x509.Extension {
  const n = new TextEncoder().encode(name);
  const subtree = encodeTlv(0x30, encodeTlv(0x82, n));
  return new x509.Extension(NAME_CONSTRAINTS, critical, encodeTlv(0x30, encodeTlv(0xa0, subtree)) as Uint8Array<ArrayBuffer>);
}
const at = (c: Issued) => c.pem;
const SHORT = { notBefore: Y2026, notAfter: new Date("2026-09-01T00:00:00Z") };

const chainCases: Record<string, Case> = {
  "chain.untrusted": async () => {
    const { client } = await kubeadmPki();
    const other = await issue({ subject: "CN=other-ca", ca: true });
    return verify({ certificate: at(client), trustAnchors: other.pem });
  },
  "chain.signature-invalid": async () => {
    const { client } = await kubeadmPki();
    const namesake = await issue({ subject: "CN=kubernetes", ca: true });
    return verify({ certificate: at(client), trustAnchors: namesake.pem });
  },
  "chain.insecure-signature-algorithm": async () =>
    verify({ certificate: fixture("sha1-client/client.crt"), trustAnchors: fixture("sha1-client/ca.crt"), profile: "go" }),
  "chain.cn-not-in-san": async () => {
    const root = await issue({ subject: "CN=Web Root", ca: true });
    const leaf = await issue({
      subject: "CN=example.com",
      issuer: root,
      eku: SERVER,
      sans: [{ type: "dns", value: "www.example.org" }],
      ...SHORT,
    });
    return verify({ certificate: leaf.pem, trustAnchors: root.pem, profile: "webpki", purpose: "server", serverName: "www.example.org" });
  },
  // sha224WithRSAEncryption (1.2.840.113549.1.1.14): WebCrypto offers no SHA-224, so strict RFC 5280
  // validation cannot check it; Go does not implement it (x509.go signatureAlgorithmDetails has no
  // SHA-224 entry: UnknownSignatureAlgorithm, "algorithm unimplemented").
  "chain.unsupported-algorithm": async () => {
    const root = await issue({ subject: "CN=rsa-root", ca: true, kind: "rsa2048" });
    const leaf = await issue({ subject: "CN=leaf", issuer: root });
    const sha224 = pemOf(patch(leaf.cert.rawData, SHA256_RSA, [...SHA256_RSA.slice(0, 8), 0x0e]));
    return verify({ certificate: sha224, trustAnchors: root.pem, profile: "rfc5280" });
  },
  "chain.algorithm-unimplemented": async () => {
    const root = await issue({ subject: "CN=rsa-root", ca: true, kind: "rsa2048" });
    const leaf = await issue({ subject: "CN=leaf", issuer: root });
    const sha224 = pemOf(patch(leaf.cert.rawData, SHA256_RSA, [...SHA256_RSA.slice(0, 8), 0x0e]));
    return verify({ certificate: sha224, trustAnchors: root.pem, profile: "go" });
  },
  "chain.issuer-not-ca": async () => {
    const root = await issue({ subject: "CN=root", ca: true });
    const notCa = await issue({ subject: "CN=not-a-ca", issuer: root });
    const leaf = await issue({ subject: "CN=leaf", issuer: notCa });
    return verify({ certificate: leaf.pem, intermediates: notCa.pem, trustAnchors: root.pem });
  },
  "chain.missing-keycertsign": async () => {
    const root = await issue({ subject: "CN=root", ca: true, keyUsage: x509.KeyUsageFlags.digitalSignature });
    return verify({ certificate: (await issue({ subject: "CN=leaf", issuer: root })).pem, trustAnchors: root.pem, profile: "go" });
  },
  "chain.pathlen-exceeded": async () => {
    const root = await issue({ subject: "CN=root", ca: true, pathLen: 0 });
    const mid = await issue({ subject: "CN=mid", issuer: root, ca: true });
    const leaf = await issue({ subject: "CN=leaf", issuer: mid });
    return verify({ certificate: leaf.pem, intermediates: mid.pem, trustAnchors: root.pem });
  },
  "chain.depth-exceeded": async () => {
    const root = await issue({ subject: "CN=root", ca: true });
    const mid = await issue({ subject: "CN=mid", issuer: root, ca: true });
    const leaf = await issue({ subject: "CN=leaf", issuer: mid });
    return verify({ certificate: leaf.pem, intermediates: mid.pem, trustAnchors: root.pem, maxDepth: 0 });
  },
  "chain.name-constraint-violation": async () => {
    const root = await issue({ subject: "CN=root", ca: true, extra: [permitDns("example.com")] });
    const leaf = await issue({ subject: "CN=evil", issuer: root, sans: [{ type: "dns", value: "evil.org" }] });
    return verify({ certificate: leaf.pem, trustAnchors: root.pem });
  },
  "chain.name-constraints-invalid": async () => {
    const root = await issue({ subject: "CN=root", ca: true });
    const leaf = await issue({ subject: "CN=leaf", issuer: root, extra: [permitDns("example.com")] });
    return verify({ certificate: leaf.pem, trustAnchors: root.pem, profile: "rfc5280" });
  },
  "chain.eku-mismatch": async () => {
    const { ca, client } = await kubeadmPki();
    return verify({ certificate: client.pem, trustAnchors: ca.pem, purpose: "server" });
  },
  "chain.hostname-mismatch": async () => {
    const { ca, server } = await kubeadmPki();
    return verify({ certificate: server.pem, trustAnchors: ca.pem, purpose: "server", serverName: "api.example.com" });
  },
  "chain.email-mismatch": async () => {
    const { ca, server } = await kubeadmPki();
    return verify({ certificate: server.pem, trustAnchors: ca.pem, email: "admin@example.com" });
  },
  "chain.cert-expired": async () => {
    const { ca } = await kubeadmPki();
    return verify({
      certificate: (await issue({ subject: "CN=old", issuer: ca, notAfter: new Date("2026-01-01T00:00:00Z") })).pem,
      trustAnchors: ca.pem,
    });
  },
  "chain.cert-not-yet-valid": async () => {
    const { ca } = await kubeadmPki();
    return verify({
      certificate: (await issue({ subject: "CN=new", issuer: ca, notBefore: new Date("2026-07-01T00:00:00Z") })).pem,
      trustAnchors: ca.pem,
    });
  },
  "chain.unhandled-critical-extension": async () => {
    const { ca } = await kubeadmPki();
    const leaf = await issue({
      subject: "CN=odd",
      issuer: ca,
      extra: [new x509.Extension("1.3.6.1.4.1.99999.1", true, new Uint8Array([0x05, 0x00]))],
    });
    return verify({ certificate: leaf.pem, trustAnchors: ca.pem });
  },
  "chain.malformed-certificate": async () => {
    const { ca } = await kubeadmPki();
    const san = new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "a.example" }]);
    const leaf = await issue({ subject: "CN=dup", issuer: ca, extra: [san, san] });
    return verify({ certificate: leaf.pem, trustAnchors: ca.pem });
  },
  "chain.extension-nonconformant": async () => {
    const root = await issue({ subject: "CN=root", ca: true, bcCritical: false });
    return verify({ certificate: (await issue({ subject: "CN=leaf", issuer: root })).pem, trustAnchors: root.pem, profile: "rfc5280" });
  },
  "chain.invalid-san": async () => {
    const { ca } = await kubeadmPki();
    return verify({
      certificate: (await issue({ subject: "", issuer: ca, sans: [{ type: "dns", value: "a.example" }] })).pem,
      trustAnchors: ca.pem,
      profile: "rfc5280",
    });
  },
  "chain.leaf-is-ca": async () => {
    const root = await issue({ subject: "CN=Web Root", ca: true });
    const leaf = await issue({
      subject: "CN=www.example.org",
      issuer: root,
      ca: true,
      eku: SERVER,
      sans: [{ type: "dns", value: "www.example.org" }],
      ...SHORT,
    });
    return verify({ certificate: leaf.pem, trustAnchors: root.pem, profile: "webpki", purpose: "server" });
  },
  "chain.weak-key": async () => {
    const root = await issue({ subject: "CN=Web Root", ca: true, kind: "rsa2048" });
    const leaf = await issue({
      subject: "CN=www.example.org",
      issuer: root,
      keys: await keyPair("rsa1024"),
      eku: SERVER,
      sans: [{ type: "dns", value: "www.example.org" }],
      ...SHORT,
    });
    return verify({ certificate: leaf.pem, trustAnchors: root.pem, profile: "webpki", purpose: "server" });
  },
  "chain.revoked": async () => {
    const { ca, client } = await kubeadmPki();
    return verify({ certificate: client.pem, trustAnchors: ca.pem, crls: await crlPem(ca, [client.cert.serialNumber]) });
  },
  "chain.crl-invalid": async () => {
    const { ca, client } = await kubeadmPki();
    return verify({ certificate: client.pem, trustAnchors: ca.pem, crls: await crlPem(ca, [], false) });
  },
  "chain.budget-exhausted": async () => {
    // 120 CAs that share one name: every one is a candidate whose signature fails, and the
    // budget of 100 signature checks (Go's, since CVE-2018-16875) runs out before the search does.
    const { client } = await kubeadmPki();
    const namesakes: Issued[] = [];
    for (let i = 0; i < 120; i++) namesakes.push(await issue({ subject: "CN=kubernetes", ca: true }));
    return verify({ certificate: client.pem, intermediates: namesakes.map((n) => n.pem).join(""), trustAnchors: namesakes[0]!.pem });
  },
};

async function crlPem(issuer: Issued, serials: string[], withNumber = true): Promise<string> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.cert.subject,
    thisUpdate: new Date("2026-05-01T00:00:00Z"),
    nextUpdate: new Date("2026-07-01T00:00:00Z"),
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
    signingKey: issuer.keys.privateKey,
    entries: serials.map((serialNumber) => ({ serialNumber, revocationDate: new Date("2026-05-01T00:00:00Z") })),
    extensions: withNumber ? [new x509.Extension("2.5.29.20", false, new Uint8Array([0x02, 0x01, 0x07]))] : [],
  });
  return crl.toString("pem");
}

// The kubeadm fixtures of test/fixtures/kubeadm/make.sh, each with the one change that makes the finding.
const plane = (tree: Map<string, Uint8Array>, at: Date = KUBEADM_AT) => auditControlPlane(tree, { at, subtle: crypto.subtle });
const apiserverFlag = (from: string, to: string) => editTree("base", "manifests/kube-apiserver.yaml", (t) => t.replace(from, to));
const clusterCases: Record<string, Case> = {
  "cluster.file-missing": async () => plane(editTree("base", "pki/etcd/ca.crt", () => null)),
  "cluster.file-unreadable": async () => plane(editTree("base", "pki/apiserver-etcd-client.crt", () => "not a certificate\n")),
  "cluster.defaults-assumed": async () => plane(editTree("base", "manifests/etcd.yaml", () => null)),
  "cluster.key-mismatch": async () => {
    const t = kubeadmTree("base");
    t.set("pki/apiserver.key", t.get("pki/front-proxy-client.key")!);
    return plane(t);
  },
  // A PRIVATE KEY block holding an empty SEQUENCE: Go's parsePrivateKey reads it as none of PKCS#1,
  // PKCS#8, SEC1 ("tls: failed to parse private key"; crypto/tls/tls.go).
  "cluster.key-pair-unloadable": async () =>
    plane(editTree("base", "pki/apiserver.key", () => "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n")),
  // admin.conf pointed at a host the serving certificate does not name (Go: x509.HostnameError).
  "cluster.serving-untrusted": async () =>
    plane(editTree("base", "admin.conf", (t) => t.replace("server: https://192.168.56.10:6443", "server: https://10.0.0.99:6443"))),
  "cluster.in-cluster-name-missing": async () => plane(kubeadmTree("no-service-ip-san")),
  "cluster.client-refused": async () =>
    plane(apiserverFlag("--client-ca-file=/etc/kubernetes/pki/ca.crt", "--client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt")),
  // scheduler.conf holding the controller-manager's credentials: CN=system:kube-controller-manager.
  "cluster.identity-wrong": async () => {
    const t = kubeadmTree("base");
    t.set("scheduler.conf", t.get("controller-manager.conf")!);
    return plane(t);
  },
  "cluster.etcd-client-refused": async () => plane(kubeadmTree("expired-etcd-client")),
  "cluster.etcd-server-untrusted": async () =>
    plane(apiserverFlag("--etcd-servers=https://127.0.0.1:2379", "--etcd-servers=https://10.0.0.5:2379")),
  // A clientAuth-only certificate as the peer certificate (kubeadm's peer has serverAuth and clientAuth).
  "cluster.etcd-peer-refused": async () => {
    const t = kubeadmTree("base");
    t.set("pki/etcd/peer.crt", t.get("pki/etcd/healthcheck-client.crt")!);
    t.set("pki/etcd/peer.key", t.get("pki/etcd/healthcheck-client.key")!);
    return plane(t);
  },
  "cluster.front-proxy-refused": async () =>
    plane(
      apiserverFlag(
        "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
        "--requestheader-client-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
      ),
    ),
  "cluster.front-proxy-name-not-allowed": async () => plane(kubeadmTree("front-proxy-cn")),
  "cluster.front-proxy-ca-is-client-ca": async () =>
    plane(
      apiserverFlag(
        "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
        "--requestheader-client-ca-file=/etc/kubernetes/pki/ca.crt",
      ),
    ),
  "cluster.sa-key-mismatch": async () => plane(kubeadmTree("sa-mismatch")),
  "cluster.signing-ca-untrusted": async () => plane(kubeadmTree("signing-ca-untrusted")),
  "cluster.root-ca-differs": async () =>
    plane(
      editTree("base", "manifests/kube-controller-manager.yaml", (t) =>
        t.replace("--root-ca-file=/etc/kubernetes/pki/ca.crt", "--root-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt"),
      ),
    ),
  // 19 days before the leaves' notAfter (2027-08-20), inside the default 30-day warning.
  "cluster.edge-expiring": async () => plane(kubeadmTree("base"), new Date("2027-08-01T00:00:00Z")),
  // kubeadm's API server: no --kubelet-certificate-authority (make.sh manifests; kubelet_client.go transportConfig: Insecure).
  "cluster.kubelet-serving-unverified": async () => plane(nodeTree("base", "base")),
  // --kubelet-certificate-authority is the cluster CA; the kubelet serves its self-signed kubelet.crt (make-node.sh).
  "cluster.kubelet-serving-untrusted": async () => plane(nodeTree("kubelet-ca", "base")),
  "cluster.kubelet-rotation-off": async () => {
    const t = nodeTree("kubelet-finalized", "base");
    const config = new TextDecoder().decode(t.get("var/lib/kubelet/config.yaml")!);
    t.set("var/lib/kubelet/config.yaml", new TextEncoder().encode(config.replace("rotateCertificates: true", "rotateCertificates: false")));
    return plane(t);
  },
};

// The objects of test/fixtures/k8s-objects/make.sh, each with one field of the Secret or webhook changed.
const objectsYaml = (variant: string) => readFileSync(new URL(`../fixtures/k8s-objects/${variant}/objects.yaml`, import.meta.url), "utf8");
const secretField = (variant: string, key: string) =>
  new RegExp(`^    ${key.replace(".", "\\.")}: (.*)$`, "m").exec(objectsYaml(variant))![1]!;
const withField = (key: string, value: string) =>
  objectsYaml("base").replace(new RegExp(`^    ${key.replace(".", "\\.")}: .*$`, "m"), `    ${key}: ${value}`);
const objects = (text: string) =>
  auditObjects(text, { at: new Date("2026-11-01T00:00:00Z"), subtle: crypto.subtle }).then((r) => r.cluster);
const objectsCases: Record<string, Case> = {
  "cluster.tls-secret-chain-order": async () => {
    const pem = (k: string) => Buffer.from(secretField("base", k), "base64").toString("utf8");
    return objects(withField("tls.crt", Buffer.from(pem("ca.crt") + pem("tls.crt")).toString("base64")));
  },
  "cluster.tls-secret-key-mismatch": async () => objects(withField("tls.key", secretField("ca-renewed", "tls.key"))),
  "cluster.tls-secret-ca-mismatch": async () => objects(withField("ca.crt", secretField("ca-renewed", "ca.crt"))),
  "cluster.webhook-cabundle-untrusted": async () => objects(objectsYaml("ca-renewed")),
  "cluster.webhook-serving-unknown": async () =>
    objects(
      objectsYaml("base").replace(
        /name: demo-webhook\n(\s+)namespace: demo\n(\s+)path: \/validate/,
        "name: other\n$1namespace: demo\n$2path: /validate",
      ),
    ),
  // test/fixtures/k8s-objects/make.sh: the aggregation layer and kube-root-ca.crt.
  "cluster.apiservice-cabundle-untrusted": async () => objects(objectsYaml("apiservice-ca-renewed")),
  "cluster.apiservice-insecure": async () => objects(objectsYaml("aggregation")),
  "cluster.apiservice-serving-unknown": async () =>
    objects(objectsYaml("aggregation").replace("    service:\n      name: demo-api\n", "    service:\n      name: other-api\n")),
  "cluster.root-ca-configmap-differs": async () => objects(objectsYaml("root-ca-stale")),
};

// The CertificateSigningRequests of test/fixtures/k8s-objects/make-csr.sh, one request per case.
const csrYaml = () => readFileSync(new URL("../fixtures/k8s-objects/csr/objects.yaml", import.meta.url), "utf8");
const csrNamed = (name: string, text = csrYaml()) => text.split(/^---\n/m).find((d) => d.includes(`  name: ${name}\n`))!;
const csrCases: Record<string, Case> = {
  "cluster.csr-unreadable": async () =>
    objects(csrNamed("csr-kubelet-serving").replace(/request: .*/, `request: ${Buffer.from("hello").toString("base64")}`)),
  "cluster.csr-signature-invalid": async () => objects(csrNamed("csr-tampered")),
  "cluster.csr-signer-rules": async () => objects(csrNamed("csr-client-dns-san")),
  "cluster.csr-identity-mismatch": async () => objects(csrNamed("csr-cn-mismatch")),
  "cluster.csr-system-masters": async () => objects(csrNamed("csr-system-masters")),
  "cluster.csr-certificate-key-mismatch": async () => objects(csrNamed("csr-other-key")),
  "cluster.csr-certificate-not-valid": async () =>
    auditObjects(csrNamed("node-csr-kubelet-client"), { at: new Date("2027-02-01T00:00:00Z"), subtle: crypto.subtle }).then(
      (r) => r.cluster,
    ),
  "cluster.csr-signer-unjudged": async () => objects(csrNamed("csr-custom-signer")),
  // make-csr.sh's signing CA issued it; the aggregation fixture's cluster CA is another one.
  "cluster.csr-certificate-untrusted": async () =>
    auditObjects(csrNamed("node-csr-kubelet-client"), {
      at: new Date("2026-11-01T00:00:00Z"),
      subtle: crypto.subtle,
      rootCa: readFileSync(new URL("../fixtures/k8s-objects/aggregation/cluster-ca.crt", import.meta.url)),
    }).then((r) => r.cluster),
};

export const CASES: Record<string, Case> = {
  ...kubeCases,
  ...inputCases,
  ...certCases,
  ...keyCases,
  ...identityCases,
  ...engineCases,
  ...verdictCases,
  ...chainCases,
  ...clusterCases,
  ...objectsCases,
  ...csrCases,
};
export { verify };

describe("every finding code is triggered", () => {
  for (const [code, make] of Object.entries(CASES)) {
    it(code, async () => {
      const r = await make();
      expect(codes(r)).toContain(code);
      const f = r.findings.find((x) => x.code === code) as Report["findings"][number];
      expect(f.severity).toBe(CATALOGUE[code as keyof typeof CATALOGUE].severity);
      expect(f.message.length).toBeGreaterThan(20);
    });
  }
});

describe("secrets", () => {
  it("never echoes tokens, passwords or key material", async () => {
    const { pki, text } = await kc({ userExtra: { token: "tok-SECRET-123", username: "admin", password: "pw-SECRET-456" } });
    const r = JSON.stringify(await run({ kubeconfig: text }));
    expect(r).not.toContain("tok-SECRET-123");
    expect(r).not.toContain("pw-SECRET-456");
    const keyBody = pki.client.keyPem.split("\n")[1]!;
    expect(r).not.toContain(keyBody.slice(0, 40));
  });
});

describe("the table is complete", () => {
  it("has a case for every code in the catalogue, and no case for a code that does not exist", () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(CATALOGUE).sort());
  });
});

describe("PEM bundles", () => {
  it("builds each leaf's chain from the bundle and reports why one fails", async () => {
    const { ca, server } = await kubeadmPki();
    const stranger = await issue({ subject: "CN=stranger", notBefore: Y2026, notAfter: Y2027 });
    const r = await run({ pem: server.pem + ca.pem + stranger.pem });
    const byLeaf = Object.fromEntries(r.chains.map((c) => [c.leaf, c.valid]));
    expect(byLeaf[`sha256:${Buffer.from(await crypto.subtle.digest("SHA-256", server.cert.rawData)).toString("hex")}`]).toBe(true);
    const good = await run({ pem: server.pem + ca.pem });
    expect(good.chains).toHaveLength(1);
    expect(good.chains[0]!.path).toHaveLength(2);
    expect(good.chains[0]!.effectiveExpiry).toBe("2027-01-01T00:00:00Z");
    const orphan = await issue({ subject: "CN=orphan", issuer: await issue({ subject: "CN=missing-ca", ca: true }) });
    const bad = await run({ pem: orphan.pem + ca.pem });
    expect(bad.chains[0]!.valid).toBe(false);
    expect(codes(bad)).toContain("chain.untrusted");
  });
});
