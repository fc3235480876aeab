// The CLI's base64: the texts core's decodeCleanBase64 reads (kubeconfig *-data fields, PEM
// bodies, JWK members; checked clean by core first) are decoded by Node's own decoder, not by
// core's loop: docs/performance.md, "The CLI's start-up". The same bytes:
// test/node/cli-base64.test.ts.
import { setCleanBase64Decoder } from "../core/encoding/pem.ts";

/** Node's decoder of clean base64, into a new array of exactly the bytes (Buffer.from may return a view of a shared pool). */
export function nodeCleanBase64(clean: string): Uint8Array {
  return new Uint8Array(Buffer.from(clean, "base64"));
}

export function useNodeBase64(): void {
  setCleanBase64Decoder(nodeCleanBase64);
}
