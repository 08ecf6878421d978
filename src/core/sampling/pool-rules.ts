/**
 * The pool rules of a plan (algorithm v1): exclusions, frequency caps and the floor decide the pool before it is
 * frozen. Pure: no I/O.
 */
import { InputError, type Problem } from "../problem.ts";
import { firstDayWithin, isRealDate, lastDayAged } from "../scoring/dates.ts";
import {
  codeProblem,
  compareBytes,
  fail,
  isStratum,
  MAX_PROBLEMS,
  type PoolEntry,
  STRATA,
  stratumProblem,
} from "./pool-file.ts";

export interface Candidate {
  code: string;
  stratum: string;
  /** Past inspections of the subject (by any department), with the supervision items they covered. */
  inspections: { date: string; items: string[]; department?: string }[];
  /** Registration date: a subject younger than the floor is not overdue yet. */
  registeredOn?: string | null;
}

export interface PlanRules {
  /** The plan's supervision items (监管事项). */
  items: string[];
  /** Most inspections per subject in any 12 months, this plan's included; absent or null = no cap. */
  frequencyCapPerYear: Record<string, number | null>;
  /** Every subject inspected for the plan's items at least once in this many years; 0 = no floor. */
  floorYears: number;
  /** Inspected for any of the plan's items within this many months → left out; 0 = no window. */
  exclusionMonths: number;
  /**
   * The plan's department: when given, the floor and the frequency cap count only its inspections (an
   * inspection without a department counts); the exclusion window counts every department's.
   */
  department?: string;
}

export interface PoolSelection {
  /** The random part, in code (byte) order: pass to poolFileBytes and drawPool. */
  pool: PoolEntry[];
  /** Overdue for the floor: inspected outside the random part, in code order. */
  mustInspect: { code: string; stratum: string; lastInspected: string | null }[];
  excluded: {
    code: string;
    stratum: string;
    reason: "recent_same_items" | "frequency_cap";
    zh: string;
    en: string;
  }[];
}

/**
 * The pool rules (v1), applied to every candidate as of `asOf`; inspections dated after `asOf` are ignored.
 * "Own" inspections are those of `plan.department` (all of them when it is not given).
 * In this order, the first that applies decides:
 * 1. inspected (by any department) for any of the plan's items within exclusionMonths
 *    (date + exclusionMonths months > asOf) → excluded `recent_same_items`;
 * 2. no own inspection at all, or the last one floorYears years ago or more (date + floorYears years ≤ asOf),
 *    unless registered less than floorYears ago → mustInspect (the frequency cap does not hold it back);
 * 3. own inspections in the last 12 months (date + 1 year > asOf) ≥ the stratum's cap → excluded `frequency_cap`;
 * 4. otherwise → pool.
 * Months and years add as calendar months (a month end clamps: 2024-02-29 + 1 year = 2025-02-28).
 */
