// The base64 alphabet as a table for the decoders that walk a text one character code at a time
// (pem.ts decodeBase64 and decodeCleanBase64, pem-body.ts's loop).

/** Sextet value of each base64 character code; 64 for "=", 255 for anything else (CR and LF included). */
export const SEXTET = new Uint8Array(128).fill(255);
for (let i = 0; i < 64; i++) SEXTET["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".charCodeAt(i)] = i;
SEXTET[61] = 64;
