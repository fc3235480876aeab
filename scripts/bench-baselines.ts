// Baselines for the benches, on the same certificates: node:crypto (OpenSSL's parser and
// verifier, the native floor) and @peculiar/x509 used the obvious way (parse, read the fields
// the report shows, verify). Each certificate is verified with its issuer's key, found once
// before timing (a self-signed one with its own key; one with no issuer in the set is parsed only).
import { X509Certificate as NativeCert } from "node:crypto";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(crypto);

/** Index of each certificate's issuer in `ders`, or -1. */
export function issuerIndexes(ders: Uint8Array[]): number[] {
  const certs = ders.map((d) => new NativeCert(d));
  const bySubject = new Map<string, number[]>();
  for (const [i, c] of certs.entries()) bySubject.set(c.subject, [...(bySubject.get(c.subject) ?? []), i]);
  return certs.map((c) => (bySubject.get(c.issuer) ?? []).find((j) => c.checkIssued(certs[j]!) && c.verify(certs[j]!.publicKey)) ?? -1);
}

/** node:crypto: parse every certificate, verify each signature with its issuer's key. */
export function nativeParseVerify(ders: Uint8Array[], issuers: number[]): number {
  const certs = ders.map((d) => new NativeCert(d));
  let ok = 0;
  for (let i = 0; i < certs.length; i++) if (issuers[i]! >= 0 && certs[i]!.verify(certs[issuers[i]!]!.publicKey)) ok++;
  return ok;
}

/** @peculiar/x509: parse, read names, serial, validity, key, signature algorithm and every extension, verify. */
export async function peculiarParseVerify(ders: Uint8Array[], issuers: number[]): Promise<number> {
  const certs = ders.map((d) => new x509.X509Certificate(d as Uint8Array<ArrayBuffer>));
  let ok = 0;
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i]!;
    void [c.subject, c.issuer, c.serialNumber, c.notBefore, c.notAfter, c.signatureAlgorithm, c.publicKey.algorithm];
    for (const e of c.extensions) void [e.type, e.critical];
    if (issuers[i]! >= 0 && (await c.verify({ publicKey: certs[issuers[i]!]!.publicKey, signatureOnly: true }))) ok++;
  }
  return ok;
}
