// Go's base64.StdEncoding as client-go meets it: every kubeconfig *-data field is a []byte that
// encoding/json decodes with base64.StdEncoding.Decode (padding required, only \r and \n
// skipped, non-zero trailing bits accepted). A port of decodeQuantum (Go 1.19
// src/encoding/base64/base64.go), so the offset is the one kubectl prints in
// `illegal base64 data at input byte N`. Checked against test/oracles/base64-std.go.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** IN_ALPHABET[code] is 1 for the 64 alphabet characters (a table: this runs on every PEM byte). */
const IN_ALPHABET = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) IN_ALPHABET[ALPHABET.charCodeAt(i)] = 1;
const isNewline = (c: string | undefined) => c === "\n" || c === "\r";

/** The input byte Go's base64.StdEncoding names in its error, or null when Go decodes `s`. */
export function goBase64Error(s: string): number | null {
  let si = 0;
  while (si < s.length) {
    // One quantum of four characters (decodeQuantum).
    let j = 0;
    for (; j < 4; j++) {
      if (si === s.length) {
        if (j === 0) return null;
        return si - j; // j == 1, or any short quantum with padding required
      }
      const code = s.charCodeAt(si);
      si++;
      if (code < 128 && IN_ALPHABET[code] === 1) continue;
      const c = s[si - 1]!;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== "=") return si - 1;
      // Padding: only after two or three characters of the quantum.
      if (j === 0 || j === 1) return si - 1;
      if (j === 2) {
        while (si < s.length && isNewline(s[si])) si++;
        if (si === s.length) return s.length;
        if (s[si] !== "=") return si - 1;
        si++;
      }
      while (si < s.length && isNewline(s[si])) si++;
      return si < s.length ? si : null;
    }
  }
  return null;
}
