/**
 * One chunk of a run, whatever the engine and thread: each subject's inputs and current results in, the
 * results that changed out (as flat rows for the writer), plus grade counts. A result equal to the current one
 * (same result key) writes nothing; a different one is a new row, with the input digest of its inputs.
 */
import { GRADES_OR_NR, gradeIndex } from "../../core/grades.ts";
import type { CompiledModel, EvalInput, EvalResult, SubjectFacts } from "../../core/scoring/index.ts";
import { DigestWriter, type EvalRecord } from "./digest.ts";
import type { EvalExtras } from "./extras.ts";
import type { ModelSet } from "./models.ts";
import { resultKey } from "./result.ts";

export interface CurrentResult {
  model: string;
  id: number;
  /** Its result key ("" when unknown: such a result is taken as different). */
  key: string;
}

export interface SubjectIn {
  subject: SubjectFacts;
  /** Current records, any order; null when they are still to be read (see ChunkEvaluator.run's `decode`). */
  records: EvalRecord[] | null;
  extras?: EvalExtras | undefined;
  current?: CurrentResult[] | undefined;
}

const NO_RECORDS: EvalRecord[] = [];

/** Values per row of ChunkOut.rows. */
export const ROW = 14;

export interface ChunkOut {
  subjects: number;
  /**
   * Changed results, ROW values each: the id of the current row it replaces (or null), subject_code,
   * model_id, model_version, model_digest, as_of, input_digest, score, grade, dimensions, indicators,
   * triggers, ceiling, result_key.
   */
  rows: (string | number | null)[];
  /** Pairs (id, result key) for current rows stored without a key that the run found unchanged. */
  backfill: (string | number)[];
  /**
   * Ids of current rows of models that no longer apply to their subject (out of the model's scope — a
   * deregistered subject, say — or the model not in force): they become history, with no current row after.
   */
  retired: number[];
  /** Model id → grade → count. */
  grades: Record<string, Record<string, number>>;
}

export function emptyOut(): ChunkOut {
  return { subjects: 0, rows: [], backfill: [], retired: [], grades: {} };
}

/** Adds a chunk's grade counts to a run's. */
export function addGrades(into: Record<string, Record<string, number>>, from: ChunkOut["grades"]): void {
  for (const [model, counts] of Object.entries(from)) {
    const to = into[model] ?? {};
    into[model] = to;
    for (const [g, n] of Object.entries(counts)) to[g] = (to[g] ?? 0) + n;
  }
}

const GRADE_SLOTS = GRADES_OR_NR;
const NR_SLOT = GRADES_OR_NR.length - 1;

function gradeSlot(g: string): number {
  const i = gradeIndex(g);
  return i < 0 ? NR_SLOT : i;
}

export class ChunkEvaluator {
  private readonly publicInForce: boolean;
  private readonly industry: CompiledModel[];
  /** Model id → its slot in `applied` (the public model is slot 0). */
  private readonly industrySlot: Map<string, number>;
  /** Which models applied to the subject being evaluated. */
  private readonly applied: Uint8Array;
  /** The current subject's records, and as canonical JSON once a digest needed them. */
  private records: EvalRecord[] = NO_RECORDS;
  /** Whether the digest writer holds the current subject's part. */
  private written = false;
  private readonly digests = new DigestWriter();

  constructor(
    private readonly models: ModelSet,
    private readonly asOf: string,
  ) {
    this.publicInForce = models.public.inForce(asOf);
    this.industry = models.industry.filter((m) => m.inForce(asOf));
    this.industrySlot = new Map(this.industry.map((m, i) => [m.id, i + 1]));
    this.applied = new Uint8Array(1 + this.industry.length);
  }

