import { describe, expect, it } from "vitest";
import { loadGradeTables } from "../../policy/models.ts";
import { checkGradeTables, mapGrade, mapScore, otherGradesOf } from "./grades.ts";

const tables = loadGradeTables();

describe("grade tables", () => {
  it("are valid", () => expect(checkGradeTables(tables)).toEqual([]));

  it("map tax credit grades, keeping the original; M (new entity) is NR", () => {
    expect(mapGrade(tables, "tax", "A", "2026-04-20")).toEqual({
      source: "tax",
      original: "A",
      grade: "A",
      rule: "tax@2025-07-01",
    });
    expect(mapGrade(tables, "tax", "m", "2026-04-20")).toMatchObject({ original: "m", grade: "NR" });
    expect(mapGrade(tables, "tax", "C", "2024-04-20")).toMatchObject({ grade: "D", rule: "tax@2018-04-01" });
    expect(mapGrade(tables, "tax", "D", "2016-04-20")).toMatchObject({ grade: "E", rule: "tax@2014-10-01" });
    // M did not exist before 2018-04-01.
    expect(() => mapGrade(tables, "tax", "M", "2017-04-20")).toThrow(/not a grade in force/);
    expect(() => mapGrade(tables, "tax", "A", "2013-01-01")).toThrow(/no mapping in force/);
  });

  it("map SAMR risk classes A–D onto B–E", () => {
    expect(["A", "B", "C", "D"].map((g) => mapGrade(tables, "samr-risk", g, "2026-01-01").grade)).toEqual([
      "B",
      "C",
      "D",
      "E",
    ]);
  });

  it("map scores on another scale", () => {
    expect(
      [95, 90, 89.5, 80, 75, 60, 12].map((s) => mapScore(tables, "score-100", s, "2026-01-01").grade),
    ).toEqual(["A", "A", "B", "B", "C", "D", "E"]);
    expect(() => mapScore(tables, "score-100", 101, "2026-01-01")).toThrow(/outside/);
  });

  it("give models the unified grades, leaving NR out", () => {
    const mapped = [
      mapGrade(tables, "tax", "M", "2026-04-20"),
      mapGrade(tables, "samr-risk", "A", "2026-04-20"),
    ];
    expect(otherGradesOf(mapped)).toEqual([{ source: "samr-risk", grade: "B" }]);
  });

  it("band sets exist for every shipped model", () => {
    expect(tables.bands.sets.map((s) => s.id).sort()).toEqual([
      "public",
      "samr-food",
      "sthj-pollutant",
      "zj-construction",
    ]);
  });
});
