import { describe, expect, it } from "vitest";
import { GRADES_OR_NR, type GradeOrNR } from "../grades.ts";
import { applicableMeasures, decidingGrade, gradeForItem, listsInForce, type SubjectGrade } from "./match.ts";
import type { MeasureList } from "./schema.ts";

const TITLES = {
  public: { zh: "公共信用综合评价", en: "Public credit comprehensive evaluation" },
  food: { zh: "食品经营行业信用评价", en: "Food business evaluation" },
};

function grade(modelId: "public" | "food", g: GradeOrNR, score: number, extra: Partial<SubjectGrade> = {}) {
  return {
    modelId,
    kind: modelId === "public" ? "public" : "industry",
    title: TITLES[modelId],
    version: "1",
    grade: g,
    score,
    asOf: "2026-06-01",
    triggers: [],
    ceiling: null,
    byScore: null,
    limits: [],
    ...extra,
  } satisfies SubjectGrade;
}

/** A department list whose inspection item changes its D measures on 2026-01-01, and a list for all departments. */
const LISTS: MeasureList[] = [
  {
    department: "SCJG",
    version: "2",
    title_zh: "市场监管清单",
    title_en: "Market list",
    applies_to: "own_department",
    effective_from: "2021-06-01",
    source: "s",
    sources: { s: "test" },
    file: "policy/measures/SCJG.yaml",
    digest: "x",
    measures: [
      { id: "fewer", zh: "降低频次", en: "Fewer inspections", kind: "incentive", scenarios: ["supervision"] },
      { id: "routine", zh: "常规抽查", en: "Routine", kind: "neutral", scenarios: ["supervision"] },
      { id: "key", zh: "重点监管", en: "Close supervision", kind: "constraint", scenarios: ["supervision"] },
      { id: "more", zh: "提高频次", en: "More inspections", kind: "constraint", scenarios: ["supervision"] },
      {
        id: "fast",
        zh: "告知承诺",
        en: "Commitment",
        kind: "incentive",
        scenarios: ["administrative_approval"],
      },
    ],
    items: [
      {
        id: "inspect",
        zh: "食品检查",
        en: "Food inspections",
        legal_basis: "食品安全法第一百一十三条",
        scenario: "supervision",
        model: "food",
        measures: [
          {
            from: "2021-06-01",
            to: "2025-12-31",
            source: "s",
            value: {
              A: ["fewer"],
              B: ["fewer"],
              C: ["routine"],
              D: ["key"],
              E: ["key", "more"],
              NR: ["routine"],
            },
          },
          {
            from: "2026-01-01",
            source: "s",
            value: {
              A: ["fewer"],
              B: ["fewer"],
              C: ["routine"],
              D: ["key", "more"],
              E: ["key", "more"],
              NR: ["routine"],
            },
          },
        ],
      },
      {
        id: "licence",
        zh: "许可",
        en: "Licence",
        legal_basis: "食品安全法第三十五条",
        scenario: "administrative_approval",
        model: "food",
        measures: [
          { from: "2021-06-01", source: "s", value: { A: ["fast"], B: [], C: [], D: [], E: [], NR: [] } },
        ],
      },
    ],
  },
  {
    department: "XYB",
    version: "1",
    title_zh: "通用清单",
    title_en: "General list",
    applies_to: "all_departments",
    effective_from: "2022-01-01",
    effective_to: "2030-12-31",
    source: "s",
    sources: { s: "test" },
    file: "policy/measures/XYB.yaml",
    digest: "y",
    measures: [
      { id: "limit", zh: "限制评优", en: "No honours", kind: "constraint", scenarios: ["honours"] },
      { id: "first", zh: "优先推荐", en: "Put forward first", kind: "incentive", scenarios: ["honours"] },
    ],
    items: [
      {
        id: "honours",
        zh: "评优评先",
        en: "Honours",
        legal_basis: "国发〔2016〕33号",
        scenario: "honours",
        model: "public",
        measures: [
          {
            from: "2022-01-01",
            source: "s",
            value: { A: ["first"], B: [], C: [], D: ["limit"], E: ["limit"], NR: [] },
          },
        ],
      },
    ],
  },
];

const ids = (r: ReturnType<typeof applicableMeasures>) =>
  r.measures.map((m) => `${m.item.id}:${m.measure.id}`);

