// A directory sent as multipart `files` parts: two parts for one relative path are refused (a
// directory holds one file per path, POSIX.1-2017 4.13 Pathname Resolution: `./pki/ca.crt` and
// `pki/ca.crt` resolve to the same file), instead of the last part silently replacing the first,
// so the audit never reports on a file other than the one the sender meant. workerd's FormData.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const AT = "2026-11-01T00:00:00Z";
const FILES = import.meta.glob("../fixtures/kubeadm/base/**/*", { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;
const BASE = Object.entries(FILES).map(([p, text]) => [p.replace("../fixtures/kubeadm/base/", ""), text] as const);
const FRONT_PROXY_CA = BASE.find(([p]) => p === "pki/front-proxy-ca.crt")![1];

const send = (form: FormData) => SELF.fetch(`http://certaudit.test/v1/audit?at=${AT}`, { method: "POST", body: form });
function baseForm(): FormData {
  const form = new FormData();
  for (const [name, text] of BASE) form.append("files", new File([text], name));
  return form;
}

describe("multipart directory with one path twice", () => {
  it("the fixture's own paths once each: a 200 report (the control)", async () => {
    expect(new Set(BASE.map(([p]) => p)).size).toBe(BASE.length);
    expect((await send(baseForm())).status).toBe(200);
  });

  it.each([
    ["the same filename", "pki/ca.crt", undefined],
    ["./pki/ca.crt, the same path", "./pki/ca.crt", undefined],
    ["the same path in the path field", "other.crt", "pki/ca.crt"],
  ])("%s: 400 archive.duplicate-path naming the parts, not the content", async (_n, filename, pathField) => {
    const form = baseForm();
    // The path field is read by the index of the files part (directory-upload.ts): fill the earlier ones.
    if (pathField !== undefined) {
      for (const [name] of BASE) form.append("path", name);
      form.append("path", pathField);
    }
    form.append("files", new File([FRONT_PROXY_CA], filename));
    const res = await send(form);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const p = (await res.json()) as { code: string; detail: string };
    expect(p.code).toBe("archive.duplicate-path");
    const first = BASE.findIndex(([name]) => name === "pki/ca.crt") + 1;
    expect(p.detail).toContain(`parts ${first} and ${BASE.length + 1}`);
    expect(p.detail).not.toContain("BEGIN CERTIFICATE");
  });
});
