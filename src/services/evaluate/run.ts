import crypto from "node:crypto";
import os from "node:os";
import { setImmediate as nextTurn } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import type SQLite from "better-sqlite3";
import { sql } from "kysely";
import type { Catalog } from "../../core/catalog/types.ts";
import { pushTo } from "../../core/lists.ts";
import type {
  CompiledModel,
  EvalInput,
  EvalResult,
  RecordFact,
  SubjectFacts,
} from "../../core/scoring/index.ts";
import type { Store } from "../../store/db.ts";
import { chinaToday } from "../collect/ingest.ts";
import { currentModelSet, publishedModels } from "../models/versions.ts";
import { addGrades, ChunkEvaluator, type ChunkOut, type CurrentResult, type SubjectIn } from "./chunk.ts";
import type { EvalRecord } from "./digest.ts";
import { type EvalExtras, evalExtrasOf } from "./extras.ts";
import { FieldProjector, fieldsRead } from "./fields.ts";
import { type ModelSet, modelApplies } from "./models.ts";
import { recordFact } from "./record-facts.ts";
import { storedResultKey } from "./result.ts";
import { evaluateRange, MAX_CODE, SqliteReader } from "./sqlite-read.ts";
import type { EvalWorkerData, FromEvalWorker } from "./worker.ts";
import { SqliteWriter, type WriteStamp, writePostgres } from "./write.ts";

/** Subjects evaluated per chunk (one read of each kind, one write transaction). */
const CHUNK = 2000;
/** WAL pages between checkpoints during a batch run on SQLite (64 MB of 4 kB pages). */
const BATCH_CHECKPOINT_PAGES = 16_384;
/** A batch run over at least this many subjects uses worker threads (SQLite file stores). */
const THREADED_FROM = 100_000;

export interface RunSummary {
  runId: string;
  asOf: string;
  subjects: number;
  /** (subject, model) results whose grade, score, points, triggers, ceiling or model changed. */
  changed: number;
  /** model id → grade → count, over the subjects of this run. */
  grades: Record<string, Record<string, number>>;
  seconds: number;
}

export interface EvaluateOptions {
  asOf?: string;
  /** Only these subjects (incremental); default every registered subject (batch). */
  codes?: readonly string[];
  kind?: "batch" | "incremental";
  models?: ModelSet;
  /**
   * Worker threads that read and evaluate while this thread writes (SQLite file stores, batch runs); 0 runs
   * everything here. Default: up to 2 for runs of 100,000 subjects or more, else 0.
   */
  threads?: number;
}

/** The inputs of each subject and the results of every model in force that applies to it. */
export function evaluateSubject(
  models: ModelSet,
  subject: SubjectFacts,
  records: readonly RecordFact[],
  asOf: string,
  opts: { trace?: boolean; extras?: EvalExtras | undefined } = {},
): { model: CompiledModel; input: EvalInput; result: EvalResult }[] {
  const out: { model: CompiledModel; input: EvalInput; result: EvalResult }[] = [];
  const pubInput: EvalInput = { subject, records, ...opts.extras };
  const trace = opts.trace ? { trace: true } : {};
  let publicScore: number | null = null;
  if (modelApplies(models.public, subject, asOf)) {
    const pub = models.public.evaluate(pubInput, asOf, trace);
    out.push({ model: models.public, input: pubInput, result: pub });
    if (pub.grade !== "NR") publicScore = pub.score;
  }
  for (const m of models.industry) {
    if (!modelApplies(m, subject, asOf)) continue;
    const input: EvalInput = { ...pubInput, publicScore };
    out.push({ model: m, input, result: m.evaluate(input, asOf, trace) });
  }
  return out;
}

function newRunId(): string {
  return `R${new Date()
    .toISOString()
    .replace(/[-:TZ.]/g, "")
    .slice(0, 14)}${crypto.randomBytes(3).toString("hex")}`;
}

interface RunState {
  subjects: number;
  changed: number;
  grades: Record<string, Record<string, number>>;
}

