/** The shipped measures lists against the cases beside them (policy/measures/<DEPT>.cases.yaml). */

import { describe, expect, it } from "vitest";
import { loadMeasureCases, measuresPolicy } from "../../policy/measures.ts";
import { loadModels } from "../../policy/models.ts";
import { GRADES_OR_NR } from "../grades.ts";
import { applicableMeasures, type SubjectGrade } from "./match.ts";

const models = loadModels();
const titles = Object.fromEntries(models.map((m) => [m.id, { zh: m.title_zh, en: m.title_en }]));
const { lists, scenarios } = measuresPolicy();

describe("shipped measures lists", () => {
  it("has the lists the platform needs, each with cases", () => {
    expect(lists.map((l) => l.department)).toEqual(["SCJG", "STHJ", "XYB", "ZJ"]);
    for (const l of lists) expect(loadMeasureCases(l.department), l.file).not.toBeNull();
    expect(scenarios.map((s) => s.id)).toContain("public_resource_trading");
  });

  it("gives every item measures for every grade, and every scenario some item", () => {
    for (const l of lists)
      for (const item of l.items)
        for (const v of item.measures)
          for (const g of GRADES_OR_NR)
            expect(v.value[g].length, `${l.file} ${item.id} ${g}`).toBeGreaterThan(0);
    const used = new Set(lists.flatMap((l) => l.items.map((i) => i.scenario)));
    for (const s of scenarios) expect(used, s.id).toContain(s.id);
  });

  for (const list of lists) {
    const cases = loadMeasureCases(list.department);
    for (const c of cases?.cases ?? [])
      it(`${list.department}: ${c.name}`, () => {
        const grades: SubjectGrade[] = Object.entries(c.grades).map(([modelId, grade]) => {
          const m = models.find((x) => x.id === modelId);
          if (!m) throw new Error(`${list.department}.cases.yaml: unknown model ${modelId}`);
          return {
            modelId,
            kind: m.kind,
            title: titles[modelId]!,
            version: m.version,
            grade,
            score: 500,
            asOf: c.date,
            triggers: [],
            ceiling: null,
            byScore: null,
            limits: [],
          };
        });
        const r = applicableMeasures([list], {
          date: c.date,
          scenario: c.scenario,
          grades,
          modelTitles: titles,
        });
        const got: Record<string, string[]> = {};
        for (const m of r.measures) got[m.item.id] = [...(got[m.item.id] ?? []), m.measure.id];
        expect(got).toEqual(c.expect);
      });
  }
});
