/**
 * The verifiable draw of graded random inspections (双随机、一公开), algorithm v1 — docs/draw-algorithm.md is
 * the specification, docs/verify_draw.py an independent implementation. Pure: no I/O (node:crypto only).
 *
 *   pool file   one line per subject, `CODE,STRATUM\n`, sorted by CODE in byte order; digest = SHA-256 (hex)
 *   ticket      SHA-256 (hex, lower case) of the UTF-8 string `SEED:CODE`
 *   sample size n = ceil(N × R / 10000) for a stratum of N subjects at R basis points, in integers
 *   drawn      the n lowest tickets of each stratum (ties by CODE), listed in ticket order
 * The pool file is pool-file.ts, the inspectors' assignment assign.ts, the pool rules pool-rules.ts.
 */
import crypto from "node:crypto";
import { InputError, type Problem } from "../problem.ts";
import {
  CODE_RE,
  codeProblem,
  compareBytes,
  fail,
  isStratum,
  MAX_PROBLEMS,
  type PoolEntry,
  STRATA,
  stratumIndex,
  stratumProblem,
} from "./pool-file.ts";

/** Version of the draw, the inspector assignment and the pool rules; published with every draw. */
export const DRAW_ALGORITHM = "v1";

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

const MAX_SEED_BYTES = 256;

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
