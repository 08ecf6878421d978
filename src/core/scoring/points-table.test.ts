/** The points tables in docs/models agree with the definitions and with the engine. */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../policy/load.ts";
import { loadModels } from "../../policy/models.ts";
import { compileModel } from "./compile.ts";
import { pointsRows, pointsTable } from "./points-table.ts";
import type { EvalInput, ModelDef, RecordFact } from "./types.ts";

const catalog = loadCatalog();
const DOCS = fileURLToPath(new URL("../../../docs/models/", import.meta.url));

/** A subject the model applies to, registered long ago, with nothing else. */
function subjectFor(def: ModelDef): EvalInput["subject"] {
  return {
    code: "91350582MA2TEST00X",
    type: def.scope.types?.[0] ?? "enterprise",
    status: def.scope.statuses?.[0] ?? "存续",
    registered_on: "2000-01-01",
    region: "350582",
    industry_section: def.scope.sections?.[0] ?? "C",
    industry_division: def.scope.divisions?.[0] ?? "19",
  };
}

describe.each(loadModels().map((d) => [d.id, d] as const))("points table of %s", (id, def) => {
  const model = compileModel(def, catalog);

  it(`docs/models/${id}.md is up to date (npx tsx src/core/scoring/gen-docs.ts)`, () => {
    const file = `${DOCS}${id}.md`;
    expect(fs.existsSync(file), file).toBe(true);
    expect(fs.readFileSync(file, "utf8")).toBe(pointsTable(def));
  });

  it("the subject used below is in scope", () => expect(model.scope(subjectFor(def))).toBe(true));

  const rows = pointsRows(def).filter((r) => r.basis === "records");
  it("has records rows", () => expect(rows.length).toBeGreaterThan(0));

  for (const row of rows) {
    const ind = def.dimensions.flatMap((d) => d.indicators).find((i) => i.id === row.indicator)!;
    if (ind.basis !== "records") continue;
    for (const code of ind.match.categories) {
      const category = catalog.categories.find((c) => c.code === code)!;
      // Each end of the row's period: one record decided that day, evaluated that day.
      const days = [row.from, ...(row.to ? [row.to] : [])];
      it(`${row.indicator} ${code} ${row.key} ${row.from}–${row.to ?? ""}: ${row.type === "deduction" ? "−" : "+"}${row.points}`, () => {
        for (const day of days) {
          const fields: Record<string, string> = {};
          for (const [k, vs] of Object.entries(ind.match.fields ?? {})) fields[k] = vs[0]!;
          let severity = ind.match.severities?.[0] ?? category.severity;
          if (ind.points_by === "severity") severity = row.key as typeof severity;
          else fields[ind.points_by.slice("field:".length)] = row.key;
          const department =
            ind.match.departments?.find((d) => category.departments.includes(d)) ?? category.departments[0]!;
          const record: RecordFact = {
            id: 1,
            department,
            category: code,
            severity,
            status: "active",
            decision_date: day,
            fields,
          };
          const r = model.evaluate({ subject: subjectFor(def), records: [record] }, day, { trace: true });
          const expected = Math.min(row.points, row.cap ?? Number.POSITIVE_INFINITY);
          expect(r.indicators[row.indicator]).toBe(row.type === "deduction" ? -expected || 0 : expected);
          const t = r.trace!.find((x) => x.kind === "indicator" && x.id === row.indicator);
          expect(t && t.kind === "indicator" ? t.records : []).toEqual([
            { id: 1, points: row.type === "deduction" ? -row.points || 0 : row.points },
          ]);
        }
      });
    }
  }
});
