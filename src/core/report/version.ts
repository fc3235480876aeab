// The report format version, kept apart from the zod schemas so the core needs no zod at run time.
export const SCHEMA_VERSION = "1.0";
