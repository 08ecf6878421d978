/**
 * Explanations of an evaluation (PIPL art. 24; the seed's repair routes §二(二)5): points per indicator, the
 * records behind every deduction, the distance to the next grade up, and which repairs would lift the grade —
 * each found by evaluating again without the record (cheap: the model is compiled).
 */
import type { CompiledModel } from "./compile.ts";
import type { EvalInput, Grade, GradeOrNR, TraceRecord } from "./types.ts";

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

export interface Explanation {
  modelId: string;
  version: string;
  asOf: string;
  score: number;
  grade: GradeOrNR;
  triggers: string[];
  ceiling?: string;
  indicators: IndicatorExplanation[];
  /** Every record behind a deduction, largest first. */
  deductions: { indicator: string; record: number; points: number }[];
  /** The next grade up and the points still missing to reach its cut-off (null for A and NR). */
  nextGrade: { grade: Grade; cutoff: number; distance: number } | null;
  /** Triggers and the ceiling that keep the grade down whatever the score. */
  blockedBy: string[];
  /** Records whose end would lift the score or the grade, best first. */
  repairs: Repair[];
}

const RANK: Record<GradeOrNR, number> = { A: 0, B: 1, C: 2, D: 3, E: 4, NR: -1 };

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

  const cut = compiled.cutoffs(asOf);
  let nextGrade: Explanation["nextGrade"] = null;
  const g = result.grade;
  if (g === "B") nextGrade = { grade: "A", cutoff: cut.A, distance: cut.A - result.score };
  else if (g === "C") nextGrade = { grade: "B", cutoff: cut.B, distance: cut.B - result.score };
  else if (g === "D") nextGrade = { grade: "C", cutoff: cut.C, distance: cut.C - result.score };
  else if (g === "E") nextGrade = { grade: "D", cutoff: cut.D, distance: cut.D - result.score };
  const blockedBy = [...result.triggers, ...(result.ceiling ? [result.ceiling] : [])];

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
