/**
 * Grades from other systems (tax credit A/B/M/C/D from SW, SAMR credit-risk classes A–D from SCJG, any
 * evaluation on another scale): stored with the original grade, the unified grade it maps to by the dated
 * tables under policy/grades/ (in force on the grade date), the rule used and the issuing department; and the
 * engine's EvalInput.otherGrades (otherGradesOf: NR says nothing and is left out).
 */

import { pushTo } from "../../core/lists.ts";
import { InputError, type Problem, problem } from "../../core/problem.ts";
import { entryAt } from "../../core/scoring/dated.ts";
import {
  type Grade,
  type GradeTables,
  type MappedGrade,
  mapGrade,
  mapScore,
  otherGradesOf,
} from "../../core/scoring/index.ts";
import type { HeaderDef } from "../../io/headers.ts";
import { catalog } from "../../policy/load.ts";
import { loadGradeTables } from "../../policy/models.ts";
import type { Store } from "../../store/db.ts";
import { chinaToday } from "../collect/ingest.ts";
import { type OtherGradeSource, otherGradeSources } from "./scales.ts";
import {
  allowList,
  checkDate,
  checkSubject,
  type ImportResult,
  type RowSource,
  runImport,
  SUBJECT_COLUMN,
  SUBJECT_NAME_COLUMN,
  upsertGrades,
} from "./table-import.ts";

export const GRADE_COLUMNS: HeaderDef[] = [
  SUBJECT_COLUMN,
  SUBJECT_NAME_COLUMN,
  {
    key: "grade",
    zh: "等级",
    en: "Grade",
    aliases: [
      "信用等级",
      "纳税信用级别",
      "信用级别",
      "级别",
      "风险分类",
      "分类结果",
      "评价结果",
      "分数",
      "得分",
      "score",
      "class",
    ],
    required: true,
  },
  {
    key: "grade_date",
    zh: "评定日期",
    en: "Grade date",
    aliases: ["评价日期", "分类日期", "发布日期", "评级日期", "date"],
    required: true,
  },
  {
    key: "valid_until",
    zh: "有效期至",
    en: "Valid until",
    aliases: ["有效期截止日期", "到期日期", "expires"],
  },
];
const col = (k: string) => GRADE_COLUMNS.find((c) => c.key === k)!;

let tablesCache: GradeTables | undefined;
function gradeTables(): GradeTables {
  tablesCache ??= loadGradeTables();
  return tablesCache;
}

/** The source as policy/other-grades.yaml declares it; a clear error for an unknown one. */
export function gradeSource(id: string): OtherGradeSource {
  const sources = otherGradeSources();
  const s = sources.get(id.trim().toLowerCase());
  if (!s)
    throw new InputError([
      problem(
        "grades.source_unknown",
        {
          zh: `未知的评价体系“${id}”`,
          en: `Unknown grading system "${id}"`,
          fixZh: `可选：${[...sources.values()].map((x) => `${x.id}（${x.zh}）`).join("、")}；新的体系在 policy/other-grades.yaml 中增加`,
          fixEn: `Choose one of: ${[...sources.keys()].join(", ")}; new systems are added to policy/other-grades.yaml`,
        },
        { field: "source", value: id },
      ),
    ]);
  return s;
}

/**
 * Maps one grade of a source on its grade date (mapGrade / mapScore on the source's table), or says why not
 * in both languages.
 */
