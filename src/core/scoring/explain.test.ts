import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../policy/load.ts";
import { compileModel } from "./compile.ts";
import { explain } from "./explain.ts";
import { loadModels } from "./load.ts";
import type { EvalInput } from "./types.ts";

const catalog = loadCatalog();
const pub = compileModel(loadModels().find((d) => d.id === "public")!, catalog);
const subject: EvalInput["subject"] = {
  code: "91350582MA2XXXXX0X",
  type: "enterprise",
  status: "存续",
  registered_on: "2015-03-01",
  region: "350582",
  industry_section: "C",
  industry_division: "19",
};
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

  it("has no next grade for A or NR", () => {
    const young = { ...subject, registered_on: "2026-10-01" };
    expect(explain(pub, { subject: young, records: [] }, AS_OF).nextGrade).toBeNull();
  });
});
