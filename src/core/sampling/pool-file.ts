/**
 * The pool file of a draw (algorithm v1, docs/draw-algorithm.md): one line per subject, `CODE,STRATUM\n`, sorted
 * by CODE in byte order; digest = SHA-256 (hex). Also the checks of codes and strata the draw, the assignment and
 * the pool rules share. Pure: no I/O (node:crypto only).
 */
import crypto from "node:crypto";
import { GRADES_OR_NR, type GradeOrNR, gradeIndex } from "../grades.ts";
import { InputError, type Problem, problem } from "../problem.ts";

/** The strata of a pool: the unified grades and NR (not rated). */
export const STRATA = GRADES_OR_NR;
export type Stratum = GradeOrNR;
const STRATUM_SET: ReadonlySet<string> = new Set(STRATA);
export const isStratum = (s: string) => STRATUM_SET.has(s);

export interface PoolEntry {
  code: string;
  stratum: string;
}

/**
 * A subject code in a pool: 1–64 characters, ASCII letters, digits, `-`, `.` and `_` (codes are stored
 * normalised: USCCs and identity numbers are upper-case letters and digits). Every one of these characters sorts
 * after the comma, so sorting lines sorts codes; none is `:`, so `SEED:CODE:INSPECTOR_ID` is unambiguous.
 */
export const CODE_RE = /^[0-9A-Za-z._-]{1,64}$/;
/** Problems reported at most per rejected file (the first ones, in line order). */
export const MAX_PROBLEMS = 20;

/**
 * Byte order of the UTF-8 encodings of two strings (= Unicode code point order), without encoding them.
 * JavaScript's `<` compares UTF-16 code units, which differs only between surrogates (characters above U+FFFF)
 * and U+E000–U+FFFF; those two ranges are swapped before comparing. Never `localeCompare`.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
      if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
      return x - y;
    }
  }
  return a.length - b.length;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function fail(
  code: string,
  zh: string,
  en: string,
  fixZh: string,
  fixEn: string,
  where = {},
): Problem {
  return problem(code, { zh, en: capital(en), fixZh, fixEn: capital(fixEn) }, where);
}

/** Why a code is not a pool code, or null when it is one. */
export function codeProblem(code: string, where: { row?: number; field?: string }): Problem | null {
  if (CODE_RE.test(code)) return null;
  const at = { ...where, field: "code", value: code };
  if (code.length === 0)
    return fail(
      "pool.code_empty",
      "主体代码为空",
      "the subject code is empty",
      "每行写作 代码,层级，如 91350100M000100Y43,A",
      "write each line as CODE,STRATUM, e.g. 91350100M000100Y43,A",
      at,
    );
  if (code.length > 64)
    return fail(
      "pool.code_long",
      `主体代码长 ${code.length} 个字符，超过 64`,
      `the subject code is ${code.length} characters long, more than 64`,
      "检查该行是否缺少逗号或混入了其他内容",
      "check that the line is not missing its comma or carrying other text",
      at,
    );
  const bad = [...code].find((ch) => !/^[0-9A-Za-z._-]$/.test(ch)) ?? "";
  const cp = bad.codePointAt(0) ?? 0;
  const shown =
    cp <= 0x20 || (cp >= 0x7f && cp < 0xa0) ? `U+${cp.toString(16).toUpperCase().padStart(4, "0")}` : bad;
  return fail(
    "pool.code_char",
    `主体代码含有不允许的字符 “${shown}”`,
    `the subject code contains the character "${shown}", which is not allowed`,
    "代码只能由 ASCII 字母、数字和 - . _ 组成（半角、无空格）；请使用平台导出的规范代码",
    "a code is ASCII letters, digits and - . _ only (half-width, no spaces); use the normalised code the platform exports",
    at,
  );
}