export function selectPool(candidates: readonly Candidate[], plan: PlanRules, asOf: string): PoolSelection {
  const problems: Problem[] = [];
  const check = (ok: boolean, ...problem: Parameters<typeof fail>) => {
    if (!ok && problems.length < MAX_PROBLEMS) problems.push(fail(...problem));
  };
  check(
    isRealDate(asOf),
    "plan.as_of",
    `基准日 ${asOf} 不是有效日期`,
    `the as-of date ${asOf} is not a real date`,
    "写作 YYYY-MM-DD",
    "write YYYY-MM-DD",
    { field: "asOf", value: asOf },
  );
  const whole = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 100;
  check(
    whole(plan.floorYears),
    "plan.floor_years",
    `全覆盖年限 ${String(plan.floorYears)} 不是 0–100 的整数`,
    `the floor ${String(plan.floorYears)} is not a whole number of years from 0 to 100`,
    "0 表示不设底线",
    "0 means no floor",
    { field: "floorYears", value: plan.floorYears },
  );
  check(
    whole(plan.exclusionMonths),
    "plan.exclusion_months",
    `不重复检查期 ${String(plan.exclusionMonths)} 不是 0–100 的整数`,
    `the exclusion window ${String(plan.exclusionMonths)} is not a whole number of months from 0 to 100`,
    "0 表示不设",
    "0 means none",
    { field: "exclusionMonths", value: plan.exclusionMonths },
  );
  check(
    Array.isArray(plan.items) && plan.items.length > 0,
    "plan.items",
    "计划没有监管事项",
    "the plan names no supervision items",
    "至少选择一个监管事项",
    "choose at least one supervision item",
    { field: "items" },
  );
  for (const [s, cap] of Object.entries(plan.frequencyCapPerYear ?? {})) {
    check(
      isStratum(s),
      "plan.frequency_cap",
      `频次上限中有未知层级 ${s}`,
      `the frequency caps name an unknown stratum ${s}`,
      `层级只能是 ${STRATA.join("、")} 之一`,
      `a stratum is one of ${STRATA.join(", ")}`,
      { field: `frequencyCapPerYear.${s}`, value: s },
    );
    check(
      cap === null || (typeof cap === "number" && Number.isInteger(cap) && cap >= 1),
      "plan.frequency_cap",
      `${s} 层每年频次上限 ${String(cap)} 不是正整数`,
      `the yearly cap of ${s}, ${String(cap)}, is not a positive whole number`,
      "写正整数，或留空表示不设上限",
      "write a positive whole number, or leave it empty for no cap",
      { field: `frequencyCapPerYear.${s}`, value: cap },
    );
  }
  // Messages are built only for what fails: a city's plan checks ~40,000 candidates and ~120,000 dates, and
  // building every message up front took most of the second this function spent on them.
  const seen = new Set<string>();
  const dates = new Map<string, boolean>();
  candidates.forEach((c, i) => {
    const where = { row: i + 1 };
    const cp = codeProblem(c.code, where) ?? stratumProblem(c.stratum, where);
    if (cp && problems.length < MAX_PROBLEMS) problems.push(cp);
    if (seen.has(c.code))
      check(
        false,
        "pool.duplicate",
        `主体 ${c.code} 出现两次`,
        `subject ${c.code} is listed twice`,
        "每个主体只列一次",
        "list each subject once",
        { ...where, field: "code", value: c.code },
      );
    seen.add(c.code);
    for (const x of c.inspections) {
      let real = dates.get(x.date);
      if (real === undefined) {
        real = isRealDate(x.date);
        dates.set(x.date, real);
      }
      if (!real)
        check(
          false,
          "plan.inspection_date",
          `主体 ${c.code} 的检查日期 ${x.date} 不是有效日期`,
          `an inspection date of ${c.code}, ${x.date}, is not a real date`,
          "写作 YYYY-MM-DD",
          "write YYYY-MM-DD",
          { ...where, field: "inspections.date", value: x.date },
        );
    }
  });
  if (problems.length) throw new InputError(problems);

  const items = new Set(plan.items);
  const itemsText = plan.items.join("、");
  const exclusionFrom = plan.exclusionMonths > 0 ? firstDayWithin(asOf, `P${plan.exclusionMonths}M`) : null;
  const floorBy = plan.floorYears > 0 ? lastDayAged(asOf, `P${plan.floorYears}Y`) : null;
  const yearFrom = firstDayWithin(asOf, "P1Y");
  const out: PoolSelection = { pool: [], mustInspect: [], excluded: [] };
  const sorted = [...candidates].sort((a, b) => compareBytes(a.code, b.code));
  const own = (x: { department?: string }) =>
    plan.department === undefined || x.department === undefined || x.department === plan.department;
  for (const c of sorted) {
    let lastSame: string | null = null;
    let lastOwn: string | null = null;
    let inYear = 0;
    for (const x of c.inspections) {
      if (x.date > asOf) continue;
      if (x.items.some((it) => items.has(it)) && (lastSame === null || x.date > lastSame)) lastSame = x.date;
      if (!own(x)) continue;
      if (x.date >= yearFrom) inYear++;
      if (lastOwn === null || x.date > lastOwn) lastOwn = x.date;
    }
    if (exclusionFrom !== null && lastSame !== null && lastSame >= exclusionFrom) {
      out.excluded.push({
        code: c.code,
        stratum: c.stratum,
        reason: "recent_same_items",
        zh: `${lastSame} 已就本计划事项（${itemsText}）检查，${plan.exclusionMonths} 个月内不重复检查`,
        en: `Inspected for this plan's items (${plan.items.join(", ")}) on ${lastSame}, within ${plan.exclusionMonths} months`,
      });
      continue;
    }
    const young = c.registeredOn != null && c.registeredOn > (floorBy ?? "");
    if (floorBy !== null && !young && (lastOwn === null || lastOwn <= floorBy)) {
      out.mustInspect.push({ code: c.code, stratum: c.stratum, lastInspected: lastOwn });
      continue;
    }
    const cap = plan.frequencyCapPerYear?.[c.stratum];
    if (cap !== undefined && cap !== null && inYear >= cap) {
      out.excluded.push({
        code: c.code,
        stratum: c.stratum,
        reason: "frequency_cap",
        zh: `近 12 个月已检查 ${inYear} 次，达到 ${c.stratum} 级每年 ${cap} 次的上限`,
        en: `Inspected ${inYear} times in the last 12 months, the cap for ${c.stratum} is ${cap} a year`,
      });
      continue;
    }
    out.pool.push({ code: c.code, stratum: c.stratum });
  }
  return out;
}