/**
 * Evaluates subjects — all of them (batch) or the given codes (incremental) — with the public model and the
 * industry models that apply, and stores the results (docs/decisions.md, decisions 6 and 9): a result that
 * differs from the subject's current one for the model is a new current row; an unchanged one writes nothing.
 * Each run leaves a row in evaluation_runs with its as-of date and grade counts.
 */
export async function evaluate(
  store: Store,
  catalog: Catalog,
  opts: EvaluateOptions = {},
): Promise<RunSummary> {
  const t0 = performance.now();
  // The newest published version of each model replaces the shipped one (services/models/versions.ts).
  const models = opts.models ?? (await currentModelSet(store, catalog));
  const asOf = opts.asOf ?? chinaToday();
  const runId = newRunId();
  const now = new Date().toISOString();
  const stamp: WriteStamp = { now, runId };
  const state: RunState = { subjects: 0, changed: 0, grades: {} };
  const evaluator = new ChunkEvaluator(models, asOf);
  const projector = projectorOf(models);
  const extras = (await hasExtras(store)) ? (codes: string[]) => evalExtrasOf(store, codes, asOf) : null;
  const codes = opts.codes ? [...new Set(opts.codes)] : undefined;

  if (store.engine === "sqlite") {
    const db = store.sqlite!;
    const prepared = preparedOf(db);
    const reader = prepared.readers.get(projector) ?? new SqliteReader(db, projector);
    prepared.readers.set(projector, reader);
    const writer = prepared.writer.session(stamp);
    const take = (out: ChunkOut) => {
      state.changed += writer.write(out);
      state.subjects += out.subjects;
      addGrades(state.grades, out.grades);
    };
    const withExtras = async (subjects: SubjectIn[]) => {
      if (!extras || subjects.length === 0) return;
      const found = await extras(subjects.map((s) => s.subject.code));
      for (const s of subjects) s.extras = found.get(s.subject.code);
    };
    const runHere = async () => {
      for (let after = ""; ; ) {
        const c = await evaluateRange(
          reader,
          evaluator,
          after,
          MAX_CODE,
          CHUNK,
          extras ? withExtras : undefined,
        );
        if (c === null) break;
        take(c.out);
        after = c.last;
        // Let a server answer requests between chunks.
        await nextTurn();
      }
    };
    if (codes) {
      for (let i = 0; i < codes.length; i += CHUNK) {
        const c = reader.list(codes.slice(i, i + CHUNK));
        await withExtras(c.subjects);
        // The records of a list are read with their order spelled out: the chunk is always complete.
        take(evaluator.run(c.subjects, c.legacy, c.decode));
      }
    } else {
      const threads =
        opts.models || db.memory
          ? 0
          : (opts.threads ??
            (countSubjects(db) >= THREADED_FROM ? Math.min(2, os.availableParallelism()) : 0));
      // A batch run may write millions of rows: the WAL is copied into the database every 64 MB rather than at
      // every commit past 4 MB (each checkpoint also syncs the file). Not never: the longer the WAL, the longer
      // every page read by the workers looks through its index.
      const autocheckpoint = db.pragma("wal_autocheckpoint", { simple: true }) as number;
      db.pragma(`wal_autocheckpoint = ${BATCH_CHECKPOINT_PAGES}`);
      try {
        if (threads > 0) {
          // The workers build the same model set from the same published versions.
          const published = await publishedModels(store);
          await runThreaded(db, { catalog, published, asOf, extras: extras !== null }, threads, take);
        } else await runHere();
      } finally {
        db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
        if (state.changed > 0) db.pragma("wal_checkpoint(PASSIVE)");
      }
    }
  } else {
    const read = async (subjects: SubjectFacts[]) => {
      const chunk = await postgresChunk(store, subjects, projector);
      if (extras && chunk.subjects.length > 0) {
        const found = await extras(subjects.map((s) => s.code));
        for (const s of chunk.subjects) s.extras = found.get(s.subject.code);
      }
      const out = evaluator.run(chunk.subjects, chunk.legacy);
      state.changed += await writePostgres(store, out, stamp);
      state.subjects += out.subjects;
      addGrades(state.grades, out.grades);
    };
    const q = store.db.selectFrom("subjects").select(SUBJECT_COLUMNS);
    if (codes)
      for (let i = 0; i < codes.length; i += CHUNK)
        await read(
          await q
            .where("code", "in", codes.slice(i, i + CHUNK))
            .orderBy("code")
            .execute(),
        );
    else
      for (let last = ""; ; ) {
        const rows = await q.where("code", ">", last).orderBy("code").limit(CHUNK).execute();
        if (rows.length === 0) break;
        await read(rows);
        last = rows[rows.length - 1]!.code;
      }
  }

  const seconds = (performance.now() - t0) / 1000;
  const runRow = {
    id: runId,
    kind: opts.kind ?? (opts.codes ? "incremental" : "batch"),
    as_of: asOf,
    started_at: now,
    finished_at: new Date().toISOString(),
    subjects: state.subjects,
    changed: state.changed,
    grade_counts: JSON.stringify(state.grades),
    seconds,
  };
  if (store.engine === "sqlite") preparedOf(store.sqlite!).runInsert.run(runRow);
  else await store.db.insertInto("evaluation_runs").values(runRow).execute();
  return { runId, asOf, subjects: state.subjects, changed: state.changed, grades: state.grades, seconds };
}

