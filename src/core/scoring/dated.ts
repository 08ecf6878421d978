/** Dated parameters (OpenFisca style): a list of values, each in force from a date (to a date). */
import { dayOf, isRealDate, nextDay } from "./dates.ts";
import type { Dated } from "./types.ts";

export function inForceOn(v: { from: string; to?: string | undefined }, date: string): boolean {
  return v.from <= date && (v.to === undefined || date <= v.to);
}

/** The value in force on `date`; throws when none is (compileModel checks that none is missing). */
export function valueAt<T>(param: readonly Dated<T>[], date: string, what = "parameter"): T {
  for (const v of param) if (inForceOn(v, date)) return v.value;
  throw new RangeError(`${what} has no value in force on ${date}`);
}

export function entryAt<T>(param: readonly Dated<T>[], date: string): Dated<T> | undefined {
  return param.find((v) => inForceOn(v, date));
}

/**
 * Checks a dated parameter: real dates, ascending and contiguous (each value starts the day after the one
 * before ends), covering the whole life of the model, each citing a known source. Problems are pushed.
 */
export function checkDated(
  param: readonly Dated<unknown>[],
  path: string,
  life: { from: string; to?: string | undefined },
  sources: Record<string, string>,
  errors: string[],
): void {
  param.forEach((v, i) => {
    const at = `${path}[${i}]`;
    if (!isRealDate(v.from)) errors.push(`${at}.from: ${v.from} is not a real date`);
    if (v.to !== undefined && !isRealDate(v.to)) errors.push(`${at}.to: ${v.to} is not a real date`);
    if (v.to !== undefined && v.to < v.from)
      errors.push(`${at}: ends (${v.to}) before it starts (${v.from})`);
    if (!(v.source in sources)) errors.push(`${at}.source: "${v.source}" is not one of the file's sources`);
    const next = param[i + 1];
    if (next) {
      if (v.to === undefined) errors.push(`${at}: has no end date but another value follows`);
      else if (next.from !== nextDay(v.to))
        errors.push(
          `${path}[${i + 1}].from: ${next.from} must be the day after ${v.to} (no gaps or overlaps)`,
        );
    }
  });
  const first = param[0];
  const last = param[param.length - 1];
  if (first && first.from > life.from)
    errors.push(`${path}: starts ${first.from}, after the model takes effect (${life.from})`);
  if (last?.to !== undefined && (life.to === undefined || last.to < life.to))
    errors.push(`${path}: ends ${last.to}, before the model does (${life.to ?? "open-ended"})`);
}

/** The dates on which a dated parameter changes value (each value's start), inside [from, to]. */
export function changeDates(param: readonly Dated<unknown>[], from: string, to?: string): string[] {
  return param.map((v) => (v.from < from ? from : v.from)).filter((d) => to === undefined || d <= to);
}

export function sortDates(dates: Iterable<string>): string[] {
  return [...new Set(dates)].sort((a, b) => dayOf(a) - dayOf(b));
}
