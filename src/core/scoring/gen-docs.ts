/**
 * Writes the points table of every model to docs/models/<id>.md. Run: `npx tsx src/core/scoring/gen-docs.ts`.
 * points-table.test.ts fails when a table is out of date.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { loadModels } from "../../policy/models.ts";
import { pointsTable } from "./points-table.ts";

export const DOCS_DIR = fileURLToPath(new URL("../../../docs/models/", import.meta.url));

for (const def of loadModels()) {
  const file = `${DOCS_DIR}${def.id}.md`;
  fs.writeFileSync(file, pointsTable(def));
  console.log(`wrote docs/models/${def.id}.md`);
}
