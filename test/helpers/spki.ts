// SubjectPublicKeyInfo encodings that hold one key in another form (RFC 3279 / RFC 5480 allow
// them; Go's x509.ParseCertificate refuses some), and a certificate carrying exactly such an SPKI.
// Shared by the key-match tests (test/core/key-match.test.ts) and the fingerprint tests.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { children, concatBytes, encodeTlv, readTlv } from "../../src/core/encoding/der.ts";
import { T0, T_END, type Issued } from "./pki.ts";

const CLIENT = ["1.3.6.1.5.5.7.3.2"];

/** A client certificate whose SubjectPublicKeyInfo is exactly `spki` (any encoding), signed by `ca`. */
export async function certWithSpki(spki: Uint8Array, ca: Issued): Promise<string> {
  const c = await x509.X509CertificateGenerator.create({
    serialNumber: "7a01",
    subject: "CN=jane",
    issuer: ca.cert.subject,
    notBefore: T0,
    notAfter: T_END,
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
    publicKey: spki as BufferSource,
    signingKey: ca.keys.privateKey,
    extensions: [new x509.ExtendedKeyUsageExtension(CLIENT, false)],
  });
  return c.toString("pem");
}

/** RSA SPKI with the AlgorithmIdentifier parameters left out instead of NULL. */
export function rsaWithoutNull(spki: Uint8Array): Uint8Array {
  const [, bits] = children(spki, readTlv(spki, 0));
  const alg = encodeTlv(0x30, new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]));
  return encodeTlv(0x30, concatBytes(alg, spki.subarray(bits!.start, bits!.end)));
}

/** An RSA SPKI relabelled id-RSASSA-PSS (RFC 4055), parameters absent. */
export function asRsaPss(spki: Uint8Array): Uint8Array {
  const [, bits] = children(spki, readTlv(spki, 0));
  const alg = encodeTlv(0x30, new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a]));
  return encodeTlv(0x30, concatBytes(alg, spki.subarray(bits!.start, bits!.end)));
}

/** EC SPKI with the point in compressed form (SEC 1 2.3.3). */
export function ecCompressed(spki: Uint8Array): Uint8Array {
  const [alg, bits] = children(spki, readTlv(spki, 0));
  const point = spki.subarray(bits!.contentStart + 1, bits!.end);
  const size = (point.length - 1) / 2;
  const x = point.subarray(1, 1 + size);
  const yOdd = point[point.length - 1]! & 1;
  const bitString = encodeTlv(0x03, concatBytes(new Uint8Array([0, yOdd ? 0x03 : 0x02]), x));
  return encodeTlv(0x30, concatBytes(spki.subarray(alg!.start, alg!.end), bitString));
}

/** An EC SPKI whose point is moved off its curve: the last byte of y changed (still 04 || x || y, the right length). */
export function ecOffCurve(spki: Uint8Array): Uint8Array {
  const out = spki.slice();
  out[out.length - 1] = out[out.length - 1]! ^ 0x01;
  return out;
}
