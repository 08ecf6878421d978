import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolator } from "../core/records/testing.ts";
import { catalog } from "../policy/load.ts";
import { measuresPolicy } from "../policy/measures.ts";
import { createToken } from "../services/auth/tokens.ts";
import { chinaToday } from "../services/collect/ingest.ts";
import { evaluate } from "../services/evaluate/run.ts";
import { openTestApp, type TestApp } from "./testing.ts";

let t: TestApp;
/** A food business (t-ent's own subject), a builder, a firm too new to rate, and one never evaluated. */
const FOOD = "91350100M000100Y43";
const BUILD = "91350582MA2XYW001Y";
const NEW = "91350582MA2XYW0022";
const LATE = "91350582MA2XYW0035";
const UNKNOWN = "92310115MA1LAG5R9M";
let token = "";

const as = (u: string) => ({ cookie: t.cookies[u]! });

function subject(code: string, name: string, section: string, division: string, registered: string) {
  return {
    code,
    code_status: "valid",
    name,
    type: "enterprise",
    industry_section: section,
    industry_division: division,
    region: "350582",
    registered_on: registered,
    status: "存续",
    registered_capital: 500,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  };
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await openTestApp();
  await t.store.db
    .insertInto("subjects")
    .values([
      subject(FOOD, "泉州某某食品有限公司", "C", "14", "2012-05-01"),
      subject(BUILD, "晋江某某建设工程有限公司", "E", "47", "2010-03-01"),
      subject(NEW, "晋江新开贸易有限公司", "F", "51", daysAgo(30)),
    ])
    .execute();
  await evaluate(t.store, catalog(), { asOf: chinaToday() });
  await t.store.db
    .insertInto("subjects")
    .values(subject(LATE, "晋江后登记有限公司", "F", "52", "2015-01-01"))
    .execute();
  const dadmin = { kind: "user", id: 2, name: "t-dadmin", role: "dept_admin", department: "SCJG" } as const;
  token = (
    await createToken(
      t.store,
      { ...dadmin, subjectCode: null },
      {
        name: "审批系统",
        department: "SCJG",
        scopes: ["credit_checks.create"],
        expiresInDays: 30,
      },
    )
  ).token;
});
afterAll(async () => t.close());

interface Applied {
  department: string;
  item: { id: string; scenario: string; model: string };
  measure: { id: string; kind: string };
  grade: string;
  modelId: string | null;
  basis: string;
  reason: { zh: string; en: string };
}

async function current(code: string) {
  const rows = await t.store.db
    .selectFrom("evaluations")
    .select(["model_id", "grade", "score"])
    .where("subject_code", "=", code)
    .where("is_current", "=", 1)
    .execute();
  return new Map(rows.map((r) => [r.model_id, r]));
}

/** What the shipped list says an item gets for a grade. */
function listed(department: string, item: string, grade: string): string[] {
  const list = measuresPolicy().lists.find((l) => l.department === department)!;
  const value = list.items.find((i) => i.id === item)!.measures.at(-1)!.value;
  return value[grade as keyof typeof value];
}

const of = (ms: Applied[], item: string) => ms.filter((m) => m.item.id === item).map((m) => m.measure.id);

