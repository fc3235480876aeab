// A kubeconfig's `server` as kubectl reads it: Go's net/url Parse (Go 1.19 net/url/url.go:
// parse, getScheme, parseAuthority, parseHost, unescape), client-go's DefaultServerURL
// (k8s.io/client-go/rest/url_utils.go), and the TLS server name net/http derives from the URL
// (net/http/transport.go canonicalAddr, (*connectMethod).tlsHost). Not WHATWG `new URL`: that
// rewrites hosts (`127.1` -> `127.0.0.1`, percent-decoding, IDNA) where Go does not.
// Pinned against Go itself by test/oracles/servername.

export interface GoUrl {
  /** Lower-cased, as url.Parse stores it. */
  scheme: string;
  opaque: string;
  /** u.Host: host[:port], percent-decoded as Go decodes a host. */
  host: string;
  path: string;
}

export type GoUrlResult = { ok: true; url: GoUrl } | { ok: false; error: string };

type Mode = "host" | "zone" | "path" | "fragment" | "user";

const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/** shouldEscape(c, encodeHost) for an ASCII character (url.go). */
function hostNeedsEscape(c: string): boolean {
  if (isAlnum(c)) return false;
  return !"!$&'()*+,;=:[]<>\"-_.~".includes(c);
}

/** Go's unescape: validates escapes for the mode; for host and zone, decodes to UTF-8 text. */
function goUnescape(s: string, mode: Mode): { ok: true; value: string } | { ok: false; error: string } {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    const ch = s[i]!;
    if (ch === "%") {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) return { ok: false, error: `invalid URL escape "${s.slice(i, i + 3)}"` };
      const v = parseInt(s.slice(i + 1, i + 3), 16);
      const esc = s.slice(i, i + 3);
      // RFC 3986 3.2.2: in a host, %-encoding is only for non-ASCII bytes (and %25 for RFC 6874 zones).
      if (mode === "host" && v < 0x80 && esc !== "%25") return { ok: false, error: `invalid URL escape "${esc}"` };
      if (mode === "zone" && esc !== "%25" && v !== 0x20 && v < 0x80 && hostNeedsEscape(String.fromCharCode(v)))
        return { ok: false, error: `invalid URL escape "${esc}"` };
      bytes.push(v);
      i += 3;
      continue;
    }
    const code = s.charCodeAt(i);
    if ((mode === "host" || mode === "zone") && code < 0x80 && hostNeedsEscape(ch))
      return { ok: false, error: `invalid character "${ch}" in host name` };
    if (code < 0x80) bytes.push(code);
    else bytes.push(...new TextEncoder().encode(String.fromCodePoint(s.codePointAt(i)!)));
    i += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  if (mode !== "host" && mode !== "zone") return { ok: true, value: s };
  return { ok: true, value: new TextDecoder().decode(new Uint8Array(bytes)) };
}

function validOptionalPort(port: string): boolean {
  if (port === "") return true;
  if (port[0] !== ":") return false;
  return /^[0-9]*$/.test(port.slice(1));
}

function parseHost(host: string): { ok: true; value: string } | { ok: false; error: string } {
  if (host.startsWith("[")) {
    const i = host.lastIndexOf("]");
    if (i < 0) return { ok: false, error: "missing ']' in host" };
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) return { ok: false, error: `invalid port "${colonPort}" after host` };
    const zone = host.slice(0, i).indexOf("%25");
    if (zone >= 0) {
      const parts = [goUnescape(host.slice(0, zone), "host"), goUnescape(host.slice(zone, i), "zone"), goUnescape(host.slice(i), "host")];
      for (const p of parts) if (!p.ok) return p;
      return { ok: true, value: parts.map((p) => (p as { value: string }).value).join("") };
    }
  } else {
    const i = host.lastIndexOf(":");
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) return { ok: false, error: `invalid port "${colonPort}" after host` };
    }
  }
  return goUnescape(host, "host");
}

const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

function getScheme(raw: string): { scheme: string; rest: string } | { error: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return { scheme: "", rest: raw };
      continue;
    }
    if (c === ":") {
      if (i === 0) return { error: "missing protocol scheme" };
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: "", rest: raw };
  }
  return { scheme: "", rest: raw };
}

