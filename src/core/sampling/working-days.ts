import { dayOf, isoOf } from "../scoring/dates.ts";

/**
 * The date `n` working days after `iso` (Monday–Friday; the day itself not counted). Public holidays and the
 * weekend days worked in their place (调休) are not known to the platform: the result can be a few days early,
 * never late, so a deadline computed with it is kept.
 */
export function addWorkingDays(iso: string, n: number): string {
  let day = dayOf(iso);
  for (let left = n; left > 0; ) {
    day++;
    // 1970-01-01 (day 0) was a Thursday: day % 7 is 2 on Saturdays and 3 on Sundays.
    const weekday = ((((day % 7) + 7) % 7) + 4) % 7; // 0 = Sunday … 6 = Saturday
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return isoOf(day);
}
