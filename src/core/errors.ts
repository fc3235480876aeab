// The one error the core throws on purpose: the request itself cannot be audited (not a
// certificate problem, which is a finding in a 200 report). The HTTP layer maps it to an
// RFC 9457 problem; the CLI to exit code 2. `detail` never quotes the input.

export type ProblemCode =
  | "input.empty"
  | "input.unrecognized"
  | "input.yaml-syntax"
  | "input.yaml-unsafe"
  | "input.json-syntax"
  | "input.not-kubeconfig"
  | "input.too-large"
  | "input.too-many-certificates"
  | "input.bad-option"
  | "input.nothing-to-audit"
  | "input.unsupported-media-type"
  | "input.line-breaks-stripped"
  | "input.pkcs12-secret"
  | "archive.too-large"
  | "archive.too-many-entries"
  | "archive.path-unsafe"
  | "archive.duplicate-path"
  | "archive.link-refused"
  | "archive.special-file-refused"
  | "archive.corrupt"
  | "http.not-found"
  | "http.method-not-allowed"
  | "http.unauthorized"
  | "http.rate-limited";

export type ProblemStatus = 400 | 401 | 404 | 405 | 413 | 415 | 422 | 429;

export class InputProblem extends Error {
  readonly code: ProblemCode;
  readonly status: ProblemStatus;
  readonly line?: number;
  readonly column?: number;
  readonly pointer?: string;
  constructor(code: ProblemCode, status: ProblemStatus, detail: string, where: { line?: number; column?: number; pointer?: string } = {}) {
    super(detail);
    this.name = "InputProblem";
    this.code = code;
    this.status = status;
    if (where.line !== undefined) this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
    if (where.pointer !== undefined) this.pointer = where.pointer;
  }
}
