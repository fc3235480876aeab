// PKCS#12 (.p12/.pfx, RFC 7292) for the CLI and the Action: the structure is read with
// @peculiar/asn1-pfx (PFX, AuthenticatedSafe, SafeContents, CertBag, PKCS8ShroudedKeyBag), the
// encrypted parts are decrypted with node:crypto, and the certificates and keys come out as PEM
// for the core to audit like any bundle (each key matched with its certificate). Supported:
// what `openssl pkcs12 -export` writes by default (PBES2: PBKDF2 with HMAC-SHA-256, AES-256-CBC;
// MAC HMAC-SHA-256) and pbeWithSHAAnd3-KeyTripleDES-CBC (the key of `-legacy`; RFC 7292
// appendix B key derivation). RC2 (`-legacy` certificates) is not in Node's OpenSSL 3 default
// provider: such a file is refused with the command that re-exports it. Loaded by src/cli/pkcs12.ts
// only for a file that looks like PKCS#12: the ASN.1 library costs ~40 ms of start-up otherwise.
import { createDecipheriv, createHash, createHmac, pbkdf2Sync, timingSafeEqual } from "node:crypto";
import {
  AuthenticatedSafe,
  CertBag,
  PFX,
  PKCS8ShroudedKeyBag,
  SafeContents,
  id_certBag,
  id_keyBag,
  id_pkcs8ShroudedKeyBag,
} from "@peculiar/asn1-pfx";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { children, decodeOid, DerError, readTlv, type Tlv } from "../core/encoding/der.ts";
import { toPem } from "../core/encoding/pem.ts";
import { Pkcs12Error } from "./pkcs12-error.ts";

const OID = {
  data: "1.2.840.113549.1.7.1",
  encryptedData: "1.2.840.113549.1.7.6",
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
  tripleDes: "1.2.840.113549.1.12.1.3",
  rc2_40: "1.2.840.113549.1.12.1.6",
  rc2_128: "1.2.840.113549.1.12.1.5",
  x509Certificate: "1.2.840.113549.1.9.22.1",
};
const HASHES: Record<string, { name: string; u: number; v: number }> = {
  "1.3.14.3.2.26": { name: "sha1", u: 20, v: 64 },
  "2.16.840.1.101.3.4.2.1": { name: "sha256", u: 32, v: 64 },
  "2.16.840.1.101.3.4.2.2": { name: "sha384", u: 48, v: 128 },
  "2.16.840.1.101.3.4.2.3": { name: "sha512", u: 64, v: 128 },
};
const HMACS: Record<string, string> = {
  "1.2.840.113549.2.7": "sha1",
  "1.2.840.113549.2.9": "sha256",
  "1.2.840.113549.2.10": "sha384",
  "1.2.840.113549.2.11": "sha512",
};
const AES: Record<string, string> = {
  "2.16.840.1.101.3.4.1.2": "aes-128-cbc",
  "2.16.840.1.101.3.4.1.22": "aes-192-cbc",
  "2.16.840.1.101.3.4.1.42": "aes-256-cbc",
};

const u8 = (b: ArrayBuffer | Uint8Array) => (b instanceof Uint8Array ? b : new Uint8Array(b));

/** RFC 7292 B.1: the password as a BMPString with two zero bytes at the end. */
function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) {
    out[2 * i] = password.charCodeAt(i) >> 8;
    out[2 * i + 1] = password.charCodeAt(i) & 0xff;
  }
  return out;
}

/** RFC 7292 B.2: the PKCS#12 key derivation (id 1 key, 2 IV, 3 MAC key). */
export function pkcs12Kdf(hashOid: string, password: string, salt: Uint8Array, iterations: number, id: 1 | 2 | 3, n: number): Uint8Array {
  const h = HASHES[hashOid];
  if (!h) throw new Pkcs12Error("cli.p12-unsupported", `its key derivation uses a digest certaudit does not know (${hashOid})`);
  const { u, v } = h;
  const fill = (src: Uint8Array) => {
    const len = src.length ? v * Math.ceil(src.length / v) : 0;
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = new Uint8Array(v).fill(id);
  const I = new Uint8Array([...fill(salt), ...fill(bmpPassword(password))]);
  const out = new Uint8Array(n);
  for (let done = 0; done < n; ) {
    let A = createHash(h.name).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(h.name).update(A).digest();
    out.set(A.subarray(0, Math.min(u, n - done)), done);
    done += u;
    if (done >= n) break;
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const x = I[j + k]! + B[k]! + carry;
        I[j + k] = x & 0xff;
        carry = x >> 8;
      }
    }
  }
  return out;
}

