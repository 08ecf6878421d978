import { describe, expect, it } from "vitest";
import { assignInspectors } from "./assign.ts";
import { problemsOf } from "./testing.ts";

describe("inspector assignment", () => {
  const inspector = (id: string, qualifications = ["food"], department = "SCJG") => ({
    id,
    department,
    qualifications,
  });

  it("pinned small cases: ring, window, load first then rank, cap, the least-loaded fill-in", () => {
    /*
     * Computed by hand from the rule (docs/draw-algorithm.md §5), hashes from `printf '%s' … | sha256sum`:
     * ring by SHA-256(S:ID): I3 4aca…, I4 96c2…, I2 ca97…, I1 d92a… ; cap = ceil(4 × 2 / 4) = 2.
     * X1: p = 3, window I1 I3 I4 I2 (all load 0), ranks 0c12 defb a34f 95f0 → I1, I2.
     * X2: p = 2, window I2 I1 I3 I4; I3 and I4 have load 0, ranks 7e82 0ca3 → I4, I3.
     * X3: p = 0, I1 in conflict; window I3 I4 I2, all load 1, ranks b71f 8d8c 02c0 → I2, I4 (both now at cap).
     * X4: p = 1, below cap only I1 and I3 (load 1), ranks 58cb ab46 → I1, I3.
     */
    const r = assignInspectors(
      [{ code: "X1" }, { code: "X2" }, { code: "X3" }, { code: "X4" }],
      [inspector("I1"), inspector("I2"), inspector("I3"), inspector("I4"), inspector("I5", ["fire"])],
      [{ inspectorId: "I1", subjectCode: "X3" }],
      "S",
      { perSubject: 2, requiredQualifications: ["food"] },
    );
    expect(r.assignments).toEqual([
      { code: "X1", inspectorIds: ["I1", "I2"] },
      { code: "X2", inspectorIds: ["I4", "I3"] },
      { code: "X3", inspectorIds: ["I2", "I4"] },
      { code: "X4", inspectorIds: ["I1", "I3"] },
    ]);
    expect(r.unassigned).toEqual([]);
    expect(r.cap).toBe(2);
    expect(r.load).toEqual({ I3: 2, I4: 2, I2: 2, I1: 2 });
    /*
     * Ring I3 (4aca…), I2 (ca97…), I1 (d92a…); cap 2; I3 in conflict with Y1 and Y2, so both take I1 and I2.
     * Y3: p = 0x4705ba5c6b84 mod 3 = 2 (I1); below cap only I3 → I3, then the least loaded of I1 and I2 (both 2),
     * nearest to p → I1, which goes one over the cap.
     */
    const fill = assignInspectors(
      [{ code: "Y1" }, { code: "Y2" }, { code: "Y3" }],
      [inspector("I1"), inspector("I2"), inspector("I3")],
      [
        { inspectorId: "I3", subjectCode: "Y1" },
        { inspectorId: "I3", subjectCode: "Y2" },
      ],
      "S",
      { perSubject: 2 },
    );
    expect(fill.assignments.map((a) => a.inspectorIds)).toEqual([
      ["I1", "I2"],
      ["I1", "I2"],
      ["I3", "I1"],
    ]);
    expect(fill.load).toEqual({ I3: 1, I2: 2, I1: 3 });
  });

  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ code: `S${String(i).padStart(6, "0")}` }));
  const staff = (n: number) => Array.from({ length: n }, (_, i) => inspector(`P${i}`));

  it("never assigns a conflicted inspector; loads stay at or under the cap and close together", () => {
    const subjects = many(3000);
    const inspectors = staff(37);
    const conflicts = subjects
      .filter((_, i) => i % 7 === 0)
      .flatMap((s, i) => [
        { inspectorId: `P${i % 37}`, subjectCode: s.code },
        { inspectorId: `P${(i * 5) % 37}`, subjectCode: s.code },
      ]);
    const r = assignInspectors(subjects, inspectors, conflicts, "seed", { perSubject: 2 });
    expect(r.unassigned).toEqual([]);
    const bad = new Set(conflicts.map((c) => `${c.inspectorId}|${c.subjectCode}`));
    for (const a of r.assignments) {
      expect(new Set(a.inspectorIds).size).toBe(2);
      for (const id of a.inspectorIds) expect(bad.has(`${id}|${a.code}`)).toBe(false);
    }
    const loads = Object.values(r.load);
    expect(loads.reduce((s, x) => s + x, 0)).toBe(6000);
    expect(r.cap).toBe(Math.ceil(6000 / 37));
    expect(Math.max(...loads)).toBeLessThanOrEqual(r.cap + 1);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(Math.ceil(r.cap * 0.05) + 1);
  });

  it("is reproducible and independent of the order of inspectors and conflicts", () => {
    const subjects = many(500);
    const inspectors = staff(20);
    const conflicts = [
      { inspectorId: "P3", subjectCode: "S000007" },
      { inspectorId: "P4", subjectCode: "S000007" },
      { inspectorId: "P9", subjectCode: "S000100" },
    ];
    const a = assignInspectors(subjects, inspectors, conflicts, "seed", { perSubject: 2 });
    const b = assignInspectors(subjects, [...inspectors].reverse(), [...conflicts].reverse(), "seed", {
      perSubject: 2,
    });
    expect(b).toEqual(a);
    const c = assignInspectors(subjects, inspectors, conflicts, "other seed", { perSubject: 2 });
    expect(c.assignments).not.toEqual(a.assignments);
  });

  it("subjects that cannot be staffed are unassigned, with the reason", () => {
    const few = assignInspectors([{ code: "X1" }], [inspector("I1")], [], "S", { perSubject: 2 });
    expect(few.assignments).toEqual([]);
    expect(few.unassigned[0]!.code).toBe("X1");
    expect(few.unassigned[0]!.reason.en).toContain("Only 1 qualified");
    const conflicted = assignInspectors(
      [{ code: "X1" }, { code: "X2" }],
      [inspector("I1"), inspector("I2"), inspector("I3")],
      [
        { inspectorId: "I1", subjectCode: "X1" },
        { inspectorId: "I2", subjectCode: "X1" },
      ],
      "S",
      { perSubject: 2 },
    );
    expect(conflicted.unassigned.map((u) => u.code)).toEqual(["X1"]);
    expect(conflicted.unassigned[0]!.reason.zh).toContain("回避");
    expect(conflicted.assignments.map((a) => a.code)).toEqual(["X2"]);
  });

  it("only inspectors of the department holding every required qualification are eligible", () => {
    const r = assignInspectors(
      many(40),
      [
        inspector("I1", ["food", "drugs"]),
        inspector("I2", ["food"]),
        inspector("I3", ["food", "drugs"]),
        inspector("I4", ["food", "drugs"], "ZJ"),
        inspector("I5", ["food", "drugs"]),
      ],
      [],
      "S",
      { perSubject: 2, requiredQualifications: ["food", "drugs"], department: "SCJG" },
    );
    expect(Object.keys(r.load).sort()).toEqual(["I1", "I3", "I5"]);
    expect(r.assignments.flatMap((a) => a.inspectorIds).every((id) => ["I1", "I3", "I5"].includes(id))).toBe(
      true,
    );
  });

  it("rejects duplicate inspectors or subjects and a bad perSubject", () => {
    expect(
      problemsOf(() =>
        assignInspectors([], [inspector("I1"), inspector("I1")], [], "S", { perSubject: 2 }),
      )[0]!.code,
    ).toBe("assign.inspector_duplicate");
    expect(
      problemsOf(() => assignInspectors([{ code: "X" }, { code: "X" }], [], [], "S", { perSubject: 2 }))[0]!
        .code,
    ).toBe("assign.subject_duplicate");
    expect(problemsOf(() => assignInspectors([], [], [], "S", { perSubject: 0 }))[0]!.code).toBe(
      "assign.per_subject",
    );
  });
});
