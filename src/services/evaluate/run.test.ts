import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seriousViolator } from "../../core/records/testing.ts";
import { inputDigest, type RecordFact } from "../../core/scoring/index.ts";
import { loadDemo } from "../../demo/load.ts";
import { catalog } from "../../policy/load.ts";
import { openTestStore, type TestStore } from "../../store/testing.ts";
import { ingest } from "../collect/ingest.ts";
import { ROW } from "./chunk.ts";
import { modelSet } from "./models.ts";
import { resultKey } from "./result.ts";
import { evaluate, evaluateSubject } from "./run.ts";
import { SqliteWriter, writePostgres } from "./write.ts";

const TODAY = "2026-11-29";
const N = 400;

/** Each test starts from its own demo city (the same one: same seed and date), evaluated or not as it says. */
let store: TestStore;
beforeEach(async () => {
  store = await openTestStore();
  await loadDemo(store, { subjects: N, seed: "evaluate-test", today: TODAY });
});
afterEach(async () => store.dispose());

/** The city as a first full run on TODAY leaves it. */
async function evaluatedOnce() {
  await evaluate(store, catalog(), { asOf: TODAY, threads: 0 });
}

/** What the engine gives for every subject and model on a date, from records parsed in full. */
async function expected(asOf: string) {
  const models = modelSet(catalog());
  const subjects = await store.db.selectFrom("subjects").selectAll().orderBy("code").execute();
  const records = await store.db
    .selectFrom("credit_records")
    .select(["id", "subject_code", "department", "category", "severity", "status", "decision_date", "fields"])
    .where("is_current", "=", 1)
    .execute();
  const of = new Map<string, RecordFact[]>();
  for (const r of records) {
    const list = of.get(r.subject_code) ?? [];
    list.push({ ...r, id: Number(r.id), fields: JSON.parse(r.fields) });
    of.set(r.subject_code, list);
  }
  const out = new Map<string, Record<string, unknown>>();
  for (const s of subjects)
    for (const { model, input, result } of evaluateSubject(models, s, of.get(s.code) ?? [], asOf))
      out.set(`${s.code} ${model.id}`, {
        model_version: model.version,
        model_digest: model.digest,
        as_of: asOf,
        input_digest: inputDigest(input, model, asOf),
        score: result.score,
        grade: result.grade,
        dimensions: JSON.stringify(result.dimensions),
        indicators: JSON.stringify(result.indicators),
        triggers: JSON.stringify(result.triggers),
        ceiling: result.ceiling ?? null,
        result_key: resultKey(model, result),
      });
  return out;
}

async function current() {
  const rows = await store.db.selectFrom("evaluations").selectAll().where("is_current", "=", 1).execute();
  return new Map(rows.map((r) => [`${r.subject_code} ${r.model_id}`, r]));
}

async function counts() {
  const r = await store.db
    .selectFrom("evaluations")
    .select([sql<number>`count(*)`.as("n"), sql<number>`max(id)`.as("max")])
    .executeTakeFirstOrThrow();
  return { n: Number(r.n), max: Number(r.max) };
}

/** Every (subject, model) has at most one current result. */
async function oneCurrentEach() {
  const dup = await store.db
    .selectFrom("evaluations")
    .select(["subject_code", "model_id"])
    .where("is_current", "=", 1)
    .groupBy(["subject_code", "model_id"])
    .having(sql`count(*)`, ">", 1)
    .execute();
  expect(dup).toEqual([]);
}

async function expectStoredAsEngine(asOf: string, onlyChangedSince?: number) {
  const want = await expected(asOf);
  const got = await current();
  expect(got.size).toBe(want.size);
  for (const [k, w] of want) {
    const g = got.get(k);
    expect(g, k).toBeDefined();
    const { as_of, input_digest, ...rest } = w;
    expect(g, k).toMatchObject(rest);
    // Rows a run left alone keep the as-of date and digest of the run that stored them.
    if (onlyChangedSince === undefined || Number(g!.id) > onlyChangedSince)
      expect({ as_of: g!.as_of, input_digest: g!.input_digest }, k).toEqual({ as_of, input_digest });
  }
}

