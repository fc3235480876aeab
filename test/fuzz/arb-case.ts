// One fuzz case: an audit() call (a document, a kubeconfig, a PEM bundle or DER, alone or in the
// JSON envelope with clientCA / serverCertificate) or a verifyCertificate() request. `materialise`
// turns the recipe into the exact input, which is what reproducers and regressions store.
import fc from "fast-check";
import { arbCertRecipe, buildCert, type CertRecipe } from "./arb-der.ts";
import { arbCrl, buildCrl, type CrlRecipe } from "./arb-crl.ts";
import { arbKubeconfig, buildKubeconfig, type KcRecipe } from "./arb-kubeconfig.ts";
import { arbPem, type BlockBody, buildPem, type PemRecipe } from "./arb-pem.ts";
import type { FuzzCa } from "./fuzz-ca.ts";
import type { Seeds } from "./seeds.ts";
import { applyTextEdit, arbTextEdit, type TextEdit } from "./text-edit.ts";

type Main =
  | { kind: "kubeconfig"; r: KcRecipe }
  | { kind: "pem"; r: PemRecipe }
  | { kind: "der"; r: CertRecipe }
  | { kind: "text"; seed: number; edits: TextEdit[] };

export type CaseRecipe =
  | {
      target: "audit";
      field: "document" | "kubeconfig" | "pem";
      main: Main | null;
      asBytes: boolean;
      clientCA: PemRecipe | null;
      serverCertificate: PemRecipe | null;
      at: string;
      warnDays: number | null;
    }
  | {
      target: "verify";
      certificate: PemRecipe;
      intermediates: PemRecipe | null;
      trustAnchors: PemRecipe;
      serverName: string | null;
      purpose: "server" | "client" | "any" | null;
      maxDepth: number | null;
      profile: string | null;
      crls: CrlRecipe[] | null;
      at: string;
    };

/** The exact input of a case (bytes as Uint8Array); JSON-able through `encodeCase`. */
export type Materialised =
  | { target: "audit"; input: Record<string, string | Uint8Array>; at: string; warnDays?: number; secrets: string[] }
  | { target: "verify"; req: Record<string, unknown>; secrets: string[] };

const AT = fc.oneof(
  { weight: 6, arbitrary: fc.constant("2026-06-01T00:00:00Z") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "1949-12-31T23:59:59Z",
      "1950-01-01T00:00:00Z",
      "2049-12-31T23:59:59Z",
      "2050-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z",
      "1970-01-01T00:00:00Z",
      "2026-12-31T23:59:59.999Z",
      "0001-01-01T00:00:00Z",
    ),
  },
);
const SERVER_NAMES = [
  "127.0.0.1",
  "kubernetes",
  "kubernetes.default.svc",
  "localhost",
  "::1",
  "[::1]",
  "",
  "*.example.com",
  "a..b",
  "KUBERNETES.",
  "10.96.0.1",
  "xn--nxasmq6b",
  "é.example",
  "0x7f.1",
  "x".repeat(253),
];

