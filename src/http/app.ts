// The HTTP surface, kept thin: limits, content negotiation, problem+json errors, routes.
// All audit logic lives in src/core.
// hono/tiny: the same Hono with the PatternRouter, 2.5 KB smaller gzipped than the default
// SmartRouter (issue 13); a dozen routes, matched once per request.
import { Hono } from "hono/tiny";
import { bodyLimit } from "hono/body-limit";
import { InputProblem } from "../core/errors.ts";
import { CATALOGUE } from "../core/findings/index.ts";
import { fetchAsset } from "./assets.ts";
import { checkVerifyRequest } from "./request-check.ts";
import { maxBodyBytes, type Env } from "./env.ts";
import { guard } from "./guard.ts";
import { OPENMETRICS_CONTENT_TYPE, renderOpenMetrics } from "../core/report/openmetrics.ts";
import { wantsOpenMetrics } from "./negotiate.ts";
import { lineBreaksStripped } from "./line-breaks.ts";
import { problemResponse } from "./problem.ts";
import { auditRequest, CORE, type CoreFunctions } from "./core-functions.ts";
import { mediaType, parseAt, readAuditRequest, readJson, zodProblem } from "./request.ts";
import { createUi } from "./ui/routes.tsx";

export { auditRequest, CORE, type CoreFunctions } from "./core-functions.ts";
export type { Env } from "./env.ts";
export { mediaType, readAuditRequest, type ParsedAuditRequest } from "./request.ts";

/** For responses that set no policy of their own (JSON, problems): nothing may load or frame them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export type AppEnv = { Bindings: Env };

function methodNotAllowed(method: string, path: string): Response {
  const res = problemResponse(new InputProblem("http.method-not-allowed", 405, `${path} takes POST, not ${method}`));
  res.headers.set("Allow", "POST");
  return res;
}

export function createApp(core: CoreFunctions = CORE): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use("*", async (c, next) => {
    try {
      await next();
    } catch (err) {
      // Hono's onError sees only Error instances; a thrown string or object ends up here.
      c.res = problemResponse(err);
    }
    c.header("Cache-Control", "no-store");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    if (!c.res.headers.has("Content-Security-Policy")) c.header("Content-Security-Policy", API_CSP);
  });

  // Tokens and rate limits (src/http/guard.ts) for everything that audits: the API and the
  // form's upload. The form's default mode audits in the page and calls no route.
  app.on("POST", ["/v1/audit", "/v1/verify", "/"], guard<AppEnv>());

  app.use("/v1/*", async (c, next) => {
    const max = maxBodyBytes(c.env);
    return bodyLimit({
      maxSize: max,
      onError: () =>
        problemResponse(
          new InputProblem("input.too-large", 413, `the body is larger than ${max} bytes; split the bundle or raise MAX_BODY_BYTES`),
        ),
    })(c, next);
  });

  app.post("/v1/audit", async (c) => {
    const req = await readAuditRequest(c);
    try {
      const report = await auditRequest(req, core);
      if (wantsOpenMetrics(c.req.header("accept")))
        return c.body(renderOpenMetrics([{ file: "", report }]), 200, { "Content-Type": OPENMETRICS_CONTENT_TYPE });
      return c.json(report);
    } catch (e) {
      throw lineBreaksStripped(e, req.input.document) ?? e;
    }
  });

  app.post("/v1/verify", async (c) => {
    const type = mediaType(c);
    if (type !== "application/json")
      throw new InputProblem("input.unsupported-media-type", 415, "send the verify request as application/json");
    const parsed = checkVerifyRequest(await readJson(c));
    if (!parsed.success) throw zodProblem(parsed.error.issues);
    const at = parseAt(parsed.data.at, "/at") ?? new Date();
    return c.json(await core.verifyCertificate(parsed.data, { at, subtle: crypto.subtle }));
  });

  // Any other method on the POST routes: 405 with Allow (RFC 9110 §15.5.6), not "no route".
  for (const path of ["/v1/audit", "/v1/verify"]) app.all(path, (c) => methodNotAllowed(c.req.method, path));

  app.get("/v1/findings", (c) => c.json(CATALOGUE));
  // A static asset (scripts/build-ui.mjs copies schemas/openapi.json into public/): workerd serves
  // it before the Worker runs; this route answers callers of the app itself, such as app.request.
  app.get("/openapi.json", async (c) => {
    const res = await fetchAsset(c, "/openapi.json");
    if (!res) throw new InputProblem("http.not-found", 404, "the OpenAPI document is not available on this server");
    return c.body(await res.text(), 200, { "Content-Type": "application/json" });
  });
  app.get("/healthz", (c) => c.json({ ok: true }));

  app.route("/", createUi(core)); // the web form: GET / and POST / (src/http/ui)

  app.notFound((c) =>
    problemResponse(new InputProblem("http.not-found", 404, `no route for ${c.req.method} ${new URL(c.req.url).pathname}`)),
  );
  // Anything thrown that is not an InputProblem is a bug: 500, generic detail, one log line.
  app.onError((err) => problemResponse(err));
  return app;
}
