import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawPool, parsePoolFile, parseRatios, poolDigest } from "../core/sampling/draw.ts";
import { loadDemo } from "../demo/load.ts";
import { catalog } from "../policy/load.ts";
import { evaluate } from "../services/evaluate/run.ts";
import { openTestApp, type TestApp } from "./testing.ts";

let t: TestApp;
const as = (u: string) => ({ cookie: t.cookies[u]! });
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await openTestApp();
  await loadDemo(t.store, { subjects: 1500, seed: "inspections-test", today: TODAY });
  await evaluate(t.store, catalog(), { asOf: TODAY });
}, 120_000);
afterAll(async () => t.close());

async function call(method: "GET" | "POST" | "PATCH", url: string, user: string, payload?: object) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: as(user),
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json(), raw: res };
}

describe("inspections", () => {
  let planId = "";
  let conflictSubject = "";
  let frozenCounts: unknown;

  it("keeps the inspector directory with qualifications, bound accounts and conflicts of interest", async () => {
    for (let i = 1; i <= 5; i++) {
      const r = await call("POST", "/inspectors", "t-dadmin", {
        id: `SCJG-00${i}`,
        name: `检查员${i}`,
        certificateNo: `35050000${i}`,
        qualifications: ["食品安全", "市场监管综合执法"],
        ...(i === 1 ? { username: "t-insp" } : {}),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const dup = await call("POST", "/inspectors", "t-dadmin", {
      id: "SCJG-001",
      name: "x",
      certificateNo: "1",
      qualifications: [],
    });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain("SCJG-001");
    // An account of another role cannot be bound.
    const wrongUser = await call("POST", "/inspectors", "t-dadmin", {
      id: "SCJG-009",
      name: "x",
      certificateNo: "1",
      username: "t-staff",
    });
    expect(wrongUser.status).toBe(400);
    // The staff may read, not manage.
    expect(
      (await call("POST", "/inspectors", "t-staff", { id: "SCJG-010", name: "x", certificateNo: "1" }))
        .status,
    ).toBe(403);
    const list = await call("GET", "/inspectors", "t-staff");
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([
      "SCJG-001",
      "SCJG-002",
      "SCJG-003",
      "SCJG-004",
      "SCJG-005",
    ]);
    expect(list.body.items[0].username).toBe("t-insp");
    // Another department sees none of them.
    expect((await call("GET", "/inspectors", "t-zj")).body.items).toEqual([]);
  });

  it("refuses a plan that would exempt good grades from sampling, naming the field", async () => {
    const r = await call("POST", "/inspection-plans", "t-staff", {
      title: "食品经营者抽查",
      items: ["食品安全日常监督检查"],
      ratiosBp: { A: 0 },
    });
    expect(r.status).toBe(400);
    expect(r.body.problems[0].field).toBe("ratiosBp.A");
    expect(r.body.problems[0].zh).toContain("A");
  });

  it("defines a plan with policy defaults and previews the counts per grade", async () => {
    const defaults = await call("GET", "/sampling/defaults", "t-staff");
    expect(defaults.body.ratiosBp).toMatchObject({ A: 300, B: 500, C: 1000, D: 3000, E: 10000 });
    expect(defaults.body.directoryTypes).not.toContain("natural_person");
    // A plan narrows the directory and never widens it: no natural persons, whatever it lists.
    const persons = await call("POST", "/inspection-plans/preview", "t-staff", {
      title: "自然人",
      items: ["x"],
      scope: { types: ["natural_person"] },
    });
    expect(persons.body.total.candidates).toBe(0);
    const r = await call("POST", "/inspection-plans", "t-staff", {
      title: "2026 年食品经营者“双随机”抽查",
      items: ["食品安全日常监督检查"],
      scope: { divisions: ["14", "51", "52", "62"] },
      ratiosBp: { A: 1000, B: 2000, C: 3000, D: 5000 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    planId = r.body.id;
    expect(r.body.status).toBe("draft");
    expect(r.body.settings.ratiosBp).toMatchObject({ A: 1000, B: 2000, C: 3000, D: 5000, E: 10000, NR: 500 });
    const p = await call("GET", `/inspection-plans/${planId}/preview`, "t-staff");
    expect(p.status).toBe(200);
    const total = p.body.total;
    expect(total.candidates).toBeGreaterThan(100);
    expect(total.candidates).toBe(total.pool + total.mustInspect + total.excluded);
    for (const s of p.body.strata)
      expect(s.drawn).toBe(Math.min(s.pool, Math.ceil((s.pool * s.ratioBp) / 10000)));
    // The wizard's preview, before the plan exists, counts the same.
    const draft = await call("POST", "/inspection-plans/preview", "t-staff", {
      title: "2026 年食品经营者“双随机”抽查",
      items: ["食品安全日常监督检查"],
      scope: { divisions: ["14", "51", "52", "62"] },
      ratiosBp: { A: 1000, B: 2000, C: 3000, D: 5000 },
    });
    expect(draft.body.total).toEqual(total);
    // Another department does not see the plan.
    expect((await call("GET", `/inspection-plans/${planId}`, "t-zj")).status).toBe(404);
    // No draw before the pool is frozen.
    const early = await call("POST", `/inspection-plans/${planId}/draw`, "t-staff", {
      seed: "20261207-123456",
    });
    expect(early.status).toBe(409);
  });

  it("freezes the pool and publishes its digest before any seed exists", async () => {
    const f = await call("POST", `/inspection-plans/${planId}/freeze`, "t-staff");
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    expect(f.body.status).toBe("frozen");
    expect(f.body.poolDigest).toMatch(/^[0-9a-f]{64}$/);
    expect((await call("POST", `/inspection-plans/${planId}/freeze`, "t-staff")).status).toBe(409);
    // Once frozen, the counts are those of the stored pool.
    frozenCounts = { strata: f.body.strata, total: f.body.total };
    const counts = await call("GET", `/inspection-plans/${planId}/preview`, "t-staff");
    expect({ strata: counts.body.strata, total: counts.body.total }).toEqual(frozenCounts);
    const pub = await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ poolDigest: f.body.poolDigest, seed: null, drawn: [] });
    const file = await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}/pool.csv` });
    expect(file.statusCode).toBe(200);
    expect(crypto.createHash("sha256").update(file.rawPayload).digest("hex")).toBe(f.body.poolDigest);
    expect(poolDigest(file.rawPayload)).toBe(f.body.poolDigest);
    conflictSubject = parsePoolFile(file.rawPayload)[0]!.code;
    // Conflicts declared now still count at the draw.
    const c = await call("POST", "/inspectors/SCJG-001/conflicts", "t-insp", {
      subjectCode: conflictSubject,
      reason: "近亲属在该企业任职",
    });
    expect(c.status).toBe(201);
  });

  it("draws with the seed entered now; anyone can replay the draw from the published pool file", async () => {
    const seed = "福彩3D 2026339期 5 8 1";
    const d = await call("POST", `/inspection-plans/${planId}/draw`, "t-staff", { seed });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ status: "drawn", seed, algorithm: "v1" });
    const pub = (await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}` })).json();
    const file = (await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}/pool.csv` }))
      .rawPayload;
    const replay = drawPool(parsePoolFile(file), pub.seed, parseRatios(pub.ratios));
    const random = pub.drawn.filter((x: { kind: string }) => x.kind === "random");
    expect(random.map((x: { code: string }) => x.code)).toEqual(replay.drawn.map((x) => x.code));
    expect(random.length).toBeGreaterThan(0);

    const tasks = await call("GET", `/inspection-tasks?planId=${planId}&limit=500`, "t-staff");
    expect(tasks.body.total).toBe(pub.drawn.length);
    for (const task of tasks.body.items) {
      if (task.status === "unassigned") continue;
      expect(task.inspectors.length).toBeGreaterThanOrEqual(2);
      if (task.subjectCode === conflictSubject)
        expect(task.inspectors.map((i: { id: string }) => i.id)).not.toContain("SCJG-001");
    }
    // A second draw is refused: the seed is fixed once.
    expect(
      (await call("POST", `/inspection-plans/${planId}/draw`, "t-staff", { seed: "another seed" })).status,
    ).toBe(409);
  });

  it("lets an assigned inspector enter a result that becomes a credit record and changes the grade", async () => {
    const mine = await call("GET", "/inspection-tasks?status=assigned", "t-insp");
    expect(mine.body.inspector).toBe("SCJG-001");
    expect(mine.body.total).toBeGreaterThan(0);
    const task = mine.body.items.find((x: { stratum: string }) => x.stratum !== "E") ?? mine.body.items[0];
    const before = await t.store.db
      .selectFrom("evaluations")
      .select(["score", "grade"])
      .where("subject_code", "=", task.subjectCode)
      .where("model_id", "=", "public")
      .where("is_current", "=", 1)
      .executeTakeFirst();
    const missing = await call("POST", `/inspection-tasks/${task.id}/result`, "t-insp", {
      outcome: "fail",
      inspectedOn: TODAY,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.problems[0].field).toBe("problems");
    const r = await call("POST", `/inspection-tasks/${task.id}/result`, "t-insp", {
      outcome: "fail",
      inspectedOn: TODAY,
      problems: "经营超过保质期的食品",
      followUp: "责令改正，立案调查",
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const record = await t.store.db
      .selectFrom("credit_records")
      .selectAll()
      .where("doc_no", "=", r.body.docNo)
      .where("is_current", "=", 1)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      category: "INSPECTION",
      department: "SCJG",
      subject_code: task.subjectCode,
    });
    expect(JSON.parse(record.fields)).toMatchObject({ result: "fail", items: "食品安全日常监督检查" });
    const after = r.body.grades.find((g: { model_id: string }) => g.model_id === "public");
    expect(before).toBeDefined();
    expect(after.score).toBeLessThan(before!.score);
    // Someone not assigned cannot enter it.
    const other = mine.body.items.length;
    expect(other).toBeGreaterThan(0);
    const notMine = (
      await call("GET", `/inspection-tasks?planId=${planId}&limit=500`, "t-staff")
    ).body.items.find(
      (x: { inspectors: { id: string }[] }) => !x.inspectors.some((i) => i.id === "SCJG-001"),
    );
    expect(notMine).toBeDefined();
    expect(
      (
        await call("POST", `/inspection-tasks/${notMine.id}/result`, "t-insp", {
          outcome: "pass",
          inspectedOn: TODAY,
        })
      ).status,
    ).toBe(404);
    // The result is public at once, and counted per grade.
    const pub = (await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}` })).json();
    expect(pub.drawn.find((x: { code: string }) => x.code === task.subjectCode).result.outcome).toBe("fail");
    const stats = await call("GET", `/inspection-plans/${planId}/stats`, "t-staff");
    const s = stats.body.strata.find((x: { stratum: string }) => x.stratum === task.stratum);
    expect(task.kind).toBe("random");
    expect(s).toMatchObject({ done: 1, withProblems: 1, problemRate: 1 });
    // The new inspection and grade do not change the frozen plan's counts.
    const counts = await call("GET", `/inspection-plans/${planId}/preview`, "t-staff");
    expect({ strata: counts.body.strata, total: counts.body.total }).toEqual(frozenCounts);
  });

  it("lists only published plans publicly", async () => {
    await call("POST", "/inspection-plans", "t-staff", { title: "草稿计划", items: ["登记事项"] });
    const pub = await t.app.inject({ url: "/api/v1/public/inspection-plans" });
    expect(pub.json().items.map((p: { id: string }) => p.id)).toEqual([planId]);
  });
});