const tlvBytes = (buf: Uint8Array, t: Tlv) => buf.subarray(t.contentStart, t.end);

/**
 * @peculiar/asn1-schema's parse of untrusted bytes: whatever it throws (it throws TypeError for
 * a value of the wrong ASN.1 type) is a damaged file. Only the library call is inside the try.
 */
function asn<T>(data: Parameters<typeof AsnConvert.parse>[0], type: new () => T): T {
  try {
    return AsnConvert.parse(data, type);
  } catch (e) {
    throw new Pkcs12Error("cli.p12-unreadable", `it is not a readable PKCS#12 file (${(e as Error).message})`);
  }
}

/** A field the structure must have: its absence is a damaged file (DerError), not a bug. */
function need(t: Tlv | undefined): Tlv {
  if (!t) throw new DerError("a required field is missing", 0);
  return t;
}

function readInt(buf: Uint8Array, t: Tlv): number {
  let n = 0;
  for (const b of tlvBytes(buf, t)) n = n * 256 + b;
  return n;
}

/** Decrypts `data` under the AlgorithmIdentifier DER `alg` (PBES2 or PKCS#12 3DES). */
function decrypt(algDer: Uint8Array, data: Uint8Array, password: string, what: string): Uint8Array {
  const alg = readTlv(algDer, 0);
  const [oidT, paramsT] = children(algDer, alg);
  const oid = decodeOid(tlvBytes(algDer, need(oidT)));
  let cipher: string;
  let key: Uint8Array;
  let iv: Uint8Array;
  if (oid === OID.tripleDes) {
    const [saltT, iterT] = children(algDer, need(paramsT));
    const salt = tlvBytes(algDer, need(saltT));
    const iter = readInt(algDer, need(iterT));
    cipher = "des-ede3-cbc";
    key = pkcs12Kdf("1.3.14.3.2.26", password, salt, iter, 1, 24);
    iv = pkcs12Kdf("1.3.14.3.2.26", password, salt, iter, 2, 8);
  } else if (oid === OID.pbes2) {
    const [kdfT, encT] = children(algDer, need(paramsT));
    const [kdfOidT, kdfParamsT] = children(algDer, need(kdfT));
    if (decodeOid(tlvBytes(algDer, need(kdfOidT))) !== OID.pbkdf2)
      throw new Pkcs12Error("cli.p12-unsupported", `the ${what} uses a PBES2 key derivation other than PBKDF2`);
    const kp = children(algDer, need(kdfParamsT));
    const salt = tlvBytes(algDer, need(kp[0]));
    const iter = readInt(algDer, need(kp[1]));
    const prfT = kp.slice(2).find((t) => t.tag === 0x30);
    const prf = prfT ? HMACS[decodeOid(tlvBytes(algDer, need(children(algDer, prfT)[0])))] : "sha1";
    const [encOidT, ivT] = children(algDer, need(encT));
    const enc = AES[decodeOid(tlvBytes(algDer, need(encOidT)))];
    if (!enc || !prf)
      throw new Pkcs12Error(
        "cli.p12-unsupported",
        `the ${what} is encrypted with a PBES2 cipher or PRF certaudit does not read (AES-CBC with HMAC-SHA-1/2 are read)`,
      );
    cipher = enc;
    key = pbkdf2Sync(Buffer.from(password, "utf8"), salt, iter, Number(/\d+/.exec(enc.slice(4))![0]) / 8, prf);
    iv = tlvBytes(algDer, need(ivT));
  } else if (oid === OID.rc2_40 || oid === OID.rc2_128) {
    throw new Pkcs12Error(
      "cli.p12-unsupported",
      `the ${what} is encrypted with RC2 (what \`openssl pkcs12 -export -legacy\` writes for certificates), which Node's OpenSSL 3 does not provide; re-export it: \`openssl pkcs12 -in old.p12 -legacy -nodes | openssl pkcs12 -export -out new.p12\` (or add \`-certpbe PBE-SHA1-3DES\` to -legacy)`,
    );
  } else throw new Pkcs12Error("cli.p12-unsupported", `the ${what} is encrypted with ${oid}, which certaudit does not read`);
  try {
    const d = createDecipheriv(cipher, key, iv);
    return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
  } catch {
    throw new Pkcs12Error("cli.p12-password", `the ${what} cannot be decrypted: the password is wrong`);
  }
}

