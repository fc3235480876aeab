// Real TLS handshakes (Node's tls, OpenSSL underneath) decide the caBundle edges of Kubernetes
// objects (test/fixtures/k8s-objects/make.sh): a server presents the serving Secret's tls.crt and
// tls.key, the client trusts only the caBundle and asks for the name the Go client sets
// (`<service>.<namespace>.svc`: k8s.io/apiserver pkg/util/webhook for webhooks, kube-aggregator
// handler_proxy.go updateAPIService for APIServices). The fields are taken from the YAML with the
// yaml package, not certaudit's reader. Node validates at the real time, so the report is computed
// at the real time too.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkServerIdentity, connect, createServer } from "node:tls";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { auditObjects } from "../../src/core/cluster/index.ts";
import { FIX } from "../cli/helpers.ts";

interface Item {
  kind: string;
  data?: Record<string, string>;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: { caBundle?: string; insecureSkipTLSVerify?: boolean; service?: { name: string; namespace: string } | null };
  webhooks?: { name: string; clientConfig: { caBundle?: string; service?: { name: string; namespace: string } } }[];
}
const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

/** The client trusts `ca` for `host`; the server presents cert and key. */
function trusted(cert: string, key: string, ca: string, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer({ cert, key }, (s) => {
      s.on("error", () => {});
      s.end();
    });
    srv.on("tlsClientError", () => {});
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      const sock = connect({ host: "127.0.0.1", port, ca, servername: host, checkServerIdentity: (_h, c) => checkServerIdentity(host, c) });
      const done = (ok: boolean) => {
        sock.destroy();
        srv.close();
        resolve(ok);
      };
      sock.on("secureConnect", () => done(true));
      sock.on("error", () => done(false));
    });
  });
}

it.each(["base", "ca-renewed", "aggregation", "apiservice-ca-renewed"])(
  "%s: each caBundle edge as a real handshake decides",
  async (variant) => {
    const text = readFileSync(join(FIX, "k8s-objects", variant, "objects.yaml"), "utf8");
    const items = (parse(text) as { items: Item[] }).items;
    const secrets = items.filter((i) => i.kind === "Secret" && i.data?.["tls.key"]);
    // The one serving Secret per Service that make.sh writes: demo-webhook-tls, demo-api-tls.
    const serving = (svc: string) => secrets.find((s) => s.metadata.name === `${svc}-tls`)!;
    const questions: { from: string; svc: { name: string; namespace: string }; caBundle: string }[] = [];
    for (const i of items) {
      for (const w of i.webhooks ?? [])
        if (w.clientConfig.service && w.clientConfig.caBundle)
          questions.push({
            from: `${i.kind} ${i.metadata.name} webhook ${w.name}`,
            svc: w.clientConfig.service,
            caBundle: w.clientConfig.caBundle,
          });
      if (i.kind === "APIService" && i.spec?.service && i.spec.caBundle && !i.spec.insecureSkipTLSVerify)
        questions.push({ from: `APIService ${i.metadata.name}`, svc: i.spec.service, caBundle: i.spec.caBundle });
    }
    expect(questions.length).toBeGreaterThan(0);
    const { cluster } = await auditObjects(text, { at: new Date(), subtle: crypto.subtle });
    for (const q of questions) {
      const s = serving(q.svc.name);
      const ok = await trusted(b64(s.data!["tls.crt"]!), b64(s.data!["tls.key"]!), b64(q.caBundle), `${q.svc.name}.${q.svc.namespace}.svc`);
      const edge = cluster.edges.find((e) => e.from === q.from)!;
      expect(edge.verdict, q.from).toBe(ok ? "holds" : "broken");
    }
    // The fixtures are what make.sh says (at a time inside the leaves' validity).
    if (Date.now() < Date.UTC(2027, 0, 1))
      expect(cluster.edges.filter((e) => questions.some((q) => q.from === e.from)).map((e) => e.verdict)).toEqual(
        questions.map(() => (variant.includes("renewed") ? "broken" : "holds")),
      );
  },
);
