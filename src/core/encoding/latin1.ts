// Bytes as characters, one per byte (U+0000-U+00FF: ISO 8859-1 proper). Not TextDecoder("latin1"):
// the Encoding Standard maps that label to windows-1252, so bytes 0x80-0x9F read as other
// characters (0x80 as U+20AC) in browsers, workerd and Node 24, and as C1 controls in Node 20.
// Go keeps a T61String's bytes as they are (crypto/x509 parser.go parseASN1String: string(value))
// and OpenSSL reads each byte as the character of that number (a_strex.c tag2nbyte: 1).

const CHUNK = 4096; // under any engine's argument limit for apply

export function latin1(b: Uint8Array): string {
  if (b.length <= 32) {
    // A validity time or a short name value: a loop costs less than apply's argument list.
    let s = "";
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  if (b.length <= CHUNK) return String.fromCharCode.apply(null, b as unknown as number[]);
  let s = "";
  for (let i = 0; i < b.length; i += CHUNK) s += String.fromCharCode.apply(null, b.subarray(i, i + CHUNK) as unknown as number[]);
  return s;
}
