/**
 * Date thresholds for one as-of date, computed once so that the per-record work is a string comparison
 * (ISO dates compare as strings). Durations add as in the catalog (`addDuration`: month ends clamp).
 */
import { addDuration } from "../catalog/catalog.ts";

const DAY_MS = 86_400_000;

export function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

export function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function nextDay(iso: string): string {
  return isoOf(dayOf(iso) + 1);
}

export function previousDay(iso: string): string {
  return isoOf(dayOf(iso) - 1);
}

/** A real calendar date (2026-02-30 is not). */
export function isRealDate(iso: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && isoOf(dayOf(iso)) === iso;
}

/**
 * The last date `d` with `d + duration ≤ asOf`: a record decided on or before it is at least `duration`
 * old on `asOf`; one decided after it is younger. `addDuration` never decreases as `d` grows, so the
 * boundary is found from a first guess by stepping.
 */
export function lastDayAged(asOf: string, duration: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(duration);
  if (!m) throw new Error(`bad duration ${duration}`);
  const [y, mo, d] = asOf.split("-").map(Number) as [number, number, number];
  let day = Date.UTC(y - Number(m[1] ?? 0), mo - 1 - Number(m[2] ?? 0), d - Number(m[3] ?? 0)) / DAY_MS;
  while (addDuration(isoOf(day), duration) > asOf) day--;
  while (addDuration(isoOf(day + 1), duration) <= asOf) day++;
  return isoOf(day);
}

/** The first date `d` with `d + duration > asOf`: records decided on or after it are still in their period. */
export function firstDayWithin(asOf: string, duration: string): string {
  return nextDay(lastDayAged(asOf, duration));
}