  /**
   * Evaluates a chunk. `decode` gives the records of a subject whose `records` are null; it is called for
   * those subjects in chunk order, and the records it returns may be reused objects, valid until its next
   * call (nothing here keeps them longer).
   */
  run(
    subjects: readonly SubjectIn[],
    legacy?: ReadonlyMap<number, string>,
    decode?: (s: SubjectIn) => EvalRecord[],
  ): ChunkOut {
    const out = emptyOut();
    const pub = this.models.public;
    const industry = this.industry;
    const counts = new Int32Array((1 + industry.length) * GRADE_SLOTS.length);
    const asOf = this.asOf;
    for (let i = 0; i < subjects.length; i++) {
      const s = subjects[i]!;
      this.written = false;
      const records = s.records ?? (decode ? decode(s) : NO_RECORDS);
      this.records = records;
      const pubInput: EvalInput = s.extras
        ? { subject: s.subject, records, ...s.extras }
        : { subject: s.subject, records };
      // modelApplies (models.ts), with the in-force models picked once: a subject outside the public model's
      // scope (natural persons, deregistered) gets no public result, and the industry models see no public score.
      let publicScore: number | null = null;
      const applied = this.applied.fill(0);
      if (this.publicInForce && pub.scope(s.subject)) {
        const pubResult = pub.evaluate(pubInput, asOf);
        counts[gradeSlot(pubResult.grade)]!++;
        this.take(out, s, pub, pubInput, pubResult, legacy);
        applied[0] = 1;
        if (pubResult.grade !== "NR") publicScore = pubResult.score;
      }
      let input: EvalInput | undefined;
      for (let m = 0; m < industry.length; m++) {
        const model = industry[m]!;
        if (!model.scope(s.subject)) continue;
        input ??= { ...pubInput, publicScore };
        const result = model.evaluate(input, asOf);
        counts[(m + 1) * GRADE_SLOTS.length + gradeSlot(result.grade)]!++;
        this.take(out, s, model, input, result, legacy);
        applied[m + 1] = 1;
      }
      if (s.current !== undefined) this.retire(out, s.current, applied);
    }
    out.subjects = subjects.length;
    [pub, ...industry].forEach((model, m) => {
      const byGrade: Record<string, number> = {};
      GRADE_SLOTS.forEach((g, k) => {
        const n = counts[m * GRADE_SLOTS.length + k]!;
        if (n > 0) byGrade[g] = n;
      });
      if (Object.keys(byGrade).length > 0) out.grades[model.id] = byGrade;
    });
    return out;
  }

  /** Current results of models that did not apply to the subject this time (`applied`: public, then industry). */
  private retire(out: ChunkOut, current: readonly CurrentResult[], applied: Uint8Array): void {
    for (let i = 0; i < current.length; i++) {
      const c = current[i]!;
      const slot = c.model === this.models.public.id ? 0 : this.industrySlot.get(c.model);
      if (slot === undefined || applied[slot] === 0) out.retired.push(c.id);
    }
  }

  /** Compares a result with the subject's current one for the model; a different one becomes a row. */
  private take(
    out: ChunkOut,
    s: SubjectIn,
    model: CompiledModel,
    input: EvalInput,
    result: EvalResult,
    legacy: ReadonlyMap<number, string> | undefined,
  ): void {
    const key = resultKey(model, result);
    let cur: CurrentResult | undefined;
    const current = s.current;
    if (current !== undefined)
      for (let i = 0; i < current.length; i++)
        if (current[i]!.model === model.id) {
          cur = current[i];
          break;
        }
    if (cur !== undefined) {
      if (cur.key === key) return;
      if (cur.key === "" && legacy?.get(cur.id) === key) {
        out.backfill.push(cur.id, key);
        return;
      }
    }
    if (!this.written) {
      this.digests.subject(this.records, s.subject);
      this.written = true;
    }
    const asOf = this.asOf;
    out.rows.push(
      cur ? cur.id : null,
      s.subject.code,
      model.id,
      model.version,
      model.digest,
      asOf,
      this.digests.digest(input, model, asOf),
      result.score,
      result.grade,
      JSON.stringify(result.dimensions),
      JSON.stringify(result.indicators),
      JSON.stringify(result.triggers),
      result.ceiling ?? null,
      key,
    );
  }
}
