/**
 * The verifiable draw of graded random inspections (双随机、一公开), algorithm v1 — docs/draw-algorithm.md is
 * the specification, docs/verify_draw.py an independent implementation. Pure: no I/O (node:crypto only).
 *
 *   pool file   one line per subject, `CODE,STRATUM\n`, sorted by CODE in byte order; digest = SHA-256 (hex)
 *   ticket      SHA-256 (hex, lower case) of the UTF-8 string `SEED:CODE`
 *   sample size n = ceil(N × R / 10000) for a stratum of N subjects at R basis points, in integers
 *   drawn      the n lowest tickets of each stratum (ties by CODE), listed in ticket order
 *   inspectors assignInspectors (rank by SHA-256 of `SEED:CODE:INSPECTOR_ID` in a window, balanced loads)
 *   pool rules selectPool (exclusions, frequency caps, the floor) decide the pool before it is frozen
 */
import crypto from "node:crypto";
import { InputError, type Problem, problem } from "../problem.ts";
import { firstDayWithin, isRealDate, lastDayAged } from "../scoring/dates.ts";

/** Version of the draw, the inspector assignment and the pool rules; published with every draw. */
export const DRAW_ALGORITHM = "v1";

/** The strata of a pool: the unified grades and NR (not rated). */
export const STRATA = ["A", "B", "C", "D", "E", "NR"] as const;
export type Stratum = (typeof STRATA)[number];
const STRATUM_SET: ReadonlySet<string> = new Set(STRATA);
const isStratum = (s: string) => STRATUM_SET.has(s);

export interface PoolEntry {
  code: string;
  stratum: string;
}

/** Basis points per stratum (1% = 100, 100% = 10000). */
export type Ratios = Record<string, number>;

export interface DrawnSubject {
  code: string;
  stratum: string;
  ticket: string;
}

export interface DrawResult {
  drawn: DrawnSubject[];
  perStratum: Record<string, { pool: number; ratioBp: number; drawn: number }>;
}

/**
 * A subject code in a pool: 1–64 characters, ASCII letters, digits, `-`, `.` and `_` (codes are stored
 * normalised: USCCs and identity numbers are upper-case letters and digits). Every one of these characters sorts
 * after the comma, so sorting lines sorts codes; none is `:`, so `SEED:CODE:INSPECTOR_ID` is unambiguous.
 */
const CODE_RE = /^[0-9A-Za-z._-]{1,64}$/;
const MAX_SEED_BYTES = 256;
/** Problems reported at most per rejected file (the first ones, in line order). */
const MAX_PROBLEMS = 20;

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

function fail(code: string, zh: string, en: string, fixZh: string, fixEn: string, where = {}): Problem {
  return problem(code, { zh, en: capital(en), fixZh, fixEn: capital(fixEn) }, where);
}

