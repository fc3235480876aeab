// The userinfo of a URL (`https://user:password@host`) is a credential: Go's HTTP client sends it
// as basic auth on every request (net/http/client.go, Client.send: `if u := req.URL.User; u !=
// nil ...`). So it is cut out, as text, wherever a kubeconfig URL is kept or shown.
//
// The cut follows Go's url.Parse (net/url/url.go: Parse cuts the fragment at the first "#",
// parse cuts the query at the first "?", the authority runs from "//" to the next "/", and
// parseAuthority takes the userinfo up to the LAST "@"). A URL without "scheme://" is read as
// client-go's DefaultServerURL (rest/url_utils.go) reads it: with "https://" put in front, so
// the authority starts at the beginning. Textual on purpose: WHATWG's URL would also rewrite the
// host (`127.1` becomes `127.0.0.1`), which Go does not.

const SCHEME_SLASHES = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

export interface UrlParts {
  /** Everything before the authority: `https://`, `//` or nothing. */
  prefix: string;
  /** The userinfo without its "@", or null when there is none. */
  userinfo: string | null;
  /** Host and port. */
  host: string;
  /** The path (from the first "/" after the authority), without query or fragment. */
  path: string;
  /** "?..." or "". */
  query: string;
  /** "#..." or "". */
  fragment: string;
}

export function splitUrl(url: string): UrlParts {
  const hash = url.indexOf("#");
  const fragment = hash < 0 ? "" : url.slice(hash);
  let rest = hash < 0 ? url : url.slice(0, hash);
  const q = rest.indexOf("?");
  const query = q < 0 ? "" : rest.slice(q);
  rest = q < 0 ? rest : rest.slice(0, q);
  const m = SCHEME_SLASHES.exec(rest) ?? (rest.startsWith("//") ? ["//"] : null);
  const prefix = m ? m[0] : "";
  rest = rest.slice(prefix.length);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "" : rest.slice(slash);
  const at = authority.lastIndexOf("@");
  return { prefix, userinfo: at < 0 ? null : authority.slice(0, at), host: authority.slice(at + 1), path, query, fragment };
}

/** The URL with its userinfo (`user:password@`) cut out; anything else is left as written. */
export function withoutUserinfo(url: string): string {
  const p = splitUrl(url);
  if (p.userinfo === null) return url;
  return p.prefix + p.host + p.path + p.query + p.fragment;
}
