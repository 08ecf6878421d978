/**
 * A problem found in input: names the row, the field, what is wrong and how to fix it,
 * in Chinese and English. Every rejection anywhere in the platform is one of these.
 */
export interface Problem {
  /** 1-based data row (the header is row 0 in files); absent for whole-request problems. */
  row?: number;
  field?: string;
  /** Stable machine code, e.g. `date.future`. */
  code: string;
  zh: string;
  en: string;
  fixZh: string;
  fixEn: string;
  /** The offending value, cut to 200 characters; stored and shown literally, never interpreted. */
  value?: string;
}

export interface ProblemText {
  zh: string;
  en: string;
  fixZh: string;
  fixEn: string;
}

export function problem(
  code: string,
  text: ProblemText,
  where: { row?: number; field?: string; value?: unknown } = {},
): Problem {
  const p: Problem = { code, ...text };
  if (where.row !== undefined) p.row = where.row;
  if (where.field !== undefined) p.field = where.field;
  if (where.value !== undefined && where.value !== null) p.value = String(where.value).slice(0, 200);
  return p;
}

/** An error that carries problems to the user (HTTP 4xx, CLI exit 1) instead of a stack trace. */
export class InputError extends Error {
  readonly problems: Problem[];
  readonly status: number;
  constructor(problems: Problem[], status = 400) {
    super(problems.map((p) => `${p.code}: ${p.en}`).join("; "));
    this.name = "InputError";
    this.problems = problems;
    this.status = status;
  }
}

/** A 404: what does not exist and how to find the right one. */
export function notFoundError(text: ProblemText): InputError {
  return new InputError([problem("not_found", text)], 404);
}

export function formatProblem(p: Problem, lang: "zh" | "en" = "zh"): string {
  const where = [p.row !== undefined ? (lang === "zh" ? `第${p.row}行` : `row ${p.row}`) : "", p.field ?? ""]
    .filter(Boolean)
    .join(lang === "zh" ? "，字段 " : ", field ");
  const msg = lang === "zh" ? `${p.zh}。${p.fixZh}` : `${p.en}. ${p.fixEn}`;
  return where ? `${where}: ${msg}` : msg;
}

/** 404: the item does not exist — or is not the caller's to see, which must look the same. */
export function notFound(what: { zh: string; en: string }): InputError {
  return new InputError(
    [
      problem("not_found", {
        zh: `${what.zh}不存在`,
        en: `${what.en} does not exist`,
        fixZh: "核对编号或代码",
        fixEn: "Check the id or code",
      }),
    ],
    404,
  );
}

/** 403: the caller may not do this. */
export const forbidden = () =>
  new InputError(
    [
      problem("auth.forbidden", {
        zh: "无权进行此操作",
        en: "You may not do this",
        fixZh: "如确需此权限，请联系本部门管理员",
        fixEn: "If you need this, ask your department administrator",
      }),
    ],
    403,
  );