describe("evaluate", () => {
  it("stores, for every subject and model, the engine's result and the digest of its inputs", async () => {
    const run = await evaluate(store, catalog(), { asOf: TODAY, threads: 0 });
    expect(run.subjects).toBe(N);
    const { n } = await counts();
    expect(run.changed).toBe(n);
    await expectStoredAsEngine(TODAY);
    const byModel = Object.fromEntries(
      Object.entries(run.grades).map(([m, g]) => [m, Object.values(g).reduce((a, b) => a + b, 0)]),
    );
    const models = modelSet(catalog());
    const inScope = (await store.db.selectFrom("subjects").selectAll().execute()).filter((s) =>
      models.public.scope(s),
    );
    expect(inScope.length).toBeLessThan(N);
    expect(byModel.public).toBe(inScope.length);
  });

  it("writes nothing when nothing changed", async () => {
    await evaluatedOnce();
    const before = await counts();
    const run = await evaluate(store, catalog(), { asOf: TODAY, threads: 0 });
    expect(run.changed).toBe(0);
    expect(await counts()).toEqual(before);
    const runs = await store.db.selectFrom("evaluation_runs").select("id").execute();
    expect(runs.length).toBe(2);
  });

  it("fills in the key of results stored without one, without new rows", async () => {
    await evaluatedOnce();
    await store.db.updateTable("evaluations").set({ result_key: null }).execute();
    const before = await counts();
    const run = await evaluate(store, catalog(), { asOf: TODAY, threads: 0 });
    expect(run.changed).toBe(0);
    expect(await counts()).toEqual(before);
    await expectStoredAsEngine(TODAY);
  });

  it("stores a new current row for a changed result, the old one staying as history", async () => {
    await evaluatedOnce();
    const code = (
      await store.db
        .selectFrom("subjects")
        .select("code")
        .where("type", "=", "enterprise")
        .where("status", "=", "存续")
        .executeTakeFirstOrThrow()
    ).code;
    const r = await ingest(
      store,
      catalog(),
      [
        [
          {
            row: 1,
            raw: seriousViolator(code, "泉市监严失〔2026〕99号", "2026-06-01", "测试"),
          },
        ],
      ],
      { channel: "rest", submitter: "test", department: "SCJG", today: TODAY },
    );
    expect(r.status).toBe("committed");
    const before = await counts();
    const run = await evaluate(store, catalog(), { asOf: TODAY, codes: [code, code] });
    expect(run.subjects).toBe(1);
    expect(run.changed).toBeGreaterThan(0);
    const rows = await store.db
      .selectFrom("evaluations")
      .select(["is_current", "grade"])
      .where("subject_code", "=", code)
      .where("model_id", "=", "public")
      .orderBy("id")
      .execute();
    expect(rows.map((x) => x.is_current)).toEqual([0, 1]);
    expect(rows[1]!.grade).toBe("E");
    expect((await counts()).n).toBe(before.n + run.changed);
    await oneCurrentEach();
    await expectStoredAsEngine(TODAY, before.max);
  });

  it.runIf(process.env.DATABASE_URL?.startsWith("postgres") !== true)(
    "gives the same results with worker threads",
    async () => {
      await evaluatedOnce();
      const before = await counts();
      const run = await evaluate(store, catalog(), { asOf: "2027-09-30", threads: 2 });
      expect(run.subjects).toBe(N);
      expect(run.changed).toBeGreaterThan(0);
      await oneCurrentEach();
      await expectStoredAsEngine("2027-09-30", before.max);
      const again = await evaluate(store, catalog(), { asOf: "2027-09-30", threads: 2 });
      expect(again.changed).toBe(0);
      expect(again.grades).toEqual(run.grades);
    },
  );

  it("gives natural persons no public result, and retires the results of a subject that left the scope", async () => {
    await evaluatedOnce();
    // Every current result as of one later date.
    const LATER = "2027-09-30";
    await evaluate(store, catalog(), { asOf: LATER });
    const persons = await store.db
      .selectFrom("subjects")
      .select("code")
      .where("type", "=", "natural_person")
      .execute();
    expect(persons.length).toBeGreaterThan(0);
    const ofPersons = await store.db
      .selectFrom("evaluations")
      .select("id")
      .where(
        "subject_code",
        "in",
        persons.map((p) => p.code),
      )
      .execute();
    expect(ofPersons).toEqual([]);

    const code = (
      await store.db
        .selectFrom("evaluations")
        .select("subject_code")
        .where("model_id", "=", "public")
        .where("is_current", "=", 1)
        .executeTakeFirstOrThrow()
    ).subject_code;
    const before = await store.db
      .selectFrom("evaluations")
      .select(["id", "model_id"])
      .where("subject_code", "=", code)
      .where("is_current", "=", 1)
      .execute();
    // The registry reports it deregistered (注销): no model applies any more; its results become history.
    await store.db.updateTable("subjects").set({ status: "注销" }).where("code", "=", code).execute();
    const run = await evaluate(store, catalog(), { asOf: LATER, codes: [code] });
    expect(run.changed).toBe(before.length);
    const after = await store.db
      .selectFrom("evaluations")
      .select(["id", "is_current"])
      .where("subject_code", "=", code)
      .execute();
    expect(after.filter((r) => r.is_current === 1)).toEqual([]);
    expect(after.map((r) => Number(r.id)).sort()).toEqual(before.map((r) => Number(r.id)).sort());
    expect((await evaluate(store, catalog(), { asOf: LATER, codes: [code] })).changed).toBe(0);
    // Registered again (存续): evaluated again, a new current row.
    const last = (await counts()).max;
    await store.db.updateTable("subjects").set({ status: "存续" }).where("code", "=", code).execute();
    expect((await evaluate(store, catalog(), { asOf: LATER, codes: [code] })).changed).toBe(before.length);
    await oneCurrentEach();
    await expectStoredAsEngine(LATER, last);
  });

  it("drops a result whose current row another writer replaced meanwhile", async () => {
    await evaluatedOnce();
    const cur = await store.db
      .selectFrom("evaluations")
      .selectAll()
      .where("is_current", "=", 1)
      .orderBy("id")
      .limit(2)
      .execute();
    // Someone else retires the first row; the second has no current row as far as the chunk knew.
    const row = (prev: number | null, c: (typeof cur)[0]) => [
      prev,
      c.subject_code,
      c.model_id,
      c.model_version,
      c.model_digest,
      c.as_of,
      c.input_digest,
      1,
      "E",
      c.dimensions,
      c.indicators,
      c.triggers,
      null,
      "k",
    ];
    const out = {
      subjects: 2,
      rows: [...row(Number(cur[0]!.id), cur[0]!), ...row(null, cur[1]!)],
      backfill: [],
      retired: [],
      grades: {},
    };
    expect(out.rows.length).toBe(2 * ROW);
    const before = await counts();
    const stamp = { now: new Date().toISOString(), runId: "Rtest" };
    let inserted: number;
    if (store.engine === "sqlite") {
      const writer = new SqliteWriter(store.sqlite!).session(stamp);
      // The other writer is another connection, committing after this writer started.
      const other = new SQLite(store.sqlite!.name);
      other.prepare("UPDATE evaluations SET is_current = 0 WHERE id = ?").run(cur[0]!.id);
      other.close();
      inserted = writer.write(out);
    } else {
      await store.db.updateTable("evaluations").set({ is_current: 0 }).where("id", "=", cur[0]!.id).execute();
      inserted = await writePostgres(store, out, stamp);
    }
    expect(inserted).toBe(0);
    expect(await counts()).toEqual(before);
    await store.db.updateTable("evaluations").set({ is_current: 1 }).where("id", "=", cur[0]!.id).execute();
    await oneCurrentEach();
  });
});
