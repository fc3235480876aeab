// PEM arbitraries: bundles of blocks (mutated certificates, the fuzz CA, real keys, raw bytes) with
// varied labels, line widths and line ends, base64 edits (padding, alphabet, spaces) and text
// edits; or a real PEM file from the fixtures with text edits.
import fc from "fast-check";
import { arbCertRecipe, buildCert, type CertRecipe } from "./arb-der.ts";
import type { FuzzCa } from "./fuzz-ca.ts";
import type { Seeds } from "./seeds.ts";
import { applyTextEdit, arbTextEdit, type TextEdit } from "./text-edit.ts";

export type BlockBody =
  | { kind: "cert"; cert: CertRecipe }
  | { kind: "fuzz-ca" }
  | { kind: "key"; seed: number }
  | { kind: "bytes"; bytes: Uint8Array };

export interface BlockRecipe {
  body: BlockBody;
  /** null: the label that fits the body. */
  label: string | null;
  b64: "plain" | "no-padding" | "url-safe" | "spaces" | "extra-padding";
  headers: boolean;
}

export type PemRecipe =
  | { kind: "bundle"; blocks: BlockRecipe[]; width: number; eol: string; lead: string; edits: TextEdit[] }
  | { kind: "file"; seed: number; edits: TextEdit[] };

const LABELS = [
  "CERTIFICATE",
  "TRUSTED CERTIFICATE",
  "X509 CERTIFICATE",
  "X509 CRL",
  "CERTIFICATE REQUEST",
  "PRIVATE KEY",
  "RSA PRIVATE KEY",
  "EC PRIVATE KEY",
  "ENCRYPTED PRIVATE KEY",
  "PUBLIC KEY",
  "PKCS7",
  "",
  "certificate",
  "CERTIFICATE-----",
];

export const arbBlockBody = (seeds: Seeds): fc.Arbitrary<BlockBody> =>
  fc.oneof(
    { weight: 6, arbitrary: arbCertRecipe(seeds.certs.length).map((cert) => ({ kind: "cert" as const, cert })) },
    { weight: 2, arbitrary: fc.constant({ kind: "fuzz-ca" as const }) },
    { weight: 1, arbitrary: fc.nat({ max: seeds.keys.length - 1 }).map((seed) => ({ kind: "key" as const, seed })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: "bytes" as const, bytes })) },
  );

export const arbBlock = (seeds: Seeds): fc.Arbitrary<BlockRecipe> =>
  fc.record({
    body: arbBlockBody(seeds),
    label: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...LABELS) }),
    b64: fc.oneof(
      { weight: 10, arbitrary: fc.constant("plain" as const) },
      { weight: 1, arbitrary: fc.constantFrom("no-padding" as const, "url-safe" as const, "spaces" as const, "extra-padding" as const) },
    ),
    headers: fc.oneof({ weight: 10, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });

export const arbPem = (seeds: Seeds, maxBlocks = 4): fc.Arbitrary<PemRecipe> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant("bundle" as const),
        blocks: fc.array(arbBlock(seeds), { minLength: 1, maxLength: maxBlocks }),
        width: fc.constantFrom(64, 64, 64, 76, 1, 0, 63, 65, 1000),
        eol: fc.constantFrom("\n", "\n", "\r\n", "\r", "\n\n"),
        lead: fc.constantFrom("", "", "subject=CN=x\n", "Certificate:\n    Data:\n", "\ufeff", " ", "-----BEGIN -----\n"),
        edits: fc.array(arbTextEdit, { maxLength: 2 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("file" as const),
        seed: fc.nat({ max: seeds.pemTexts.length - 1 }),
        edits: fc.array(arbTextEdit, { maxLength: 3 }),
      }),
    },
  );

/** The base64 of one DER body in the recipe's alphabet and padding. */
export function base64(der: Uint8Array, mode: BlockRecipe["b64"]): string {
  let s = "";
  for (let i = 0; i < der.length; i += 0x8000) s += String.fromCharCode(...der.subarray(i, i + 0x8000));
  const b = btoa(s);
  if (mode === "no-padding") return b.replace(/=+$/, "");
  if (mode === "url-safe") return b.replace(/\+/g, "-").replace(/\//g, "_");
  if (mode === "spaces") return b.replace(/(.{10})/g, "$1 ");
  if (mode === "extra-padding") return `${b}==`;
  return b;
}

export async function blockDer(body: BlockBody, seeds: Seeds, ca: FuzzCa): Promise<{ der: Uint8Array; label: string }> {
  if (body.kind === "cert") return { der: await buildCert(body.cert, seeds.certs, ca), label: "CERTIFICATE" };
  if (body.kind === "fuzz-ca") return { der: ca.der, label: "CERTIFICATE" };
  if (body.kind === "key") {
    const k = seeds.keys[body.seed % seeds.keys.length]!;
    return { der: k.der, label: k.label };
  }
  return { der: body.bytes, label: "CERTIFICATE" };
}

export async function buildPem(r: PemRecipe, seeds: Seeds, ca: FuzzCa): Promise<string> {
  if (r.kind === "file") return r.edits.reduce(applyTextEdit, seeds.pemTexts[r.seed % seeds.pemTexts.length]!);
  let text = r.lead;
  for (const b of r.blocks) {
    const { der, label: fit } = await blockDer(b.body, seeds, ca);
    const label = b.label ?? fit;
    const body = base64(der, b.b64);
    const lines = r.width > 0 ? (body.match(new RegExp(`.{1,${r.width}}`, "g")) ?? [""]) : [body];
    text += `-----BEGIN ${label}-----${r.eol}${b.headers ? `Proc-Type: 4,ENCRYPTED${r.eol}DEK-Info: AES-128-CBC,00${r.eol}${r.eol}` : ""}${lines.join(r.eol)}${r.eol}-----END ${label}-----${r.eol}`;
  }
  return r.edits.reduce(applyTextEdit, text);
}