/** Why a code is not a pool code, or null when it is one. */
function codeProblem(code: string, where: { row?: number; field?: string }): Problem | null {
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

function stratumProblem(stratum: string, where: { row?: number; field?: string }): Problem | null {
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

/** A seed is checked before any draw: what was announced must be what is hashed, byte for byte. */
export function checkSeed(seed: string): void {
  const bad = (zh: string, en: string) =>
    new InputError([
      fail(
        "draw.seed",
        zh,
        en,
        "种子是抽取时公开录入的一段文字（1–256 字节，不含控制字符，首尾无空格），如当日开奖号码",
        "the seed is the text entered in public at the draw (1–256 bytes, no control characters, no leading or trailing space), e.g. the day's lottery numbers",
        { field: "seed" },
      ),
    ]);
  if (typeof seed !== "string" || seed.length === 0) throw bad("种子为空", "the seed is empty");
  if (Buffer.byteLength(seed, "utf8") > MAX_SEED_BYTES)
    throw bad(`种子超过 ${MAX_SEED_BYTES} 字节`, `the seed is longer than ${MAX_SEED_BYTES} bytes`);
  if (/[\x00-\x1f\x7f]/.test(seed)) throw bad("种子含有控制字符", "the seed contains a control character");
  if (/[\ud800-\udfff]/u.test(seed))
    throw bad("种子不是有效的 Unicode 文本", "the seed is not valid Unicode text");
  if (seed.startsWith(" ") || seed.endsWith(" "))
    throw bad("种子首尾有空格", "the seed starts or ends with a space");
}

/**
 * The seed commitment published at the freeze (docs/draw-algorithm.md §0), so that the seed is fixed before
 * anyone can try seeds against the published pool:
 * - `sha256`: the SHA-256 of a seed kept sealed; at the draw only the seed whose digest this is is accepted;
 * - `public-value`: a value not yet known when the pool is frozen — named in words (e.g. “福彩3D 2026339期开奖号码”)
 *   — published on `availableOn` (China date); drawing is refused before that date, and anyone compares the
 *   published seed with the value the named source published.
 */
export type SeedCommitment =
  | { kind: "sha256"; digest: string }
  | { kind: "public-value"; description: string; availableOn: string };

/** What a sha256 commitment publishes: SHA-256 (hex, lower case) of the seed's UTF-8 bytes, as entered. */
export function seedDigest(seed: string): string {
  return crypto.hash("sha256", seed);
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** `sha256:<64 hex digits>` (the form `credit draw verify --commitment` takes) → the commitment. */
export function parseCommitment(
  text: string,
  field = "--commitment",
): Extract<SeedCommitment, { kind: "sha256" }> {
  const colon = text.indexOf(":");
  const kind = colon < 0 ? text : text.slice(0, colon);
  const digest = colon < 0 ? "" : text.slice(colon + 1);
  if (kind.toLowerCase() === "sha256" && HEX64.test(digest))
    return { kind: "sha256", digest: digest.toLowerCase() };
  throw new InputError([
    fail(
      "draw.commitment_format",
      `承诺 “${text.slice(0, 80)}” 不是 sha256:<64 位十六进制摘要>`,
      `the commitment "${text.slice(0, 80)}" is not sha256:<64 hex digits>`,
      "照抄计划公示页上公布的承诺，例如 sha256:9f86d0…（64 位）；以未来公开值作承诺的计划，核对种子是否就是该公开值",
      "copy the commitment from the plan's public page, e.g. sha256:9f86d0… (64 digits); for a plan committed to a future public value, check that the seed is that value",
      { field, value: text },
    ),
  ]);
}

/**
 * Whether the seed is the one committed to: for `sha256`, SHA-256 of the seed's exact UTF-8 bytes (no
 * normalisation) must equal the published digest, else a 422 naming both digests. A `public-value`
 * commitment cannot be checked by a program (the value is compared with its named source by anyone); its date
 * is checked where the draw happens.
 */
export function checkSeedCommitment(
  seed: string,
  commitment: SeedCommitment,
  where: { field: string; verifying?: boolean } = { field: "seed" },
): void {
  if (commitment.kind !== "sha256") return;
  const got = seedDigest(seed);
  if (got === commitment.digest.toLowerCase()) return;
  throw new InputError(
    [
      fail(
        "draw.commitment_mismatch",
        `种子与冻结时公布的承诺不符：该种子的 SHA-256 是 ${got}，承诺的是 ${commitment.digest}`,
        `the seed does not match the commitment published at the freeze: its SHA-256 is ${got}, the commitment is ${commitment.digest}`,
        where.verifying
          ? "照抄公示页上的种子和承诺再试；如仍不符，说明该次抽取没有使用冻结时承诺的种子，应向计划所属部门或其上级反映"
          : "录入冻结时密封保存的种子原文，逐字节一致（区分大小写、全角半角和空格，平台不作任何规范化）",
        where.verifying
          ? "copy the seed and the commitment from the public page and try again; if they still differ, the draw did not use the seed committed at the freeze: report it to the plan's department or its supervisor"
          : "enter the sealed seed exactly as it was when its digest was published (case, full-width characters and spaces count; nothing is normalised)",
        { field: where.field },
      ),
    ],
    422,
  );
}

/** The ticket of a subject: SHA-256 (hex, lower case) of the UTF-8 string `SEED:CODE`. */
export function ticket(seed: string, code: string): string {
  return crypto.hash("sha256", `${seed}:${code}`);
}

function ratioProblem(ratioBp: unknown, field: string): Problem | null {
  if (typeof ratioBp === "number" && Number.isInteger(ratioBp) && ratioBp >= 0 && ratioBp <= 10000)
    return null;
  return fail(
    "draw.ratio",
    `抽查比例 ${String(ratioBp)} 不是 0–10000 之间的整数（万分比）`,
    `the ratio ${String(ratioBp)} is not a whole number of basis points from 0 to 10000`,
    "比例以万分比的整数表示：1% = 100，3% = 300，100% = 10000",
    "ratios are whole basis points: 1% = 100, 3% = 300, 100% = 10000",
    { field, value: ratioBp },
  );
}

/**
 * How many of `n` subjects a ratio of `ratioBp` basis points draws: ceil(n × R / 10000), at most n, in exact
 * integer arithmetic for every safe integer n (n = 10000q + r: qR + ceil(rR / 10000), rR < 10^8).
 */
export function sampleSize(n: number, ratioBp: number): number {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new InputError([
      fail(
        "draw.count",
        `主体数 ${String(n)} 不是非负整数`,
        `the number of subjects ${String(n)} is not a non-negative whole number`,
        "传入层内主体的个数",
        "pass the number of subjects in the stratum",
        { field: "n", value: n },
      ),
    ]);
  const p = ratioProblem(ratioBp, "ratioBp");
  if (p) throw new InputError([p]);
  const q = Math.floor(n / 10000);
  const m = (n % 10000) * ratioBp;
  const rest = m % 10000;
  return q * ratioBp + (m - rest) / 10000 + (rest === 0 ? 0 : 1);
}

/**
 * Reads `A=300,B=500,C=1000,D=3000,E=10000,NR=500`: strata and whole basis points, comma-separated (spaces
 * around items are ignored). Every problem is reported at once, in zh and en.
 */
export function parseRatios(text: string): Ratios {
  const problems: Problem[] = [];
  const out: Ratios = {};
  const example = "A=300,B=500,C=1000,D=3000,E=10000,NR=500";
  const p = (code: string, zh: string, en: string, value: string, fixZh?: string, fixEn?: string) =>
    problems.push(
      fail(
        code,
        zh,
        en,
        fixZh ?? `写作 层级=万分比，用逗号分隔，如 ${example}`,
        fixEn ?? `write STRATUM=BASIS_POINTS separated by commas, e.g. ${example}`,
        { field: "ratios", value },
      ),
    );
  const trimmed = typeof text === "string" ? text.replace(/^[ \t]+|[ \t]+$/g, "") : "";
  if (trimmed === "") {
    p("ratios.empty", "未给出抽查比例", "no ratios given", String(text ?? ""));
    throw new InputError(problems);
  }
  trimmed.split(",").forEach((raw, i) => {
    const item = raw.replace(/^[ \t]+|[ \t]+$/g, "");
    if (item === "") {
      p(
        "ratios.item",
        `第 ${i + 1} 项为空`,
        `item ${i + 1} is empty`,
        raw,
        "去掉多余的逗号",
        "remove the extra comma",
      );
      return;
    }
    const eq = item.indexOf("=");
    if (eq < 0 || item.indexOf("=", eq + 1) >= 0) {
      p("ratios.item", `“${item}” 不是 层级=万分比`, `"${item}" is not STRATUM=BASIS_POINTS`, item);
      return;
    }
    const key = item.slice(0, eq).replace(/[ \t]+$/, "");
    const value = item.slice(eq + 1).replace(/^[ \t]+/, "");
    if (!isStratum(key)) {
      const upper = key.toUpperCase();
      p(
        "ratios.stratum",
        `未知层级 “${key}”`,
        `unknown stratum "${key}"`,
        item,
        isStratum(upper) ? `层级须大写：${upper}` : `层级只能是 ${STRATA.join("、")} 之一`,
        isStratum(upper) ? `strata are upper case: ${upper}` : `a stratum is one of ${STRATA.join(", ")}`,
      );
      return;
    }
    if (Object.hasOwn(out, key)) {
      p(
        "ratios.duplicate",
        `层级 ${key} 给出了两次`,
        `stratum ${key} is given twice`,
        item,
        "每个层级只写一次",
        "give each stratum once",
      );
      return;
    }
    if (!/^\d{1,5}$/.test(value) || Number(value) > 10000) {
      const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
      p(
        "ratios.value",
        `${key} 的比例 “${value}” 不是 0–10000 之间的整数（万分比）`,
        `the ratio of ${key}, "${value}", is not a whole number of basis points from 0 to 10000`,
        item,
        pct
          ? `以万分比表示：${pct[1]}% = ${Math.round(Number(pct[1]) * 100)}`
          : "比例以万分比的整数表示：1% = 100，100% = 10000",
        pct
          ? `use basis points: ${pct[1]}% = ${Math.round(Number(pct[1]) * 100)}`
          : "ratios are whole basis points: 1% = 100, 100% = 10000",
      );
      return;
    }
    out[key] = Number(value);
  });
  if (problems.length) throw new InputError(problems);
  return out;
}

/** The first 48 bits of a digest given as a binary (latin1) string, as an exact number. */
function key48(h: string): number {
  return (
    (h.charCodeAt(0) * 256 + h.charCodeAt(1)) * 4294967296 +
    ((h.charCodeAt(2) << 24) >>> 0) +
    ((h.charCodeAt(3) << 16) | (h.charCodeAt(4) << 8) | h.charCodeAt(5))
  );
}

/** The value of rank k (0-based) among `a` (reordered in place): quickselect, median-of-three pivots. */
export function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    // The median of x, y, z.
    const pivot = x < y ? (y < z ? y : Math.max(x, z)) : x < z ? x : Math.max(y, z);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function checkRatios(ratios: Ratios): void {
  const problems: Problem[] = [];
  for (const [k, v] of Object.entries(ratios)) {
    if (!isStratum(k)) {
      const p = stratumProblem(k, {});
      if (p) problems.push({ ...p, code: "ratios.stratum", field: "ratios" });
    } else {
      const p = ratioProblem(v, `ratios.${k}`);
      if (p) problems.push(p);
    }
  }
  if (problems.length) throw new InputError(problems);
}

/** The index of a stratum in STRATA, or -1 (comparisons: faster than a property lookup per subject). */
function stratumIndex(s: string): number {
  switch (s) {
    case "A":
      return 0;
    case "B":
      return 1;
    case "C":
      return 2;
    case "D":
      return 3;
    case "E":
      return 4;
    case "NR":
      return 5;
    default:
      return -1;
  }
}

/** Checks codes, strata and duplicates; fills `strat`. Cheap for sorted entries (no set of codes needed). */
function checkEntries(entries: readonly PoolEntry[], strat: Uint8Array): void {
  const problems: Problem[] = [];
  let sorted = true;
  let prev = "";
  for (let i = 0; i < entries.length && problems.length < MAX_PROBLEMS; i++) {
    const e = entries[i]!;
    const s = stratumIndex(e.stratum);
    if (s < 0) {
      problems.push(stratumProblem(e.stratum, { row: i + 1 })!);
      continue;
    }
    strat[i] = s;
    const code = e.code;
    if (!CODE_RE.test(code)) problems.push(codeProblem(code, { row: i + 1 })!);
    else if (sorted && i > 0 && !(prev < code)) sorted = false;
    prev = code;
  }
  if (!problems.length && !sorted) {
    const seen = new Set<string>();
    for (const e of entries) {
      if (seen.has(e.code)) {
        problems.push(
          fail(
            "pool.duplicate",
            `主体 ${e.code} 在池中出现两次`,
            `subject ${e.code} is in the pool twice`,
            "每个主体在池中只能出现一次，且只有一个层级",
            "each subject appears once in a pool, with one stratum",
            { field: "code", value: e.code },
          ),
        );
        if (problems.length >= MAX_PROBLEMS) break;
      }
      seen.add(e.code);
    }
  }
  if (problems.length) throw new InputError(problems);
}

/**
 * The draw (v1): per stratum the n = sampleSize(N, R) subjects with the lowest tickets (ties by code), all
 * drawn subjects in ticket order. The result does not depend on the order of `entries`. A stratum in the pool
 * without a ratio, an unknown stratum, a bad code or a duplicate is an InputError.
 *
 * Work: one SHA-256 per subject, of which the first 48 bits are kept as a number; the n-th smallest per stratum
 * is found by quickselect; the drawn are sorted by those numbers and only they get their full hex ticket (a full
 * comparison decides where 48 bits are equal).
 */
export function drawPool(entries: readonly PoolEntry[], seed: string, ratios: Ratios): DrawResult {
  checkSeed(seed);
  checkRatios(ratios);
  const n = entries.length;
  const strat = new Uint8Array(n);
  checkEntries(entries, strat);
  const count = new Array<number>(STRATA.length).fill(0);
  for (let i = 0; i < n; i++) count[strat[i]!]!++;
  const missing = STRATA.filter((s, i) => count[i]! > 0 && ratios[s] === undefined);
  if (missing.length)
    throw new InputError(
      missing.map((s) =>
        fail(
          "draw.ratio_missing",
          `池中有 ${count[stratumIndex(s)]} 个 ${s} 层主体，但没有给出 ${s} 层的抽查比例`,
          `the pool has ${count[stratumIndex(s)]} subjects in stratum ${s} but no ratio for ${s}`,
          `在比例中加入 ${s}=万分比，如 ${s}=500（5%）`,
          `add ${s}=BASIS_POINTS to the ratios, e.g. ${s}=500 (5%)`,
          { field: "ratios", value: s },
        ),
      ),
    );

  const prefix = `${seed}:`;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = key48(crypto.hash("sha256", prefix + entries[i]!.code, "binary"));
  const hex = (i: number) => crypto.hash("sha256", prefix + entries[i]!.code);
  /** Full order of two subjects whose first 48 bits are equal: ticket, then code. */
  const tie = (i: number, j: number) => {
    const a = hex(i);
    const b = hex(j);
    return a < b ? -1 : a > b ? 1 : compareBytes(entries[i]!.code, entries[j]!.code);
  };

  // Indexes of each stratum's subjects.
  const members = count.map((c) => new Int32Array(c));
  const fill = new Array<number>(STRATA.length).fill(0);
  for (let i = 0; i < n; i++) {
    const s = strat[i]!;
    members[s]![fill[s]!++] = i;
  }

  const chosen: number[] = [];
  const perStratum: DrawResult["perStratum"] = {};
  STRATA.forEach((s, si) => {
    const pool = count[si]!;
    const ratio = ratios[s];
    if (ratio === undefined) return;
    const take = sampleSize(pool, ratio);
    perStratum[s] = { pool, ratioBp: ratio, drawn: take };
    if (take === 0) return;
    const idx = members[si]!;
    if (take === pool) {
      for (let j = 0; j < pool; j++) chosen.push(idx[j]!);
      return;
    }
    const ks = new Float64Array(pool);
    for (let j = 0; j < pool; j++) ks[j] = keys[idx[j]!]!;
    const bound = kthSmallest(ks, take - 1);
    const atBound: number[] = [];
    let below = 0;
    for (let j = 0; j < pool; j++) {
      const i = idx[j]!;
      const k = keys[i]!;
      if (k < bound) {
        chosen.push(i);
        below++;
      } else if (k === bound) atBound.push(i);
    }
    atBound.sort(tie);
    for (let j = 0; j < take - below; j++) chosen.push(atBound[j]!);
  });
  chosen.sort((i, j) => keys[i]! - keys[j]! || tie(i, j));
  const drawn: DrawnSubject[] = new Array(chosen.length);
  for (let j = 0; j < chosen.length; j++) {
    const e = entries[chosen[j]!]!;
    drawn[j] = { code: e.code, stratum: e.stratum, ticket: hex(chosen[j]!) };
  }
  return { drawn, perStratum };
}

export interface Inspector {
  id: string;
  department: string;
  qualifications: string[];
}

export interface Conflict {
  inspectorId: string;
  subjectCode: string;
}

export interface AssignOptions {
  /** Inspectors per subject (policy: min_inspectors_per_subject). */
  perSubject: number;
  /** An eligible inspector holds every one of these. */
  requiredQualifications?: string[];
  /** When given, only inspectors of this department are eligible. */
  department?: string;
}

export interface Assignment {
  code: string;
  /** In the order chosen: window rank first, then (rarely) the least-loaded fill-ins. */
  inspectorIds: string[];
}

export interface AssignResult {
  assignments: Assignment[];
  unassigned: { code: string; reason: { zh: string; en: string } }[];
  /** Subjects per eligible inspector (every one, 0 included), in ring order. */
  load: Record<string, number>;
  /** The load no inspector exceeds unless a subject could not be staffed otherwise. */
  cap: number;
}

/** Candidates ranked per subject: this many times perSubject (algorithm v1). */
export const ASSIGN_WINDOW_FACTOR = 2;

/**
 * Assigns inspectors to subjects (algorithm v1, docs/draw-algorithm.md "Inspectors"), reproducibly from the seed:
 *
 * 1. Eligible: of `department` when given, holding every required qualification. They stand on a ring in the
 *    order of SHA-256 hex of `SEED:INSPECTOR_ID` (ties by id). M = their number; k = perSubject;
 *    cap = ceil(D × k / M) for D subjects.
 * 2. For each subject, in the order given: inspectors declared in conflict with it are skipped. If fewer than k
 *    remain, the subject is unassigned. Otherwise start at ring position p = (last 12 hex digits of the ticket
 *    `SEED:CODE`, as an integer) mod M and walk the ring once, collecting the first w = 2k inspectors whose load
 *    is below cap; order them by load, then by SHA-256 hex of `SEED:CODE:INSPECTOR_ID` (then id), take the first k.
 * 3. If fewer than k were below cap on the whole ring, the rest are the other non-conflicting inspectors with
 *    the lowest load, ties by ring distance from p.
 *
 * Ranking every eligible inspector for every subject (the plain reading of the issue) costs D × M hashes: 48
 * million, about 17 s, for 160,000 subjects and 300 inspectors; the window costs D × (2k + 1).
 */
export function assignInspectors(
  drawn: readonly { code: string }[],
  inspectors: readonly Inspector[],
  conflicts: readonly Conflict[],
  seed: string,
  opts: AssignOptions,
): AssignResult {
  checkSeed(seed);
  const k = opts.perSubject;
  if (!Number.isInteger(k) || k < 1)
    throw new InputError([
      fail(
        "assign.per_subject",
        `每个对象的检查人员数 ${String(k)} 不是正整数`,
        `inspectors per subject ${String(k)} is not a positive whole number`,
        "至少 1 人，行政检查通常 2 人",
        "at least 1; inspections usually need 2",
        { field: "perSubject", value: k },
      ),
    ]);
  const problems: Problem[] = [];
  const ids = new Set<string>();
  for (const [i, x] of inspectors.entries()) {
    if (typeof x.id !== "string" || x.id === "" || /[\x00-\x1f\x7f]/.test(x.id))
      problems.push(
        fail(
          "assign.inspector_id",
          "检查人员编号为空或含有控制字符",
          "an inspector id is empty or contains a control character",
          "每名检查人员须有唯一的编号",
          "give every inspector a unique id",
          { row: i + 1, field: "id", value: x.id },
        ),
      );
    else if (ids.has(x.id))
      problems.push(
        fail(
          "assign.inspector_duplicate",
          `检查人员 ${x.id} 出现两次`,
          `inspector ${x.id} is listed twice`,
          "每名检查人员只列一次",
          "list each inspector once",
          { row: i + 1, field: "id", value: x.id },
        ),
      );
    ids.add(x.id);
  }
  const codes = new Set<string>();
  for (let i = 0; i < drawn.length; i++) {
    const d = drawn[i]!;
    if (codes.has(d.code) && problems.length < MAX_PROBLEMS)
      problems.push(
        fail(
          "assign.subject_duplicate",
          `检查对象 ${d.code} 出现两次`,
          `subject ${d.code} is listed twice`,
          "每个检查对象只列一次",
          "list each subject once",
          { row: i + 1, field: "code", value: d.code },
        ),
      );
    codes.add(d.code);
  }
  if (problems.length) throw new InputError(problems);

  const required = opts.requiredQualifications ?? [];
  // Digests are compared as binary (latin1) strings: the same order as their hex.
  const ring = inspectors
    .filter(
      (x) =>
        (opts.department === undefined || x.department === opts.department) &&
        required.every((q) => x.qualifications.includes(q)),
    )
    .map((x) => ({ id: x.id, key: crypto.hash("sha256", `${seed}:${x.id}`, "binary") }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : compareBytes(a.id, b.id)));
  const m = ring.length;
  const ringIds = ring.map((x) => x.id);
  const position = new Map(ringIds.map((id, i) => [id, i]));
  const conflictsOf = new Map<string, Set<number>>();
  for (const c of conflicts) {
    const at = position.get(c.inspectorId);
    if (at === undefined) continue;
    const set = conflictsOf.get(c.subjectCode) ?? new Set<number>();
    set.add(at);
    conflictsOf.set(c.subjectCode, set);
  }

  const load = new Int32Array(m);
  const cap = m === 0 ? 0 : Math.ceil((drawn.length * k) / m);
  // next[i] leads to the first inspector at or after i whose load is below cap (m: none); path halving.
  const next = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) next[i] = i;
  const openAt = (i: number): number => {
    let r = i;
    while (next[r] !== r) {
      next[r] = next[next[r]!]!;
      r = next[r]!;
    }
    return r;
  };
  let open = m;
  const w = ASSIGN_WINDOW_FACTOR * k;
  const wIdx = new Int32Array(w);
  const wKey = new Array<string>(w).fill("");
  const prefix = `${seed}:`;

  const assignments: Assignment[] = [];
  const unassigned: AssignResult["unassigned"] = [];
  for (const { code } of drawn) {
    const avoid = conflictsOf.get(code);
    const eligible = m - (avoid?.size ?? 0);
    if (eligible < k) {
      unassigned.push({
        code,
        reason:
          m < k
            ? {
                zh: `只有 ${m} 名具备资格的检查人员，每个对象需要 ${k} 名；请增加检查人员或调整资格要求`,
                en: `Only ${m} qualified inspectors, ${k} needed per subject: add inspectors or change the qualifications required`,
              }
            : {
                zh: `${avoid?.size ?? 0} 名检查人员须回避，只剩 ${eligible} 名，每个对象需要 ${k} 名；请由其他部门或上级协调检查人员`,
                en: `${avoid?.size ?? 0} inspectors must recuse themselves, leaving ${eligible}; ${k} needed per subject: ask another department or the level above for inspectors`,
              },
      });
      continue;
    }
    // Start: the ticket's last 6 bytes (12 hex digits) as an integer, mod m.
    const t = crypto.hash("sha256", prefix + code, "binary");
    const tail =
      (t.charCodeAt(26) * 256 + t.charCodeAt(27)) * 4294967296 +
      ((t.charCodeAt(28) << 24) >>> 0) +
      ((t.charCodeAt(29) << 16) | (t.charCodeAt(30) << 8) | t.charCodeAt(31));
    const p = tail % m;
    const pairPrefix = `${prefix}${code}:`;
    let wn = 0;
    let q = openAt(p);
    if (q === m) q = openAt(0);
    for (let seen = 0; seen < open && wn < w; seen++) {
      if (!avoid?.has(q)) {
        // Insertion into the window, kept in order: load, then SHA-256 of SEED:CODE:INSPECTOR_ID, then id.
        const key = crypto.hash("sha256", pairPrefix + ringIds[q]!, "binary");
        let j = wn++;
        const lq = load[q]!;
        while (
          j > 0 &&
          (load[wIdx[j - 1]!]! > lq ||
            (load[wIdx[j - 1]!] === lq &&
              (wKey[j - 1]! > key ||
                (wKey[j - 1] === key && compareBytes(ringIds[wIdx[j - 1]!]!, ringIds[q]!) > 0))))
        ) {
          wKey[j] = wKey[j - 1]!;
          wIdx[j] = wIdx[j - 1]!;
          j--;
        }
        wKey[j] = key;
        wIdx[j] = q;
      }
      q = openAt(q + 1);
      if (q === m) q = openAt(0);
    }
    const chosen: number[] = [];
    for (let j = 0; j < wn && j < k; j++) chosen.push(wIdx[j]!);
    if (chosen.length < k) {
      // Fewer than k below cap: the least-loaded of the others, ties by ring distance from p.
      const taken = new Set(chosen);
      const rest: number[] = [];
      for (let i = 0; i < m; i++) if (!taken.has(i) && !avoid?.has(i)) rest.push(i);
      rest.sort((a, b) => load[a]! - load[b]! || ((a - p + m) % m) - ((b - p + m) % m));
      chosen.push(...rest.slice(0, k - chosen.length));
    }
    for (const i of chosen) {
      load[i]!++;
      if (load[i] === cap) {
        next[i] = i + 1;
        open--;
      }
    }
    assignments.push({ code, inspectorIds: chosen.map((i) => ringIds[i]!) });
  }
  const loads: Record<string, number> = {};
  ringIds.forEach((id, i) => {
    loads[id] = load[i]!;
  });
  return { assignments, unassigned, load: loads, cap };
}

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
  const check = (
    ok: boolean,
    code: string,
    zh: string,
    en: string,
    fixZh: string,
    fixEn: string,
    where = {},
  ) => {
    if (!ok && problems.length < MAX_PROBLEMS) problems.push(fail(code, zh, en, fixZh, fixEn, where));
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
