/** Day arithmetic on ISO dates for the generator: days since 1970-01-01 (UTC), with a cache of ISO strings. */

const DAY_MS = 86_400_000;

export function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

const CACHE_FROM = dayOf("1940-01-01");
const CACHE_TO = dayOf("2100-01-01");
const cache: (string | undefined)[] = [];

/** The ISO date (YYYY-MM-DD) of a day number. */
export function isoOf(day: number): string {
  if (day < CACHE_FROM || day >= CACHE_TO) return new Date(day * DAY_MS).toISOString().slice(0, 10);
  const i = day - CACHE_FROM;
  let s = cache[i];
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    cache[i] = s;
  }
  return s;
}

export function yearOf(day: number): number {
  return Number(isoOf(day).slice(0, 4));
}

/** The same calendar day `years` earlier or later (29 February becomes 1 March). */
export function addYears(day: number, years: number): number {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()) / DAY_MS;
}
