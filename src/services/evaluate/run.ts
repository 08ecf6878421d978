import crypto from "node:crypto";
import type { Catalog } from "../../core/catalog/types.ts";
import {
  type CompiledModel,
  type EvalInput,
  type EvalResult,
  inputDigest,
  type RecordFact,
  type SubjectFacts,
} from "../../core/scoring/index.ts";
import type { Store } from "../../store/db.ts";
import { chinaToday } from "../collect/ingest.ts";
import { type ModelSet, modelSet } from "./models.ts";

/** Subjects evaluated per database round trip. */
const CHUNK = 2000;

export interface RunSummary {
  runId: string;
  asOf: string;
  subjects: number;
  /** (subject, model) results whose grade, score or model version changed. */
  changed: number;
  /** model id → grade → count, over the subjects of this run. */
  grades: Record<string, Record<string, number>>;
  seconds: number;
}

type SubjectRow = SubjectFacts & { id: number };

/** The inputs of each subject and the results of every model in force that applies to it. */
export function evaluateSubject(
  models: ModelSet,
  subject: SubjectFacts,
  records: readonly RecordFact[],
  asOf: string,
  opts: { trace?: boolean } = {},
): { model: CompiledModel; input: EvalInput; result: EvalResult }[] {
  const out: { model: CompiledModel; input: EvalInput; result: EvalResult }[] = [];
  const pubInput: EvalInput = { subject, records };
  const pub = models.public.evaluate(pubInput, asOf, opts);
  out.push({ model: models.public, input: pubInput, result: pub });
  for (const m of models.industry) {
    if (!m.inForce(asOf) || !m.scope(subject)) continue;
    const input: EvalInput = { subject, records, publicScore: pub.grade === "NR" ? null : pub.score };
    out.push({ model: m, input, result: m.evaluate(input, asOf, opts) });
  }
  return out;
}

function newRunId(): string {
  return `R${new Date()
    .toISOString()
    .replace(/[-:TZ.]/g, "")
    .slice(0, 14)}${crypto.randomBytes(3).toString("hex")}`;
}

/**
 * Evaluates subjects — all of them (batch) or the given codes (incremental) — with the public model and the
 * industry models that apply, and stores the results: a new row when the grade, score or model changes
 * (history), otherwise the current row is refreshed with the new as-of date and input digest.
 */