export function mapOtherGrade(
  source: OtherGradeSource,
  original: string,
  date: string,
  tables = gradeTables(),
): MappedGrade | { zh: string; en: string; fixZh: string; fixEn: string } {
  const map = tables.maps.get(source.table);
  if (map) {
    const e = entryAt(map.map, date);
    if (!e)
      return {
        zh: `${date} 没有有效的“${map.title_zh}”对照表`,
        en: `No mapping of "${map.title_en}" is in force on ${date}`,
        fixZh: `核对评定日期（对照表自 ${map.map[0]!.from} 起）`,
        fixEn: `Check the grade date (mappings start ${map.map[0]!.from})`,
      };
    const key = original.normalize("NFKC").trim().toUpperCase();
    if (!(key in e.value)) {
      const choices = Object.keys(e.value).join("、");
      return {
        zh: `“${original}”不是 ${date} 有效的${map.title_zh}`,
        en: `"${original}" is not one of the ${map.title_en} in force on ${date}`,
        fixZh: `可选：${choices}`,
        fixEn: `Use one of: ${Object.keys(e.value).join(", ")}`,
      };
    }
    return { ...mapGrade(tables, source.table, key, date), source: source.id };
  }
  const scale = tables.scales.get(source.table);
  if (!scale) throw new Error(`policy/other-grades.yaml: ${source.id} names no table "${source.table}"`);
  const x = Number(original.normalize("NFKC").trim());
  if (!original.trim() || !Number.isFinite(x) || x < scale.min || x > scale.max)
    return {
      zh: `“${original}”不是 ${scale.min}–${scale.max} 之间的分数`,
      en: `"${original}" is not a score between ${scale.min} and ${scale.max}`,
      fixZh: `填写 ${scale.min}–${scale.max} 的数字`,
      fixEn: `Write a number from ${scale.min} to ${scale.max}`,
    };
  if (!entryAt(scale.cutoffs, date))
    return {
      zh: `${date} 没有有效的“${scale.title_zh}”分档`,
      en: `No cut-offs of "${scale.title_en}" are in force on ${date}`,
      fixZh: "核对评定日期",
      fixEn: "Check the grade date",
    };
  return { ...mapScore(tables, source.table, x, date), source: source.id };
}

export interface GradeImportOptions {
  source: string;
  /** Issuing department (the importer's own; the city credit office may name any). */
  department: string;
  submitter: string;
  channel: "rest" | "file" | "cli";
  fileName?: string;
  acceptValid?: boolean;
  rejectsDir: string;
  today?: string;
}

/** Whether a department may submit a source's grades (policy/other-grades.yaml `departments`; the city office always). */
export function mayIssue(source: OtherGradeSource, department: string): boolean {
  return (
    department === catalog().cityOffice || !source.departments || source.departments.includes(department)
  );
}

interface GradeRow {
  subject_code: string;
  original: string;
  grade: string;
  rule: string;
  grade_date: string;
  valid_until: string | null;
}

export async function importOtherGrades(
  store: Store,
  rows: RowSource,
  opts: GradeImportOptions,
): Promise<ImportResult> {
  const source = gradeSource(opts.source);
  if (!mayIssue(source, opts.department))
    throw new InputError(
      [
        problem(
          "grades.department",
          {
            zh: `${source.zh}由 ${source.departments!.join("、")} 报送，${opts.department} 不能报送`,
            en: `${source.en} grades come from ${source.departments!.join(", ")}; ${opts.department} cannot submit them`,
            fixZh: "由发布该等级的部门报送",
            fixEn: "Have the department that issues them submit them",
          },
          { field: "source", value: source.id },
        ),
      ],
      403,
    );
  const allow = await allowList(store);
  const today = opts.today ?? chinaToday();
  const now = new Date().toISOString();
  const tables = gradeTables();
  return runImport<GradeRow>(store, rows, {
    kind: "grades",
    source: source.id,
    department: opts.department,
    submitter: opts.submitter,
    channel: opts.channel,
    ...(opts.fileName ? { fileName: opts.fileName } : {}),
    acceptValid: !!opts.acceptValid,
    rejectsDir: opts.rejectsDir,
    check(r) {
      const problems: Problem[] = [];
      const subject = checkSubject(r, allow, problems);
      const date = checkDate(r, col("grade_date"), problems, { required: true, notAfter: today });
      const validUntil = checkDate(r, col("valid_until"), problems, { required: false });
      const raw = r.values.grade ?? "";
      let mapped: MappedGrade | undefined;
      if (!raw)
        problems.push(
          problem(
            "value.required",
            {
              zh: "“等级”不能为空",
              en: '"Grade" is required',
              fixZh: `填写${source.zh}`,
              fixEn: `Fill in the ${source.en}`,
            },
            { row: r.row, field: col("grade").zh },
          ),
        );
      else if (date) {
        const m = mapOtherGrade(source, raw, date, tables);
        if ("grade" in m) mapped = m;
        else problems.push(problem("grades.unknown", m, { row: r.row, field: col("grade").zh, value: raw }));
      }
      if (date && validUntil && validUntil < date)
        problems.push(
          problem(
            "grades.valid_until",
            {
              zh: `有效期至 ${validUntil} 早于评定日期 ${date}`,
              en: `Valid until ${validUntil} is before the grade date ${date}`,
              fixZh: "核对有效期，或留空（至下一次评定）",
              fixEn: "Check the date, or leave it empty (valid until the next grade)",
            },
            { row: r.row, field: col("valid_until").zh, value: validUntil },
          ),
        );
      if (problems.length || !subject || !date || validUntil === undefined || !mapped) return problems;
      return {
        subject,
        value: {
          subject_code: subject,
          original: mapped.original,
          grade: mapped.grade,
          rule: mapped.rule,
          grade_date: date,
          valid_until: validUntil,
        },
      };
    },
    async write(tx, rows, batchId) {
      await upsertGrades(tx, "other_grades", rows, {
        key: ["subject_code", "source", "grade_date"],
        batch: {
          source: source.id,
          department: opts.department,
          batch_id: batchId,
          submitted_by: opts.submitter,
          submitted_at: now,
        },
      });
    },
  });
}