describe("listsInForce", () => {
  it("takes a department's own lists and those for all departments, on both sides of their dates", () => {
    expect(listsInForce(LISTS, "2021-05-31").map((l) => l.department)).toEqual([]);
    expect(listsInForce(LISTS, "2021-06-01").map((l) => l.department)).toEqual(["SCJG"]);
    expect(listsInForce(LISTS, "2021-12-31", "SCJG").map((l) => l.department)).toEqual(["SCJG"]);
    expect(listsInForce(LISTS, "2022-01-01", "SCJG").map((l) => l.department)).toEqual(["SCJG", "XYB"]);
    expect(listsInForce(LISTS, "2022-01-01", "ZJ").map((l) => l.department)).toEqual(["XYB"]);
    expect(listsInForce(LISTS, "2030-12-31", "ZJ").map((l) => l.department)).toEqual(["XYB"]);
    expect(listsInForce(LISTS, "2031-01-01", "ZJ").map((l) => l.department)).toEqual([]);
  });
});

describe("applicableMeasures", () => {
  const base = { date: "2026-06-01", modelTitles: TITLES };

  it("gives every grade its measures, from the item's own model", () => {
    const expected: Record<GradeOrNR, string[]> = {
      A: ["inspect:fewer"],
      B: ["inspect:fewer"],
      C: ["inspect:routine"],
      D: ["inspect:key", "inspect:more"],
      E: ["inspect:key", "inspect:more"],
      NR: ["inspect:routine"],
    };
    for (const g of GRADES_OR_NR) {
      const r = applicableMeasures(LISTS, {
        ...base,
        scenario: "supervision",
        grades: [grade("public", "A", 950), grade("food", g, 500)],
      });
      // NR under the food model falls back to the public A
      expect(ids(r), g).toEqual(g === "NR" ? expected.A : expected[g]);
      expect(r.measures.every((m) => m.basis === (g === "NR" ? "fallback" : "own"))).toBe(true);
    }
  });

  it("uses the value in force: D gets more inspections from 2026-01-01, not the day before", () => {
    const grades = [grade("food", "D", 610)];
    const before = applicableMeasures(LISTS, {
      ...base,
      date: "2025-12-31",
      scenario: "supervision",
      grades,
    });
    const after = applicableMeasures(LISTS, { ...base, date: "2026-01-01", scenario: "supervision", grades });
    expect(ids(before)).toEqual(["inspect:key"]);
    expect(ids(after)).toEqual(["inspect:key", "inspect:more"]);
  });

  it("says which grade and model triggered each measure", () => {
    const r = applicableMeasures(LISTS, {
      ...base,
      scenario: "supervision",
      grades: [grade("public", "B", 780), grade("food", "D", 610)],
    });
    expect(r.measures[0]).toMatchObject({
      department: "SCJG",
      listVersion: "2",
      grade: "D",
      modelId: "food",
      score: 610,
      basis: "own",
      measure: { id: "key", kind: "constraint" },
      item: { id: "inspect", legalBasis: "食品安全法第一百一十三条" },
      reason: {
        zh: "食品经营行业信用评价 D 级（610 分）→ 重点监管",
        en: "Food business evaluation grade D (610 points) → Close supervision",
      },
    });
    expect(r.grades.map((g) => g.modelId)).toEqual(["food"]);
  });

  it("falls back to the public grade when the subject has none under the item's model, and says so", () => {
    const r = applicableMeasures(LISTS, { ...base, grades: [grade("public", "D", 610)] });
    expect(ids(r)).toEqual(["inspect:key", "inspect:more", "honours:limit"]);
    expect(r.measures[0]!.basis).toBe("fallback");
    expect(r.measures[0]!.reason.zh).toBe(
      "未参加食品经营行业信用评价，按公共信用综合评价 D 级（610 分）→ 重点监管",
    );
    expect(r.measures[2]!.reason.zh).toBe("公共信用综合评价 D 级（610 分）→ 限制评优");
    expect(r.grades.map((g) => g.modelId)).toEqual(["public"]);
  });

  it("says a trigger or ceiling holds the grade down only when it does (issue 9)", () => {
    const violator = { id: "violator", zh: "列入严重违法失信名单", en: "on the serious violators list" };
    const tax = { id: "tax", zh: "纳税信用 D 级", en: "tax grade D" };
    const honours = (g: SubjectGrade) =>
      applicableMeasures(LISTS, { ...base, scenario: "honours", grades: [g] }).measures[0]!.reason;
    // held down: the points give C, the trigger sets E
    expect(
      honours(
        grade("public", "E", 599, {
          triggers: [violator],
          byScore: { score: 720, grade: "C" },
          limits: [{ kind: "trigger", grade: "E", effect: "sets", ...violator }],
        }),
      ),
    ).toEqual({
      zh: "公共信用综合评价 E 级（599 分；分数 720 分可评 C 级，因“列入严重违法失信名单”（直接评为 E 级）降为 E 级）→ 限制评优",
      en: "Public credit comprehensive evaluation grade E (599 points; the score of 720 would give C; held at E by “on the serious violators list” (graded E directly)) → No honours",
    });
    // the reproduction: E by the points, a ceiling of B — it does not hold anything down
    const below = honours(
      grade("public", "E", 540, {
        ceiling: tax,
        byScore: { score: 540, grade: "E" },
        limits: [{ kind: "ceiling", grade: "B", effect: "none", ...tax }],
      }),
    );
    expect(below).toEqual({
      zh: "公共信用综合评价 E 级（540 分；“纳税信用 D 级”（最高 B 级）目前不影响等级）→ 限制评优",
      en: "Public credit comprehensive evaluation grade E (540 points; “tax grade D” (at most B) does not change the grade now) → No honours",
    });
    expect(below.zh).not.toMatch(/降为|不能高于/);
    // a stricter condition sets the grade, another also holds it down; one at the score's own grade caps it
    expect(
      honours(
        grade("public", "E", 599, {
          triggers: [violator],
          ceiling: tax,
          byScore: { score: 820, grade: "B" },
          limits: [
            { kind: "trigger", grade: "E", effect: "sets", ...violator },
            { kind: "ceiling", grade: "C", effect: "also", ...tax },
          ],
        }),
      ).en,
    ).toBe(
      "Public credit comprehensive evaluation grade E (599 points; the score of 820 would give B; held at E by “on the serious violators list” (graded E directly); “tax grade D” (at most C) also holds it down) → No honours",
    );
    expect(
      honours(
        grade("public", "E", 540, {
          triggers: [violator],
          byScore: { score: 540, grade: "E" },
          limits: [{ kind: "trigger", grade: "E", effect: "caps", ...violator }],
        }),
      ).zh,
    ).toBe(
      "公共信用综合评价 E 级（540 分；“列入严重违法失信名单”（直接评为 E 级）使等级不能高于 E 级，分数提高也不会升级）→ 限制评优",
    );
  });

  it("gives an unrated subject the NR measures with a reason saying it is not rated", () => {
    const none = applicableMeasures(LISTS, { ...base, scenario: "supervision", grades: [] });
    expect(ids(none)).toEqual(["inspect:routine"]);
    expect(none.measures[0]).toMatchObject({ grade: "NR", basis: "none", modelId: null, score: null });
    expect(none.measures[0]!.reason).toEqual({
      zh: "暂无信用评价等级（未评级）→ 常规抽查",
      en: "No credit grade yet (not rated) → Routine",
    });
    expect(none.grades).toEqual([]);
    const nr = applicableMeasures(LISTS, {
      ...base,
      scenario: "supervision",
      grades: [grade("public", "NR", 0), grade("food", "NR", 0)],
    });
    expect(nr.measures[0]!.reason.zh).toBe("食品经营行业信用评价暂不评级（信息不足）→ 常规抽查");
  });

  it("filters by scenario and department", () => {
    const grades = [grade("public", "A", 950), grade("food", "A", 900)];
    expect(ids(applicableMeasures(LISTS, { ...base, grades, scenario: "administrative_approval" }))).toEqual([
      "licence:fast",
    ]);
    expect(ids(applicableMeasures(LISTS, { ...base, grades, department: "ZJ" }))).toEqual(["honours:first"]);
    expect(ids(applicableMeasures(LISTS, { ...base, grades, department: "SCJG" }))).toEqual([
      "inspect:fewer",
      "licence:fast",
      "honours:first",
    ]);
  });
});

describe("gradeForItem", () => {
  it("does not fall back from the public model to itself", () => {
    expect(gradeForItem({ model: "public" }, [grade("public", "NR", 0)])).toMatchObject({
      grade: "NR",
      basis: "none",
    });
    expect(
      gradeForItem({ model: "food" }, [grade("food", "NR", 0), grade("public", "C", 700)]),
    ).toMatchObject({
      grade: "C",
      basis: "fallback",
      own: { modelId: "food" },
    });
  });
});

describe("decidingGrade", () => {
  it("takes the model's grade, else the public one, else NR", () => {
    expect(decidingGrade("C", "A")).toBe("C");
    expect(decidingGrade("NR", "B")).toBe("B");
    expect(decidingGrade(null, "D")).toBe("D");
    expect(decidingGrade(null, "NR")).toBe("NR");
    expect(decidingGrade(undefined, null)).toBe("NR");
  });
});
