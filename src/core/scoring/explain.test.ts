import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../policy/load.ts";
import { loadModels } from "../../policy/models.ts";
import { compileModel } from "./compile.ts";
import { explain, storedLimits } from "./explain.ts";
import { SUBJECT } from "./testing.ts";
import type { EvalInput } from "./types.ts";

const catalog = loadCatalog();
const pub = compileModel(loadModels().find((d) => d.id === "public")!, catalog);
const subject = SUBJECT;
const AS_OF = "2026-11-29";

describe("explain", () => {
  const input: EvalInput = {
    subject,
    records: [
      {
        id: 11,
        department: "SCJG",
        category: "PENALTY",
        severity: "general",
        status: "active",
        decision_date: "2026-09-01",
        fields: {},
      },
      {
        id: 12,
        department: "SCJG",
        category: "INSPECTION",
        severity: "general",
        status: "active",
        decision_date: "2026-08-01",
        fields: { result: "problems" },
      },
      {
        id: 13,
        department: "SCJG",
        category: "INSPECTION",
        severity: "general",
        status: "active",
        decision_date: "2026-07-01",
        fields: { result: "pass" },
      },
    ],
  };

  it("gives points per indicator, the records behind deductions, and the distance to the next grade", () => {
    const e = explain(pub, input, AS_OF);
    // 820 − 80 − 30 + 15 = 725 → C; B needs 800
    expect(e.score).toBe(725);
    expect(e.grade).toBe("C");
    expect(e.indicators.find((i) => i.id === "penalties")).toMatchObject({
      points: -80,
      records: [{ id: 11, points: -80 }],
    });
    expect(e.deductions).toEqual([
      { indicator: "penalties", record: 11, points: -80 },
      { indicator: "inspections_problems", record: 12, points: -30 },
    ]);
    expect(e.nextGrade).toEqual({ grade: "B", cutoff: 800, distance: 75 });
    expect(e.blockedBy).toEqual([]);
  });

  it("lists the repairs that would lift the score, best first", () => {
    const e = explain(pub, input, AS_OF);
    expect(e.repairs.map((r) => [r.record, r.score, r.grade, r.lift, r.grades])).toEqual([
      [11, 805, "B", 80, 1],
      [12, 755, "C", 30, 0],
    ]);
    expect(e.repairs[0]).toMatchObject({ category: "PENALTY", indicators: ["penalties"], conditions: [] });
  });

  it("names what blocks the grade and the record whose end lifts it", () => {
    const listed: EvalInput = {
      subject,
      records: [
        ...input.records,
        {
          id: 20,
          department: "SW",
          category: "SERIOUS_VIOLATOR",
          severity: "serious",
          status: "active",
          decision_date: "2026-06-01",
          fields: {},
        },
      ],
    };
    const e = explain(pub, listed, AS_OF);
    expect(e.grade).toBe("E");
    expect(e.blockedBy).toEqual(["serious_violator"]);
    expect(e.repairs[0]).toMatchObject({
      record: 20,
      grade: "C",
      grades: 2,
      conditions: ["serious_violator"],
    });
  });

  const rec = (id: number, category: string, severity: string, decision_date: string) => ({
    id,
    department: category === "SERIOUS_VIOLATOR" ? "SW" : "SCJG",
    category,
    severity,
    status: "active",
    decision_date,
    fields: {},
  });
  // 820 − 200 (serious penalty) − 80 (general penalty) = 540 → E; the serious penalty also sets off the
  // ceiling "at most B" (serious_penalty_1y), which an E cannot be held down by.
  const belowCeiling: EvalInput = {
    subject,
    records: [rec(1, "PENALTY", "serious", "2026-09-01"), rec(2, "PENALTY", "general", "2026-08-01")],
  };
  // 820 → B by the points; tax grade D (unified E) sets off the ceiling "no better than C".
  const heldByCeiling: EvalInput = { subject, records: [], otherGrades: [{ source: "tax", grade: "E" }] };

  it("does not call a ceiling the score is already under a limit (issue 9: E under “at most B”)", () => {
    const e = explain(pub, belowCeiling, AS_OF);
    expect([e.score, e.grade]).toEqual([540, "E"]);
    expect(e.byScore).toEqual({ score: 540, grade: "E" });
    expect(e.ceiling).toBe("serious_penalty_1y");
    expect(e.limits).toEqual([{ kind: "ceiling", id: "serious_penalty_1y", grade: "B", effect: "none" }]);
    expect(e.blockedBy).toEqual([]);
    // the score can lift the grade: D is 60 points away, and the ceiling allows up to B
    expect(e.nextGrade).toEqual({ grade: "D", cutoff: 600, distance: 60 });
  });

  it("says when a ceiling holds the grade down: the score gives B, the ceiling keeps C", () => {
    const e = explain(pub, heldByCeiling, AS_OF);
    expect(e.byScore).toEqual({ score: 820, grade: "B" });
    // the score is lowered to the top of C's band
    expect([e.score, e.grade]).toEqual([799, "C"]);
    expect(e.limits).toEqual([{ kind: "ceiling", id: "tax_grade_d", grade: "C", effect: "sets" }]);
    expect(e.blockedBy).toEqual(["tax_grade_d"]);
    // no score lifts a held grade: no distance to the next grade
    expect(e.nextGrade).toBeNull();
  });

  it("tells a condition that sets the grade from one that also holds it down and one at the score's grade", () => {
    const both = explain(
      pub,
      { ...heldByCeiling, records: [rec(3, "SERIOUS_VIOLATOR", "serious", "2026-06-01")] },
      AS_OF,
    );
    expect(both.grade).toBe("E");
    expect(both.limits).toEqual([
      { kind: "trigger", id: "serious_violator", grade: "E", effect: "sets" },
      { kind: "ceiling", id: "tax_grade_d", grade: "C", effect: "also" },
    ]);
    expect(both.blockedBy).toEqual(["serious_violator", "tax_grade_d"]);
    // E by the points too: the trigger lowers nothing, but no score would lift the grade while it holds
    const atLimit = explain(
      pub,
      { subject, records: [...belowCeiling.records, rec(3, "SERIOUS_VIOLATOR", "serious", "2026-06-01")] },
      AS_OF,
    );
    expect(atLimit.byScore.grade).toBe("E");
    expect(atLimit.limits).toEqual([
      { kind: "trigger", id: "serious_violator", grade: "E", effect: "caps" },
      { kind: "ceiling", id: "serious_penalty_1y", grade: "B", effect: "none" },
    ]);
    expect(atLimit.blockedBy).toEqual(["serious_violator"]);
    expect(atLimit.nextGrade).toBeNull();
  });

  it("reads the same limits back from a stored result (its dimensions are stored before lowering)", () => {
    for (const input of [belowCeiling, heldByCeiling]) {
      const r = pub.evaluate(input, AS_OF);
      const e = explain(pub, input, AS_OF);
      const row = { ...r, ceiling: r.ceiling ?? null, asOf: AS_OF };
      expect(storedLimits(pub, row)).toEqual({ byScore: e.byScore, limits: e.limits });
      // a model no longer in force: only whether the score was lowered is known
      expect(storedLimits(undefined, row).limits.map((l) => l.effect)).toEqual(
        input === heldByCeiling ? ["sets"] : ["none"],
      );
    }
    // a stored score equal to its points was not lowered, whatever the bands now say
    const r = pub.evaluate(belowCeiling, AS_OF);
    const stale = storedLimits(
      { ...pub, cutoffs: () => ({ A: 500, B: 400, C: 300, D: 200 }) },
      { ...r, ceiling: r.ceiling ?? null, asOf: AS_OF },
    );
    expect(stale.byScore).toEqual({ score: 540, grade: "E" });
    expect(stale.limits[0]!.effect).toBe("none");
  });

  it("has no next grade for A or NR", () => {
    const young = { ...subject, registered_on: "2026-10-01" };
    expect(explain(pub, { subject: young, records: [] }, AS_OF).nextGrade).toBeNull();
  });
});