export interface StoredGrade extends MappedGrade {
  department: string;
  grade_date: string;
  valid_until: string | null;
}

/**
 * The grades of each subject in force on `asOf`, one per source: the latest grade dated on or before it that
 * has not expired (no `valid_until` = until the next grade). Original and unified grade side by side.
 */
export async function currentGradesOf(
  store: Store,
  codes: readonly string[],
  asOf = chinaToday(),
): Promise<Map<string, StoredGrade[]>> {
  const latest = new Map<string, StoredGrade & { id: number }>();
  for (let i = 0; i < codes.length; i += 5000) {
    const slice = codes.slice(i, i + 5000);
    if (slice.length === 0) continue;
    const rows = await store.db
      .selectFrom("other_grades")
      .select([
        "id",
        "subject_code",
        "source",
        "original",
        "grade",
        "rule",
        "department",
        "grade_date",
        "valid_until",
      ])
      .where("subject_code", "in", slice)
      .where("grade_date", "<=", asOf)
      .execute();
    for (const r of rows) {
      const key = `${r.subject_code}\u0000${r.source}`;
      const cur = latest.get(key);
      if (cur && cur.grade_date > r.grade_date) continue;
      latest.set(key, {
        id: Number(r.id),
        source: r.source,
        original: r.original,
        grade: r.grade as MappedGrade["grade"],
        rule: r.rule,
        department: r.department,
        grade_date: r.grade_date,
        valid_until: r.valid_until,
      });
    }
  }
  const out = new Map<string, StoredGrade[]>();
  for (const [key, { id: _id, ...g }] of latest) {
    // The latest grade decides; an expired latest grade leaves the source silent (an older one does not revive).
    if (g.valid_until !== null && g.valid_until < asOf) continue;
    const code = key.slice(0, key.indexOf("\u0000"));
    pushTo(out, code, g);
  }
  for (const a of out.values()) a.sort((x, y) => (x.source < y.source ? -1 : 1));
  return out;
}

/** EvalInput.otherGrades per subject (NR grades say nothing and are left out). */
export async function otherGradesInputOf(
  store: Store,
  codes: readonly string[],
  asOf = chinaToday(),
): Promise<Map<string, { source: string; grade: Grade }[]>> {
  const cur = await currentGradesOf(store, codes, asOf);
  const out = new Map<string, { source: string; grade: Grade }[]>();
  for (const [code, grades] of cur) {
    const g = otherGradesOf(grades);
    if (g.length) out.set(code, g);
  }
  return out;
}
