// The second entry point: verify one chain like `openssl verify -untrusted -CAfile -purpose
// -verify_hostname -attime`, with the same validator the audit uses.
import type { z } from "zod";
import { checkCertificate } from "./checks/certificate.ts";
import { checkExpiry } from "./checks/expiry.ts";
import { InputProblem } from "./errors.ts";
import { CATALOGUE, Findings, isFindingCode, type FindingCode } from "./findings/index.ts";
import { CertStore } from "./input/store.ts";
import { certificateJson } from "./report/assemble.ts";
import type { VerifyRequestSchema } from "./report/schema.ts";
import type { VerifyResultJson } from "./report/types.ts";
import { CrlParseError, newBudget, parseCrl, verifyChain, type Crl } from "./verify/index.ts";
import { resolveProfile } from "./verify/profile-names.ts";
import type { Profile } from "./verify/types.ts";
import { describeDisagreement, runSideBySide } from "./checks/side-by-side.ts";
import { scanPem } from "./encoding/pem.ts";
import { SignatureVerifier } from "./x509/signature.ts";
import { DEFAULT_LIMITS, DEFAULT_WARN_DAYS } from "./defaults.ts";
import { iso } from "./checks/expiry.ts";

export type VerifyRequest = z.infer<typeof VerifyRequestSchema>;

/** ": <code>: <what was found>" for the first input finding about `field`, so a 422 names the problem. */
function whyUnread(findings: Findings, field: string): string {
  const f = findings.list.find((x) => x.code.startsWith("input.") && (x.path === field || x.path?.startsWith(`${field}[`)));
  if (!f) return "";
  const advice = CATALOGUE[f.code as FindingCode].advice;
  const what = f.message.endsWith(advice) ? f.message.slice(0, -advice.length).trim() : f.message;
  return ` (${f.code}: ${what})`;
}

export async function verifyCertificate(
  req: VerifyRequest,
  options: { at: Date; subtle: SubtleCrypto; warnDays?: number },
): Promise<VerifyResultJson> {
  const at = options.at;
  const findings = new Findings();
  const store = new CertStore(options.subtle, findings, DEFAULT_LIMITS);
  const leafAndMore = await store.addCertificateField(req.certificate, "certificate");
  const leaf = leafAndMore[0];
  if (!leaf)
    throw new InputProblem(
      "input.nothing-to-audit",
      422,
      `certificate holds no readable certificate${whyUnread(findings, "certificate")}`,
      { pointer: "/certificate" },
    );
  const intermediates = [
    ...leafAndMore.slice(1),
    ...(req.intermediates ? await store.addCertificateField(req.intermediates, "intermediates") : []),
  ];
  const anchors = await store.addCertificateField(req.trustAnchors, "trustAnchors");
  if (anchors.length === 0)
    throw new InputProblem(
      "input.nothing-to-audit",
      422,
      `trustAnchors holds no readable certificate${whyUnread(findings, "trustAnchors")}`,
      { pointer: "/trustAnchors" },
    );
  const profile = resolveProfile(req.profile);
  const crls: Crl[] = [];
  for (const b of req.crls ? scanPem(req.crls).blocks : []) {
    if ((b.label !== "X509 CRL" && b.label !== "CRL") || !b.der)
      throw new InputProblem("input.unrecognized", 400, `crls block ${b.index} is not an X509 CRL`, { pointer: "/crls" });
    try {
      crls.push(parseCrl(b.der));
    } catch (e) {
      throw new InputProblem(
        "input.unrecognized",
        400,
        `crls block ${b.index} cannot be read${e instanceof CrlParseError ? `: ${e.message}` : ""}`,
        { pointer: "/crls" },
      );
    }
  }
  if (req.crls && crls.length === 0)
    throw new InputProblem("input.unrecognized", 400, "crls holds no X509 CRL block", { pointer: "/crls" });
  const verifier = new SignatureVerifier(options.subtle);
  const run = (p: Profile) =>
    verifyChain({
      leaf,
      intermediates,
      anchors,
      at,
      purpose: req.purpose ?? "any",
      profile: p,
      budget: newBudget(),
      verifier,
      ...(req.serverName ? { serverName: req.serverName } : {}),
      ...(req.email !== undefined ? { email: req.email } : {}),
      ...(req.maxDepth !== undefined ? { maxDepth: req.maxDepth } : {}),
      ...(crls.length ? { crls } : {}),
    });
  const side = await runSideBySide(run, profile);
  const result = side.reported!;
  if (result.reason) {
    const code: FindingCode = isFindingCode(result.reason.code) ? (result.reason.code as FindingCode) : "chain.untrusted";
    findings.add(code, result.reason.message, {
      path: "certificate",
      ...(result.reason.certificate ? { certificate: result.reason.certificate } : {}),
    });
  }
  // A search cut short by its budget also names the best failure it had found (never on its own:
  // the chain.budget-exhausted finding above says the answer is incomplete).
  const before = result.beforeBudget;
  if (before) {
    const code: FindingCode = isFindingCode(before.code) ? (before.code as FindingCode) : "chain.untrusted";
    findings.add(code, `Before path building stopped on its budget: ${before.message}; candidates not tried may avoid it.`, {
      path: "certificate",
      ...(before.certificate ? { certificate: before.certificate } : {}),
    });
  }
  const disagree = describeDisagreement(side.go, side.strict);
  if (disagree) findings.add("chain.tools-disagree", `${disagree}.`, { path: "certificate", certificate: leaf.id });
  const warnDays = options.warnDays ?? DEFAULT_WARN_DAYS;
  const onPath = new Set(result.path.map((c) => c.id));
  for (const { cert, sources } of store.all()) {
    if (!onPath.has(cert.id)) continue;
    const role = cert.id === leaf.id ? (req.purpose === "server" ? "server" : req.purpose === "client" ? "client" : "other") : "ca";
    checkExpiry(cert, at, warnDays, findings, sources[0] ?? "", role === "ca" ? "CA certificate" : "certificate");
    checkCertificate(cert, findings, sources[0] ?? "", role);
  }
  return {
    valid: result.valid,
    status: result.status,
    path: result.path.map((c) => c.id),
    anchor: result.anchor?.id ?? null,
    reason: result.reason?.code ?? null,
    reasonMessage: result.reason?.message ?? null,
    profile,
    go: { valid: side.go!.valid, reason: side.go!.reason?.code ?? null },
    rfc5280: { valid: side.strict!.valid, reason: side.strict!.reason?.code ?? null, reasonMessage: side.strict!.reason?.message ?? null },
    validationTime: iso(at),
    rejected: result.rejected.slice(0, 50),
    findings: findings.list,
    certificates: store.all().map(({ cert, sources }) => certificateJson(cert, sources, at, warnDays)),
  };
}
