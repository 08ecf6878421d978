/**
 * Measures and credit checks read what a trigger or ceiling does from the stored result (issue 9 part 4): a
 * ceiling the score is already under is not said to hold the grade down; one that does is, with the grade the
 * score would have given.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAFF } from "../../core/auth/testing.ts";
import { seriousViolator } from "../../core/records/testing.ts";
import type { RawRecord } from "../../core/records/validate.ts";
import { catalog } from "../../policy/load.ts";
import { openTestStore, type TestStore } from "../../store/testing.ts";
import { chinaToday, ingest } from "../collect/ingest.ts";
import { evaluate } from "../evaluate/run.ts";
import { measuresOfSubject, runCreditCheck } from "./measures.ts";

/** E by its points (a serious and a general penalty) under the ceiling "at most B" the serious one sets off. */
const BELOW = "91350582MA2XYW001Y";
/** B by its points, set to E by a serious-violator listing. */
const HELD = "91350582MA2XYW0022";
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

function subject(code: string, name: string) {
  return {
    code,
    code_status: "valid",
    name,
    type: "enterprise",
    industry_section: "F",
    industry_division: "51",
    region: "350582",
    registered_on: "2015-01-01",
    status: "存续",
    registered_capital: 500,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  };
}

const penalty = (code: string, doc: string, severity: string): RawRecord => ({
  category: "PENALTY",
  department: "SCJG",
  subject_code: code,
  doc_no: doc,
  decision_date: daysAgo(60),
  severity,
  penalty_type: "fine",
  legal_basis: "食品安全法第一百二十四条",
});

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
  await store.db
    .insertInto("subjects")
    .values([subject(BELOW, "晋江某某贸易有限公司"), subject(HELD, "晋江某某商贸有限公司")])
    .execute();
  const raw: RawRecord[] = [
    penalty(BELOW, "晋市监罚〔2026〕1号", "serious"),
    penalty(BELOW, "晋市监罚〔2026〕2号", "general"),
    { ...seriousViolator(HELD, "晋市监严失〔2026〕1号", daysAgo(30), "测试"), department: "SCJG" },
  ];
  const r = await ingest(store, catalog(), [raw.map((x, i) => ({ row: i + 1, raw: x }))], {
    channel: "rest",
    submitter: "test",
    department: "SCJG",
  });
  expect(r.status).toBe("committed");
  await evaluate(store, catalog(), { asOf: chinaToday() });
});
afterAll(async () => store.dispose());

async function publicGrade(code: string) {
  const m = await measuresOfSubject(store, catalog(), code);
  const g = m!.grades.find((x) => x.modelId === "public")!;
  const reasons = m!.measures.filter((x) => x.modelId === "public").map((x) => x.reason);
  return { g, reasons };
}

describe("measures read what a trigger or ceiling does from the stored result", () => {
  it("an E under the ceiling “at most B” is not said to be held down by it", async () => {
    const { g, reasons } = await publicGrade(BELOW);
    expect(g.grade).toBe("E");
    expect(g.byScore).toEqual({ score: g.score, grade: "E" });
    expect(g.ceiling?.id).toBe("serious_penalty_1y");
    expect(g.limits).toMatchObject([
      { kind: "ceiling", id: "serious_penalty_1y", grade: "B", effect: "none" },
    ]);
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) {
      expect(r.zh).toContain("（最高 B 级）目前不影响等级");
      expect(r.en).toContain("(at most B) does not change the grade now");
      expect(r.zh).not.toMatch(/降为|不能高于/);
    }
  });

  it("a grade set by a trigger says so, with the grade the score would have given", async () => {
    const { g, reasons } = await publicGrade(HELD);
    expect(g.grade).toBe("E");
    expect(g.byScore!.grade).not.toBe("E");
    expect(g.byScore!.score).toBeGreaterThan(g.score);
    expect(g.limits).toMatchObject([{ kind: "trigger", id: "serious_violator", grade: "E", effect: "sets" }]);
    for (const r of reasons) {
      expect(r.zh).toContain(
        `分数 ${g.byScore!.score} 分可评 ${g.byScore!.grade} 级，因“列入严重失信主体名单”`,
      );
      expect(r.en).toContain(`the score of ${g.byScore!.score} would give ${g.byScore!.grade}; held at E by`);
    }
  });

  it("a credit check answers and logs the same: no limit claimed for the ceiling the score is under", async () => {
    const actor = STAFF;
    const check = await runCreditCheck(store, catalog(), actor, {
      subject: BELOW,
      scenario: "supervision",
      purpose: "日常检查",
    });
    const pub = check!.result.grades.find((g) => g.modelId === "public")!;
    expect(pub.limits).toMatchObject([{ id: "serious_penalty_1y", effect: "none" }]);
    const reason = check!.result.measures.find((m) => m.modelId === "public")!.reason;
    expect(reason.zh).toContain("（最高 B 级）目前不影响等级");
    expect(reason.en).toContain("does not change the grade now");
  });
});
