// Go's crypto/x509 Certificate.Verify, the library kubectl and kube-apiserver use, asked through
// the stdlib oracle test/oracles/x509verify: one root, any intermediates, the leaf, at a time.
// Each certificate is DER or PEM (bytes or text), written to a fresh directory removed afterwards.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ORACLE = fileURLToPath(new URL("../../oracles/x509verify/main.go", import.meta.url));

export interface GoVerdict {
  valid: boolean;
  /** Go's error, e.g. `x509: certificate signed by unknown authority (...)`, or `parse leaf: ...`. */
  error?: string;
}

type Certificate = Uint8Array | string;

/** What Go's Verify says of `leaf` with `root` trusted and `intermediates` offered, at `at` (ISO 8601). */
export function goVerify(at: string, chain: { root: Certificate; intermediates?: Certificate[]; leaf: Certificate }): GoVerdict {
  const dir = mkdtempSync(join(tmpdir(), "certaudit-x509verify-"));
  const file = (name: string, c: Certificate) => {
    writeFileSync(join(dir, name), c);
    return join(dir, name);
  };
  const inters = (chain.intermediates ?? []).flatMap((c, i) => ["-inter", file(`inter${i}`, c)]);
  const args = ["run", ORACLE, "-at", at, "-root", file("root", chain.root), ...inters, file("leaf", chain.leaf)];
  const r = spawnSync("go", args, {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "", GOPROXY: "off" },
  });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`the Go oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as GoVerdict;
}
