// PKCS#12 files for the CLI and the Action: what they are opened with. The reader itself
// (src/cli/pkcs12-read.ts, with @peculiar/asn1-pfx) is loaded only for a file that looks like
// PKCS#12, so every other run does not pay for evaluating the ASN.1 library.
import { looksLikePkcs12 } from "../core/encoding/pkcs12-shape.ts";
import { Pkcs12Error } from "./pkcs12-error.ts";

export { looksLikePkcs12, Pkcs12Error };

export const P12_PASSWORD_ENV = "CERTAUDIT_P12_PASSWORD";

/** The password: --p12-password-file (its first line) or $CERTAUDIT_P12_PASSWORD; else empty. */
export function p12Password(file: string | undefined, env: Record<string, string | undefined>, read: (path: string) => Uint8Array): string {
  if (file !== undefined) return new TextDecoder().decode(read(file)).split(/\r?\n/)[0] ?? "";
  return env[P12_PASSWORD_ENV] ?? "";
}

/**
 * The CLI's reading of a FILE: a PKCS#12 file becomes the PEM of its certificates and keys
 * (decrypted here, with the password from --p12-password-file or $CERTAUDIT_P12_PASSWORD);
 * anything else is returned as it is. Rejects with Pkcs12Error when it cannot be read.
 */
export async function openIfPkcs12(bytes: Uint8Array, password: () => string): Promise<{ bytes: Uint8Array; pkcs12: boolean }> {
  if (!looksLikePkcs12(bytes)) return { bytes, pkcs12: false };
  const { readPkcs12, pkcs12Pem } = await import("./pkcs12-read.ts");
  const contents = readPkcs12(bytes, password());
  if (!contents.certificates.length) throw new Pkcs12Error("cli.p12-unreadable", "the PKCS#12 file holds no certificate");
  return { bytes: new TextEncoder().encode(pkcs12Pem(contents)), pkcs12: true };
}
