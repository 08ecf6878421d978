/**
 * Defaults of graded random inspections (policy/supervision/sampling.yaml): ratios per stratum, the control
 * sample's minimum, frequency caps, the floor, the exclusion window, the publication limit and inspectors per
 * subject — each a dated parameter ({ from, to?, value, source }, core/scoring/dated.ts), checked at load.
 */
import { z } from "zod";
import { InputError, problem } from "../problem.ts";
import { changeDates, checkDated, entryAt, valueAt } from "../scoring/dated.ts";
import { isRealDate } from "../scoring/dates.ts";
import { dated, isoDate } from "../scoring/schema.ts";
import type { Dated } from "../scoring/types.ts";
import { STRATA, type Stratum } from "./pool-file.ts";

const bp = z.number().int().min(0).max(10000);
const perStratum = <T extends z.ZodType>(v: T) =>
  z.strictObject({ A: dated(v), B: dated(v), C: dated(v), D: dated(v), E: dated(v), NR: dated(v) });

export const samplingFileSchema = z.strictObject({
  id: z.literal("sampling"),
  title_zh: z.string().min(1),
  title_en: z.string().min(1),
  effective_from: isoDate,
  sources: z.record(z.string(), z.string().min(1)),
  ratio_bp: perStratum(bp),
  min_ratio_bp: z.partialRecord(z.enum(STRATA), dated(bp)),
  frequency_cap_per_year: perStratum(z.number().int().min(1).nullable()),
  floor_years: dated(z.number().int().min(1).nullable()),
  exclusion_months: dated(z.number().int().min(1).nullable()),
  publish_within_working_days: dated(z.number().int().min(1)),
  min_inspectors_per_subject: dated(z.number().int().min(1)),
});
export type SamplingFile = z.infer<typeof samplingFileSchema>;

/** The values in force on one date, each with its source (key → citation, e.g. `ratio_bp.A`). */
export interface SamplingDefaults {
  date: string;
  /** Basis points per stratum (1% = 100). */
  ratioBp: Record<Stratum, number>;
  /** The lowest ratio a plan may set, where there is one (A: the control sample). */
  minRatioBp: Partial<Record<Stratum, number>>;
  /** Most inspections per subject in any 12 months, this plan's included; null = no cap. */
  frequencyCapPerYear: Record<Stratum, number | null>;
  /** Every subject inspected for the plan's items at least once in this many years; null = no floor. */
  floorYears: number | null;
  /** Not inspected again for the same items within this many months; null = no window. */
  exclusionMonths: number | null;
  publishWithinWorkingDays: number;
  minInspectorsPerSubject: number;
  sources: Record<string, string>;
}

/** Every dated parameter of the file with its path (`ratio_bp.A`, `floor_years`, …). */
function parameters(f: SamplingFile): [string, readonly Dated<unknown>[]][] {
  const out: [string, readonly Dated<unknown>[]][] = [];
  for (const s of STRATA) out.push([`ratio_bp.${s}`, f.ratio_bp[s]]);
  for (const s of STRATA) {
    const m = f.min_ratio_bp[s];
    if (m) out.push([`min_ratio_bp.${s}`, m]);
  }
  for (const s of STRATA) out.push([`frequency_cap_per_year.${s}`, f.frequency_cap_per_year[s]]);
  out.push(["floor_years", f.floor_years]);
  out.push(["exclusion_months", f.exclusion_months]);
  out.push(["publish_within_working_days", f.publish_within_working_days]);
  out.push(["min_inspectors_per_subject", f.min_inspectors_per_subject]);
  return out;
}

/**
 * The meaning checks: real, contiguous dates covering the file's life, known sources; a minimum never above the
 * ratio in force beside it; A's minimum never 0 (the control sample). Returns the problems (empty = valid).
 */
export function checkSamplingFile(f: SamplingFile): string[] {
  const errors: string[] = [];
  if (!isRealDate(f.effective_from)) errors.push(`effective_from: ${f.effective_from} is not a real date`);
  const life = { from: f.effective_from };
  for (const [path, param] of parameters(f)) checkDated(param, path, life, f.sources, errors);
  const minA = f.min_ratio_bp.A;
  if (!minA) errors.push("min_ratio_bp.A: missing (A needs a control sample, never 0)");
  for (const s of STRATA) {
    const min = f.min_ratio_bp[s];
    if (!min) continue;
    for (const v of min)
      if (s === "A" && v.value === 0)
        errors.push(`min_ratio_bp.A from ${v.from}: 0 (A needs a control sample)`);
    const ratio = f.ratio_bp[s];
    for (const d of [...changeDates(min, f.effective_from), ...changeDates(ratio, f.effective_from)]) {
      const m = entryAt(min, d);
      const r = entryAt(ratio, d);
      if (m && r && m.value > r.value)
        errors.push(`ratio_bp.${s} on ${d}: ${r.value} is below min_ratio_bp.${s} (${m.value})`);
    }
  }
  return errors;
}

/** The values in force on `date`, each with its source. A date before the file takes effect is an InputError. */
export function samplingDefaults(f: SamplingFile, date: string): SamplingDefaults {
  if (!isRealDate(date) || date < f.effective_from)
    throw new InputError([
      problem(
        "plan.date",
        {
          zh: isRealDate(date)
            ? `计划日期 ${date} 早于抽查参数的生效日期 ${f.effective_from}`
            : `计划日期 ${date} 不是有效日期`,
          en: isRealDate(date)
            ? `The plan date ${date} is before the sampling defaults take effect (${f.effective_from})`
            : `The plan date ${date} is not a real date`,
          fixZh: `写作 YYYY-MM-DD，且不早于 ${f.effective_from}`,
          fixEn: `Write YYYY-MM-DD, on or after ${f.effective_from}`,
        },
        { field: "planDate", value: date },
      ),
    ]);
  const sources: Record<string, string> = {};
  const at = <T>(param: readonly Dated<T>[], path: string): T => {
    const v = valueAt(param, date, `policy/supervision/sampling.yaml ${path}`);
    const e = entryAt(param, date)!;
    sources[path] = f.sources[e.source] ?? e.source;
    return v;
  };
  const byStratum = <T>(p: Record<Stratum, readonly Dated<T>[]>, path: string) =>
    Object.fromEntries(STRATA.map((s) => [s, at(p[s], `${path}.${s}`)])) as Record<Stratum, T>;
  const minRatioBp: Partial<Record<Stratum, number>> = {};
  for (const s of STRATA) {
    const m = f.min_ratio_bp[s];
    if (m && entryAt(m, date)) minRatioBp[s] = at(m, `min_ratio_bp.${s}`);
  }
  return {
    date,
    ratioBp: byStratum(f.ratio_bp, "ratio_bp"),
    minRatioBp,
    frequencyCapPerYear: byStratum(f.frequency_cap_per_year, "frequency_cap_per_year"),
    floorYears: at(f.floor_years, "floor_years"),
    exclusionMonths: at(f.exclusion_months, "exclusion_months"),
    publishWithinWorkingDays: at(f.publish_within_working_days, "publish_within_working_days"),
    minInspectorsPerSubject: at(f.min_inspectors_per_subject, "min_inspectors_per_subject"),
    sources,
  };
}