const SUBJECT_COLUMNS = [
  "code",
  "type",
  "status",
  "registered_on",
  "region",
  "industry_section",
  "industry_division",
] as const;

function countSubjects(db: NonNullable<Store["sqlite"]>): number {
  return db.prepare("SELECT count(*) FROM subjects").pluck().get() as number;
}

type SqliteDb = NonNullable<Store["sqlite"]>;

/** Statements and readers of a SQLite connection, prepared once: an incremental run is a few milliseconds. */
interface Prepared {
  readers: WeakMap<FieldProjector, SqliteReader>;
  writer: SqliteWriter;
  runInsert: SqliteStatement;
  /** null when the ratings tables do not exist. */
  extras: SqliteStatement | null;
}
type SqliteStatement = SQLite.Statement;

const preparedCache = new WeakMap<SqliteDb, Prepared>();

function preparedOf(db: SqliteDb): Prepared {
  let p = preparedCache.get(db);
  if (!p) {
    let extras: SqliteStatement | null = null;
    try {
      extras = db
        .prepare("SELECT EXISTS (SELECT 1 FROM market_ratings) OR EXISTS (SELECT 1 FROM other_grades)")
        .pluck();
    } catch {
      // Stores migrated before the ratings tables existed.
    }
    p = {
      readers: new WeakMap(),
      writer: new SqliteWriter(db),
      runInsert: db.prepare(
        "INSERT INTO evaluation_runs (id, kind, as_of, started_at, finished_at, subjects, changed, grade_counts, seconds) VALUES (@id, @kind, @as_of, @started_at, @finished_at, @subjects, @changed, @grade_counts, @seconds)",
      ),
      extras,
    };
    preparedCache.set(db, p);
  }
  return p;
}

const projectors = new WeakMap<ModelSet, FieldProjector>();

/** The field projector of a model set (what its models read of each category). */
function projectorOf(models: ModelSet): FieldProjector {
  let p = projectors.get(models);
  if (!p) {
    p = new FieldProjector(fieldsRead(models.all));
    projectors.set(models, p);
  }
  return p;
}

/** Whether any market rating or grade from another system is stored (else there is nothing to look up). */
async function hasExtras(store: Store): Promise<boolean> {
  if (store.engine === "sqlite") {
    const q = preparedOf(store.sqlite!).extras;
    return q !== null && Number(q.get()) === 1;
  }
  try {
    const r = await sql<{
      n: number;
    }>`select (select count(*) from (select 1 from market_ratings limit 1) a) + (select count(*) from (select 1 from other_grades limit 1) b) as n`.execute(
      store.db,
    );
    return Number(r.rows[0]?.n ?? 0) > 0;
  } catch {
    // Stores migrated before the ratings tables existed.
    return false;
  }
}

/**
 * A batch run on SQLite with worker threads: the codes are cut into `threads` ranges of equal subject
 * counts, each read and evaluated by a worker; this thread writes each chunk as it arrives.
 */