export function stratumProblem(stratum: string, where: { row?: number; field?: string }): Problem | null {
  if (isStratum(stratum)) return null;
  const upper = stratum.toUpperCase();
  const hint = isStratum(upper)
    ? { zh: `层级须大写：${upper}`, en: `strata are upper case: ${upper}` }
    : { zh: `层级只能是 ${STRATA.join("、")} 之一`, en: `a stratum is one of ${STRATA.join(", ")}` };
  return fail("pool.stratum", `未知层级 “${stratum}”`, `unknown stratum "${stratum}"`, hint.zh, hint.en, {
    ...where,
    field: "stratum",
    value: stratum,
  });
}

/** The index of a stratum in STRATA, or -1 (comparisons: faster than a property lookup per subject). */
export const stratumIndex = gradeIndex;

/**
 * The pool file of a set of entries: `CODE,STRATUM\n` per subject, sorted by CODE in byte order, UTF-8 (the
 * codes are ASCII). A bad code or stratum, or a code given twice, is an InputError naming the entry (1-based).
 */
export function poolFileBytes(entries: readonly PoolEntry[]): Buffer {
  const problems: Problem[] = [];
  let sorted = true;
  let size = 0;
  for (let i = 0; i < entries.length && problems.length < MAX_PROBLEMS; i++) {
    const e = entries[i]!;
    const p =
      (CODE_RE.test(e.code) ? null : codeProblem(e.code, { row: i + 1 })) ??
      stratumProblem(e.stratum, { row: i + 1 });
    if (p) problems.push(p);
    else if (sorted && i > 0 && !(entries[i - 1]!.code < e.code)) sorted = false;
    size += e.code.length + e.stratum.length + 2;
  }
  if (problems.length) throw new InputError(problems);
  // Codes are ASCII (CODE_RE), for which JavaScript's string order is byte order. Entries read from the store
  // in code order (selectPool's pool) are sorted already.
  const list = sorted
    ? entries
    : [...entries].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  for (let i = 1; i < list.length && problems.length < MAX_PROBLEMS; i++)
    if (list[i]!.code === list[i - 1]!.code)
      problems.push(
        fail(
          "pool.duplicate",
          `主体 ${list[i]!.code} 在池中出现两次`,
          `subject ${list[i]!.code} is in the pool twice`,
          "每个主体在池中只能出现一次，且只有一个层级",
          "each subject appears once in a pool, with one stratum",
          { field: "code", value: list[i]!.code },
        ),
      );
  if (problems.length) throw new InputError(problems);
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (const e of list) {
    const { code, stratum } = e;
    for (let j = 0; j < code.length; j++) out[o++] = code.charCodeAt(j);
    out[o++] = 0x2c;
    for (let j = 0; j < stratum.length; j++) out[o++] = stratum.charCodeAt(j);
    out[o++] = 0x0a;
  }
  return out;
}

/** SHA-256 (hex, lower case) of the pool file's bytes: published before the seed is fixed. */
export function poolDigest(bytes: Buffer): string {
  return crypto.hash("sha256", bytes);
}

/**
 * Reads a pool file strictly: UTF-8 without BOM, LF line ends, a final newline, `CODE,STRATUM` on every line,
 * codes in strictly ascending byte order. Anything else is an InputError naming the line, the problem and the
 * fix (the first 20 problems).
 */