/** Go's url.Parse, reduced to the parts a server URL needs (scheme, opaque, host, path). */
export function goParseUrl(rawUrl: string): GoUrlResult {
  const hash = rawUrl.indexOf("#");
  const u = hash >= 0 ? rawUrl.slice(0, hash) : rawUrl;
  const frag = hash >= 0 ? rawUrl.slice(hash + 1) : "";
  const fail = (error: string): GoUrlResult => ({ ok: false, error: `parse "${u}": ${error}` });
  for (let i = 0; i < u.length; i++) {
    const c = u.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return fail("net/url: invalid control character in URL");
  }
  if (u === "*") return { ok: true, url: { scheme: "", opaque: "", host: "", path: "*" } };
  const sch = getScheme(u);
  if ("error" in sch) return fail(sch.error);
  const scheme = sch.scheme.toLowerCase();
  let rest = sch.rest;
  if (rest.endsWith("?") && rest.split("?").length === 2) rest = rest.slice(0, -1);
  else if (rest.includes("?")) rest = rest.slice(0, rest.indexOf("?"));
  if (!rest.startsWith("/")) {
    if (scheme !== "") return { ok: true, url: { scheme, opaque: rest, host: "", path: "" } };
    const segment = rest.split("/")[0]!;
    if (segment.includes(":")) return fail("first path segment in URL cannot contain colon");
  }
  let host = "";
  if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const at = authority.lastIndexOf("@");
    const h = parseHost(at < 0 ? authority : authority.slice(at + 1));
    if (!h.ok) return fail(h.error);
    host = h.value;
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!USERINFO.test(userinfo)) return fail("net/url: invalid userinfo");
      for (const part of userinfo.includes(":")
        ? [userinfo.slice(0, userinfo.indexOf(":")), userinfo.slice(userinfo.indexOf(":") + 1)]
        : [userinfo]) {
        const r = goUnescape(part, "user");
        if (!r.ok) return fail(r.error);
      }
    }
  }
  const p = goUnescape(rest, "path");
  if (!p.ok) return fail(p.error);
  if (hash >= 0) {
    const f = goUnescape(frag, "fragment");
    if (!f.ok) return { ok: false, error: `parse "${rawUrl}": ${f.error}` };
  }
  return { ok: true, url: { scheme, opaque: "", host, path: rest } };
}

/** url.URL.Hostname(): the host without port and brackets (splitHostPort in url.go). */
export function goHostname(host: string): string {
  let h = host;
  const colon = h.lastIndexOf(":");
  if (colon !== -1 && validOptionalPort(h.slice(colon))) h = h.slice(0, colon);
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  return h;
}

export type ServerUrlResult = { ok: true; url: GoUrl; schemeAdded: boolean } | { ok: false; error: string };

/**
 * client-go's DefaultServerURL: url.Parse the server; when that fails or yields no scheme or no
 * host, prepend "https://" if TLS is configured (defaultServerUrlFor: CA data or file, client
 * certificate, or insecure-skip-tls-verify), else "http://", and parse again.
 */
export function defaultServerUrl(server: string, defaultTls: boolean): ServerUrlResult {
  if (server === "") return { ok: false, error: "host must be a URL or a host:port pair" };
  const first = goParseUrl(server);
  if (first.ok && first.url.scheme !== "" && first.url.host !== "") return { ok: true, url: first.url, schemeAdded: false };
  const again = goParseUrl(`${defaultTls ? "https://" : "http://"}${server}`);
  if (!again.ok) return again;
  if (again.url.path !== "" && again.url.path !== "/") return { ok: false, error: `host must be a URL or a host:port pair: "${server}"` };
  return { ok: true, url: again.url, schemeAdded: true };
}

/**
 * What kubectl does with a server URL: TLS checked against `serverName` (null, with the reason,
 * when no name can be derived), plain HTTP, or nothing (a URL it cannot use).
 */
export type ServerTarget =
  | { kind: "tls"; url: GoUrl; schemeAdded: boolean; serverName: string }
  | { kind: "tls"; url: GoUrl; schemeAdded: boolean; serverName: null; why: string }
  | { kind: "plain"; url: GoUrl; schemeAdded: boolean }
  | { kind: "unusable"; why: string };

/**
 * The name crypto/tls verifies the server certificate against: tls-server-name when set
 * (client-go transport TLSConfigFor), else what net/http puts in ServerName: the URL's
 * Hostname(), IDNA-converted when not ASCII (canonicalAddr), with brackets for IPv6 (tlsHost
 * strips only the port from net.JoinHostPort's result). IDNA is not reproduced here: such a
 * host gets no name rather than a guessed one.
 */
export function serverTarget(server: string, defaultTls: boolean, tlsServerName: string | null): ServerTarget {
  const r = defaultServerUrl(server, defaultTls);
  if (!r.ok) return { kind: "unusable", why: `client-go cannot use the server URL (${r.error})` };
  const { url, schemeAdded } = r;
  if (url.scheme === "http") return { kind: "plain", url, schemeAdded };
  if (url.scheme !== "https")
    return { kind: "unusable", why: `kubectl cannot connect to a ${url.scheme}: URL (net/http: unsupported protocol scheme)` };
  if (tlsServerName) return { kind: "tls", url, schemeAdded, serverName: tlsServerName };
  const hostname = goHostname(url.host);
  const none = (why: string): ServerTarget => ({ kind: "tls", url, schemeAdded, serverName: null, why });
  if (hostname === "")
    return none(
      "the server URL names no host, so kubectl has no name to check the certificate against (crypto/tls: either ServerName or InsecureSkipVerify must be specified)",
    );
  if (!/^[\x00-\x7f]*$/.test(hostname))
    return none(
      `the host "${hostname}" is not ASCII; kubectl checks the certificate against its IDNA (xn--) form, which this audit does not compute. Write the xn-- form in the server URL or set tls-server-name`,
    );
  return { kind: "tls", url, schemeAdded, serverName: hostname.includes(":") ? `[${hostname}]` : hostname };
}
