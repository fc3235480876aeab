// Text from certificates and kubeconfigs cannot steer the terminal (issue 11, section 1): the CLI
// bundle runs under a real pseudo-terminal (util-linux `script`, and tmux to read the screen back)
// on the hostile-name corpus (test/helpers/hostile.ts): the table, markdown, inspect, --live and
// the messages on standard error. What reaches the terminal may hold certaudit's own colours and
// nothing else: no ESC, CR, BEL, NUL, C1 control or bidi character from the input; the input's
// escapes are there as visible text (`\x1b[2J`, `\u202e`).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BIN, runNode } from "../cli/helpers.ts";
import { describeWithTool, toolWorks } from "../helpers/tools.ts";
import {
  HOSTILE_FILE_NAME,
  hostileBrokenKubeconfig,
  hostileCerts,
  hostileKubeconfig,
  rawControls,
  type HostileCerts,
} from "../helpers/hostile.ts";
import { startSServer, type SServer } from "./helpers/sserver.ts";

const describeScript = describeWithTool(
  "script (util-linux)",
  toolWorks("script", ["--version"], /util-linux/),
  "apt-get install bsdutils",
);
const describeTmux = describeWithTool("tmux", toolWorks("tmux", ["-V"], /tmux/), "apt-get install tmux");
const describeOpenssl = describeWithTool("openssl", toolWorks("openssl", ["version"], /OpenSSL 3/), "apt-get install openssl");

let dir: string;
let certs: HostileCerts;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "certaudit-hostile-tty-"));
  certs = await hostileCerts();
  writeFileSync(join(dir, "kc.yaml"), hostileKubeconfig(certs));
  writeFileSync(join(dir, "bundle.pem"), certs.leaf.pem + certs.ca.pem);
  writeFileSync(join(dir, HOSTILE_FILE_NAME), certs.leaf.pem);
  writeFileSync(join(dir, "broken.yaml"), hostileBrokenKubeconfig());
  // Runs the bin with arguments from a JSON file: no shell quoting of hostile file names.
  writeFileSync(
    join(dir, "run.mjs"),
    `import { spawnSync } from "node:child_process"; import { readFileSync } from "node:fs";\nconst r = spawnSync(process.execPath, [${JSON.stringify(BIN)}, ...JSON.parse(readFileSync(process.argv[2], "utf8"))], { stdio: "inherit" });\nprocess.exitCode = r.status ?? 9;\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** certaudit's own styles (src/cli/render.ts COLOUR): bold, dim, red, green, yellow, cyan and their resets. */
const OWN_SGR = /\x1b\[(?:1|2|22|31|32|33|36|39)m/g;

let runs = 0;
/** The bin under `script`: stdout and stderr are the pseudo-terminal; returns every byte written to it. */
function underPty(args: string[], env: Record<string, string> = {}): string {
  const argsFile = join(dir, `args-${runs++}.json`);
  writeFileSync(argsFile, JSON.stringify(args));
  const r = spawnSync("script", ["-qec", `${JSON.stringify(process.execPath)} run.mjs ${JSON.stringify(argsFile)}`, "/dev/null"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TERM: "xterm-256color", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return r.stdout;
}

/** What is left after certaudit's own colours and the terminal's CRLF: none of it may be a control from the input. */
function assertInert(screen: string): void {
  const rest = screen.replace(OWN_SGR, "").replace(/\r\n/g, "\n");
  expect(rawControls(rest)).toEqual([]);
  // A lone surrogate would reach the terminal as U+FFFD: it is shown as \ud800 instead.
  expect(rest).not.toContain("\ufffd");
}

describeScript("the terminal under a pseudo-terminal (script)", () => {
  it("table: the names' escapes are shown, not obeyed, and only certaudit's colours are emitted", () => {
    const screen = underPty(["kc.yaml"]);
    expect(screen).toContain("FAIL"); // the audit ran, in colour
    expect(screen).toMatch(OWN_SGR);
    assertInert(screen);
    for (const shown of [
      "\\x1b[2J",
      "\\x1b[31m",
      "\\x0d",
      "\\x00",
      "\\u202e",
      "\\x9b31m",
      "\\x1b]8;;https://evil.example/\\x07",
      "\\ud800",
    ])
      expect(screen).toContain(shown);
  });

  it("NO_COLOR: no escape sequence at all, not even certaudit's", () => {
    const screen = underPty(["kc.yaml"], { NO_COLOR: "1" });
    expect(screen).toContain("FAIL");
    expect(screen).not.toContain("\x1b");
    assertInert(screen);
  });

  it("markdown, inspect and json on the terminal are inert too", () => {
    for (const args of [
      ["--format", "markdown", "kc.yaml"],
      ["inspect", "bundle.pem"],
      ["--format", "json", "kc.yaml"],
      ["--format", "sarif", "kc.yaml"],
    ]) {
      const screen = underPty(args);
      expect(screen.length).toBeGreaterThan(500);
      assertInert(screen);
      expect(screen).not.toMatch(OWN_SGR);
    }
  });

  it("standard error: hostile file names and YAML errors are shown escaped", () => {
    const screen = underPty(["broken.yaml", `missing\x1b[2J\u202e\r.pem`, HOSTILE_FILE_NAME]);
    expect(screen).toContain("input.yaml-syntax");
    expect(screen).toContain("missing\\x1b[2J\\u202e\\x0d.pem: cannot read");
    expect(screen).toContain("evil\\x1b[2J\\x1b[31m\\x0d\\u202e|");
    assertInert(screen);
  });

  it("not a terminal: plain text, no escape sequences", async () => {
    const r = await runNode(BIN, [join(dir, "kc.yaml")], { env: { TERM: "xterm-256color" } });
    expect(r.stdout).toContain("FAIL");
    expect(r.stdout + r.stderr).not.toContain("\x1b");
    expect(rawControls(r.stdout + r.stderr)).toEqual([]);
  });
});

describeOpenssl("--live on a server presenting hostile names", () => {
  let server: SServer | undefined;
  afterAll(async () => server?.stop());

  describeScript("under script", () => {
    it("the presented chain's names and the contexts are shown escaped", async () => {
      const live = await hostileCerts({ server: true });
      server = await startSServer({
        serverCertPem: live.leaf.pem + live.ca.pem,
        serverKeyPem: live.leaf.keyPem,
        clientCaPem: live.ca.pem,
        attime: new Date(),
      });
      writeFileSync(join(dir, "live.yaml"), hostileKubeconfig(live).replace(/server: .*/, `server: https://127.0.0.1:${server.port}`));
      const screen = underPty(["--live", "live.yaml"]);
      expect(screen).toContain("presented chain");
      expect(screen).toContain("CN=leaf cn \\1B[2J\\u202e"); // the subject OpenSSL served: RFC 4514 \1B, then the bidi override shown
      assertInert(screen);
    });
  });
});

