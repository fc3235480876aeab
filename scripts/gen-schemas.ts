// Writes schemas/*.json from the one source of truth (src/schemas/build.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { buildSchemas } from "../src/schemas/build.ts";

mkdirSync("schemas", { recursive: true });
for (const [name, doc] of Object.entries(buildSchemas())) {
  writeFileSync(`schemas/${name}`, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`wrote schemas/${name}`);
}

import { renderFindingsDoc } from "../src/schemas/findings-doc.ts";
mkdirSync("docs", { recursive: true });
writeFileSync("docs/findings.md", renderFindingsDoc());
console.log("wrote docs/findings.md");
