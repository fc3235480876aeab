// A URI subjectAltName as Go's parseSANExtension (crypto/x509/parser.go) reads it with url.Parse
// (net/url, Go 1.19), and as a Go program prints it with url.URL.String(): which URIs Go refuses,
// and the text it then holds.
/** net/url shouldEscape(c, encodeHost) is false for these (and '%' starts an escape). */
const HOST_CHARS = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]$/;
/** shouldEscape(c, encodePath) and (c, encodeFragment) are false for these. */
const PATH_PLAIN = /^[A-Za-z0-9\-_.~$&+,/:;=@]$/;
const FRAGMENT_PLAIN = /^[A-Za-z0-9\-_.~$&+,/:;=?@!()*]$/;
/** validEncoded also keeps these as they are. */
const SUB_DELIMS = /^[!$&'()*+,;=:@[\]%]$/;

/**
 * url.URL.String()'s EscapedPath / EscapedFragment of a path or fragment as written: kept when
 * every character may stand as it is (validEncoded), else unescaped and escaped again (escape).
 */
function goEscaped(raw: string, plain: RegExp, refuse: (why: string) => never): string {
  const bad = /%(?![0-9a-fA-F]{2})/.exec(raw);
  if (bad) refuse(`invalid URL escape ${JSON.stringify(raw.slice(bad.index, bad.index + 3))}`);
  if ([...raw].every((c) => SUB_DELIMS.test(c) || plain.test(c))) return raw;
  const bytes = raw.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return [...bytes].map((c) => (plain.test(c) ? c : `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)).join("");
}

/**
 * A URI SAN as parseSANExtension reads it with url.Parse (net/url, Go 1.19) and the oracle prints
 * it with String(): control characters, a first path segment with a colon when there is no
 * scheme, a bad %-escape in the path or fragment and a host character shouldEscape does not allow
 * are refused; the host must then be labels of characters 33 to 126, none empty and no trailing
 * dot (verify.go domainToReverseLabels: "invalid domain"). String() lowercases the scheme, writes
 * "//" only before a host or a path, and escapes again a path or fragment character it does not
 * allow unescaped. Not replicated: a port that is not digits, an IPv6 literal's form, a userinfo's
 * escaping, a host's %-escapes beyond their form.
 */
export function goUri(uri: string): { text?: string; error?: string } {
  try {
    return { text: read(uri) };
  } catch (e) {
    if (e instanceof UriError) return { error: e.message };
    throw e;
  }
}

class UriError extends Error {}

function read(uri: string): string {
  const refuse = (why: string): never => {
    throw new UriError(why);
  };
  if (/[\x00-\x1f\x7f]/.test(uri)) refuse("net/url: invalid control character in URL");
  const hashAt = uri.indexOf("#");
  const fragment = hashAt < 0 ? null : uri.slice(hashAt + 1);
  const beforeHash = hashAt < 0 ? uri : uri.slice(0, hashAt);
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(beforeHash)?.[0] ?? "";
  const queryAt = beforeHash.indexOf("?", scheme.length);
  const query = queryAt < 0 ? "" : beforeHash.slice(queryAt);
  let rest = beforeHash.slice(scheme.length, queryAt < 0 ? undefined : queryAt);
  if (!scheme && !rest.startsWith("/") && rest.split("/")[0]!.includes(":"))
    refuse(uri.startsWith(":") ? "missing protocol scheme" : "first path segment in URL cannot contain colon");
  let out = scheme.toLowerCase();
  if (scheme && !rest.startsWith("/"))
    out += rest; // opaque: written as it is
  else {
    if (rest.startsWith("//")) {
      const authority = /^[^/]*/.exec(rest.slice(2))![0];
      const host = authority.slice(authority.lastIndexOf("@") + 1);
      for (let i = 0; i < host.length; i++) {
        const c = host[i]!;
        if (c === "%" ? !/^%([89a-fA-F][0-9a-fA-F]|25)/.test(host.slice(i)) : !HOST_CHARS.test(c))
          refuse(`invalid character ${JSON.stringify(c)} in host name`);
      }
      if (host.length > 0 && host.split(".").some((label) => label === "" || /[^\x21-\x7e]/.test(label))) refuse("invalid domain");
      rest = rest.slice(2 + authority.length);
      if (authority || rest) out += `//${authority}`;
    }
    out += goEscaped(rest, PATH_PLAIN, refuse);
  }
  out += query;
  if (fragment !== null) out += `#${goEscaped(fragment, FRAGMENT_PLAIN, refuse)}`;
  return out;
}
