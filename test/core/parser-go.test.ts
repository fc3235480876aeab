// The certificate parser reads certificates as Go's crypto/x509 (parser.go, cryptobyte) reads
// them, and says where OpenSSL differs. Every expectation comes from a real tool run on the
// same crafted bytes: Go 1.19's x509.ParseCertificate (test/oracles/x509parse) and openssl 3,
// except where a comment cites the Go source for behaviour newer than Go 1.19.
import "reflect-metadata";
import { beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../src/core/audit.ts";
import { verifyCertificate } from "../../src/core/verify-chain.ts";
import { children, DerError, readTlv } from "../../src/core/encoding/der.ts";
import { Findings } from "../../src/core/findings/index.ts";
import { CertStore } from "../../src/core/input/store.ts";
import { CertParseError, parseCertificate, type Cert } from "../../src/core/x509/cert.ts";
import { SignatureVerifier } from "../../src/core/x509/signature.ts";
import {
  bytes,
  cnName,
  craftCert,
  extension,
  generalizedTime,
  int,
  NULL,
  oid,
  pem,
  rsaKeyPem,
  rsaSpki,
  seq,
  set,
  tlv,
  TRUE,
  utcTime,
} from "./helpers/craft.ts";
import {
  goParse,
  HAVE_GO,
  HAVE_OPENSSL,
  MUST_HAVE_TOOLS,
  openssl,
  opensslDate,
  opensslRaw,
  pemFile,
  type GoParse,
} from "./helpers/oracles.ts";

const digest = async (d: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", d as BufferSource));
const parse = (der: Uint8Array) => parseCertificate(der, digest);
const tools = HAVE_GO && HAVE_OPENSSL;

describe("oracle tools", () => {
  it.runIf(MUST_HAVE_TOOLS)("go and openssl are installed (required under CI)", () => {
    expect(HAVE_GO).toBe(true);
    expect(HAVE_OPENSSL).toBe(true);
  });
});

/** Validity times, each crafted into notBefore (or notAfter for GeneralizedTime after 2049). */
const TIMES: Record<string, { field: "notBefore" | "notAfter"; der: Uint8Array }> = {
  utcMinutePrecision: { field: "notBefore", der: utcTime("2606010000Z") },
  utcPlusOneHour: { field: "notBefore", der: utcTime("260601000000+0100") },
  utcMinusOffset: { field: "notBefore", der: utcTime("260601000000-0130") },
  utcPlusZero: { field: "notBefore", der: utcTime("260601000000+0000") },
  utcPlus13: { field: "notBefore", der: utcTime("260601000000+1300") },
  utcFraction: { field: "notBefore", der: utcTime("260601000000.5Z") },
  utcFifteenChars: { field: "notBefore", der: utcTime("20260601000000Z") },
  utcNoZone: { field: "notBefore", der: utcTime("260601000000") },
  utcFeb30: { field: "notBefore", der: utcTime("260230000000Z") },
  utcSecond60: { field: "notBefore", der: utcTime("260601000060Z") },
  utcYear50: { field: "notBefore", der: utcTime("500101000000Z") },
  genFraction: { field: "notAfter", der: generalizedTime("20600601000000.5Z") },
  genOffset: { field: "notAfter", der: generalizedTime("20600601000000+0100") },
  genYear0000: { field: "notBefore", der: generalizedTime("00000101000000Z") },
  genYear0099: { field: "notBefore", der: generalizedTime("00991231235959Z") },
  genBefore2050: { field: "notBefore", der: generalizedTime("20260601000000Z") },
};

describe.skipIf(!tools)("validity times as Go reads them (cryptobyte ReadASN1UTCTime / ReadASN1GeneralizedTime)", () => {
  const ders: Record<string, Uint8Array> = {};
  let go: Record<string, GoParse>;
  beforeAll(async () => {
    for (const [k, t] of Object.entries(TIMES)) ders[k] = await craftCert({ [t.field]: t.der });
    go = goParse(ders);
  });

  for (const [name, t] of Object.entries(TIMES)) {
    it(name, async () => {
      const g = go[name]!;
      const ssl = opensslDate(openssl(ders[name]!, ["x509", "-noout", "-dates"]).out, t.field);
      const result = await parse(ders[name]!).then(
        (c) => c,
        (e: unknown) => e,
      );
      if (g.ok) {
        // Go reads it: the date is Go's, and nothing says Go refuses it.
        expect(result).not.toBeInstanceOf(Error);
        const c = result as Cert;
        expect(c[t.field].toISOString()).toBe(new Date(g[t.field]!).toISOString());
        expect(c.goParseErrors).toEqual([]);
      } else if (ssl) {
        // Go refuses, OpenSSL shows a date: the certificate is reported with Go's error and OpenSSL's date.
        const c = result as Cert;
        expect(c.goParseErrors.join(" ")).toContain(g.error);
        expect(c[t.field].toISOString()).toBe(ssl);
        expect(c.anomalies).toContain("bad-validity-encoding");
      } else {
        // Neither reads it: no date is invented.
        expect(result).toBeInstanceOf(CertParseError);
        expect((result as Error).message).toContain(g.error!.replace("x509: ", ""));
      }
    });
  }

  it("260601000000+0100 is 2026-05-31T23:00:00Z (the offset is applied), as Go and openssl both say", async () => {
    const c = await parse(ders.utcPlusOneHour!);
    expect(c.notBefore.toISOString()).toBe("2026-05-31T23:00:00.000Z");
    expect(go.utcPlusOneHour!.notBefore).toBe("2026-05-31T23:00:00Z");
    expect(opensslDate(openssl(ders.utcPlusOneHour!, ["x509", "-noout", "-dates"]).out, "notBefore")).toBe("2026-05-31T23:00:00.000Z");
  });

  it("GeneralizedTime year 0000 stays year 0 (openssl prints `Jan  1 00:00:00 0 GMT`), not 1900", async () => {
    const c = await parse(ders.genYear0000!);
    expect(openssl(ders.genYear0000!, ["x509", "-noout", "-dates"]).out).toContain("notBefore=Jan  1 00:00:00 0 GMT");
    expect(c.notBefore.getUTCFullYear()).toBe(0);
    expect(c.notBefore.toISOString()).toBe(new Date(go.genYear0000!.notBefore!).toISOString());
  });

  it("a malformed 15-character UTCTime gets no date: Go and openssl both refuse it", async () => {
    expect(go.utcFifteenChars!.error).toBe("x509: malformed UTCTime");
    expect(openssl(ders.utcFifteenChars!, ["x509", "-noout", "-dates"]).out).toContain("notBefore=Bad time value");
    await expect(parse(ders.utcFifteenChars!)).rejects.toThrow(/not a valid UTCTime.*malformed UTCTime/);
  });
});

/** Encodings Go's parser refuses or accepts, compared with Go and openssl. */
async function encodingCases(): Promise<Record<string, Uint8Array>> {
  const sanDns = (name: Uint8Array) => extension("2.5.29.17", seq(tlv(0x82, name)));
  return {
    extCriticalBoolean01: await craftCert({ extensions: [extension("2.5.29.19", seq(), bytes(0x01, 0x01, 0x01))] }),
    basicConstraintsCaBoolean01: await craftCert({ extensions: [extension("2.5.29.19", seq(bytes(0x01, 0x01, 0x01)), TRUE)] }),
    versionFieldThree: await craftCert({ version: 3 }),
    invalidUtf8Subject: await craftCert({ subject: cnName(bytes(0x61, 0xff, 0x62)) }),
    badPrintableString: await craftCert({ subject: cnName("a@b", 0x13) }),
    oddBmpString: await craftCert({ subject: cnName(bytes(0x00, 0x61, 0x00), 0x1e) }),
    sanDnsNotIa5: await craftCert({ extensions: [sanDns(bytes(0x61, 0xe9, 0x2e, 0x62))] }),
    sanIpLength5: await craftCert({ extensions: [extension("2.5.29.17", seq(tlv(0x87, bytes(10, 0, 0, 1, 1))))] }),
    // Accepted by Go and openssl, not DER / RFC 5280:
    emptyRdn: await craftCert({ subject: seq(set(), set(seq(oid("2.5.4.3"), tlv(0x0c, bytes(0x61))))) }),
    sanTrailingBytes: await craftCert({
      extensions: [extension("2.5.29.17", new Uint8Array([...seq(tlv(0x82, bytes(0x61, 0x2e, 0x62))), 0x00, 0x00]))],
    }),
    v3Baseline: await craftCert(),
  };
}

describe.skipIf(!tools)("encodings Go refuses are findings, not lost certificates", () => {
  let ders: Record<string, Uint8Array>;
  let go: Record<string, GoParse>;
  beforeAll(async () => {
    ders = await encodingCases();
    go = goParse(ders);
  });

  it("each case: goParseErrors carries Go's own error exactly when Go refuses", async () => {
    for (const [name, der] of Object.entries(ders)) {
      const c = await parse(der);
      const g = go[name]!;
      if (g.ok) expect(c.goParseErrors, name).toEqual([]);
      else {
        expect(c.goParseErrors.length, name).toBeGreaterThan(0);
        // Go 1.19 numbers basic-constraints errors ("... b"); the text before the detail is Go's.
        expect(g.error!.startsWith(c.goParseErrors[0]!.replace(/ \(.*$/, "")), `${name}: ${g.error} vs ${c.goParseErrors[0]}`).toBe(true);
      }
    }
    expect(Object.values(go).filter((g) => !g.ok).length).toBe(8);
  });

  it("openssl reads the ones with BOOLEAN 0x01, version 4 and non-IA5 dNSName, so they stay in the report", async () => {
    for (const name of ["extCriticalBoolean01", "basicConstraintsCaBoolean01", "versionFieldThree", "sanDnsNotIa5"]) {
      expect(openssl(ders[name]!, ["x509", "-noout", "-subject"]).status, name).toBe(0);
      await expect(parse(ders[name]!)).resolves.toBeTruthy();
    }
    expect(openssl(ders.versionFieldThree!, ["x509", "-noout", "-text"]).out).toContain("Version: Unknown (3)");
    expect(go.versionFieldThree!.error).toBe("x509: invalid version");
  });

  it("an empty RDN and trailing bytes after a SAN are read by Go and openssl: anomalies, not Go refusals", async () => {
    expect(go.emptyRdn!.ok && go.sanTrailingBytes!.ok).toBe(true);
    expect(openssl(ders.emptyRdn!, ["x509", "-noout", "-subject"]).status).toBe(0);
    expect(openssl(ders.sanTrailingBytes!, ["x509", "-noout", "-ext", "subjectAltName"]).out).toContain("DNS:a.b");
    expect((await parse(ders.emptyRdn!)).anomalies).toContain("empty-rdn");
    const trailing = await parse(ders.sanTrailingBytes!);
    expect(trailing.anomalies).toContain("extension-trailing-data");
    expect(trailing.subjectAltNames?.map((n) => n.value)).toEqual(go.sanTrailingBytes!.dnsNames);
  });

  it("a PEM bundle with a Go-refused certificate is a 200 report: that certificate gets cert.go-unparseable, the rest is audited", async () => {
    const pem = [ders.versionFieldThree!, ders.v3Baseline!]
      .map((d) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(d).toString("base64")}\n-----END CERTIFICATE-----\n`)
      .join("");
    const r = await audit({ pem }, { at: new Date("2026-06-01T00:00:00Z"), subtle: crypto.subtle });
    expect(r.certificates.length).toBe(2);
    const f = r.findings.filter((x) => x.code === "cert.go-unparseable");
    expect(f.length).toBe(1);
    expect(f[0]!.message).toContain("x509: invalid version");
    expect(f[0]!.message).toContain("kubectl and kube-apiserver will not load it");
  });
});

describe.skipIf(!tools)("negative pathLenConstraint", () => {
  it("openssl parses it (pathlen:-1); current Go refuses it, Go 1.19 still read it", async () => {
    const der = await craftCert({ extensions: [extension("2.5.29.19", seq(TRUE, int(bytes(0xff))), TRUE)] });
    expect(openssl(der, ["x509", "-noout", "-text"]).out).toContain("CA:TRUE, pathlen:-1");
    // Go 1.19 parser.go parseBasicConstraintsExtension read it into an int (oracle: MaxPathLen -1) ...
    expect(goParse({ der }).der!.ok).toBe(true);
    // ... current Go (crypto/x509/parser.go parseBasicConstraintsExtension: `var mpl uint; if
    // !der.ReadASN1Integer(&mpl) ... "x509: invalid basic constraints"`) refuses it; kubectl and
    // kube-apiserver are built with current Go.
    const c = await parse(der);
    expect(c.goParseErrors).toEqual(["x509: invalid basic constraints (negative pathLenConstraint)"]);
    expect(c.anomalies).toContain("bad-extension-value");
  });
});

describe.skipIf(!tools)("signatures", () => {
  it("a signature BIT STRING with unused bits stays in the report; only the signature fails (as in openssl and Go)", async () => {
    const der = await craftCert({
      signatureBits: (s) => {
        const b = s.slice();
        b[0] = 1;
        b[b.length - 1]! &= 0xfe;
        return b;
      },
    });
    const f = pemFile(der);
    expect(opensslRaw(["verify", "-check_ss_sig", "-CAfile", f, f]).out).toContain("certificate signature failure");
    const g = goParse({ der, issuer: der }, { der: "issuer" }).der!;
    expect(g.ok).toBe(true);
    expect(g.signature).toContain("verification error");
    const c = await parse(der);
    expect(c.frame.signatureUnusedBits).toBe(1);
    expect((await new SignatureVerifier(crypto.subtle).verify(c, c)).result).toBe("invalid");
  });

  it("1.3.14.3.2.29 (sha1WithRSA, OIW form) is SHA-1 with RSA and verifies, as openssl says", async () => {
    const der = await craftCert({ hash: "SHA-1", signatureAlgorithm: seq(oid("1.3.14.3.2.29"), NULL) });
    expect(openssl(der, ["x509", "-noout", "-text"]).out).toContain("Signature Algorithm: sha1WithRSA");
    const f = pemFile(der);
    expect(opensslRaw(["verify", "-auth_level", "0", "-check_ss_sig", "-CAfile", f, f]).out).toContain(": OK");
    const c = await parse(der);
    expect(c.signatureAlgorithm).toMatchObject({ name: "sha1WithRSA", key: "RSA", hash: "SHA-1" });
    expect((await new SignatureVerifier(crypto.subtle).verify(c, c)).result).toBe("valid");
  });

  it("a PKCS#1 v1.5 signature from an RSASSA-PSS-restricted key is invalid (RFC 4055 1.2; Go cannot check it either)", async () => {
    // The issuer's SPKI carries the same RSA key labelled id-RSASSA-PSS.
    const rsa = await rsaSpki();
    const [, bitsT] = children(rsa, readTlv(rsa, 0));
    const bitString = rsa.subarray(bitsT!.start, bitsT!.end);
    const pssSpki = seq(seq(oid("1.2.840.113549.1.1.10")), bitString);
    const issuer = await craftCert({ spki: pssSpki });
    const child = await craftCert({ subject: cnName("child"), issuer: cnName("crafted") });
    const g = goParse({ child, issuer }, { child: "issuer" }).child!;
    expect(g.signature).toMatch(/unsupported|algorithm/i);
    const verifier = new SignatureVerifier(crypto.subtle);
    const [c, i] = [await parse(child), await parse(issuer)];
    expect(i.spkiAlgorithm.oid).toBe("1.2.840.113549.1.1.10");
    const out = await verifier.verify(c, i);
    expect(out.result).toBe("invalid");
    expect(out.detail).toContain("RSASSA-PSS-restricted");
  });
});

describe.skipIf(!tools)("key sizes and curve names", () => {
  it("a DSA key has the size of p (Go: P.BitLen(); openssl: Public-Key: (2048 bit))", async () => {
    const p = new Uint8Array(257).fill(0xab);
    p[0] = 0;
    p[1] = 0xc3;
    const q = new Uint8Array(33).fill(0x9d);
    q[0] = 0;
    const dss = seq(tlv(0x02, p), tlv(0x02, q), int(2));
    const y = int(new Uint8Array(256).fill(0x55));
    const spki = seq(seq(oid("1.2.840.10040.4.1"), dss), tlv(0x03, bytes(0), y));
    const der = await craftCert({ spki });
    const g = goParse({ der }).der!;
    expect(openssl(der, ["x509", "-noout", "-text"]).out).toContain("Public-Key: (2048 bit)");
    const c = await parse(der);
    expect(c.publicKey).toMatchObject({ algorithm: "DSA", bits: g.keyBits });
    expect(g.keyBits).toBe(2048);
  });

  it("a P-224 key is named P-224 with 224 bits (Go and openssl)", async () => {
    // The P-224 base point (SEC 2 2.4.2 / FIPS 186-4 D.1.2.2) as the public key.
    const G = "04b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34";
    const point = new Uint8Array(G.match(/../g)!.map((h) => parseInt(h, 16)));
    const spki = seq(seq(oid("1.2.840.10045.2.1"), oid("1.3.132.0.33")), tlv(0x03, bytes(0), point));
    const der = await craftCert({ spki });
    const g = goParse({ der }).der!;
    expect(g).toMatchObject({ ok: true, curve: "P-224", keyBits: 224 });
    expect(openssl(der, ["x509", "-noout", "-text"]).out).toMatch(/Public-Key: \(224 bit\)[\s\S]*NIST CURVE: P-224/);
    const c = await parse(der);
    expect(c.publicKey).toMatchObject({ algorithm: "EC", curve: g.curve, bits: g.keyBits });
  });

  it("an explicit-parameter EC key gets openssl's size (the order's bit length)", async () => {
    const key = opensslRaw(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-pkeyopt", "ec_param_enc:explicit"]);
    expect(key.status).toBe(0);
    const pub = opensslRaw(["pkey", "-pubout", "-outform", "DER"], key.stdout.toString());
    const der = await craftCert({ spki: new Uint8Array(pub.stdout) });
    expect(openssl(der, ["x509", "-noout", "-text"]).out).toContain("Public-Key: (256 bit)");
    const c = await parse(der);
    expect(c.publicKey).toMatchObject({ algorithm: "EC", curve: "explicit", bits: 256 });
    // Go refuses explicit curves ("x509: invalid ECDSA parameters"); the go profile says so per chain.
    expect(goParse({ der }).der!.error).toBe("x509: invalid ECDSA parameters");
  });
});

describe("only the parser's own errors become parse failures", () => {
  it("a TypeError inside parsing propagates (a bug is a bug), a malformed certificate is a CertParseError", async () => {
    const der = await craftCert();
    const broken = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    };
    await expect(parseCertificate(der, broken)).rejects.toBeInstanceOf(TypeError);
    await expect(parse(bytes(0x30, 0x03, 0x02, 0x01, 0x01))).rejects.toBeInstanceOf(CertParseError);
  });

  it("CertStore reports a CertParseError as input.unparseable-certificate and lets other exceptions through", async () => {
    const findings = new Findings();
    const store = new CertStore(crypto.subtle, findings, { maxCertificates: 10, maxChains: 10, maxContexts: 10 });
    expect(await store.addDer(bytes(0x30, 0x03, 0x02, 0x01, 0x01), "pem[0]")).toBeNull();
    expect(findings.list.map((f) => f.code)).toEqual(["input.unparseable-certificate"]);
    const bad = new CertStore({ digest: () => Promise.reject(new TypeError("boom")) } as unknown as SubtleCrypto, new Findings(), {
      maxCertificates: 10,
      maxChains: 10,
      maxContexts: 10,
    });
    await expect(bad.addDer(await craftCert(), "pem[0]")).rejects.toBeInstanceOf(TypeError);
  });

  it("every single-byte mutation of a certificate parses or fails with CertParseError, never with JavaScript error text", async () => {
    const der = await craftCert({
      extensions: [
        extension("2.5.29.19", seq(TRUE, int(1)), TRUE),
        extension("2.5.29.17", seq(tlv(0x82, bytes(0x61, 0x2e, 0x62)), tlv(0x87, bytes(10, 0, 0, 1)))),
      ],
    });
    const js = /undefined|Cannot read|is not a function|is not iterable|NaN|Invalid time value|Maximum call stack|\(reading/;
    let failures = 0;
    for (let i = 0; i < der.length; i++) {
      for (const v of [0x00, 0x01, 0x80, 0xff, der[i]! ^ 0x20]) {
        const m = der.slice();
        m[i] = v;
        try {
          const c = await parse(m);
          // A parsed certificate always has real dates.
          expect(Number.isNaN(c.notBefore.getTime()) || Number.isNaN(c.notAfter.getTime())).toBe(false);
        } catch (e) {
          failures++;
          expect(e, `byte ${i} = ${v}`).toBeInstanceOf(CertParseError);
          expect((e as Error).message, `byte ${i} = ${v}`).not.toMatch(js);
        }
      }
    }
    expect(failures).toBeGreaterThan(0);
    expect(new DerError("x", 0)).toBeInstanceOf(Error);
  });
});

describe.skipIf(!tools)("a certificate Go cannot parse fails Go's verdicts", () => {
  const KU = (b: number, unused: number) => extension("2.5.29.15", tlv(0x03, bytes(unused, b)), TRUE);
  const caSpec = { subject: cnName("craft-ca"), serial: bytes(0x01), extensions: [extension("2.5.29.19", seq(TRUE), TRUE), KU(0x06, 1)] };
  const clientSpec = (version: number) => ({
    version,
    subject: cnName("alice"),
    issuer: cnName("craft-ca"),
    serial: bytes(0x02),
    extensions: [KU(0x80, 7), extension("2.5.29.37", seq(oid("1.3.6.1.5.5.7.3.2")))],
  });
  const at = new Date("2026-06-01T00:00:00Z");

  it("version field 3 (v4): Go refuses the client certificate, so the go-profile chain and clientAccepted fail; v3 passes", async () => {
    const ca = await craftCert(caSpec);
    const [v3, v4] = [await craftCert(clientSpec(2)), await craftCert(clientSpec(3))];
    const go = goParse({ v3, v4, ca }, { v3: "ca" });
    expect(go.v3).toMatchObject({ ok: true, signature: "ok" });
    expect(go.v4!.error).toBe("x509: invalid version");
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const kubeconfig = async (client: Uint8Array) =>
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: c",
        "  cluster:",
        "    server: https://127.0.0.1:6443",
        `    certificate-authority-data: ${b64(pem(ca))}`,
        "users:",
        "- name: u",
        "  user:",
        `    client-certificate-data: ${b64(pem(client))}`,
        `    client-key-data: ${b64(await rsaKeyPem())}`,
        "contexts:",
        "- name: x",
        "  context: {cluster: c, user: u}",
        "current-context: x",
        "",
      ].join("\n");
    const verdict = async (client: Uint8Array) =>
      (await audit({ kubeconfig: await kubeconfig(client), clientCA: pem(ca) }, { at, subtle: crypto.subtle })).contexts[0]!.clientAccepted;
    expect(await verdict(v3)).toBe(true);
    expect(await verdict(v4)).toBe(false);
    const chain = await verifyCertificate({ certificate: pem(v4), trustAnchors: pem(ca), profile: "go" } as never, {
      at,
      subtle: crypto.subtle,
    });
    expect(chain.valid).toBe(false);
    expect(JSON.stringify(chain)).toContain("x509: invalid version");
  });

  it("a leaf whose signature BIT STRING has an unused bit is in the /v1/verify result with a signature failure", async () => {
    const ca = await craftCert(caSpec);
    const odd = await craftCert({
      ...clientSpec(2),
      signatureBits: (sig) => {
        const b = sig.slice();
        b[0] = 1;
        b[b.length - 1]! &= 0xfe;
        return b;
      },
    });
    const caFile = pemFile(ca);
    expect(opensslRaw(["verify", "-CAfile", caFile, pemFile(odd)]).out).toContain("certificate signature failure");
    const r = await verifyCertificate({ certificate: pem(odd), trustAnchors: pem(ca), profile: "go" } as never, {
      at,
      subtle: crypto.subtle,
    });
    expect(r.valid).toBe(false);
    expect(JSON.stringify(r)).toMatch(/signature/);
    expect(JSON.stringify(r)).toContain("unused bit");
  });
});

describe.skipIf(!tools)("a certificate openssl reads but that is not DER", () => {
  it("is that certificate's finding, in a PEM bundle and as a binary DER upload; the rest is audited", async () => {
    // Serial INTEGER with a non-minimal length (02 81 02 instead of 02 02): BER, not DER.
    const ber = await craftCert({ serialTlv: bytes(0x02, 0x81, 0x02, 0x12, 0x34) });
    expect(openssl(ber, ["x509", "-noout", "-serial"]).out).toContain("serial=1234");
    expect(goParse({ ber }).ber!.error).toBe("x509: malformed serial number");
    const good = await craftCert({ subject: cnName("good") });
    const opts = { at: new Date("2026-06-01T00:00:00Z"), subtle: crypto.subtle };
    const bundle = await audit({ pem: pem(ber) + pem(good) }, opts);
    expect(bundle.certificates.length).toBe(1);
    const f = bundle.findings.find((x) => x.code === "input.unparseable-certificate");
    expect(f?.message).toMatch(/not DER: non-minimal length encoding at byte \d+; Go's x509 parser refuses it/);
    const binary = await audit({ document: ber }, opts);
    expect(binary.findings.map((x) => x.code)).toContain("input.unparseable-certificate");
  });
});
