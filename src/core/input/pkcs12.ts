// A PKCS#12 file sent to the core (the API, the form): audited only when it holds nothing
// secret (unencrypted certificate bags). A private key, or encrypted parts that may hold one,
// stays on the user's machine: the CLI decrypts it there (src/cli/pkcs12.ts).
import { DerError } from "../encoding/der.ts";
import { toPem } from "../encoding/pem.ts";
import { pkcs12Shape } from "../encoding/pkcs12-shape.ts";
import { InputProblem } from "../errors.ts";

export function pkcs12AsPem(der: Uint8Array, field: string): string {
  let shape: ReturnType<typeof pkcs12Shape>;
  try {
    shape = pkcs12Shape(der);
  } catch (e) {
    if (!(e instanceof DerError)) throw e;
    throw new InputProblem("input.unrecognized", 400, `${field} looks like PKCS#12 but is not valid DER`, { pointer: `/${field}` });
  }
  if (shape.kind === "secret")
    throw new InputProblem(
      "input.pkcs12-secret",
      422,
      `${field} is a PKCS#12 file that ${shape.why === "private-key" ? "holds a private key" : "is encrypted (it may hold a private key)"}; it is not accepted here. Audit it locally, where it is decrypted on your machine: certaudit --p12-password-file PASSWORD_FILE FILE.p12 (or CERTAUDIT_P12_PASSWORD)`,
      { pointer: `/${field}` },
    );
  if (!shape.certificates.length)
    throw new InputProblem("input.nothing-to-audit", 422, `${field} is a PKCS#12 file with no certificate`, { pointer: `/${field}` });
  return shape.certificates.map((c) => toPem("CERTIFICATE", c)).join("");
}