export async function evaluate(
  store: Store,
  catalog: Catalog,
  opts: { asOf?: string; codes?: readonly string[]; kind?: "batch" | "incremental"; models?: ModelSet } = {},
): Promise<RunSummary> {
  const t0 = performance.now();
  const models = opts.models ?? modelSet(catalog);
  const asOf = opts.asOf ?? chinaToday();
  const runId = newRunId();
  const now = new Date().toISOString();
  const grades: Record<string, Record<string, number>> = {};
  let subjects = 0;
  let changed = 0;

  const process = async (rows: SubjectRow[], contiguous: boolean) => {
    if (rows.length === 0) return;
    const codes = rows.map((r) => r.code);
    const records = await recordsOf(store, codes, contiguous);
    const current = await store.db
      .selectFrom("evaluations")
      .select([
        "id",
        "subject_code",
        "model_id",
        "model_version",
        "model_digest",
        "score",
        "grade",
        "indicators",
      ])
      .where("is_current", "=", 1)
      .where("subject_code", "in", codes)
      .execute();
    const currentOf = new Map(current.map((c) => [`${c.subject_code}\u0000${c.model_id}`, c]));
    const inserts: Parameters<typeof insertResults>[1] = [];
    const refresh: { id: number; input_digest: string }[] = [];
    const retire: number[] = [];
    for (const s of rows) {
      for (const { model, input, result } of evaluateSubject(models, s, records.get(s.code) ?? [], asOf)) {
        const byGrade = (grades[model.id] ??= {});
        byGrade[result.grade] = (byGrade[result.grade] ?? 0) + 1;
        const digest = inputDigest(input, model, asOf);
        const indicators = JSON.stringify(result.indicators);
        const cur = currentOf.get(`${s.code}\u0000${model.id}`);
        if (
          cur &&
          cur.model_digest === model.digest &&
          cur.score === result.score &&
          cur.grade === result.grade &&
          cur.indicators === indicators
        ) {
          refresh.push({ id: Number(cur.id), input_digest: digest });
          continue;
        }
        if (cur) retire.push(Number(cur.id));
        changed++;
        inserts.push({
          subject_code: s.code,
          model_id: model.id,
          model_version: model.version,
          model_digest: model.digest,
          as_of: asOf,
          input_digest: digest,
          score: result.score,
          grade: result.grade,
          dimensions: JSON.stringify(result.dimensions),
          indicators,
          triggers: JSON.stringify(result.triggers),
          ceiling: result.ceiling ?? null,
          is_current: 1,
          first_evaluated_at: now,
          evaluated_at: now,
          run_id: runId,
        });
      }
    }
    await store.db.transaction().execute(async (tx) => {
      if (retire.length)
        await tx.updateTable("evaluations").set({ is_current: 0 }).where("id", "in", retire).execute();
      await insertResults(tx, inserts);
      for (const r of refresh)
        await tx
          .updateTable("evaluations")
          .set({ as_of: asOf, input_digest: r.input_digest, evaluated_at: now })
          .where("id", "=", r.id)
          .execute();
    });
    subjects += rows.length;
  };

  const columns = [
    "id",
    "code",
    "type",
    "status",
    "registered_on",
    "region",
    "industry_section",
    "industry_division",
  ] as const;
  if (opts.codes) {
    for (let i = 0; i < opts.codes.length; i += CHUNK) {
      const slice = [...new Set(opts.codes.slice(i, i + CHUNK))];
      const rows = await store.db
        .selectFrom("subjects")
        .select(columns)
        .where("code", "in", slice)
        .orderBy("code")
        .execute();
      await process(rows as SubjectRow[], false);
    }
  } else {
    let last = "";
    for (;;) {
      const rows = await store.db
        .selectFrom("subjects")
        .select(columns)
        .where("code", ">", last)
        .orderBy("code")
        .limit(CHUNK)
        .execute();
      if (rows.length === 0) break;
      await process(rows as SubjectRow[], true);
      last = rows[rows.length - 1]!.code;
    }
  }

  const seconds = (performance.now() - t0) / 1000;
  await store.db
    .insertInto("evaluation_runs")
    .values({
      id: runId,
      kind: opts.kind ?? (opts.codes ? "incremental" : "batch"),
      as_of: asOf,
      started_at: now,
      finished_at: new Date().toISOString(),
      subjects,
      changed,
      grade_counts: JSON.stringify(grades),
      seconds,
    })
    .execute();
  return { runId, asOf, subjects, changed, grades, seconds };
}

async function insertResults(
  tx: Pick<Store["db"], "insertInto">,
  rows: {
    subject_code: string;
    model_id: string;
    model_version: string;
    model_digest: string;
    as_of: string;
    input_digest: string;
    score: number;
    grade: string;
    dimensions: string;
    indicators: string;
    triggers: string;
    ceiling: string | null;
    is_current: number;
    first_evaluated_at: string;
    evaluated_at: string;
    run_id: string;
  }[],
): Promise<void> {
  // 16 columns a row: 500 rows stay under SQLite's and PostgreSQL's parameter limits.
  for (let i = 0; i < rows.length; i += 500)
    await tx
      .insertInto("evaluations")
      .values(rows.slice(i, i + 500))
      .execute();
}

/** Current records of the given subjects (sorted codes), as the engine's facts. */
async function recordsOf(
  store: Store,
  codes: string[],
  contiguous: boolean,
): Promise<Map<string, RecordFact[]>> {
  const q = store.db
    .selectFrom("credit_records")
    .select(["id", "subject_code", "department", "category", "severity", "status", "decision_date", "fields"])
    .where("is_current", "=", 1);
  // A contiguous run of codes (batch) is read as one index range; a scattered set (incremental) by value.
  const list = await (contiguous
    ? q.where("subject_code", ">=", codes[0]!).where("subject_code", "<=", codes[codes.length - 1]!)
    : q.where("subject_code", "in", codes)
  ).execute();
  const out = new Map<string, RecordFact[]>();
  for (const r of list) {
    let a = out.get(r.subject_code);
    if (!a) out.set(r.subject_code, (a = []));
    a.push({
      id: Number(r.id),
      department: r.department,
      category: r.category,
      severity: r.severity,
      status: r.status,
      decision_date: r.decision_date,
      fields: JSON.parse(r.fields) as Record<string, string | number>,
    });
  }
  return out;
}