describeTmux("the screen as tmux draws it", () => {
  it("the screen is not cleared and no text is coloured by the input (NO_COLOR: any colour would be the input's)", () => {
    const session = `certaudit-hostile-${process.pid}`;
    const argsFile = join(dir, "tmux-args.json");
    writeFileSync(argsFile, JSON.stringify(["kc.yaml", "bundle.pem"]));
    const cmd = `cd ${JSON.stringify(dir)} && echo BEFORE-THE-AUDIT && NO_COLOR=1 ${JSON.stringify(process.execPath)} run.mjs ${JSON.stringify(argsFile)}; echo AFTER-THE-AUDIT; sleep 60`;
    const tmux = (...a: string[]) =>
      spawnSync("tmux", ["-L", session, ...a], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TERM: "xterm-256color" },
      });
    expect(tmux("new-session", "-d", "-s", session, "-x", "400", "-y", "300", "sh", "-c", cmd).status).toBe(0);
    try {
      let screen = "";
      for (let i = 0; i < 200 && !screen.includes("AFTER-THE-AUDIT"); i++) {
        spawnSync("sleep", ["0.1"]);
        screen = tmux("capture-pane", "-p", "-e", "-t", session).stdout;
      }
      expect(screen).toContain("AFTER-THE-AUDIT");
      // ESC[2J or ESC[H from the input would have wiped or overwritten this line.
      expect(screen).toContain("BEFORE-THE-AUDIT");
      expect(screen.indexOf("BEFORE-THE-AUDIT")).toBeLessThan(screen.indexOf("kc.yaml: FAIL"));
      // capture-pane -e writes each cell's attributes as SGR: with NO_COLOR, any would be the input's.
      expect(screen).not.toMatch(/\x1b\[[0-9;]*m/);
      expect(screen).toContain("\\x1b[31m");
      expect(screen).toContain("\\u202e");
    } finally {
      tmux("kill-server");
    }
  });
});
