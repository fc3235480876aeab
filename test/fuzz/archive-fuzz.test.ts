// A light fuzz of the archive reader (src/http/archive.ts): real tar's output of a kubeadm
// directory, plain and gzipped, with bytes flipped, runs overwritten and the end cut off. Every
// case must end as a tree or as an InputProblem (a 4xx); anything else thrown is a bug.
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { expect, it } from "vitest";
import { InputProblem } from "../../src/core/errors.ts";
import { readTarArchive } from "../../src/http/archive.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";

const haveTar = toolWorks("tar", ["--version"]);
const withTar = describeWithTool("tar", haveTar, "apt-get install tar");
const DIR = new URL("../fixtures/kubeadm/base/", import.meta.url).pathname;
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const LIMITS = { maxBytes: 8 * 1024 * 1024, maxEntries: 2000 };

const tar = (args: string[]) => new Uint8Array(spawnSync("tar", args, { cwd: DIR, maxBuffer: 1 << 24 }).stdout);

withTar("fuzz: readTarArchive", () => {
  const plain = tar(["-cf", "-", "pki/ca.crt", "pki/etcd", "manifests/etcd.yaml"]);
  const gz = tar(["-czf", "-", "pki/ca.crt", "pki/etcd", "manifests/etcd.yaml"]);

  it("reads the unmutated archives (the files real tar put in)", async () => {
    for (const [bytes, gzip] of [
      [plain, false],
      [gz, true],
    ] as const) {
      const t = await readTarArchive(new Response(bytes).body!, gzip, LIMITS);
      expect([...t.keys()].sort()).toContain("pki/etcd/ca.crt");
      expect(new TextDecoder().decode(t.get("pki/ca.crt"))).toMatch(/^-----BEGIN CERTIFICATE-----/);
    }
  });

  it(`${RUNS} mutated archives end as a tree or an InputProblem`, async () => {
    const edit = fc.record({
      gzip: fc.boolean(),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      cut: fc.option(fc.nat()),
      chunk: fc.integer({ min: 1, max: 4096 }),
    });
    await fc.assert(
      fc.asyncProperty(edit, async (e) => {
        const src = e.gzip ? gz : plain;
        let bytes = src.slice();
        for (const [at, v] of e.flips) bytes[at % bytes.length] = v;
        if (e.cut !== null) bytes = bytes.slice(0, e.cut % bytes.length);
        // Split the body into chunks, as a network would deliver it.
        const body = new ReadableStream<Uint8Array>({
          start(c) {
            for (let i = 0; i < bytes.length; i += e.chunk) c.enqueue(bytes.slice(i, i + e.chunk));
            c.close();
          },
        });
        try {
          const t = await readTarArchive(body, e.gzip, LIMITS);
          for (const p of t.keys()) expect(p.split("/")).not.toContain("..");
        } catch (err) {
          if (!(err instanceof InputProblem)) throw err;
          expect(err.status).toBeGreaterThanOrEqual(400);
          expect(err.status).toBeLessThan(500);
        }
      }),
      { numRuns: RUNS, seed: 20261201 },
    );
  });
});
