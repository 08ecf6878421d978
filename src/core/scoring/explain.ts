/**
 * Explanations of an evaluation (PIPL art. 24; the seed's repair routes §二(二)5): points per indicator, the
 * records behind every deduction, the distance to the next grade up, what each trigger and ceiling that holds
 * does to the grade, and which repairs would lift the grade — each found by evaluating again without the record
 * (cheap: the model is compiled).
 */

import type { Grade, GradeOrNR } from "../grades.ts";
import type { CompiledModel } from "./compile.ts";
import { gradeOfScore } from "./grades.ts";
import type { EvalInput, ModelDef, TraceRecord } from "./types.ts";

export interface IndicatorExplanation {
  id: string;
  zh: string;
  en: string;
  dimension: string;
  type: "bonus" | "deduction";
  /** Points after the cap (signed). */
  points: number;
  /** Sum before the cap. */
  uncapped: number;
  records: TraceRecord[];
}

export interface Repair {
  /** The record that would stop counting (repaired, expired, or revoked). */
  record: number;
  category: string;
  department: string;
  decision_date: string;
  /** Indicators it takes points from. */
  indicators: string[];
  /** Triggers and ceilings it sets off. */
  conditions: string[];
  /** Score and grade without it. */
  score: number;
  grade: GradeOrNR;
  /** Score points gained. */
  lift: number;
  /** Grades gained (0 when only the score moves). */
  grades: number;
}

/**
 * What a trigger or ceiling that holds does to the grade now. A condition "holds" when its records or facts are
 * there; it changes the grade only when the score alone earns a better grade than it allows. A ceiling of B on
 * a subject whose score gives E does nothing, and saying it keeps the grade down would be false.
 *
 * - `sets`: the score alone earns a better grade; this condition gives the grade the subject has (it holds the
 *   grade down).
 * - `also`: it holds the grade down too, but a stricter condition sets a worse grade; it would still hold the
 *   grade at its own limit once the stricter one ends.
 * - `caps`: the score alone earns exactly the grade it allows, so it lowers nothing now, but no higher score
 *   lifts the grade while it holds.
 * - `none`: it allows a better grade than the subject has, so it changes nothing now (it would hold the grade
 *   at its limit if the score rose above it).
 */
export type LimitEffect = "sets" | "also" | "caps" | "none";

export interface Limit {
  kind: "trigger" | "ceiling";
  id: string;
  /** The grade a trigger gives, or the best grade a ceiling allows. */
  grade: Grade;
  effect: LimitEffect;
}

/** The score the points alone earn and the grade it gives, before triggers and ceilings. */
export interface ByScore {
  score: number;
  grade: Grade;
}

export interface Explanation {
  modelId: string;
  version: string;
  asOf: string;
  /** The score given: lowered to the top of the grade's band when a trigger or ceiling holds the grade down. */
  score: number;
  grade: GradeOrNR;
  triggers: string[];
  ceiling?: string;
  /** The score and grade the points alone earn (equal to score and grade unless the grade is held down). */
  byScore: ByScore;
  /** Every trigger and the ceiling that hold, with what each does to the grade now. */
  limits: Limit[];
  indicators: IndicatorExplanation[];
  /** Every record behind a deduction, largest first. */
  deductions: { indicator: string; record: number; points: number }[];
  /**
   * The next grade up and the points still missing to reach its cut-off: null for A, NR, and a grade a trigger
   * or ceiling holds where it is (no score lifts it then; `limits` says what does).
   */
  nextGrade: { grade: Grade; cutoff: number; distance: number } | null;
  /**
   * The triggers and the ceiling that keep the grade where it is or lower whatever the score (`limits` whose
   * effect is not `none`).
   */
  blockedBy: string[];
  /** Records whose end would lift the score or the grade, best first. */
  repairs: Repair[];
}

const RANK: Record<GradeOrNR, number> = { A: 0, B: 1, C: 2, D: 3, E: 4, NR: -1 };

