import { describe, expect, it } from "vitest";
import { poolFileBytes } from "./pool-file.ts";
import { type Candidate, type PlanRules, selectPool } from "./pool-rules.ts";
import { problemsOf } from "./testing.ts";

describe("pool rules", () => {
  const plan: PlanRules = {
    items: ["food-safety"],
    frequencyCapPerYear: { A: 1, B: 1, C: 2, D: null, NR: 1 },
    floorYears: 2,
    exclusionMonths: 3,
  };
  const cand = (code: string, stratum: string, inspections: [string, string[]][] = []): Candidate => ({
    code,
    stratum,
    inspections: inspections.map(([date, items]) => ({ date, items })),
  });
  const decide = (c: Candidate, asOf: string, p: PlanRules = plan) => {
    const r = selectPool([c], p, asOf);
    if (r.pool.length) return "pool";
    if (r.mustInspect.length) return "must";
    return r.excluded[0]!.reason;
  };

  it("same items within exclusionMonths → excluded; calendar months, month ends clamp", () => {
    // 2026-02-28 + 3 months = 2026-05-28 ≤ 2026-05-31: three months ago, no longer excluded.
    expect(decide(cand("X", "D", [["2026-02-28", ["food-safety"]]]), "2026-05-31")).toBe("pool");
    expect(decide(cand("X", "D", [["2026-03-01", ["food-safety"]]]), "2026-05-31")).toBe("recent_same_items");
    // 2024-02-29 + 3 months = 2024-05-29.
    expect(decide(cand("X", "D", [["2024-02-29", ["food-safety"]]]), "2024-05-28")).toBe("recent_same_items");
    expect(decide(cand("X", "D", [["2024-02-29", ["food-safety"]]]), "2024-05-29")).toBe("pool");
    // Other items do not exclude (but count towards the cap).
    expect(
      decide(
        cand("X", "D", [
          ["2026-05-01", ["fire"]],
          ["2025-01-01", ["food-safety"]],
        ]),
        "2026-05-31",
      ),
    ).toBe("pool");
    const r = selectPool([cand("X", "D", [["2026-05-01", ["food-safety"]]])], plan, "2026-05-31");
    expect(r.excluded[0]).toMatchObject({ reason: "recent_same_items" });
    expect(r.excluded[0]!.zh).toContain("2026-05-01");
    expect(r.excluded[0]!.en).toContain("within 3 months");
  });

  it("frequency cap per stratum over the last 12 months, any items; null or absent = no cap", () => {
    const once = (s: string): Candidate =>
      cand(`X${s}`, s, [
        ["2025-08-01", ["fire"]],
        ["2025-01-01", ["food-safety"]],
      ]);
    expect(decide(once("A"), "2026-05-31")).toBe("frequency_cap");
    expect(decide(once("B"), "2026-05-31")).toBe("frequency_cap");
    expect(decide(once("C"), "2026-05-31")).toBe("pool");
    expect(decide(once("D"), "2026-05-31")).toBe("pool");
    expect(decide(once("E"), "2026-05-31")).toBe("pool");
    const twice = cand("X", "C", [
      ["2025-08-01", ["fire"]],
      ["2026-01-05", ["tax"]],
      ["2025-01-01", ["food-safety"]],
    ]);
    expect(decide(twice, "2026-05-31")).toBe("frequency_cap");
    // 2025-05-31 + 1 year = 2026-05-31 ≤ as-of: outside the 12 months.
    expect(
      decide(
        cand("X", "A", [
          ["2025-05-31", ["fire"]],
          ["2025-01-01", ["food-safety"]],
        ]),
        "2026-05-31",
      ),
    ).toBe("pool");
    expect(
      decide(
        cand("X", "A", [
          ["2025-06-01", ["fire"]],
          ["2025-01-01", ["food-safety"]],
        ]),
        "2026-05-31",
      ),
    ).toBe("frequency_cap");
    const r = selectPool([once("A")], plan, "2026-05-31");
    expect(r.excluded[0]!.en).toContain("cap for A is 1");
  });

  it("floor: no inspection by the department, or the last one floorYears ago or more → must inspect", () => {
    expect(decide(cand("X", "A"), "2026-05-31")).toBe("must");
    // Any items count for the floor (the window above is about the same items).
    expect(decide(cand("X", "A", [["2025-01-01", ["fire"]]]), "2026-05-31")).toBe("pool");
    // 2024-05-31 + 2 years = 2026-05-31 ≤ as-of: due.
    expect(decide(cand("X", "B", [["2024-05-31", ["food-safety"]]]), "2026-05-31")).toBe("must");
    expect(decide(cand("X", "B", [["2024-06-01", ["food-safety"]]]), "2026-05-31")).toBe("pool");
    const r = selectPool(
      [cand("X", "B", [["2024-05-31", ["food-safety"]]]), cand("Y", "A")],
      plan,
      "2026-05-31",
    );
    expect(r.mustInspect).toEqual([
      { code: "X", stratum: "B", lastInspected: "2024-05-31" },
      { code: "Y", stratum: "A", lastInspected: null },
    ]);
    expect(r.pool).toEqual([]);
  });

  it("floor: a subject registered less than floorYears ago is not overdue yet", () => {
    expect(decide({ ...cand("X", "NR"), registeredOn: "2024-06-01" }, "2026-05-31")).toBe("pool");
    expect(decide({ ...cand("X", "NR"), registeredOn: "2024-05-31" }, "2026-05-31")).toBe("must");
    expect(decide({ ...cand("X", "NR"), registeredOn: null }, "2026-05-31")).toBe("must");
  });

  it("with the plan's department, the floor and the cap count its inspections; the window counts everyone's", () => {
    const dept: PlanRules = { ...plan, department: "SCJG" };
    const by = (department: string, date: string, items: string[]) => ({ date, items, department });
    // Another department's recent inspection does not satisfy the floor, nor count toward the cap.
    expect(
      decide({ ...cand("X", "A"), inspections: [by("ZJ", "2026-04-01", ["fire"])] }, "2026-05-31", dept),
    ).toBe("must");
    expect(
      decide(
        {
          ...cand("X", "A"),
          inspections: [by("ZJ", "2026-04-01", ["fire"]), by("SCJG", "2025-01-01", ["fire"])],
        },
        "2026-05-31",
        dept,
      ),
    ).toBe("pool");
    expect(
      decide({ ...cand("X", "A"), inspections: [by("SCJG", "2026-01-01", ["fire"])] }, "2026-05-31", dept),
    ).toBe("frequency_cap");
    // The same items by another department within the window: excluded.
    expect(
      decide(
        { ...cand("X", "A"), inspections: [by("ZJ", "2026-04-01", ["food-safety"])] },
        "2026-05-31",
        dept,
      ),
    ).toBe("recent_same_items");
  });

  it("precedence: the same-items window beats the floor, the floor beats the cap", () => {
    // Overdue (no inspection in 2 years) and at the cap: impossible with one list, so the floor shows on a
    // subject whose only inspections are older than the floor, however many.
    expect(
      decide(
        cand("X", "A", [
          ["2023-04-01", ["fire"]],
          ["2023-01-01", ["food-safety"]],
        ]),
        "2026-05-31",
      ),
    ).toBe("must");
    // A window longer than the floor: a subject inspected inside both is excluded, not due.
    const odd: PlanRules = { ...plan, floorYears: 1, exclusionMonths: 24 };
    expect(decide(cand("X", "A", [["2025-01-01", ["food-safety"]]]), "2026-05-31", odd)).toBe(
      "recent_same_items",
    );
  });

  it("0 turns the floor and the window off; inspections after the as-of date are ignored", () => {
    const off: PlanRules = { ...plan, floorYears: 0, exclusionMonths: 0 };
    expect(decide(cand("X", "D"), "2026-05-31", off)).toBe("pool");
    expect(decide(cand("X", "D", [["2026-05-30", ["food-safety"]]]), "2026-05-31", off)).toBe("pool");
    expect(decide(cand("X", "D", [["2026-06-01", ["food-safety"]]]), "2026-05-31", off)).toBe("pool");
    expect(
      decide(
        cand("X", "A", [
          ["2026-06-01", ["fire"]],
          ["2025-01-01", ["food-safety"]],
        ]),
        "2026-05-31",
      ),
    ).toBe("pool");
  });

  it("the pool comes out in code byte order, ready to freeze", () => {
    const cs = ["b1", "B2", "10", "9", "A"].map((c) => cand(c, "D", [["2025-12-01", ["food-safety"]]]));
    const r = selectPool(cs, plan, "2026-05-31");
    expect(r.pool.map((e) => e.code)).toEqual(["10", "9", "A", "B2", "b1"]);
    expect(poolFileBytes(r.pool).toString()).toBe("10,D\n9,D\nA,D\nB2,D\nb1,D\n");
  });

  it("rejects bad input with every problem named", () => {
    const ps = problemsOf(() =>
      selectPool(
        [cand("X", "F"), cand("Y", "A", [["2026-02-30", []]]), cand("Y", "A")],
        { items: [], frequencyCapPerYear: { A: 0, Q: 1 }, floorYears: -1, exclusionMonths: 1.5 },
        "2026-13-01",
      ),
    );
    expect(ps.map((p) => p.code)).toEqual([
      "plan.as_of",
      "plan.floor_years",
      "plan.exclusion_months",
      "plan.items",
      "plan.frequency_cap",
      "plan.frequency_cap",
      "pool.stratum",
      "plan.inspection_date",
      "pool.duplicate",
    ]);
  });
});
