// A control-plane directory as tar / tar.gz / multipart, inside workerd (SELF is the Worker):
// the runtime's own DecompressionStream and FormData. The archives are crafted here, header by
// header as POSIX ustar lays them out (pax spec, IEEE 1003.1 "ustar Interchange Format": name
// 0-99, mode, uid, gid, size 124-135 octal, mtime, chksum 148-155, typeflag 156, linkname
// 157-256, magic "ustar\0" "00" at 257, prefix 345-499), so that hostile ones can be made too.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const AT = "2026-11-01T00:00:00Z";
const FILES = import.meta.glob("../fixtures/kubeadm/base/**/*", { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;
const BASE = Object.entries(FILES).map(
  ([p, text]) => [p.replace("../fixtures/kubeadm/base/", ""), new TextEncoder().encode(text)] as const,
);

interface Entry {
  name: string;
  data?: Uint8Array;
  type?: string;
  link?: string;
  size?: number;
  badChecksum?: boolean;
}

function octal(out: Uint8Array, at: number, width: number, value: number) {
  const s = value.toString(8).padStart(width - 1, "0");
  for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
}
const put = (out: Uint8Array, at: number, s: string) => out.set(new TextEncoder().encode(s), at);

function header(e: Entry): Uint8Array<ArrayBuffer> {
  const h = new Uint8Array(512);
  put(h, 0, e.name.slice(0, 100));
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, e.size ?? e.data?.length ?? 0);
  octal(h, 136, 12, 1_756_684_800);
  h.fill(0x20, 148, 156);
  put(h, 156, e.type ?? "0");
  if (e.link) put(h, 157, e.link);
  put(h, 257, "ustar\u000000");
  let sum = 0;
  for (const b of h) sum += b;
  octal(h, 148, 7, e.badChecksum ? sum + 1 : sum);
  return h;
}

function tarOf(entries: Entry[]): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    parts.push(header(e));
    const d = e.data ?? new Uint8Array(0);
    parts.push(d, new Uint8Array((512 - (d.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const gzip = async (bytes: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>) =>
  new Uint8Array(
    await new Response(
      (bytes instanceof Uint8Array ? new Response(bytes).body! : bytes).pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );

const post = (body: BodyInit, type?: string) =>
  SELF.fetch(`http://certaudit.test/v1/audit?at=${AT}`, { method: "POST", body, headers: type ? { "content-type": type } : {} });

async function refused(res: Response, status: number, code: string) {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const p = (await res.json()) as { code: string; status: number };
  expect(p.code).toBe(code);
  expect(res.status).toBe(status);
}

describe("POST /v1/audit with a control-plane directory (workerd)", () => {
  it("reads the same tree as tar, tar.gz and multipart", async () => {
    expect(BASE.length).toBeGreaterThan(20);
    const entries = BASE.map(([name, data]) => ({ name: `./${name}`, data }));
    const results = [];
    results.push(await post(await gzip(tarOf(entries)), "application/gzip"));
    results.push(await post(tarOf([{ name: "pki/", type: "5" }, ...entries]), "application/x-tar"));
    const form = new FormData();
    for (const [name, data] of BASE) form.append("files", new File([data], name));
    results.push(await SELF.fetch(`http://certaudit.test/v1/audit?at=${AT}`, { method: "POST", body: form }));
    const seen = [];
    for (const res of results) {
      expect(res.status).toBe(200);
      const r = (await res.json()) as any;
      expect(r.input.kind).toBe("directory");
      expect(r.input.parts).toContain("pki/etcd/ca.crt");
      // The base fixture holds every edge (test/node/etcd-oracle.test.ts: real etcd accepts it).
      expect(r.cluster.edges.length).toBeGreaterThan(10);
      expect(r.cluster.edges.filter((e: any) => e.verdict !== "holds")).toEqual([]);
      seen.push(JSON.stringify(r.cluster.edges));
    }
    expect(new Set(seen).size).toBe(1);
  });

  it("refuses links, devices and paths outside the directory, each with its own code", async () => {
    const one = (e: Entry) => post(tarOf([e]), "application/x-tar");
    await refused(await one({ name: "pki/ca.crt", type: "2", link: "/etc/shadow" }), 400, "archive.link-refused");
    await refused(await one({ name: "pki/ca.crt", type: "1", link: "pki/other.crt" }), 400, "archive.link-refused");
    await refused(await one({ name: "dev", type: "3" }), 400, "archive.special-file-refused");
    await refused(await one({ name: "dev", type: "4" }), 400, "archive.special-file-refused");
    await refused(await one({ name: "fifo", type: "6" }), 400, "archive.special-file-refused");
    await refused(await one({ name: "../../etc/passwd", data: new Uint8Array(1) }), 400, "archive.path-unsafe");
    await refused(await one({ name: "pki/../../x", data: new Uint8Array(1) }), 400, "archive.path-unsafe");
    await refused(await one({ name: "/etc/kubernetes/pki/ca.crt", data: new Uint8Array(1) }), 400, "archive.path-unsafe");
    await refused(await one({ name: "C:\\pki\\ca.crt", data: new Uint8Array(1) }), 400, "archive.path-unsafe");
  });

  it("stops a gzip bomb at the limit: 256 MiB of zeros in a body of a few hundred KiB", async () => {
    const zeros = 256 * 1024 * 1024;
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(header({ name: "zeros", size: zeros }));
      },
      pull(c) {
        if (sent >= zeros) return c.close();
        c.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const body = await gzip(stream);
    expect(body.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    await refused(await post(body, "application/gzip"), 413, "archive.too-large");
    // Stopped early: expanding 256 MiB would take far longer than reading 8 MiB.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("too many entries (413), a bad checksum, a size past the end and a non-gzip body (400)", async () => {
    const many = Array.from({ length: 2001 }, (_, i) => ({ name: `f${i}` }));
    await refused(await post(tarOf(many), "application/x-tar"), 413, "archive.too-many-entries");
    await refused(
      await post(tarOf([{ name: "a", data: new Uint8Array(3), badChecksum: true }]), "application/x-tar"),
      400,
      "archive.corrupt",
    );
    const cut = tarOf([{ name: "a", size: 4096 }]).slice(0, 1024);
    await refused(await post(cut, "application/x-tar"), 400, "archive.corrupt");
    await refused(await post(new TextEncoder().encode("plain text"), "application/gzip"), 400, "archive.corrupt");
    const form = new FormData();
    form.append("files", new File(["x"], "/etc/kubernetes/pki/ca.crt"));
    await refused(await SELF.fetch("http://certaudit.test/v1/audit", { method: "POST", body: form }), 400, "archive.path-unsafe");
  });
  it("private keys in an uploaded directory: one input.private-key-uploaded naming the files, no key echoed", async () => {
    const dec = new TextDecoder();
    // kubeadm writes a key beside each certificate (pki/*.key, sa.key) and embeds the components' keys in their kubeconfigs.
    const keyFiles = BASE.filter(([p]) => p.endsWith(".key") || p.endsWith(".conf")).map(([p]) => p);
    expect(keyFiles.length).toBe(16);
    const keyLines = BASE.filter(([p]) => p.endsWith(".key"))
      .flatMap(([, d]) => dec.decode(d).split("\n"))
      .filter((l) => l.length > 20 && !l.startsWith("-----"));
    const embedded = BASE.filter(([p]) => p.endsWith(".conf")).flatMap(([, d]) => [...dec.decode(d).matchAll(/client-key-data: (\S+)/g)]);
    expect(embedded.length).toBe(5);
    const form = new FormData();
    for (const [name, data] of BASE) form.append("files", new File([data], name));
    const entries = BASE.map(([name, data]) => ({ name: `./${name}`, data }));
    for (const res of [
      await post(tarOf(entries), "application/x-tar"),
      await SELF.fetch(`http://certaudit.test/v1/audit?at=${AT}`, { method: "POST", body: form }),
    ]) {
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toMatch(/PRIVATE KEY/);
      for (const l of keyLines) expect(text).not.toContain(l);
      for (const m of embedded) expect(text).not.toContain(m[1]!);
      const r = JSON.parse(text);
      const found = r.findings.filter((f: any) => f.code === "input.private-key-uploaded");
      expect(found).toHaveLength(1);
      for (const f of keyFiles) expect(found[0].message).toContain(f);
      expect(r.cluster.edges.filter((e: any) => e.relation === "key-pair").every((e: any) => e.verdict === "holds")).toBe(true);
    }
    // Without the keys (what the CLI and the form send: fingerprints), no such finding.
    const certsOnly = BASE.filter(([p]) => !p.endsWith(".key") && !p.endsWith(".conf")).map(([name, data]) => ({ name, data }));
    const r = (await (await post(tarOf(certsOnly), "application/x-tar")).json()) as any;
    expect(r.findings.map((f: any) => f.code)).not.toContain("input.private-key-uploaded");
    expect(r.findings.map((f: any) => f.code)).toContain("cluster.file-missing");
  });
});