async function measures(code: string, query = "", user = "t-staff") {
  const res = await t.app.inject({ url: `/api/v1/subjects/${code}/measures${query}`, headers: as(user) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    subject: { code: string };
    grades: { modelId: string; grade: string }[];
    measures: Applied[];
  };
}

describe("measures lists", () => {
  it("lists the lists in force: a department's own and the general one", async () => {
    const all = await t.call("GET", "/measures", "t-insp");
    expect(all.statusCode).toBe(200);
    expect(all.json().lists.map((l: { department: string }) => l.department)).toEqual([
      "SCJG",
      "STHJ",
      "XYB",
      "ZJ",
    ]);
    const zj = await t.call("GET", "/measures?department=zj", "t-zj");
    const body = zj.json();
    expect(body.lists.map((l: { department: string }) => l.department)).toEqual(["XYB", "ZJ"]);
    const permit = body.lists[1].items.find((i: { id: string }) => i.id === "construction_permit");
    expect(permit.legalBasis).toContain("建筑法");
    expect(permit.modelTitle.zh).toBe("住建·建筑施工行业信用评价");
    expect(Object.keys(permit.perGrade)).toEqual(["A", "B", "C", "D", "E", "NR"]);
    expect(body.scenarios.map((s: { id: string }) => s.id)).toContain("public_resource_trading");
    const before = await t.call("GET", "/measures?date=2021-05-31", "t-staff");
    expect(before.json().lists).toEqual([]);
  });
});

describe("a subject's measures", () => {
  it("follow its current grades, item by item, with the grade and model that decided and the reason", async () => {
    const grades = await current(FOOD);
    const food = grades.get("samr-food")!;
    const pub = grades.get("public")!;
    expect(food.grade).toMatch(/^[A-E]$/);
    const r = await measures(FOOD);
    expect(of(r.measures, "food_inspection")).toEqual(listed("SCJG", "food_inspection", food.grade));
    expect(of(r.measures, "market_random_inspection")).toEqual(
      listed("SCJG", "market_random_inspection", pub.grade),
    );
    expect(of(r.measures, "approval_services")).toEqual(listed("XYB", "approval_services", pub.grade));
    const m = r.measures.find((x) => x.item.id === "food_inspection")!;
    expect(m).toMatchObject({ grade: food.grade, modelId: "samr-food", basis: "own" });
    expect(m.reason.zh).toContain(`市场监管·食品经营行业信用评价 ${food.grade} 级（${food.score} 分）→ `);
    // no construction or environment grade: those items fall back to the public grade, and say so
    const permit = r.measures.find((x) => x.item.id === "construction_permit")!;
    expect(permit).toMatchObject({ grade: pub.grade, modelId: "public", basis: "fallback" });
    expect(permit.reason.zh).toContain("未参加住建·建筑施工行业信用评价，按公共信用综合评价");
    expect(r.grades.map((g) => g.modelId).sort()).toEqual(["public", "samr-food"]);
  });

  it("filter by scenario and department, and refuse an unknown scenario in both languages", async () => {
    const r = await measures(FOOD, "?scenario=administrative_approval&department=SCJG");
    expect(new Set(r.measures.map((m) => m.item.scenario))).toEqual(new Set(["administrative_approval"]));
    expect(new Set(r.measures.map((m) => m.department))).toEqual(new Set(["SCJG", "XYB"]));
    const bad = await t.app.inject({
      url: `/api/v1/subjects/${FOOD}/measures?scenario=licensing`,
      headers: { ...as("t-staff"), "accept-language": "en" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems[0]).toMatchObject({ code: "measures.scenario", field: "scenario" });
    expect(bad.json().message).toContain("No such scenario: licensing");
    expect(bad.json().problems[0].zh).toContain("没有这个应用场景");
  });

  it("give an unrated subject the NR measures with a reason saying so", async () => {
    const nr = await measures(NEW, "?scenario=supervision");
    expect((await current(NEW)).get("public")!.grade).toBe("NR");
    expect(of(nr.measures, "market_random_inspection")).toEqual(
      listed("SCJG", "market_random_inspection", "NR"),
    );
    expect(nr.measures.every((m) => m.grade === "NR" && m.basis === "none")).toBe(true);
    // both its food-business and its public result are NR
    const reason = (item: string) => nr.measures.find((m) => m.item.id === item)!.reason.zh;
    expect(reason("market_random_inspection")).toContain("公共信用综合评价暂不评级（信息不足）→ ");
    expect(reason("food_inspection")).toContain("市场监管·食品经营行业信用评价暂不评级（信息不足）→ ");
    const late = await measures(LATE, "?scenario=funding");
    expect(of(late.measures, "government_funding")).toEqual(listed("XYB", "government_funding", "NR"));
    expect(late.measures[0]!.reason).toMatchObject({
      zh: expect.stringContaining("暂无信用评价等级（未评级）→ "),
    });
    expect(late.measures[0]!.reason.en).toContain("No credit grade yet (not rated) → ");
  });

  it("answer 404 for an unknown subject, and for another firm's subject to an enterprise user", async () => {
    const res = await t.app.inject({
      url: `/api/v1/subjects/${UNKNOWN}/measures`,
      headers: { ...as("t-staff"), "accept-language": "en" },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain(`Subject ${UNKNOWN} does not exist`);
    expect(res.json().problems[0].zh).toContain("不存在");
    expect((await measures(FOOD, "", "t-ent")).measures.length).toBeGreaterThan(0);
    const other = await t.call("GET", `/subjects/${BUILD}/measures`, "t-ent");
    expect(other.statusCode).toBe(404);
    // by id, as the profile of a natural person (code masked) asks
    const { id } = await t.store.db
      .selectFrom("subjects")
      .select("id")
      .where("code", "=", BUILD)
      .executeTakeFirstOrThrow();
    expect((await measures(`id:${id}`)).subject).toMatchObject({ code: BUILD });
  });
});

describe("credit checks", () => {
  const check = (user: string | null, body: object, lang = "zh") =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/credit-checks",
      headers: {
        ...(user === null ? { authorization: `Bearer ${token}` } : as(user)),
        "accept-language": lang,
      },
      payload: body,
    });

  it("answers the grades, measures and reasons for the caller's department, and logs who and why", async () => {
    const res = await check("t-staff", {
      subject: FOOD,
      scenario: "supervision",
      purpose: "年度双随机抽查前核查",
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      caller: "t-staff",
      callerRole: "dept_staff",
      department: "SCJG",
      subjectCode: FOOD,
      scenario: { id: "supervision", zh: "日常监管" },
      purpose: "年度双随机抽查前核查",
    });
    expect(c.result.subject.name).toBe("泉州某某食品有限公司");
    expect(new Set(c.result.measures.map((m: Applied) => m.item.id))).toEqual(
      new Set(["food_inspection", "market_random_inspection"]),
    );
    expect(c.result.grades.map((g: { modelId: string }) => g.modelId).sort()).toEqual([
      "public",
      "samr-food",
    ]);
    expect(c.policy.lists.map((l: { department: string }) => l.department)).toEqual(["SCJG", "XYB"]);
    expect(c.policy.lists[0].digest).toMatch(/^[0-9a-f]{64}$/);
    const row = await t.store.db
      .selectFrom("credit_checks")
      .selectAll()
      .where("id", "=", c.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ caller: "t-staff", caller_role: "dept_staff", subject_code: FOOD });
    const audit = await t.store.db
      .selectFrom("audit_log")
      .select(["actor", "object", "result"])
      .where("action", "=", "credit_checks.create")
      .execute();
    expect(audit).toContainEqual({ actor: "t-staff", object: `#${c.id} ${FOOD} supervision`, result: "ok" });
  });

  it("serves an approval system through a token with the credit_checks.create scope", async () => {
    const res = await check(null, {
      subject: FOOD,
      scenario: "administrative_approval",
      purpose: "食品经营许可申请",
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ caller: "token:审批系统", callerRole: "token", department: "SCJG" });
    // the token may check, not read the log
    const logByToken = await t.app.inject({
      url: "/api/v1/credit-checks",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(logByToken.statusCode).toBe(403);
    const items = new Set(res.json().result.measures.map((m: Applied) => m.item.id));
    expect(items).toEqual(new Set(["food_licence", "approval_services"]));
    const zj = await check("t-zj", {
      subject: BUILD,
      scenario: "public_resource_trading",
      purpose: "投标资格审查",
    });
    expect(zj.statusCode).toBe(201);
    expect(new Set(zj.json().result.measures.map((m: Applied) => m.item.id))).toEqual(
      new Set(["public_resource_trading", "construction_bidding"]),
    );
    const bidding = zj.json().result.measures.find((m: Applied) => m.item.id === "construction_bidding");
    expect(bidding.modelId).toBe("zj-construction");
  });

  it("refuses a missing or short purpose, an unknown scenario and an unknown subject", async () => {
    const short = await check("t-staff", { subject: FOOD, scenario: "supervision", purpose: " 查 " }, "en");
    expect(short.statusCode).toBe(400);
    expect(short.json().problems[0]).toMatchObject({ code: "credit_check.purpose", field: "purpose" });
    expect(short.json().message).toContain("2 to 200 characters");
    const long = await check("t-staff", {
      subject: FOOD,
      scenario: "supervision",
      purpose: "查".repeat(201),
    });
    expect(long.statusCode).toBe(400);
    const missing = await check("t-staff", { subject: FOOD, scenario: "supervision" });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().problems[0].field).toBe("purpose");
    const scenario = await check("t-staff", { subject: FOOD, scenario: "nope", purpose: "核查一下" });
    expect(scenario.statusCode).toBe(400);
    expect(scenario.json().problems[0].code).toBe("measures.scenario");
    const unknown = await check(
      "t-staff",
      { subject: UNKNOWN, scenario: "supervision", purpose: "核查一下" },
      "en",
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain("does not exist");
    expect(unknown.json().problems[0].zh).toContain("不存在");
    const rows = await t.store.db.selectFrom("credit_checks").select("subject_code").execute();
    expect(rows.map((r) => r.subject_code)).not.toContain(UNKNOWN);
  });

  it("changes the measures when an accepted record changes the grade", async () => {
    const before = await measures(FOOD, "?scenario=supervision");
    expect(of(before.measures, "food_inspection")).not.toContain("strict_management");
    const r = await t.call(
      "POST",
      "/records",
      "t-staff",
      seriousViolator(FOOD, "泉市监严失〔2026〕9号", daysAgo(10)),
    );
    expect(r.statusCode, r.body).toBe(200);
    const grades = await current(FOOD);
    expect(grades.get("samr-food")!.grade).toBe("E");
    const after = await measures(FOOD, "?scenario=supervision");
    expect(of(after.measures, "food_inspection")).toEqual(listed("SCJG", "food_inspection", "E"));
    expect(of(after.measures, "food_inspection")).toContain("strict_management");
    const m = after.measures.find((x) => x.item.id === "food_inspection")!;
    // the listing sets the grade: the reason says so, with the grade the points would have given
    expect(m.reason.zh).toMatch(
      /E 级（\d+ 分；分数 \d+ 分可评 [A-D] 级，因“.+”（直接评为 E 级）降为 E 级）→ 列为重点监管对象/,
    );
    const c = await check("t-staff", {
      subject: FOOD,
      scenario: "supervision",
      purpose: "列入严重失信名单后复核",
    });
    expect(c.json().result.measures.every((x: Applied) => x.grade === "E")).toBe(true);
  });

  it("keeps the log append-only", async () => {
    await expect(t.store.db.updateTable("credit_checks").set({ purpose: "改写" }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(t.store.db.deleteFrom("credit_checks").execute()).rejects.toThrow(/append-only/);
  });
});

describe("the check log", () => {
  const log = async (user: string, query = "") => {
    const res = await t.app.inject({ url: `/api/v1/credit-checks${query}`, headers: as(user) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      items: { department: string; subjectCode: string; caller: string }[];
      total: number;
    };
  };

  it("shows the city credit office every check and a department its own", async () => {
    const all = await log("t-city");
    expect(all.total).toBe(4);
    expect(new Set(all.items.map((i) => i.department))).toEqual(new Set(["SCJG", "ZJ"]));
    const scjg = await log("t-insp");
    expect(scjg.total).toBe(3);
    expect(scjg.items.every((i) => i.department === "SCJG")).toBe(true);
    const zj = await log("t-zj");
    expect(zj.items.map((i) => i.subjectCode)).toEqual([BUILD]);
    expect((await log("t-city", `?subject=${BUILD}`)).total).toBe(1);
    expect((await log("t-staff", `?subject=${BUILD}`)).total).toBe(0);
    const paged = await log("t-city", "?limit=2&offset=1");
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBe(4);
  });

  it("shows the subject who checked it and why, and only its own checks", async () => {
    const res = await t.call("GET", "/self/credit-checks", "t-ent");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(3);
    expect(body.items.every((i: { subjectCode: string }) => i.subjectCode === FOOD)).toBe(true);
    expect(body.items.map((i: { purpose: string }) => i.purpose)).toContain("食品经营许可申请");
    expect(body.items[0]).toMatchObject({
      caller: "t-staff",
      department: "SCJG",
      scenario: { zh: "日常监管" },
    });
    const staff = await t.call("GET", "/self/credit-checks", "t-staff");
    expect(staff.statusCode).toBe(403);
  });
});

describe("checks logged before the grade's limits were recorded", () => {
  it("are still listed: their grades carry no byScore or limits (decision 14), and the log answers them as stored", async () => {
    const before = await log0("t-city");
    const grade = {
      modelId: "public",
      kind: "public",
      title: { zh: "公共信用综合评价", en: "Public credit evaluation" },
      version: "1",
      grade: "B",
      score: 850,
      asOf: "2026-12-01",
      triggers: [],
      ceiling: null,
    };
    await t.store.db
      .insertInto("credit_checks")
      .values({
        at: "2026-12-02T01:00:00.000Z",
        caller: "t-staff",
        caller_role: "dept_staff",
        department: "SCJG",
        subject_code: FOOD,
        scenario: "supervision",
        purpose: "旧版核查记录",
        result: JSON.stringify({
          subject: { name: "泉州某某食品有限公司", type: "enterprise" },
          date: "2026-12-02",
          grades: [grade],
          measures: [],
        }),
        policy_versions: JSON.stringify({
          lists: [
            { department: "SCJG", version: "1", file: "policy/measures/SCJG.yaml", digest: "0".repeat(64) },
          ],
          models: [{ id: "public", version: "1" }],
        }),
      })
      .execute();
    const after = await log0("t-city");
    expect(after.total).toBe(before.total + 1);
    const old = after.items.find((i) => i.purpose === "旧版核查记录")!;
    expect(old.result.grades).toEqual([grade]);
    const self = await t.call("GET", "/self/credit-checks", "t-ent");
    expect(self.statusCode, self.body).toBe(200);
  });
});

async function log0(user: string) {
  const res = await t.app.inject({ url: "/api/v1/credit-checks?limit=200", headers: as(user) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { purpose: string; result: { grades: unknown[] } }[]; total: number };
}
