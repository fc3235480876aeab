// The `kubernetes` Service's ClusterIP for an IPv6 primary --service-cluster-ip-range: the network
// address + 1 (kube-apiserver pkg/controlplane/services.go ServiceIPRange, utilnet.GetIndexedIP(range, 1)),
// written as Go's net.IP.String writes it (RFC 5952: lower case, no leading zeros, the longest run of
// two or more zero groups as "::", the first such run on a tie).
import { parseIpv6 } from "../verify/hostname.ts";

export function firstServiceIpv6(cidr: string): string | null {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(cidr);
  const bytes = m ? parseIpv6(m[1]!) : null;
  const bits = Number(m?.[2]);
  if (!bytes || bits > 126) return null;
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  for (let i = 15; i >= 0; i--) {
    bytes[i] = (bytes[i]! + 1) & 0xff;
    if (bytes[i] !== 0) break;
  }
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[i * 2]! << 8) | bytes[i * 2 + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j > i ? j : i + 1;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(":");
  return best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}