export const arbCase = (seeds: Seeds): fc.Arbitrary<CaseRecipe> => {
  const pem = arbPem(seeds, 3);
  const main: fc.Arbitrary<Main> = fc.oneof(
    { weight: 4, arbitrary: arbKubeconfig(seeds).map((r) => ({ kind: "kubeconfig" as const, r })) },
    { weight: 3, arbitrary: pem.map((r) => ({ kind: "pem" as const, r })) },
    { weight: 2, arbitrary: arbCertRecipe(seeds.certs.length).map((r) => ({ kind: "der" as const, r })) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("text" as const),
        seed: fc.nat({ max: seeds.kubeconfigs.length + seeds.pemTexts.length - 1 }),
        edits: fc.array(arbTextEdit, { minLength: 1, maxLength: 6 }),
      }),
    },
  );
  const audit = fc.record({
    target: fc.constant("audit" as const),
    field: fc.constantFrom("document" as const, "document" as const, "kubeconfig" as const, "pem" as const),
    main: fc.oneof({ weight: 9, arbitrary: main }, { weight: 1, arbitrary: fc.constant(null) }),
    asBytes: fc.boolean(),
    clientCA: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: pem }),
    serverCertificate: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: pem }),
    at: AT,
    warnDays: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, 400, 3650) }),
  });
  // Mostly well-formed PEM around a re-signed leaf and the fuzz CA, so that the edits inside the
  // certificate reach path validation; sometimes any PEM.
  const clean = (body: fc.Arbitrary<BlockBody>): fc.Arbitrary<PemRecipe> =>
    fc.array(body, { minLength: 1, maxLength: 2 }).map((bodies) => ({
      kind: "bundle" as const,
      blocks: bodies.map((b) => ({ body: b, label: null, b64: "plain" as const, headers: false })),
      width: 64,
      eol: "\n",
      lead: "",
      edits: [],
    }));
  const leaf = arbCertRecipe(seeds.certs.length).map((cert): BlockBody => ({ kind: "cert", cert: { ...cert, resign: true } }));
  const verify = fc.record({
    target: fc.constant("verify" as const),
    certificate: fc.oneof({ weight: 3, arbitrary: clean(leaf) }, { weight: 1, arbitrary: pem }),
    intermediates: fc.option(pem, { nil: null, freq: 3 }),
    trustAnchors: fc.oneof({ weight: 3, arbitrary: clean(fc.constant<BlockBody>({ kind: "fuzz-ca" })) }, { weight: 1, arbitrary: pem }),
    serverName: fc.option(fc.constantFrom(...SERVER_NAMES), { nil: null }),
    purpose: fc.option(fc.constantFrom("server" as const, "client" as const, "any" as const), { nil: null }),
    maxDepth: fc.option(fc.constantFrom(1, 2, 3, 32), { nil: null }),
    profile: fc.option(fc.constantFrom("go", "rfc5280", "webpki", "kubernetes"), { nil: null }),
    crls: fc.option(fc.array(arbCrl(seeds.certs.length), { minLength: 1, maxLength: 2 }), { nil: null, freq: 3 }),
    at: AT,
  });
  return fc.oneof({ weight: 3, arbitrary: audit }, { weight: 2, arbitrary: verify });
};

const bytes = (s: string) => new TextEncoder().encode(s);

export async function materialise(r: CaseRecipe, seeds: Seeds, ca: FuzzCa): Promise<Materialised> {
  if (r.target === "verify") {
    const req: Record<string, unknown> = {
      certificate: await buildPem(r.certificate, seeds, ca),
      trustAnchors: await buildPem(r.trustAnchors, seeds, ca),
      at: r.at,
    };
    if (r.intermediates) req.intermediates = await buildPem(r.intermediates, seeds, ca);
    if (r.serverName !== null) req.serverName = r.serverName;
    if (r.purpose) req.purpose = r.purpose;
    if (r.maxDepth !== null) req.maxDepth = r.maxDepth;
    if (r.profile) req.profile = r.profile;
    if (r.crls) {
      const blocks: string[] = [];
      for (const c of r.crls)
        blocks.push(
          `-----BEGIN X509 CRL-----\n${toBase64(await buildCrl(c, seeds.certs, ca)).replace(/(.{64})/g, "$1\n")}\n-----END X509 CRL-----\n`,
        );
      req.crls = blocks.join("");
    }
    return { target: "verify", req, secrets: [] };
  }
  const input: Record<string, string | Uint8Array> = {};
  let secrets: string[] = [];
  if (r.main) {
    let data: string | Uint8Array;
    if (r.main.kind === "kubeconfig") {
      const k = await buildKubeconfig(r.main.r, seeds, ca);
      data = k.text;
      secrets = k.secrets;
    } else if (r.main.kind === "pem") data = await buildPem(r.main.r, seeds, ca);
    else if (r.main.kind === "der") data = await buildCert(r.main.r, seeds.certs, ca);
    else {
      const texts = [...seeds.kubeconfigs, ...seeds.pemTexts];
      data = r.main.edits.reduce(applyTextEdit, texts[r.main.seed % texts.length]!);
    }
    input[r.main.kind === "der" ? "document" : r.field] = typeof data === "string" && r.asBytes ? bytes(data) : data;
  }
  if (r.clientCA) input.clientCA = await buildPem(r.clientCA, seeds, ca);
  if (r.serverCertificate) input.serverCertificate = await buildPem(r.serverCertificate, seeds, ca);
  return { target: "audit", input, at: r.at, ...(r.warnDays !== null ? { warnDays: r.warnDays } : {}), secrets };
}

/** JSON for reproducers and regression files: byte values as { "base64": "..." }. */
export function encodeCase(m: Materialised): string {
  return JSON.stringify(m, (_k, v) => (v instanceof Uint8Array ? { base64: toBase64(v) } : v));
}

export function toBase64(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

export function decodeCase(json: string): Materialised {
  return JSON.parse(json, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && typeof v.base64 === "string"
      ? Uint8Array.from(atob(v.base64), (c) => c.charCodeAt(0))
      : v,
  ) as Materialised;
}
