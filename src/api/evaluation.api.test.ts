import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolator } from "../core/records/testing.ts";
import { catalog } from "../policy/load.ts";
import { evaluate } from "../services/evaluate/run.ts";
import { currentEvaluation } from "../store/testing.ts";
import { insertTestSubject, openTestApp, type TestApp } from "./testing.ts";

let t: TestApp;
const code = "91350100M000100Y43";
beforeAll(async () => {
  t = await openTestApp();
  await insertTestSubject(t.store, code, "泉州某某食品有限公司", {
    industry_division: "14",
    registered_on: "2012-05-01",
  });
});
afterAll(async () => t.close());

const _as = (u: string) => ({ cookie: t.cookies[u]! });

describe("evaluation", () => {
  it("grades a subject, and an accepted record changes the stored grade at once (incremental)", async () => {
    await evaluate(t.store, catalog(), { asOf: "2026-11-29" });
    const before = (await currentEvaluation(t.store, code))!;
    const r = await t.call(
      "POST",
      "/records",
      "t-staff",
      seriousViolator(code, "泉市监严失〔2026〕1号", "2026-06-01"),
    );
    expect(r.statusCode).toBe(200);
    const after = (await currentEvaluation(t.store, code))!;
    expect(after.id).not.toBe(before.id);
    expect(after.grade).toBe("E");
    expect(JSON.parse(after.triggers).length).toBeGreaterThan(0);
    expect(after.input_digest).toMatch(/^[0-9a-f]{64}$/);
    const history = await t.store.db
      .selectFrom("evaluations")
      .select("is_current")
      .where("subject_code", "=", code)
      .where("model_id", "=", "public")
      .execute();
    expect(history.map((h) => h.is_current).sort()).toEqual([0, 1]);
  });

  it("explains the grade: indicators, records behind them, and what repair would do", async () => {
    const res = await t.call("GET", `/subjects/${code}/evaluation`, "t-insp");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const pub = body.models.find((m: { modelId: string }) => m.modelId === "public");
    expect(pub.grade).toBe("E");
    expect(pub.blockedBy.length).toBeGreaterThan(0);
    expect(pub.dimensions.length).toBeGreaterThan(0);
    expect(body.history.length).toBeGreaterThanOrEqual(2);
    const own = await t.call("GET", `/subjects/${code}/evaluation`, "t-ent");
    expect(own.statusCode).toBe(200);
    const other = await t.call("GET", "/subjects/92310115MA1LAG5R9M/evaluation", "t-ent");
    expect(other.statusCode).toBe(404);
  });

  it("gives the same result for the same inputs", async () => {
    const a = await evaluate(t.store, catalog(), { asOf: "2026-11-29" });
    const b = await evaluate(t.store, catalog(), { asOf: "2026-11-29" });
    expect(a.changed).toBe(0);
    expect(b.changed).toBe(0);
    expect(b.grades).toEqual(a.grades);
  });

  it("shows the grade distribution with coverage on the dashboard", async () => {
    const res = await t.call("GET", "/dashboard/grades?model=public&by=region", "t-city");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      coverage: { evaluated: 1, inScope: 1, registered: 1 },
      grades: { E: 1 },
    });
    expect(res.json().breakdown).toEqual([{ key: "350582", grade: "E", n: 1 }]);
    const unknown = await t.call("GET", "/dashboard/grades?model=nope", "t-city");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain("nope");
  });
});

describe("evaluation answers (the contract)", () => {
  it("are camelCase: the subject, the stored history and the repairs carry no database column names", async () => {
    const res = await t.call("GET", `/subjects/${code}/evaluation`, "t-insp");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.subject).toEqual({
      id: expect.any(Number),
      code,
      codeStatus: "valid",
      name: "泉州某某食品有限公司",
      type: "enterprise",
      industrySection: "C",
      industryDivision: "14",
      region: "350582",
      registeredOn: "2012-05-01",
      status: "存续",
      registeredCapital: 500,
    });
    expect(body.history[0]).toEqual({
      modelId: expect.any(String),
      modelVersion: expect.any(String),
      asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      score: expect.any(Number),
      grade: expect.stringMatching(/^([A-E]|NR)$/),
      firstEvaluatedAt: expect.any(String),
    });
    // the serious-violator listing of the first test: its end would lift the grade
    const repair = body.models.find((m: { modelId: string }) => m.modelId === "public").repairs[0];
    expect(repair).toMatchObject({ decisionDate: "2026-06-01", category: "SERIOUS_VIOLATOR" });
    expect(res.body).not.toMatch(/"[a-z0-9]+_[a-z0-9_]+":/);
  });

  it("keep a natural person's identity number masked, opened by id as the profile links", async () => {
    const number = "350582199003071238";
    const { id } = await t.store.db
      .insertInto("subjects")
      .values({
        code: number,
        code_status: "valid",
        name: "张某某",
        type: "natural_person",
        industry_section: null,
        industry_division: null,
        region: "350582",
        registered_on: null,
        status: "存续",
        registered_capital: null,
        created_at: "2026-01-01T00:00:00Z",
        updated_at: "2026-01-01T00:00:00Z",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const res = await t.call("GET", `/subjects/id:${id}/evaluation`, "t-insp");
    expect(res.statusCode).toBe(200);
    expect(res.json().subject).toMatchObject({ id: Number(id), code: "350582********1238", name: "张某某" });
    expect(res.body).not.toContain("19900307");
  });

  it("name each model's triggers and ceilings with the grade they give (GET /models)", async () => {
    const res = await t.call("GET", "/models", "t-staff");
    expect(res.statusCode).toBe(200);
    const pub = res.json().find((m: { id: string }) => m.id === "public");
    expect(pub).toMatchObject({ kind: "public", owner: "XYB", maxScore: expect.any(Number) });
    expect(pub.triggers[0]).toEqual({
      id: expect.any(String),
      zh: expect.any(String),
      en: expect.any(String),
      grade: expect.stringMatching(/^[DE]$/),
    });
    expect(pub.ceilings[0]).toEqual({
      id: expect.any(String),
      zh: expect.any(String),
      en: expect.any(String),
      maxGrade: expect.stringMatching(/^[BCD]$/),
    });
  });
});