/**
 * The score and grade before triggers and ceilings, from a result's dimension points: compile.ts adds the
 * dimensions' points and keeps the sum within 0..max_score before any condition lowers it, and stores the
 * dimensions unlowered — so a stored result gives it back too.
 */
export function scoreBeforeLimits(
  model: Pick<CompiledModel, "maxScore" | "cutoffs">,
  dimensions: Readonly<Record<string, number>>,
  asOf: string,
): ByScore {
  let total = 0;
  for (const v of Object.values(dimensions)) total += v;
  const score = Math.min(Math.max(total, 0), model.maxScore);
  return { score, grade: gradeOfScore(score, model.cutoffs(asOf)) };
}

/**
 * What each trigger and the ceiling of a result do to its grade (see LimitEffect), given the grade the score
 * alone earns. A condition the model does not name (a result stored under another version) is taken to allow
 * the grade the subject has: it may have set it, it cannot have allowed a better one.
 */
export function limitsOf(
  def: Pick<ModelDef, "triggers" | "ceilings">,
  result: { grade: GradeOrNR; triggers: readonly string[]; ceiling?: string | null | undefined },
  scoreGrade: GradeOrNR,
): Limit[] {
  const out: Limit[] = [];
  const add = (kind: Limit["kind"], id: string, allowed: Grade | undefined) => {
    const grade = allowed ?? (result.grade === "NR" ? undefined : result.grade);
    if (grade === undefined) return;
    let effect: LimitEffect = "none";
    // No limit is worse than the result's grade: the result is the worst of them and the score's grade.
    if (result.grade !== "NR" && scoreGrade !== "NR") {
      if (RANK[grade] > RANK[scoreGrade]) effect = grade === result.grade ? "sets" : "also";
      else if (grade === result.grade) effect = "caps";
    }
    out.push({ kind, id, grade, effect });
  };
  for (const id of result.triggers) add("trigger", id, def.triggers.find((t) => t.id === id)?.grade);
  if (result.ceiling)
    add("ceiling", result.ceiling, def.ceilings.find((c) => c.id === result.ceiling)?.max_grade);
  return out;
}

/** A stored result as `storedLimits` reads it (a row of `evaluations`, JSON parsed). */
export interface StoredResult {
  grade: GradeOrNR;
  score: number;
  /** Dimension points as stored: before any trigger or ceiling lowered the score. */
  dimensions: Readonly<Record<string, number>>;
  triggers: readonly string[];
  ceiling: string | null;
  asOf: string;
}

/**
 * byScore and limits of a stored result. A condition that lowers a grade lowers the score to the top of the
 * grade's band, so a stored score below its dimensions' sum means the grade was held down, whatever the model
 * version; a stored score equal to it means nothing lowered it. `model` is the current version of the row's
 * model: a row stored under an earlier version is read with the current grade bands and condition grades (a new
 * version re-grades everyone at its first run); without it (a model no longer in force) byScore is unknown and
 * only whether a condition lowered the grade is known.
 */
export function storedLimits(
  model: Pick<CompiledModel, "maxScore" | "cutoffs" | "def"> | undefined,
  row: StoredResult,
): { byScore: ByScore | null; limits: Limit[] } {
  let total = 0;
  for (const v of Object.values(row.dimensions)) total += v;
  total = Math.min(Math.max(total, 0), model?.maxScore ?? Number.POSITIVE_INFINITY);
  const lowered = row.score < total;
  if (row.grade === "NR" || !model) {
    // Unknown conditions: each lowered the grade (sets) when the score was lowered — which one cannot be told
    // — and none did otherwise; the grade each allows is taken to be the stored one.
    const grade = row.grade;
    const effect: LimitEffect = lowered && grade !== "NR" ? "sets" : "none";
    const limits: Limit[] =
      grade === "NR"
        ? []
        : [
            ...row.triggers.map((id) => ({ kind: "trigger" as const, id, grade, effect })),
            ...(row.ceiling ? [{ kind: "ceiling" as const, id: row.ceiling, grade, effect }] : []),
          ];
    return { byScore: null, limits };
  }
  const computed = scoreBeforeLimits(model, row.dimensions, row.asOf);
  const byScore = lowered ? computed : { score: row.score, grade: row.grade };
  return { byScore, limits: limitsOf(model.def, row, byScore.grade) };
}

