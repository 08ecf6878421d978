/** Runs every model's policy cases (policy/models/<id>.cases.yaml) through the engine. */
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../policy/load.ts";
import { loadCases, loadModels } from "../../policy/models.ts";
import { compileModel } from "./compile.ts";
import { previousDay } from "./dates.ts";
import type { CasesFile } from "./schema.ts";
import type { EvalInput, RecordFact, SubjectFacts } from "./types.ts";

const catalog = loadCatalog();
const defs = loadModels();

type Case = CasesFile["cases"][number];

function inputOf(file: CasesFile, c: Case): EvalInput {
  const subject = { ...file.defaults.subject, ...(c.subject ?? {}) } as SubjectFacts;
  const records: RecordFact[] = c.records.map((r, i) => {
    const category = catalog.categories.find((x) => x.code === r.category);
    if (!category) throw new Error(`case "${c.name}": unknown category ${r.category}`);
    return {
      id: r.id ?? i + 1,
      department: r.department ?? category.departments[0]!,
      category: r.category,
      severity: r.severity ?? category.severity,
      status: r.status ?? "active",
      decision_date: r.decision_date,
      fields: r.fields ?? {},
    };
  });
  const input: EvalInput = { subject, records };
  if (c.public_score !== undefined) input.publicScore = c.public_score;
  if (c.market_rating !== undefined) input.marketRating = c.market_rating;
  if (c.other_grades !== undefined) input.otherGrades = c.other_grades;
  return input;
}

describe("policy cases", () => {
  it("every model has cases", () => {
    for (const def of defs) expect(loadCases(def.id), `${def.id}.cases.yaml`).not.toBeNull();
  });

  for (const def of defs) {
    const file = loadCases(def.id);
    if (!file) continue;
    describe(`${def.id} (${file.cases.length} cases)`, () => {
      const model = compileModel(def, catalog);
      it("the cases file names its model", () => expect(file.model).toBe(def.id));
      it("the cases reach every trigger, every ceiling, NR, and both sides of every dated change", () => {
        const triggers = new Set(file.cases.flatMap((c) => c.expect.triggers ?? []));
        const ceilings = new Set(file.cases.map((c) => c.expect.ceiling).filter(Boolean));
        for (const t of def.triggers) expect(triggers.has(t.id), `trigger ${t.id}`).toBe(true);
        for (const c of def.ceilings) expect(ceilings.has(c.id), `ceiling ${c.id}`).toBe(true);
        expect(file.cases.some((c) => c.expect.grade === "NR")).toBe(true);
        // Each date on which some points change (after the model starts) has a case the day before and on it.
        const asOfs = new Set(file.cases.map((c) => c.as_of ?? file.defaults.as_of));
        const changes = new Set(
          def.dimensions
            .flatMap((d) => d.indicators)
            .flatMap((i) => ("points" in i ? i.points.map((v) => v.from) : []))
            .filter((d) => d > def.effective_from),
        );
        for (const d of changes) {
          expect(asOfs.has(d), `a case on ${d}`).toBe(true);
          expect(asOfs.has(previousDay(d)), `a case on ${previousDay(d)}`).toBe(true);
        }
      });
      for (const c of file.cases)
        it(c.name, () => {
          const asOf = c.as_of ?? file.defaults.as_of;
          if (!asOf) throw new Error(`case "${c.name}" has no as_of`);
          const input = inputOf(file, c);
          const r = model.evaluate(input, asOf);
          const e = c.expect;
          expect(model.scope(input.subject), "in scope").toBe(c.in_scope ?? true);
          if (e.score !== undefined) expect(r.score, "score").toBe(e.score);
          if (e.grade !== undefined) expect(r.grade, "grade").toBe(e.grade);
          for (const [k, v] of Object.entries(e.indicators ?? {})) {
            expect(k in r.indicators, `indicator ${k} exists`).toBe(true);
            expect(r.indicators[k], `indicator ${k}`).toBe(v);
          }
          for (const [k, v] of Object.entries(e.dimensions ?? {}))
            expect(r.dimensions[k], `dimension ${k}`).toBe(v);
          if (e.triggers !== undefined) expect(r.triggers, "triggers").toEqual(e.triggers);
          if (e.ceiling !== undefined) expect(r.ceiling ?? null, "ceiling").toBe(e.ceiling);
          // The trace agrees with the result, and reversing the records changes nothing.
          const traced = model.evaluate(input, asOf, { trace: true });
          const { trace, ...rest } = traced;
          expect(rest).toEqual(r);
          for (const t of trace ?? []) if (t.kind === "indicator") expect(t.points).toBe(r.indicators[t.id]);
          const reversed = model.evaluate({ ...input, records: [...input.records].reverse() }, asOf);
          expect(reversed).toEqual(r);
        });
    });
  }
});
