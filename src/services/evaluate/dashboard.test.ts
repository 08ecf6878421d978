import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../demo/load.ts";
import { catalog } from "../../policy/load.ts";
import { openTestStore, type TestStore } from "../../store/testing.ts";
import { gradeDashboard, scopeCondition } from "./dashboard.ts";
import { modelSet } from "./models.ts";
import { evaluate } from "./run.ts";

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
  await loadDemo(store, { subjects: 600, seed: "dashboard-test", today: "2026-11-29" });
  await evaluate(store, catalog(), { asOf: "2026-11-29" });
});
afterAll(async () => store.dispose());

describe("gradeDashboard", () => {
  it("counts the subjects in each model's scope as the compiled scope does", async () => {
    const subjects = await store.db.selectFrom("subjects").selectAll().execute();
    for (const model of modelSet(catalog()).all) {
      const want = subjects.filter((s) => model.scope(s)).map((s) => s.code);
      const got = await store.db
        .selectFrom("subjects")
        .select("code")
        .where(scopeCondition(model.def.scope))
        .execute();
      expect(got.map((r) => r.code).sort(), model.id).toEqual(want.sort());
      expect(want.length, model.id).toBeGreaterThan(0);
    }
  });

  it("gives coverage as evaluated subjects against the subjects in scope", async () => {
    const models = modelSet(catalog());
    const subjects = await store.db.selectFrom("subjects").selectAll().execute();
    for (const model of models.all) {
      const d = await gradeDashboard(store, model, "region");
      const inScope = subjects.filter((s) => model.scope(s)).length;
      expect(d.coverage, model.id).toEqual({ evaluated: inScope, inScope, registered: subjects.length });
    }
    // Natural persons are registered but outside the public model's scope.
    expect(subjects.some((s) => !models.public.scope(s))).toBe(true);
  });
});
