/** Lenient parsers for values typed by people into spreadsheets; strict about what they accept. */

/** Full-width ASCII (Ｕ+FF01–FF5E) and the ideographic space to their half-width forms. */
export function toHalfWidth(s: string): string {
  if (!FULL_WIDTH.test(s)) return s;
  return s.replace(/[\uFF01-\uFF5E]/g, fullToHalf).replace(/\u3000/g, " ");
}

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;
const fullToHalf = (c: string) => String.fromCharCode(c.charCodeAt(0) - 0xfee0);

export type ParsedDate =
  | { kind: "ok"; date: string }
  | { kind: "unreadable" }
  | { kind: "impossible"; why: { zh: string; en: string } };

const pad = (n: number) => String(n).padStart(2, "0");

/** Accepts 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305, and an ISO timestamp's date part. */
export function parseDate(input: string): ParsedDate {
  // The common case, an ISO date, without the general machinery.
  if (input.length === 10 && ISO_DATE.test(input)) {
    const y = digits(input, 0, 4);
    const mo = digits(input, 5, 7);
    const d = digits(input, 8, 10);
    // A valid date from year 1000 on is already in canonical form: hand back the input.
    if (y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo))
      return { kind: "ok", date: input };
    return checkYmd(y, mo, d);
  }
  const s = toHalfWidth(input).trim();
  const m =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      s,
    ) ??
    /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(s) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return { kind: "unreadable" };
  return checkYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The number written by the ASCII digits s[from..to). */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the Gregorian calendar, as Date.UTC counts them (which reads years 0–99 as 1900–1999). */
function daysInMonth(y: number, mo: number): number {
  if (mo !== 2) return DAYS_IN_MONTH[mo]!;
  const yy = y >= 0 && y <= 99 ? 1900 + y : y;
  return (yy % 4 === 0 && yy % 100 !== 0) || yy % 400 === 0 ? 29 : 28;
}

function checkYmd(y: number, mo: number, d: number): ParsedDate {
  if (mo < 1 || mo > 12)
    return { kind: "impossible", why: { zh: `没有 ${mo} 月`, en: `there is no month ${mo}` } };
  const last = daysInMonth(y, mo);
  if (d < 1 || d > last)
    return {
      kind: "impossible",
      why: { zh: `${y}年${mo}月只有 ${last} 天`, en: `${y}-${pad(mo)} has only ${last} days` },
    };
  // Four-digit year: "0020-01-01" must compare (as text) before "1949-10-01", not after it as "20-01-01" would.
  return { kind: "ok", date: `${String(y).padStart(4, "0")}-${pad(mo)}-${pad(d)}` };
}

/** Parses "1,234.5", " 12 ", "-3"; rejects units, NaN, Infinity and empty strings. */
export function parseNumber(input: string): number | undefined {
  const s = input.trim().replace(/,(?=\d{3}(\D|$))/g, "");
  if (!/^-?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}
