// Regenerates test/conformance/limbo-subset.json from the full x509-limbo suite:
//   node test/conformance/make-subset.ts [path/to/limbo.json.gz]
// The subset is one case per namespace and sub-namespace (`rfc5280::nc`, `webpki::san`, ...) plus every case the
// validator got wrong at some point during development (REGRESSIONS). Private keys are dropped.
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSuite, type LimboCase } from "../../scripts/conformance.ts";

export const REGRESSIONS = [
  // SHA-1-signed intermediates (BetterTLS expects them refused, as Go does).
  "bettertls::pathbuilding::tc8",
  "bettertls::pathbuilding::tc15",
  "bettertls::pathbuilding::tc41",
  "bettertls::pathbuilding::tc47",
  "bettertls::pathbuilding::tc74",
  // A non-self-issued trust anchor without AKI; and the contradicting cve case (known miss).
  "rfc5280::aki::cross-signed-root-missing-aki",
  "cve::cve-2024-0567",
  // Real roots with serial 0 (Starfield G2): serial rules are not applied to anchors.
  "online::fastly.com",
  // CA/B BR 7.1.4.3 CN-in-SAN and its contradicting cases (known misses).
  "webpki::cn::ipv4-hex-mismatch",
  "webpki::cn::ipv4-leading-zeros-mismatch",
  "webpki::cn::ipv6-uppercase-mismatch",
  "webpki::cn::ipv6-uncompressed-mismatch",
  "webpki::cn::ipv6-non-rfc5952-mismatch",
  "webpki::cn::punycode-not-in-san",
  "webpki::cn::utf8-vs-punycode-mismatch",
  "webpki::cn::not-in-san",
  "webpki::cn::case-mismatch",
  "webpki::nc::nc-permits-dns-san-pattern",
  "webpki::san::exact-localhost-ip-san",
  "webpki::san::leftmost-wildcard-san",
  // anyExtendedKeyUsage beside serverAuth in a Web PKI leaf.
  "webpki::eku::ee-anyeku",
  // Go-profile divergences found while comparing with Go's results.
  "rfc5280::root-missing-basic-constraints",
  "rfc5280::nc::nc-permits-invalid-dns-san",
  "rfc5280::validity::notafter-fractional",
  "rfc5280::validity::notbefore-fractional",
  "webpki::nc::intermediate-permitted-excluded-subtrees-both-null",
  // CRLs (taken since the first version skipped them).
  "crl::crlnumber-missing",
  "crl::issuer-missing-crlsign",
  "crl::certificate-serial-on-crl-different-issuer",
  // Budget and cycles.
  "pathological::pathological-chain-same-subject-distinct-key",
  "pathological::intermediate-cycle-same-logical-ca",
  "cve::cve-2025-61727",
  "cve::cve-2025-61727-nc-permits-variant",
];

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const suite = loadSuite(resolve(process.argv[2] ?? join(here, "..", "..", "..", "shared", "conformance", "limbo.json.gz")));
  const groups = new Set<string>();
  const picked = suite.testcases.filter((tc) => {
    const parts = tc.id.split("::");
    const group = parts.slice(0, parts.length > 2 ? 2 : 1).join("::");
    const first = !groups.has(group);
    groups.add(group);
    return first || REGRESSIONS.includes(tc.id);
  });
  const out = picked.map((tc) => {
    const { peer_certificate_key: _key, ...rest } = tc as LimboCase & { peer_certificate_key?: string };
    return rest;
  });
  writeFileSync(
    join(here, "limbo-subset.json"),
    `${JSON.stringify({ source: "C2SP/x509-limbo 8a2e6f4 + Netflix/bettertls e1e99e3 (see ../../docs/conformance.md)", testcases: out }, null, 1)}\n`,
  );
  console.log(`wrote ${out.length} cases`);
}
