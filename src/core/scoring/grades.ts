/**
 * Other grading systems mapped to the unified A–E scale by dated tables under policy/grades/: tax credit
 * (A/B/M/C/D), SAMR enterprise credit-risk classes (A–D), and scores on other scales. The original grade
 * is always kept beside the unified one.
 */

import type { Grade, GradeOrNR } from "../grades.ts";
import { checkDated, entryAt } from "./dated.ts";
import type { BandsFile } from "./schema.ts";
import type { Cutoffs, Dated, GradeTables } from "./types.ts";

export interface MappedGrade {
  /** The other system (table id): tax, samr-risk, score-100, … */
  source: string;
  /** Its grade or score as it gave it. */
  original: string;
  /** The unified grade; NR when the other system says it could not grade (tax M: a new entity). */
  grade: GradeOrNR;
  /** The mapping in force: `<table>@<from date>`. */
  rule: string;
}

export function gradeOfScore(score: number, c: Cutoffs): Grade {
  return score >= c.A ? "A" : score >= c.B ? "B" : score >= c.C ? "C" : score >= c.D ? "D" : "E";
}

/** Maps another system's grade on `date`; throws on an unknown table, grade or date. */
export function mapGrade(tables: GradeTables, source: string, original: string, date: string): MappedGrade {
  const t = tables.maps.get(source);
  if (!t) throw new RangeError(`no grade mapping table "${source}" under policy/grades/`);
  const e = entryAt(t.map, date);
  if (!e) throw new RangeError(`${source}: no mapping in force on ${date}`);
  const key = original.trim().toUpperCase();
  const grade = e.value[key];
  if (grade === undefined)
    throw new RangeError(
      `${source}: "${original}" is not a grade in force on ${date} (${Object.keys(e.value).join(", ")})`,
    );
  return { source, original, grade, rule: `${source}@${e.from}` };
}

/** Maps a score on another scale (table kind `scale`) on `date`. */
export function mapScore(tables: GradeTables, scale: string, score: number, date: string): MappedGrade {
  const t = tables.scales.get(scale);
  if (!t) throw new RangeError(`no scale mapping "${scale}" under policy/grades/`);
  if (!Number.isFinite(score) || score < t.min || score > t.max)
    throw new RangeError(`${scale}: score ${score} is outside ${t.min}..${t.max}`);
  const e = entryAt(t.cutoffs, date);
  if (!e) throw new RangeError(`${scale}: no cut-offs in force on ${date}`);
  return {
    source: scale,
    original: String(score),
    grade: gradeOfScore(score, e.value),
    rule: `${scale}@${e.from}`,
  };
}

/** The mapped grades a model takes as `otherGrades` (NR ones say nothing and are left out). */
export function otherGradesOf(mapped: readonly MappedGrade[]): { source: string; grade: Grade }[] {
  return mapped
    .filter((m): m is MappedGrade & { grade: Grade } => m.grade !== "NR")
    .map((m) => ({ source: m.source, grade: m.grade }))
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.grade < b.grade ? -1 : 1));
}

/** Everything wrong with the grade tables: dated values in order, every grade mapped, cut-offs descending. */
export function checkGradeTables(tables: GradeTables): string[] {
  const errors: string[] = [];
  for (const set of tables.bands.sets) {
    const life = { from: set.cutoffs[0]!.from };
    checkDated(set.cutoffs, `bands.yaml ${set.id}`, life, tables.bands.sources, errors);
    for (const v of set.cutoffs)
      if (!(v.value.A > v.value.B && v.value.B > v.value.C && v.value.C > v.value.D))
        errors.push(`bands.yaml ${set.id} from ${v.from}: cut-offs must fall A > B > C > D`);
  }
  for (const t of tables.maps.values()) {
    checkDated(t.map, `${t.id}.yaml map`, { from: t.map[0]!.from }, t.sources, errors);
    for (const v of t.map)
      for (const k of Object.keys(v.value))
        if (!t.grades.includes(k))
          errors.push(`${t.id}.yaml from ${v.from}: "${k}" is not one of ${t.grades.join(", ")}`);
  }
  for (const t of tables.scales.values()) {
    checkDated(t.cutoffs, `${t.id}.yaml cutoffs`, { from: t.cutoffs[0]!.from }, t.sources, errors);
    for (const v of t.cutoffs) {
      const c = v.value;
      if (!(c.A > c.B && c.B > c.C && c.C > c.D && c.A <= t.max && c.D >= t.min))
        errors.push(
          `${t.id}.yaml from ${v.from}: cut-offs must fall A > B > C > D within ${t.min}..${t.max}`,
        );
    }
  }
  return errors;
}

/** The dated cut-offs of a band set, each citing its source in full. */
export function bandSet(bands: BandsFile, id: string): Dated<Cutoffs>[] {
  const set = bands.sets.find((s) => s.id === id);
  if (!set) return [];
  return set.cutoffs.map((v) => ({
    ...v,
    source: `policy/grades/bands.yaml ${set.id}: ${bands.sources[v.source] ?? v.source}`,
  }));
}
