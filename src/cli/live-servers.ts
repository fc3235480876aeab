// --live over a whole kubeconfig: each distinct server (URL host and port, tls-server-name,
// proxy-url) is probed once, in parallel, at most MAX_SERVERS of them, and its chain decides
// only the contexts that use it. Each probe has its own timeouts (live.ts).
import { goLive, liveTargets, serverKey, type LiveTarget, type Unprobed } from "./live.ts";
import type { LiveResult } from "./render.ts";

export const MAX_SERVERS = 20;

export interface ServerProbe {
  live: LiveResult;
  /** PEM of the presented chain, or null when nothing was seen. */
  chainPem: string | null;
}

export interface LiveRun {
  probes: ServerProbe[];
  /** Contexts not probed: no https server, or over the limit. */
  unprobed: Unprobed[];
}

/** Groups the contexts by server, the current context's server first, and probes each group once. */
export async function probeServers(document: Uint8Array): Promise<LiveRun> {
  const { targets, unprobed, current } = liveTargets(document);
  const groups = new Map<string, LiveTarget[]>();
  const ordered = [...targets].sort((a, b) => Number(b.context === current) - Number(a.context === current));
  for (const t of ordered) groups.set(serverKey(t), [...(groups.get(serverKey(t)) ?? []), t]);
  const list = [...groups.values()];
  for (const g of list.slice(MAX_SERVERS))
    for (const t of g) unprobed.push({ context: t.context, reason: `more than ${MAX_SERVERS} distinct servers` });
  const probes = await Promise.all(
    list.slice(0, MAX_SERVERS).map(async (g) => {
      const first = g[0]!;
      const out = await goLive(first);
      return { live: { ...out.live, contexts: g.map((t) => t.context) }, chainPem: out.serverCertificatePem };
    }),
  );
  return { probes, unprobed };
}
