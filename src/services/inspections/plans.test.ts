import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAFF } from "../../core/auth/testing.ts";
import { decidingGrade } from "../../core/measures/match.ts";
import { type Candidate, selectPool } from "../../core/sampling/pool-rules.ts";
import { loadDemo } from "../../demo/load.ts";
import { catalog } from "../../policy/load.ts";
import { openTestStore, type TestStore } from "../../store/testing.ts";
import { prepareStore } from "../bootstrap.ts";
import { evaluate } from "../evaluate/run.ts";
import {
  candidatesOf,
  directoryAt,
  draftPlan,
  type PlanInput,
  previewPlan,
  recordItems,
  settingsOf,
} from "./plans.ts";

let store: TestStore;
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const staff = STAFF;

beforeAll(async () => {
  store = await openTestStore();
  await prepareStore(store, catalog());
  await loadDemo(store, { subjects: 1500, seed: "plans-test", today: TODAY });
  await evaluate(store, catalog(), { asOf: TODAY });
}, 180_000);
afterAll(async () => store?.dispose());

const plan = (input: Partial<PlanInput>) =>
  draftPlan(staff, { title: "测试计划", items: ["食品安全日常监督检查"], scope: {}, ...input }, ["public"]);

/** The candidates as they were read before rounds: every INSPECTION record of the city, whole history. */
async function wholeHistory(p: ReturnType<typeof plan>): Promise<Candidate[]> {
  const s = settingsOf(p);
  const dir = directoryAt(s.planDate);
  const rows = await store.db
    .selectFrom("subjects")
    .leftJoin("evaluations as e", (j) =>
      j
        .onRef("e.subject_code", "=", "subjects.code")
        .on("e.model_id", "=", "public")
        .on("e.is_current", "=", 1),
    )
    .select(["subjects.code", "subjects.registered_on", "subjects.industry_division", "e.grade"])
    .where("subjects.type", "in", dir.types)
    .where("subjects.status", "in", dir.statuses)
    .execute();
  const records = await store.db
    .selectFrom("credit_records")
    .select(["subject_code", "department", "decision_date", "fields"])
    .where("category", "=", "INSPECTION")
    .where("is_current", "=", 1)
    .where("status", "=", "active")
    .where("decision_date", "<=", s.planDate)
    .execute();
  const history = new Map<string, Candidate["inspections"]>();
  for (const r of records)
    history.set(r.subject_code, [
      ...(history.get(r.subject_code) ?? []),
      { date: r.decision_date, items: recordItems(r.fields), department: r.department },
    ]);
  return rows
    .filter((r) => !s.scope.divisions?.length || s.scope.divisions.includes(r.industry_division ?? ""))
    .map((r) => ({
      code: r.code,
      stratum: decidingGrade(r.grade, r.grade),
      registeredOn: r.registered_on,
      inspections: history.get(r.code) ?? [],
    }));
}

describe("a plan's candidates", () => {
  it("read in rounds and only the inspections that can decide, give the answer of the whole history", async () => {
    const plans = [
      plan({ scope: { divisions: ["14", "51", "52", "62"] } }),
      // A window longer than the 12 months of the cap: it decides where reading starts.
      plan({ exclusionMonths: 24 }),
      plan({ exclusionMonths: null, floorYears: null }),
      plan({ floorYears: 1, frequencyCapPerYear: { B: 1, C: 1, D: 1 } }),
      // A plan dated in the past ignores later inspections.
      plan({ planDate: "2025-06-30" }),
    ];
    let older = 0;
    for (const p of plans) {
      const s = settingsOf(p);
      const rules = {
        department: p.department,
        items: s.items,
        frequencyCapPerYear: s.frequencyCapPerYear,
        floorYears: s.floorYears ?? 0,
        exclusionMonths: s.exclusionMonths ?? 0,
      };
      const fast = await candidatesOf(store, p, { chunk: 97 });
      const slow = await wholeHistory(p);
      expect(fast.map((c) => c.code).sort()).toEqual(slow.map((c) => c.code).sort());
      const want = selectPool(slow, rules, s.planDate);
      expect(selectPool(fast, rules, s.planDate)).toEqual(want);
      // What the plan's preview counts is the same answer.
      const counts = await previewPlan(store, p);
      expect(counts.total).toMatchObject({
        candidates: slow.length,
        pool: want.pool.length,
        mustInspect: want.mustInspect.length,
        excluded: want.excluded.length,
      });
      // Fewer inspections were read than the whole history holds.
      const count = (list: Candidate[]) => list.reduce((n, c) => n + c.inspections.length, 0);
      expect(count(fast)).toBeLessThan(count(slow));
      older += want.mustInspect.filter((m) => m.lastInspected !== null).length;
    }
    // The cases reach every rule, and overdue subjects with an old last inspection (the part read as one date).
    expect(older).toBeGreaterThan(0);
  });

  it("pauses between rounds: other work runs while a city-wide preview is computed", async () => {
    let turns = 0;
    let done = false;
    const spin = () => {
      turns++;
      if (!done) setImmediate(spin);
    };
    setImmediate(spin);
    const counts = await previewPlan(store, plan({}));
    done = true;
    expect(counts.total.candidates).toBeGreaterThan(1000);
    // Rounds of 500 subjects, a pause after each read and each selection. All in one go (as before), the event
    // loop would not turn once on SQLite, whose driver answers synchronously.
    expect(turns).toBeGreaterThanOrEqual(3);
  });
});