export function parsePoolFile(bytes: Buffer): PoolEntry[] {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    throw new InputError([
      fail(
        "pool.bom",
        "文件以 BOM（EF BB BF）开头",
        "the file starts with a byte order mark (EF BB BF)",
        "池文件是不带 BOM 的 UTF-8；请使用平台导出的原文件，或另存为“UTF-8（无 BOM）”",
        'a pool file is UTF-8 without BOM: use the file as the platform published it, or save it as "UTF-8 without BOM"',
        { row: 1 },
      ),
    ]);
  const problems: Problem[] = [];
  const out: PoolEntry[] = [];
  const text = bytes.toString("latin1");
  let prev: string | null = null;
  let prevLine = 0;
  let start = 0;
  let line = 0;
  while (start < text.length && problems.length < MAX_PROBLEMS) {
    line++;
    let end = text.indexOf("\n", start);
    const last = end < 0;
    if (last) end = text.length;
    const lineStart = start;
    let s = text.slice(start, end);
    start = end + 1;
    const at = { row: line };
    if (last)
      problems.push(
        fail(
          "pool.final_newline",
          "最后一行没有以换行符结尾",
          "the last line does not end with a newline",
          "池文件的每一行（包括最后一行）都以 LF 换行符结尾；请使用平台导出的原文件",
          "every line of a pool file, the last one too, ends with LF: use the file as the platform published it",
          at,
        ),
      );
    if (s.endsWith("\r")) {
      problems.push(
        fail(
          "pool.crlf",
          "行以 CR LF（Windows 换行）结尾",
          "the line ends with CR LF (Windows line ends)",
          "池文件使用 LF 换行；请使用平台导出的原文件，不要用会改换行符的编辑器保存",
          "a pool file uses LF line ends: use the file as published, not one saved by an editor that changes them",
          at,
        ),
      );
      s = s.slice(0, -1);
    }
    const nonAscii = /[^\x00-\x7f]/.exec(s);
    if (nonAscii) {
      problems.push(
        fail(
          "pool.encoding",
          `含有非 ASCII 字节 0x${nonAscii[0].charCodeAt(0).toString(16).toUpperCase()}（主体代码和层级都是 ASCII 字符）`,
          `contains the non-ASCII byte 0x${nonAscii[0].charCodeAt(0).toString(16).toUpperCase()} (codes and strata are ASCII)`,
          "检查是否混入了全角字符、空格或其他文字；请使用平台导出的原文件",
          "look for full-width characters, spaces or other text: use the file as the platform published it",
          at,
        ),
      );
      continue;
    }
    const comma = s.indexOf(",");
    if (comma < 0 || s.indexOf(",", comma + 1) >= 0) {
      problems.push(
        fail(
          "pool.line",
          s === "" ? "空行" : comma < 0 ? "该行没有逗号" : "该行有不止一个逗号",
          s === ""
            ? "an empty line"
            : comma < 0
              ? "the line has no comma"
              : "the line has more than one comma",
          "每行恰好是 代码,层级，如 91350100M000100Y43,A；文件中不能有空行",
          "each line is exactly CODE,STRATUM, e.g. 91350100M000100Y43,A, and no line is empty",
          { ...at, value: s },
        ),
      );
      continue;
    }
    const code = s.slice(0, comma);
    const stratum = s.slice(comma + 1);
    const bad = codeProblem(code, at) ?? stratumProblem(stratum, at);
    if (bad) {
      problems.push(bad);
      continue;
    }
    if (prev !== null && code <= prev) {
      problems.push(
        code === prev
          ? fail(
              "pool.duplicate",
              `主体 ${code} 已在第 ${prevLine} 行出现`,
              `subject ${code} already appears on line ${prevLine}`,
              "每个主体在池中只能出现一次",
              "each subject appears once in a pool",
              { ...at, field: "code", value: code },
            )
          : fail(
              "pool.unsorted",
              `代码 ${code} 应排在第 ${prevLine} 行的 ${prev} 之前（按字节顺序）`,
              `code ${code} sorts before ${prev} on line ${prevLine} (byte order)`,
              "按代码的字节顺序排序，例如 LC_ALL=C sort；请使用平台导出的原文件",
              "sort by code in byte order, e.g. LC_ALL=C sort; or use the file as the platform published it",
              { ...at, field: "code", value: code },
            ),
      );
    }
    prev = code;
    prevLine = line;
    // A flat copy of the code (not a slice of the whole file's text) and the shared stratum constant: the draw
    // and the assignment look codes up in random order, and slices would keep reaching into the 30 MB text.
    out.push({
      code: bytes.toString("latin1", lineStart, lineStart + comma),
      stratum: STRATA[stratumIndex(stratum)]!,
    });
  }
  if (problems.length) throw new InputError(problems);
  return out;
}