async function runThreaded(
  db: NonNullable<Store["sqlite"]>,
  run: Pick<EvalWorkerData, "catalog" | "published" | "asOf" | "extras">,
  threads: number,
  take: (out: ChunkOut) => void,
): Promise<void> {
  const n = countSubjects(db);
  const at = db.prepare("SELECT code FROM subjects ORDER BY code LIMIT 1 OFFSET ?").pluck();
  const bounds = [""];
  for (let i = 1; i < threads; i++) {
    const code = at.get(Math.max(0, Math.floor((n * i) / threads) - 1)) as string | undefined;
    if (code !== undefined && code > bounds[bounds.length - 1]!) bounds.push(code);
  }
  bounds.push(MAX_CODE);
  const workers: Worker[] = [];
  try {
    await Promise.all(
      bounds.slice(1).map(
        (upTo, i) =>
          new Promise<void>((resolve, reject) => {
            const workerData: EvalWorkerData = {
              ...run,
              file: db.name,
              after: bounds[i]!,
              upTo,
              chunk: CHUNK,
              maxInFlight: 4,
            };
            // A larger young generation: a chunk's short-lived strings and objects die young, not promoted.
            const w = new Worker(new URL("./worker.mjs", import.meta.url), {
              workerData,
              resourceLimits: { maxYoungGenerationSizeMb: 64 },
            });
            workers.push(w);
            let ended = false;
            w.on("message", (m: FromEvalWorker) => {
              try {
                if (m.type === "chunk") {
                  take(m.out);
                  w.postMessage({ type: "ack" });
                } else if (m.type === "end") {
                  ended = true;
                  resolve();
                } else {
                  const e = new Error(m.message);
                  if (m.stack) e.stack = m.stack;
                  reject(e);
                }
              } catch (e) {
                reject(e);
              }
            });
            w.on("error", reject);
            w.on("exit", (code) => {
              if (!ended) reject(new Error(`evaluation worker exited (${code}) before the end of its range`));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** A chunk's records and current results on PostgreSQL (Kysely). */
async function postgresChunk(
  store: Store,
  subjects: SubjectFacts[],
  projector: FieldProjector,
): Promise<{ subjects: SubjectIn[]; legacy: Map<number, string> }> {
  if (subjects.length === 0) return { subjects: [], legacy: new Map() };
  const codes = subjects.map((s) => s.code);
  const records = await store.db
    .selectFrom("credit_records")
    .select(["id", "subject_code", "department", "category", "severity", "status", "decision_date", "fields"])
    .where("is_current", "=", 1)
    .where("subject_code", "in", codes)
    .orderBy("subject_code")
    .orderBy("id")
    .execute();
  const results = await store.db
    .selectFrom("evaluations")
    .select(["id", "subject_code", "model_id", "result_key"])
    .where("is_current", "=", 1)
    .where("subject_code", "in", codes)
    .execute();
  const recordsOf = new Map<string, EvalRecord[]>();
  for (const r of records)
    pushTo(recordsOf, r.subject_code, {
      ...recordFact(r, projector.project(r.category, r.fields)),
      text: r.fields,
      src: null,
      from: 0,
      to: 0,
    });
  const currentOf = new Map<string, CurrentResult[]>();
  const legacyIds: number[] = [];
  for (const r of results) {
    pushTo(currentOf, r.subject_code, { model: r.model_id, id: Number(r.id), key: r.result_key ?? "" });
    if (r.result_key === null) legacyIds.push(Number(r.id));
  }
  const legacy = new Map<number, string>();
  for (let i = 0; i < legacyIds.length; i += 1000) {
    const rows = await store.db
      .selectFrom("evaluations")
      .select(["id", "model_digest", "score", "grade", "ceiling", "triggers", "indicators"])
      .where("id", "in", legacyIds.slice(i, i + 1000))
      .execute();
    for (const r of rows) legacy.set(Number(r.id), storedResultKey(r));
  }
  return {
    subjects: subjects.map((subject) => ({
      subject,
      records: recordsOf.get(subject.code) ?? [],
      current: currentOf.get(subject.code),
    })),
    legacy,
  };
}