/** The MAC over the authenticated safe (RFC 7292 5.2 with B.4): proves the password right. */
function checkMac(pfx: PFX, authSafe: Uint8Array, password: string): void {
  const md = pfx.macData;
  const hashOid = md.mac.digestAlgorithm.algorithm;
  const h = HASHES[hashOid];
  if (!h) throw new Pkcs12Error("cli.p12-unsupported", `its MAC uses a digest certaudit does not know (${hashOid})`);
  const key = pkcs12Kdf(hashOid, password, u8(md.macSalt.buffer), md.iterations ?? 1, 3, h.u);
  const mac = createHmac(h.name, key).update(authSafe).digest();
  const want = u8(md.mac.digest.buffer);
  if (want.length !== mac.length || !timingSafeEqual(mac, want))
    throw new Pkcs12Error("cli.p12-password", "the password is wrong (its MAC does not verify)");
}

export interface Pkcs12Contents {
  certificates: Uint8Array[];
  /** PKCS#8 DER of each private key. */
  keys: Uint8Array[];
}

function dataContent(content: ArrayBuffer): Uint8Array {
  return u8(asn(content, OctetString).buffer);
}

/** Reads a PKCS#12 file with its password. Throws Pkcs12Error for what cannot be read. */
export function readPkcs12(der: Uint8Array, password: string): Pkcs12Contents {
  try {
    return readPfx(der, password);
  } catch (e) {
    // A damaged inner structure: our DER reader's error, or the ASN.1 library's plain Error.
    if (e instanceof DerError || (e instanceof Error && e.constructor === Error))
      throw new Pkcs12Error("cli.p12-unreadable", `it is not a readable PKCS#12 file (${e.message})`);
    throw e;
  }
}

function readPfx(der: Uint8Array, password: string): Pkcs12Contents {
  let pfx: PFX;
  try {
    pfx = asn(der, PFX);
  } catch (e) {
    throw new Pkcs12Error("cli.p12-unreadable", `it is not a readable PKCS#12 file (${(e as Error).message})`);
  }
  if (pfx.authSafe.contentType !== OID.data)
    throw new Pkcs12Error(
      "cli.p12-unsupported",
      "it is signed with a public key (public-key integrity mode), which certaudit does not read",
    );
  const authSafeBytes = dataContent(pfx.authSafe.content);
  // A file without MacData (`openssl pkcs12 -export -nomac`): asn1-pfx leaves an empty one.
  if (pfx.macData?.mac?.digestAlgorithm?.algorithm) checkMac(pfx, authSafeBytes, password);
  const out: Pkcs12Contents = { certificates: [], keys: [] };
  const safes = asn(authSafeBytes, AuthenticatedSafe);
  for (const ci of safes) {
    let bagsDer: Uint8Array;
    if (ci.contentType === OID.data) bagsDer = dataContent(ci.content);
    else if (ci.contentType === OID.encryptedData) {
      // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo { contentType, alg, [0] IMPLICIT encryptedContent } }
      const ed = u8(ci.content);
      const [, eci] = children(ed, readTlv(ed, 0));
      const [, algT, contentT] = children(ed, need(eci));
      if (!contentT) continue;
      let enc: Uint8Array;
      if (contentT.tag === 0x80) enc = tlvBytes(ed, contentT);
      else enc = new Uint8Array(children(ed, contentT).flatMap((t) => [...tlvBytes(ed, t)]));
      bagsDer = decrypt(ed.subarray(need(algT).start, need(algT).end), enc, password, "certificate part");
    } else
      throw new Pkcs12Error(
        "cli.p12-unsupported",
        `it holds a ${ci.contentType} part (public-key privacy mode), which certaudit does not read`,
      );
    for (const bag of asn(bagsDer, SafeContents)) {
      if (bag.bagId === id_certBag) {
        const cb = asn(bag.bagValue, CertBag);
        if (cb.certId === OID.x509Certificate) out.certificates.push(dataContent(cb.certValue));
      } else if (bag.bagId === id_pkcs8ShroudedKeyBag) {
        const sk = asn(bag.bagValue, PKCS8ShroudedKeyBag);
        out.keys.push(decrypt(u8(AsnConvert.serialize(sk.encryptionAlgorithm)), u8(sk.encryptedData.buffer), password, "private key"));
      } else if (bag.bagId === id_keyBag) out.keys.push(u8(bag.bagValue));
    }
  }
  return out;
}

/** The contents as PEM text for the core: CERTIFICATE blocks, then PRIVATE KEY blocks. */
export function pkcs12Pem(c: Pkcs12Contents): string {
  return [...c.certificates.map((d) => toPem("CERTIFICATE", d)), ...c.keys.map((d) => toPem("PRIVATE KEY", d))].join("");
}
