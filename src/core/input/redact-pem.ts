// The allow-list for PEM text: only blocks known to be public (certificates, CRLs, PKCS#7
// bundles, requests, public keys) leave, each exactly as written. Everything else is dropped:
// private keys of every kind (PKCS#1, PKCS#8, encrypted, OpenSSH, PGP), blocks with labels we
// do not know, a public block whose body is not plain base64, and all text between blocks
// (comments can hold anything).
//
// BEGIN/END markers are found anywhere in the text, not only at a line start, so PEM that lost
// its line breaks (`tr -d '\n'`, `curl -d`) is cut at the same places.

const PUBLIC_LABELS = new Set([
  "CERTIFICATE",
  "TRUSTED CERTIFICATE",
  "X509 CERTIFICATE",
  "X509 CRL",
  "PKCS7",
  "CMS",
  "CERTIFICATE REQUEST",
  "NEW CERTIFICATE REQUEST",
  "PUBLIC KEY",
  "EC PARAMETERS",
]);

/** RFC 7468 labels: bounded, so a scan is linear. */
const MARKER = /-----(BEGIN|END) ([A-Z0-9][A-Z0-9 -]{0,63}?)-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/=\s]*$/;

export interface PemStrip {
  text: string;
  /** Paths of what was dropped: `private key block 1`, `PEM block 3 (OPENSSH PRIVATE KEY)`, `text outside PEM blocks`. */
  removed: string[];
  /** How many public blocks were kept. */
  kept: number;
}

interface Span {
  label: string;
  start: number;
  /** End of the END marker, or where the next BEGIN starts (unterminated). */
  end: number;
  bodyStart: number;
  bodyEnd: number;
  endLabel: string | null;
}

function spans(text: string): Span[] {
  const out: Span[] = [];
  let open: Span | null = null;
  for (const m of text.matchAll(MARKER)) {
    const at = m.index;
    const label = m[2]!;
    if (m[1] === "BEGIN") {
      if (open) out.push({ ...open, end: at, bodyEnd: at });
      open = { label, start: at, end: at, bodyStart: at + m[0].length, bodyEnd: at, endLabel: null };
    } else if (open) {
      out.push({ ...open, end: at + m[0].length, bodyEnd: at, endLabel: label });
      open = null;
    }
  }
  if (open) out.push({ ...open, end: text.length, bodyEnd: text.length });
  return out;
}

export function stripPemText(text: string): PemStrip {
  const removed: string[] = [];
  const kept: string[] = [];
  let keys = 0;
  let outside = false;
  let last = 0;
  spans(text).forEach((s, i) => {
    if (text.slice(last, s.start).trim() !== "") outside = true;
    last = s.end;
    const isKey = s.label.includes("PRIVATE KEY") || (s.endLabel?.includes("PRIVATE KEY") ?? false);
    const publicLabels = PUBLIC_LABELS.has(s.label) && (s.endLabel === null || PUBLIC_LABELS.has(s.endLabel));
    if (isKey) removed.push(`private key block ${++keys}`);
    else if (!publicLabels) removed.push(`PEM block ${i + 1} (${s.label})`);
    else if (!BASE64_BODY.test(text.slice(s.bodyStart, s.bodyEnd)))
      removed.push(`PEM block ${i + 1} (${s.label}): its body is not plain base64`);
    else kept.push(text.slice(s.start, s.end).trim());
  });
  if (text.slice(last).trim() !== "") outside = true;
  if (outside) removed.push("text outside PEM blocks");
  return { text: kept.length ? `${kept.join("\n")}\n` : "", removed, kept: kept.length };
}