export function explain(compiled: CompiledModel, input: EvalInput, asOf: string): Explanation {
  const result = compiled.evaluate(input, asOf, { trace: true });
  const info = new Map(compiled.indicators.map((i) => [i.id, i]));
  const indicators: IndicatorExplanation[] = [];
  const behind = new Map<number, { indicators: string[]; conditions: string[] }>();
  const note = (id: number) => {
    let b = behind.get(id);
    if (!b) {
      b = { indicators: [], conditions: [] };
      behind.set(id, b);
    }
    return b;
  };
  const deductions: Explanation["deductions"] = [];
  for (const t of result.trace ?? []) {
    if (t.kind === "indicator") {
      const i = info.get(t.id)!;
      indicators.push({ id: t.id, zh: i.zh, en: i.en, dimension: t.dimension, type: i.type, ...pick(t) });
      if (i.type === "deduction")
        for (const r of t.records)
          if (r.points !== 0) {
            deductions.push({ indicator: t.id, record: r.id, points: r.points });
            note(r.id).indicators.push(t.id);
          }
    } else for (const id of t.records) note(id).conditions.push(t.id);
  }
  deductions.sort((a, b) => a.points - b.points || a.record - b.record);

  const byScore = scoreBeforeLimits(compiled, result.dimensions, asOf);
  const limits = limitsOf(compiled.def, result, byScore.grade);
  const blockedBy = limits.filter((l) => l.effect !== "none").map((l) => l.id);

  const cut = compiled.cutoffs(asOf);
  let nextGrade: Explanation["nextGrade"] = null;
  // A grade held (down or at its limit) is not lifted by points: no distance to give.
  const g: GradeOrNR | undefined = blockedBy.length > 0 ? undefined : result.grade;
  if (g === "B") nextGrade = { grade: "A", cutoff: cut.A, distance: cut.A - result.score };
  else if (g === "C") nextGrade = { grade: "B", cutoff: cut.B, distance: cut.B - result.score };
  else if (g === "D") nextGrade = { grade: "C", cutoff: cut.C, distance: cut.C - result.score };
  else if (g === "E") nextGrade = { grade: "D", cutoff: cut.D, distance: cut.D - result.score };

  const repairs: Repair[] = [];
  const byId = new Map(input.records.map((r) => [r.id, r]));
  for (const [id, b] of [...behind].sort((x, y) => x[0] - y[0])) {
    const rec = byId.get(id);
    if (!rec) continue;
    const without = compiled.evaluate({ ...input, records: input.records.filter((r) => r.id !== id) }, asOf);
    const lift = without.score - result.score;
    const grades =
      without.grade === "NR" || result.grade === "NR" ? 0 : RANK[result.grade] - RANK[without.grade];
    if (lift <= 0 && grades <= 0) continue;
    repairs.push({
      record: id,
      category: rec.category,
      department: rec.department,
      decision_date: rec.decision_date,
      indicators: b.indicators,
      conditions: b.conditions,
      score: without.score,
      grade: without.grade,
      lift,
      grades,
    });
  }
  repairs.sort((a, b) => b.grades - a.grades || b.lift - a.lift || a.record - b.record);

  const out: Explanation = {
    modelId: result.modelId,
    version: result.version,
    asOf,
    score: result.score,
    grade: result.grade,
    triggers: result.triggers,
    byScore,
    limits,
    indicators,
    deductions,
    nextGrade,
    blockedBy,
    repairs,
  };
  if (result.ceiling) out.ceiling = result.ceiling;
  return out;
}

function pick(t: { points: number; uncapped: number; records: TraceRecord[] }) {
  return { points: t.points, uncapped: t.uncapped, records: t.records };
}
