import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawPool, parseRatios, seedDigest } from "../core/sampling/draw.ts";
import { parsePoolFile, poolDigest } from "../core/sampling/pool-file.ts";
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

const SEED = "福彩3D 2026339期 5 8 1";
const TOMORROW = new Date(Date.now() + 32 * 3_600_000).toISOString().slice(0, 10);

/** Every drawn subject of a plan's public page, read a page at a time. */
async function publicDrawn(planId: string, limit = 7) {
  const all: { seq: number; code: string; kind: string; result: { outcome: string } | null }[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = (
      await t.app.inject({
        url: `/api/v1/public/inspection-plans/${planId}/drawn?limit=${limit}&offset=${offset}`,
      })
    ).json();
    expect(page.items.length).toBeLessThanOrEqual(limit);
    all.push(...page.items);
    if (offset + limit >= page.total) {
      expect(all.length).toBe(page.total);
      return all;
    }
  }
}

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

  it("freezes the pool and publishes its digest and the seed commitment before any seed is known", async () => {
    // No freeze without a commitment: the seed must be fixed before anyone has seen the pool.
    const none = await call("POST", `/inspection-plans/${planId}/freeze`, "t-staff");
    expect(none.status).toBe(400);
    expect(none.body.problems[0]).toMatchObject({ code: "plan.commitment", field: "commitment" });
    expect(none.body.problems[0].zh).toMatch(/承诺/);
    for (const [commitment, field] of [
      [{ kind: "sha256", digest: "abc" }, "commitment.digest"],
      [
        { kind: "public-value", description: "福彩3D 开奖号码", availableOn: TODAY },
        "commitment.availableOn",
      ],
      [{ kind: "public-value", description: "x", availableOn: TOMORROW }, "commitment.description"],
      [{ kind: "dice" }, "commitment.kind"],
    ] as const) {
      const r = await call("POST", `/inspection-plans/${planId}/freeze`, "t-staff", { commitment });
      expect(r.status, field).toBe(400);
      expect(r.body.problems[0].field).toBe(field);
    }
    expect((await call("GET", `/inspection-plans/${planId}`, "t-staff")).body.status).toBe("draft");
    // The department keeps the seed sealed and publishes its SHA-256 (the browser computes it locally).
    const digest = seedDigest(SEED);
    const f = await call("POST", `/inspection-plans/${planId}/freeze`, "t-staff", {
      commitment: { kind: "sha256", digest: digest.toUpperCase() },
    });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    expect(f.body.status).toBe("frozen");
    expect(f.body.poolDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(f.body.seedCommitment).toEqual({ kind: "sha256", digest });
    expect(f.body.committedAt).toBe(f.body.frozenAt);
    expect(
      (
        await call("POST", `/inspection-plans/${planId}/freeze`, "t-staff", {
          commitment: { kind: "sha256", digest },
        })
      ).status,
    ).toBe(409);
    // The commitment cannot be replaced once published.
    const again = await call("POST", `/inspection-plans/${planId}/commitment`, "t-staff", {
      commitment: { kind: "public-value", description: "上证指数收盘点位", availableOn: TOMORROW },
    });
    expect(again.status).toBe(409);
    // Once frozen, the counts are those of the stored pool.
    frozenCounts = { strata: f.body.strata, total: f.body.total };
    const counts = await call("GET", `/inspection-plans/${planId}/preview`, "t-staff");
    expect({ strata: counts.body.strata, total: counts.body.total }).toEqual(frozenCounts);
    const pub = await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({
      poolDigest: f.body.poolDigest,
      seedCommitment: { kind: "sha256", digest },
      seed: null,
      drawnCount: { random: 0, must: 0 },
    });
    // The page itself never lists the drawn subjects: those come a page at a time.
    expect(pub.json()).not.toHaveProperty("drawn");
    expect((await publicDrawn(planId)).length).toBe(0);
    const listed = (await t.app.inject({ url: "/api/v1/public/inspection-plans" })).json();
    expect(listed.items[0].seedCommitment).toEqual({ kind: "sha256", digest });
    expect(
      (await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}/draw.txt` })).statusCode,
    ).toBe(409);
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

  it("refuses any seed but the committed one: 422 in zh and en, audited, the plan still frozen", async () => {
    // Another draw's numbers, and the same text with a full-width digit: nothing is normalised.
    for (const seed of ["福彩3D 2026339期 5 8 2", "福彩３D 2026339期 5 8 1"]) {
      const r = await call("POST", `/inspection-plans/${planId}/draw`, "t-staff", { seed });
      expect(r.status, seed).toBe(422);
      expect(r.body.problems[0]).toMatchObject({ code: "draw.commitment_mismatch", field: "seed" });
      expect(r.body.problems[0].zh).toContain(seedDigest(SEED));
      expect(r.body.problems[0].en).toContain(seedDigest(seed));
      const en = await t.app.inject({
        method: "POST",
        url: `/api/v1/inspection-plans/${planId}/draw`,
        headers: { ...as("t-staff"), "accept-language": "en" },
        payload: { seed },
      });
      expect(en.json().message).toMatch(/^The seed does not match the commitment/);
    }
    const refused = await t.store.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "plan.draw")
      .where("result", "=", "failed")
      .execute();
    expect(refused.length).toBe(4);
    expect(refused[0]!.object).toContain(`${planId} refused draw.commitment_mismatch seed-sha256=`);
    expect(refused[0]!.actor).toBe("t-staff");
    expect((await call("GET", `/inspection-plans/${planId}`, "t-staff")).body).toMatchObject({
      status: "frozen",
      seed: null,
    });
    expect(
      await t.store.db.selectFrom("inspection_tasks").select("id").where("plan_id", "=", planId).execute(),
    ).toEqual([]);
  });

  it("draws with the committed seed; anyone can replay the draw from the published pool file", async () => {
    const seed = SEED;
    const d = await call("POST", `/inspection-plans/${planId}/draw`, "t-staff", { seed });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ status: "drawn", seed, algorithm: "v1" });
    const pub = (await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}` })).json();
    const file = (await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}/pool.csv` }))
      .rawPayload;
    const replay = drawPool(parsePoolFile(file), pub.seed, parseRatios(pub.ratios));
    const drawn = await publicDrawn(planId);
    const random = drawn.filter((x) => x.kind === "random");
    expect(random.map((x) => x.code)).toEqual(replay.drawn.map((x) => x.code));
    expect(random.length).toBeGreaterThan(0);
    expect(pub.drawnCount).toEqual({ random: random.length, must: drawn.length - random.length });
    // Pages are consecutive slices of the published order, whatever their size.
    expect(drawn.map((x) => x.seq)).toEqual(drawn.map((_, i) => i + 1));
    expect((await publicDrawn(planId, 500)).map((x) => x.code)).toEqual(drawn.map((x) => x.code));
    const tooBig = await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}/drawn?limit=501` });
    expect(tooBig.statusCode).toBe(400);
    const past = (
      await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}/drawn?offset=${drawn.length}` })
    ).json();
    expect(past).toEqual({ total: drawn.length, items: [] });
    // The published draw is byte for byte what credit draw verify prints: digest, then the codes.
    const text = await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}/draw.txt` });
    expect(text.statusCode).toBe(200);
    expect(text.headers["content-disposition"]).toContain(`draw-${planId}.txt`);
    const expected = `${[pub.poolDigest, ...replay.drawn.map((x) => x.code)].join("\n")}\n`;
    expect(text.body).toBe(expected);
    // Asked again (now from memory), the same bytes.
    expect((await t.app.inject({ url: `/api/v1/public/inspection-plans/${planId}/draw.txt` })).body).toBe(
      expected,
    );

    const tasks = await call("GET", `/inspection-tasks?planId=${planId}&limit=500`, "t-staff");
    expect(tasks.body.total).toBe(drawn.length);
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
    const after = r.body.grades.find((g: { modelId: string }) => g.modelId === "public");
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
    const published = await publicDrawn(planId);
    expect(published.find((x) => x.code === task.subjectCode)?.result?.outcome).toBe("fail");
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
    // Only what the public page shows: not the settings, nor who created the plan.
    expect(Object.keys(pub.json().items[0]).sort()).toEqual(
      ["department", "drawnAt", "frozenAt", "id", "poolDigest", "seedCommitment", "status", "title"].sort(),
    );
  });

  const small = { title: "小型抽查", items: ["食品安全日常监督检查"], scope: { divisions: ["14"] } };

  it("draws a plan committed to a future public value only from the day the value is published", async () => {
    const id = (await call("POST", "/inspection-plans", "t-staff", small)).body.id;
    const commitment = {
      kind: "public-value",
      description: "福彩3D 第2026340期开奖号码，三个数字以空格分隔",
      availableOn: TOMORROW,
    };
    const f = await call("POST", `/inspection-plans/${id}/freeze`, "t-staff", { commitment });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    const pub = (await t.app.inject({ url: `/api/v1/public/inspection-plans/${id}` })).json();
    expect(pub.seedCommitment).toEqual(commitment);
    const early = await call("POST", `/inspection-plans/${id}/draw`, "t-staff", { seed: "3 0 7" });
    expect(early.status).toBe(422);
    expect(early.body.problems[0]).toMatchObject({ code: "draw.too_early", field: "seed" });
    expect(early.body.problems[0].zh).toContain(TOMORROW);
    expect(early.body.problems[0].en).toContain(commitment.description);
    const audited = await t.store.db
      .selectFrom("audit_log")
      .select("object")
      .where("action", "=", "plan.draw")
      .where("result", "=", "failed")
      .where("object", "like", `${id} refused draw.too_early%`)
      .execute();
    expect(audited.length).toBe(1);
    // The day comes (the stored date moved back instead of the clock forward): the value is entered and drawn.
    await t.store.db
      .updateTable("inspection_plans")
      .set({ seed_commitment: JSON.stringify({ ...commitment, availableOn: TODAY }) })
      .where("id", "=", id)
      .execute();
    const d = await call("POST", `/inspection-plans/${id}/draw`, "t-staff", { seed: "3 0 7" });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ status: "drawn", seed: "3 0 7" });
  });

  it("makes a plan frozen before commitments existed commit to a future public value before its draw", async () => {
    const id = (await call("POST", "/inspection-plans", "t-staff", small)).body.id;
    const f = await call("POST", `/inspection-plans/${id}/freeze`, "t-staff", {
      commitment: { kind: "sha256", digest: seedDigest("sealed") },
    });
    expect(f.status).toBe(200);
    // As migration 008 leaves a plan frozen before it.
    await t.store.db
      .updateTable("inspection_plans")
      .set({ seed_commitment: null, committed_at: null })
      .where("id", "=", id)
      .execute();
    expect((await t.app.inject({ url: `/api/v1/public/inspection-plans/${id}` })).json().seedCommitment).toBe(
      null,
    );
    const refused = await call("POST", `/inspection-plans/${id}/draw`, "t-staff", { seed: "sealed" });
    expect(refused.status).toBe(422);
    expect(refused.body.problems[0].code).toBe("draw.no_commitment");
    // Its pool is public now: a sealed seed chosen now could be tried against it.
    const sealed = await call("POST", `/inspection-plans/${id}/commitment`, "t-staff", {
      commitment: { kind: "sha256", digest: seedDigest("sealed") },
    });
    expect(sealed.status).toBe(400);
    expect(sealed.body.problems[0].field).toBe("commitment.kind");
    expect((await call("POST", `/inspection-plans/${id}/commitment`, "t-zj", {})).status).toBe(404);
    const commitment = {
      kind: "public-value",
      description: "上证指数收盘点位（两位小数）",
      availableOn: TOMORROW,
    };
    const c = await call("POST", `/inspection-plans/${id}/commitment`, "t-staff", { commitment });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(c.body.seedCommitment).toEqual(commitment);
    expect((await call("POST", `/inspection-plans/${id}/commitment`, "t-staff", { commitment })).status).toBe(
      409,
    );
    expect(
      (await call("POST", `/inspection-plans/${id}/draw`, "t-staff", { seed: "3421.07" })).body.problems[0]
        .code,
    ).toBe("draw.too_early");
    const logged = await t.store.db
      .selectFrom("audit_log")
      .select("object")
      .where("action", "=", "plan.commit")
      .execute();
    expect(logged.map((l) => l.object)).toEqual([`${id} public-value ${TOMORROW}`]);
  });
});
