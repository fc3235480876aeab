// A PKCS#12 file the CLI or the Action cannot read: its code and what to tell the user.
export class Pkcs12Error extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "Pkcs12Error";
    this.code = code;
  }
}
