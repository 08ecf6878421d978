/** Lenient parsers for values typed by people into spreadsheets; strict about what they accept. */

/** Full-width ASCII (Ｕ+FF01–FF5E) and the ideographic space to their half-width forms. */
export function toHalfWidth(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ");
}

export type ParsedDate =
  | { kind: "ok"; date: string }
  | { kind: "unreadable" }
  | { kind: "impossible"; why: { zh: string; en: string } };

const pad = (n: number) => String(n).padStart(2, "0");

/** Accepts 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305, and an ISO timestamp's date part. */
export function parseDate(input: string): ParsedDate {
  // The common case, an ISO date, without the general machinery.
  if (input.length === 10 && ISO_DATE.test(input))
    return checkYmd(+input.slice(0, 4), +input.slice(5, 7), +input.slice(8, 10));
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

function checkYmd(y: number, mo: number, d: number): ParsedDate {
  if (mo < 1 || mo > 12)
    return { kind: "impossible", why: { zh: `没有 ${mo} 月`, en: `there is no month ${mo}` } };
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > last)
    return {
      kind: "impossible",
      why: { zh: `${y}年${mo}月只有 ${last} 天`, en: `${y}-${pad(mo)} has only ${last} days` },
    };
  return { kind: "ok", date: `${y}-${pad(mo)}-${pad(d)}` };
}

/** Parses "1,234.5", " 12 ", "-3"; rejects units, NaN, Infinity and empty strings. */
export function parseNumber(input: string): number | undefined {
  const s = input.trim().replace(/,(?=\d{3}(\D|$))/g, "");
  if (!/^-?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}
