/**
 * Maps the column names of an uploaded file to the platform's field keys.
 *
 * Matching ignores case, spaces, full-width/half-width differences (Unicode NFKC), and required/optional
 * markers: a leading or trailing `*`, and a trailing `(必填)`, `（必填）`, `【必填】`, `(选填)`, `(required)`...
 * A name matches a field's key, Chinese name, English name or any alias.
 *
 * All problems are row 0 (the header). Which ones stop an upload is the caller's decision; typically
 * `header.missing` and `header.duplicate` do, while `header.unknown` columns could be ignored.
 */
import { type Problem, problem } from "../core/problem.ts";
import { columnLetter } from "./common.ts";

export interface HeaderDef {
  key: string;
  zh: string;
  en: string;
  aliases?: string[];
  /** When set, a file without this column gets a `header.missing` problem. */
  required?: boolean;
}

export interface ResolvedHeaders {
  /** The field key of each column, or null for a column that is unknown, unnamed or a duplicate. */
  columns: (string | null)[];
  problems: Problem[];
}

const MARKER = /^\*+|\*+$|[([【](?:必填|必填项|选填|可选|非必填|required|optional)[)\]】]$/g;

/** The form header names are compared in. */
export function normalizeHeader(name: string): string {
  let s = name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\u200b\ufeff]+/g, "");
  for (;;) {
    const t = s.replace(MARKER, "");
    if (t === s) return s;
    s = t;
  }
}

export function resolveHeaders(header: readonly string[], dictionary: readonly HeaderDef[]): ResolvedHeaders {
  const byName = new Map<string, HeaderDef>();
  for (const def of dictionary) {
    for (const name of [def.key, def.zh, def.en, ...(def.aliases ?? [])]) {
      const n = normalizeHeader(name);
      if (n && !byName.has(n)) byName.set(n, def);
    }
  }

  const columns: (string | null)[] = [];
  const problems: Problem[] = [];
  const firstColumn = new Map<string, number>();
  const unknown: number[] = [];

  header.forEach((name, i) => {
    const n = normalizeHeader(name);
    if (!n) {
      columns.push(null);
      problems.push(emptyHeaderProblem(i));
      return;
    }
    const def = byName.get(n);
    if (!def) {
      columns.push(null);
      unknown.push(i);
      return;
    }
    const first = firstColumn.get(def.key);
    if (first !== undefined) {
      columns.push(null);
      problems.push(duplicateProblem(header, first, i, def));
      return;
    }
    firstColumn.set(def.key, i);
    columns.push(def.key);
  });

  for (const i of unknown) {
    const name = header[i]!;
    const unmatched = dictionary.filter((d) => !firstColumn.has(d.key));
    // Prefer fields not matched yet: a misspelt column is usually one of them.
    let suggestions = suggest(name, unmatched);
    if (suggestions.length === 0) suggestions = suggest(name, dictionary);
    problems.push(unknownProblem(name, i, suggestions));
  }

  for (const def of dictionary) {
    if (def.required && !firstColumn.has(def.key)) problems.push(missingProblem(def));
  }
  return { columns, problems };
}

/** Up to 3 fields whose names are close to `name` (edit distance, or one name containing the other). */
export function suggest(name: string, dictionary: readonly HeaderDef[]): HeaderDef[] {
  const n = normalizeHeader(name);
  if (!n) return [];
  const scored: { def: HeaderDef; score: number }[] = [];
  for (const def of dictionary) {
    let best = Number.POSITIVE_INFINITY;
    for (const candidate of [def.zh, def.en, def.key, ...(def.aliases ?? [])]) {
      const c = normalizeHeader(candidate);
      if (!c) continue;
      const longest = Math.max(n.length, c.length);
      let score = editDistance(n, c) / longest;
      if (Math.min(n.length, c.length) >= 2 && (n.includes(c) || c.includes(n))) score = Math.min(score, 0.3);
      best = Math.min(best, score);
    }
    if (best <= 0.5) scored.push({ def, score: best });
  }
  return scored
    .sort((a, b) => a.score - b.score)
    .slice(0, 3)
    .map((s) => s.def);
}

/** Levenshtein distance (insertions, deletions, substitutions), in UTF-16 code units. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

function position(i: number): { zh: string; en: string } {
  return { zh: `第 ${i + 1} 列（${columnLetter(i)} 列）`, en: `column ${i + 1} (${columnLetter(i)})` };
}

function unknownProblem(name: string, i: number, suggestions: HeaderDef[]): Problem {
  const at = position(i);
  const zhNames = suggestions.map((d) => `“${d.zh}”`).join("、");
  const enNames = suggestions.map((d) => `"${d.en}"`).join(", ");
  return problem(
    "header.unknown",
    {
      zh: `${at.zh}的列名“${name}”不是模板中的列`,
      en: `The name "${name}" in ${at.en} is not a column of the template`,
      fixZh:
        suggestions.length > 0
          ? `是否应为${zhNames}？请改为模板中的列名，或删除该列`
          : "请改为模板中的列名，或删除该列（可下载最新模板核对列名）",
      fixEn:
        suggestions.length > 0
          ? `Did you mean ${enNames}? Rename it to the template's column name, or delete the column`
          : "Rename it to a column name from the template (download the latest template to compare), or delete it",
    },
    { row: 0, field: name, value: name },
  );
}

function duplicateProblem(header: readonly string[], first: number, i: number, def: HeaderDef): Problem {
  const name = header[i]!;
  return problem(
    "header.duplicate",
    {
      zh: `${position(i).zh}“${name}”与${position(first).zh}“${header[first]}”都对应字段“${def.zh}”`,
      en: `"${name}" in ${position(i).en} and "${header[first]}" in ${position(first).en} both mean the field "${def.en}"`,
      fixZh: "同一字段只能有一列，请删除多余的列",
      fixEn: "Each field may have only one column; delete the extra column",
    },
    { row: 0, field: name, value: name },
  );
}

function emptyHeaderProblem(i: number): Problem {
  const at = position(i);
  return problem(
    "header.empty",
    {
      zh: `${at.zh}没有列名`,
      en: `${at.en[0]!.toUpperCase()}${at.en.slice(1)} has no name in the header row`,
      fixZh: "请填写该列的列名（与模板一致），如果该列不需要，请整列删除",
      fixEn: "Give the column its template name, or delete the whole column if it is not needed",
    },
    { row: 0, field: `#${i + 1} (${columnLetter(i)})` },
  );
}

function missingProblem(def: HeaderDef): Problem {
  return problem(
    "header.missing",
    {
      zh: `缺少必填列“${def.zh}”`,
      en: `The required column "${def.en}" is missing`,
      fixZh: `请在表头中增加“${def.zh}”列并填写数据（可下载模板核对）`,
      fixEn: `Add a "${def.en}" column to the header and fill it in (the template shows all columns)`,
    },
    { row: 0, field: def.zh },
  );
}
