// Text edits shared by the PEM and kubeconfig arbitraries: positions are naturals taken modulo the
// text's length when applied, so any recipe applies to any text and shrinks towards the start.
import fc from "fast-check";

export type TextEdit =
  | { op: "insert"; pos: number; text: string }
  | { op: "delete"; pos: number; len: number }
  | { op: "dup"; pos: number; len: number }
  | { op: "truncate"; pos: number };

export const HOSTILE_TEXT = [
  "-----BEGIN ",
  "-----BEGIN CERTIFICATE-----",
  "-----END CERTIFICATE-----",
  "-----BEGIN CERTIFICATE-----".repeat(40),
  "-----BEGIN PRIVATE KEY-----\n",
  "=",
  "==",
  "====",
  "*",
  " ",
  "\t",
  "\r",
  "\n\n",
  "\u0000",
  "\u202e",
  "\ufeff",
  "\ud800",
  "%",
  "::error::x",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression as hostile text, not a template
  "${{ x }}",
  "<script>",
  "é",
  "A".repeat(5000),
];

export const arbTextEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("insert" as const),
      pos: fc.nat(),
      text: fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string({ maxLength: 8, unit: "binary" })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), pos: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("dup" as const), pos: fc.nat(), len: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("truncate" as const), pos: fc.nat() }) },
);

export function applyTextEdit(text: string, e: TextEdit): string {
  const pos = text.length ? e.pos % (text.length + 1) : 0;
  switch (e.op) {
    case "insert":
      return text.slice(0, pos) + e.text + text.slice(pos);
    case "delete":
      return text.slice(0, pos) + text.slice(pos + e.len);
    case "dup":
      return text.slice(0, pos + e.len) + text.slice(pos, pos + e.len) + text.slice(pos + e.len);
    case "truncate":
      return text.slice(0, pos);
  }
}
