/**
 * Citizen identification number of the PRC (居民身份证号码), GB 11643-1999: 6-digit address code,
 * 8-digit birth date (YYYYMMDD), 3-digit sequence (odd for men, even for women), 1 check character
 * (ISO 7064 MOD 11-2). Pure functions, no I/O.
 */
import { type CodeReason, normalizeCode, showChar } from "../uscc/normalize.ts";

export type { CodeReason } from "../uscc/normalize.ts";
export { normalizeCode } from "../uscc/normalize.ts";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = "10X98765432";
/** Earliest birth date accepted: nobody alive was born before this. */
const EARLIEST_BIRTH = "19000101";

export interface IdNumberResult {
  normalized: string;
  status: "valid" | "invalid";
  reason?: CodeReason;
  /** Birth date as YYYY-MM-DD, present when valid. */
  birthDate?: string;
}

/** The check character for the first 17 digits of an 18-digit ID number. Throws on anything but 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError(`idCheckChar needs exactly 17 digits, got ${JSON.stringify(first17)}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** 18 characters, 17 digits then a digit or X (after normalisation): tells a person's number from a USCC. */
export function isIdNumberLike(s: string): boolean {
  return /^\d{17}[\dX]$/.test(normalizeCode(s));
}

/**
 * Hide an ID number for display and logs: the first 6 and last 4 characters stay, the rest become `*`
 * (`350582********123X`). Anything of 10 characters or fewer is hidden entirely.
 */
export function maskIdNumber(s: string): string {
  const n = normalizeCode(s);
  const chars = Array.from(n);
  if (chars.length <= 10) return "*".repeat(chars.length);
  return chars.slice(0, 6).join("") + "*".repeat(chars.length - 10) + chars.slice(-4).join("");
}

function reason(code: string, zh: string, en: string, fixZh: string, fixEn: string): CodeReason {
  return { code, zh, en, fixZh, fixEn };
}

/** Today's date in China (UTC+8) as YYYYMMDD. */
function chinaToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll("-", "");
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Check an 18-digit resident ID number. `today` (YYYY-MM-DD or YYYYMMDD, default: today in China) is the
 * date a birth date may not be after. Messages never repeat the number itself.
 */
export function checkIdNumber(input: string, today?: string): IdNumberResult {
  const normalized = normalizeCode(input);
  const invalid = (r: CodeReason): IdNumberResult => ({ normalized, status: "invalid", reason: r });

  let todayCompact = chinaToday();
  if (today !== undefined) {
    const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(today.trim());
    if (!m) throw new RangeError(`checkIdNumber: today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
    todayCompact = `${m[1]}${m[2]}${m[3]}`;
  }

  if (normalized === "") {
    return invalid(
      reason(
        "id.empty",
        "身份证号码为空",
        "The ID number is empty",
        "请填写18位居民身份证号码",
        "Enter the 18-character resident ID number",
      ),
    );
  }

  const chars = Array.from(normalized);
  if (chars.length !== 18) {
    const old = chars.length === 15 && /^\d{15}$/.test(normalized);
    return invalid(
      reason(
        "id.length",
        `身份证号码应为18位，实际为${chars.length}位`,
        `A resident ID number has 18 characters; this one has ${chars.length}`,
        old
          ? "15位号码是第一代身份证号码，请填写第二代身份证上的18位号码"
          : "请对照身份证核对是否漏录或多录了字符",
        old
          ? "15 digits is a first-generation ID number; enter the 18-character number on the current ID card"
          : "Compare with the ID card and add the missing or remove the extra characters",
      ),
    );
  }

  const bad: string[] = [];
  const badEn: string[] = [];
  chars.forEach((ch, i) => {
    const ok = i < 17 ? /\d/.test(ch) : /[\dX]/.test(ch);
    if (!ok) {
      bad.push(`第${i + 1}位“${showChar(ch)}”`);
      badEn.push(`"${showChar(ch)}" at position ${i + 1}`);
    }
  });
  if (bad.length > 0) {
    return invalid(
      reason(
        "id.char",
        `身份证号码含有不允许的字符：${bad.join("、")}`,
        `The ID number contains characters that are not allowed: ${badEn.join(", ")}`,
        "前17位只能是数字，第18位是数字或字母X；字母O、I常为数字0、1的误录，请对照身份证改正",
        "The first 17 characters are digits and the 18th is a digit or the letter X; O and I are usually " +
          "mistyped 0 and 1 — correct them against the ID card",
      ),
    );
  }

  const birth = normalized.slice(6, 14);
  const year = Number(birth.slice(0, 4));
  const month = Number(birth.slice(4, 6));
  const day = Number(birth.slice(6, 8));
  const fixDateZh = "第7–14位是出生日期（年月日），请对照身份证改正";
  const fixDateEn = "Characters 7–14 are the birth date (YYYYMMDD); correct them against the ID card";
  if (month < 1 || month > 12) {
    return invalid(
      reason(
        "id.birth_date",
        `出生日期中的月份“${birth.slice(4, 6)}”无效`,
        `The month "${birth.slice(4, 6)}" in the birth date does not exist`,
        fixDateZh,
        fixDateEn,
      ),
    );
  }
  if (day < 1 || day > daysInMonth(year, month)) {
    return invalid(
      reason(
        "id.birth_date",
        `出生日期中的日“${birth.slice(6, 8)}”在${month}月不存在`,
        `Day "${birth.slice(6, 8)}" does not exist in month ${month} of the birth date`,
        fixDateZh,
        fixDateEn,
      ),
    );
  }
  if (birth > todayCompact) {
    return invalid(
      reason("id.birth_future", "出生日期晚于今天", "The birth date is in the future", fixDateZh, fixDateEn),
    );
  }
  if (birth < EARLIEST_BIRTH) {
    return invalid(
      reason(
        "id.birth_early",
        "出生日期早于1900年1月1日，不可能是在世人员的号码",
        "The birth date is before 1900-01-01, which cannot belong to a living person",
        fixDateZh,
        fixDateEn,
      ),
    );
  }

  const expected = idCheckChar(normalized.slice(0, 17));
  const actual = normalized[17]!;
  if (expected !== actual) {
    return invalid(
      reason(
        "id.check",
        `校验码错误：按前17位计算第18位应为“${expected}”，实际为“${actual}”`,
        `Wrong check character: from the first 17 characters the 18th should be "${expected}", not "${actual}"`,
        "请对照身份证逐位核对全部18位，常见错误是某位录错或相邻两位颠倒",
        "Compare all 18 characters with the ID card; usually one character is mistyped or two are swapped",
      ),
    );
  }

  return {
    normalized,
    status: "valid",
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
  };
}

/**
 * For logs: every run of characters shaped like an identity number (17 digits and a digit or X; the old 15
 * digits) in free text — a URL, a query — masked as maskIdNumber does, whether or not its check digit holds: a log must not
 * keep a person's number even when it was mistyped.
 */
export function maskIdNumbersInText(text: string): string {
  return text
    .replace(/(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])/g, "$1********$2")
    .replace(/(?<![0-9A-Za-z])(\d{6})\d{5}(\d{4})(?![0-9A-Za-z])/g, "$1*****$2");
}

/**
 * For output: masks `code` when it is a natural person's identity number (a valid one: an all-digit
 * pre-2015 USCC is left as it is), else returns it unchanged.
 */
export function maskIfIdNumber(code: string): string {
  return isIdNumberLike(code) && checkIdNumber(code).status === "valid" ? maskIdNumber(code) : code;
}
