// The NIST curve constants the EC checks use (src/core/keys/ec-point.ts: Go's on-curve check,
// and canonical.ts: explicit parameters and point decompression) are the ones openssl prints
// for each named curve with `ecparam -param_enc explicit -text`: prime, A = p - 3, B, order.
import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";
import { NIST_CURVES } from "../../src/core/keys/ec-point.ts";
import { OID } from "../../src/core/x509/oids.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";

const withOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");
const NAMES: Record<string, string> = {
  [OID.p224]: "secp224r1",
  [OID.p256]: "prime256v1",
  [OID.p384]: "secp384r1",
  [OID.p521]: "secp521r1",
};

/** The hex integers openssl prints under each heading. */
function explicitParameters(name: string): Record<string, bigint> {
  const r = spawnSync("openssl", ["ecparam", "-name", name, "-param_enc", "explicit", "-text", "-noout"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ecparam ${name}: ${r.stderr}`);
  const out: Record<string, bigint> = {};
  for (const [, field, hex] of r.stdout.matchAll(/^(Prime|A|B|Order):\s*\n((?:\s+[0-9a-f:]+\n)+)/gm))
    out[field!] = BigInt(`0x${hex!.replace(/[\s:]/g, "")}`);
  return out;
}

withOpenssl("NIST curve constants", () => {
  it("are openssl's for P-224, P-256, P-384 and P-521", () => {
    expect(Object.keys(NIST_CURVES).sort()).toEqual(Object.keys(NAMES).sort());
    for (const [oid, name] of Object.entries(NAMES)) {
      const o = explicitParameters(name);
      const c = NIST_CURVES[oid]!;
      expect({ p: c.p, a: c.p - 3n, b: c.b, n: c.n, bytes: c.size }, name).toEqual({
        p: o.Prime,
        a: o.A,
        b: o.B,
        n: o.Order,
        bytes: Math.ceil(o.Prime!.toString(2).length / 8),
      });
    }
  });
});
