import { fieldDef, findCategory, inForce } from "../catalog/catalog.ts";
import type { Catalog, Category, Department, FieldDef, RecordStatus, Severity } from "../catalog/types.ts";
import { checkIdNumber, isIdNumberLike } from "../idcard/idcard.ts";
import { type Problem, problem } from "../problem.ts";
import { checkUscc, normalizeCode } from "../uscc/uscc.ts";
import { parseDate, parseNumber, toHalfWidth } from "./parse.ts";

/** A raw record: field key → value as received (file cell, JSON value). */
export type RawRecord = Record<string, unknown>;

/** A record that passed every catalog check, in canonical form. */
export interface RecordInput {
  department: string;
  category: string;
  doc_no: string;
  subject_code: string;
  subject_name: string | null;
  decision_date: string;
  severity: Severity;
  status: RecordStatus;
  status_reason: string | null;
  /** Category fields plus `content`, keys sorted, empty values omitted. */
  fields: Record<string, string | number>;
  /** The subject code was allow-listed legacy (flagged), not valid. */
  legacy_code?: boolean;
  /**
   * The submitter's reason when this version is meant to name another subject than the stored one (a wrong
   * subject corrected). Not content: outside the digest. Checked against the stored version when merged.
   */
  subject_correction?: string;
}

export interface ValidationContext {
  catalog: Catalog;
  /** Today's date (ISO) for the future-date check. */
  today: string;
  /** Department to use when the record does not name one (the submitter's). */
  department?: string;
  /** Category to use when the record does not name one (a per-category file). */
  category?: string;
  isAllowListed?: (code: string) => boolean;
  /** Memo for one batch: the same code or category text is checked once (a file repeats them a lot). */
  cache?: ValidationCache;
  /** The submitter may only submit for this department (a department's staff or system). */
  onlyDepartment?: string;
  row?: number;
}

export type Validated = { ok: true; record: RecordInput } | { ok: false; problems: Problem[] };

type CodeCheck = { code: string; legacy: boolean } | { reason: Problem };

export class ValidationCache {
  readonly categories = new Map<string, Category | undefined>();
  readonly codes = new Map<string, CodeCheck>();
  /** Bounded: a 10-million-row file with a million distinct codes must not keep them all. */
  code(text: string, check: () => CodeCheck): CodeCheck {
    let hit = this.codes.get(text);
    if (!hit) {
      hit = check();
      this.remember(text, hit);
    }
    return hit;
  }
  remember(text: string, check: CodeCheck): void {
    if (this.codes.size >= 100_000) this.codes.clear();
    this.codes.set(text, check);
  }
}

/** The earliest decision date accepted: the founding of the PRC; anything earlier is a typo. */
const EARLIEST_DATE = "1949-10-01";

function str(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

const label = (f: FieldDef) => `${f.zh}（${f.en}）`;

/** A category's own fields, in the order they are checked (sorted keys), with their definitions. */
interface CategoryField {
  key: string;
  def: FieldDef;
  required: boolean;
}

/**
 * What validation looks up on every row, computed once per catalog (catalogs are loaded once and never
 * mutated): envelope definitions, category field lists, enum value maps, and memos of the department and
 * category lookups by the text a file gives (bounded: a hostile file could name millions).
 */
interface CatalogIndex {
  envelope: Map<string, FieldDef>;
  categoryByText: Map<string, Category | undefined>;
  departmentByText: Map<string, Department | undefined>;
  categoryFields: Map<Category, CategoryField[]>;
}

const MEMO_LIMIT = 10_000;
const indexes = new WeakMap<Catalog, CatalogIndex>();

function indexOf(catalog: Catalog): CatalogIndex {
  let ix = indexes.get(catalog);
  if (!ix) {
    ix = {
      envelope: new Map(catalog.envelope.map((f) => [f.key, f])),
      categoryByText: new Map(),
      departmentByText: new Map(),
      categoryFields: new Map(),
    };
    indexes.set(catalog, ix);
  }
  return ix;
}

function categoryOf(catalog: Catalog, ix: CatalogIndex, text: string, cache: ValidationCache | undefined) {
  if (cache?.categories.has(text)) return cache.categories.get(text);
  let category: Category | undefined;
  if (ix.categoryByText.has(text)) category = ix.categoryByText.get(text);
  else {
    category = findCategory(catalog, text);
    if (ix.categoryByText.size >= MEMO_LIMIT) ix.categoryByText.clear();
    ix.categoryByText.set(text, category);
  }
  cache?.categories.set(text, category);
  return category;
}

function departmentOf(catalog: Catalog, ix: CatalogIndex, text: string): Department | undefined {
  let dept = ix.departmentByText.get(text);
  if (dept === undefined && !ix.departmentByText.has(text)) {
    const upper = text.toUpperCase();
    const lower = text.toLowerCase();
    dept = catalog.departments.find((d) => d.code === upper || d.zh === text || d.en.toLowerCase() === lower);
    if (ix.departmentByText.size >= MEMO_LIMIT) ix.departmentByText.clear();
    ix.departmentByText.set(text, dept);
  }
  return dept;
}

function fieldsOf(catalog: Catalog, ix: CatalogIndex, category: Category): CategoryField[] {
  let list = ix.categoryFields.get(category);
  if (!list) {
    list = [...category.required, ...category.optional].sort().map((key) => ({
      key,
      def: fieldDef(catalog, key)!,
      required: category.required.includes(key),
    }));
    ix.categoryFields.set(category, list);
  }
  return list;
}

function missing(def: FieldDef, row: number | undefined): Problem {
  return problem(
    "field.required",
    {
      zh: `必填字段“${def.zh}”为空`,
      en: `Required field "${def.en}" is empty`,
      fixZh: `填写${label(def)}`,
      fixEn: `Fill in ${def.en} (${def.zh})`,
    },
    { row, field: def.key },
  );
}

/** Whether a required value is there; reports it when it is not. */
function required(def: FieldDef, v: string, row: number | undefined, problems: Problem[]): boolean {
  if (v) return true;
  problems.push(missing(def, row));
  return false;
}

/** An envelope text value: trimmed, ideographic spaces made plain, within its length limit ("" when not). */
function text(def: FieldDef, value: unknown, row: number | undefined, problems: Problem[]): string {
  const v = toHalfWidthSpaces(str(value));
  if (v && def.max !== undefined && v.length > def.max) {
    problems.push(tooLong(def, v, row));
    return "";
  }
  return v;
}

/** Checks a subject code: a USCC, or a natural person's identity number. */
function checkCode(
  codeText: string,
  today: string,
  isAllowListed: ValidationContext["isAllowListed"],
): CodeCheck {
  const normalized = normalizeCode(codeText);
  // An all-digit code may be an identity number or a pre-2015 USCC: a valid identity number wins (it also
  // carries a real birth date); otherwise it is judged as a USCC, and an invalid one reports as such.
  const id = isIdNumberLike(normalized) ? checkIdNumber(normalized, today) : undefined;
  const r = id?.status === "valid" ? id : checkUscc(normalized, isAllowListed);
  if (r.status === "invalid") {
    const why = id && !USCC_PREFIX.test(normalized) ? id.reason! : r.reason!;
    return { reason: problem(why.code, why, { field: "subject_code", value: codeText }) };
  }
  return { code: r.normalized, legacy: r.status === "legacy" };
}

const USCC_PREFIX = /^[1-9A-HJ-NPQRTUWXY]{2}/;

/**
 * Checks one raw record against the catalog. Pure: the same input always gives the same answer.
 * It runs once per row of files of millions of rows, so it creates no closures and looks nothing up by
 * scanning: see CatalogIndex.
 */
export function validateRecord(raw: RawRecord, ctx: ValidationContext): Validated {
  const problems: Problem[] = [];
  const row = ctx.row;
  const { catalog } = ctx;
  const ix = indexOf(catalog);
  const env = ix.envelope;

  // Category first: it decides which fields are required.
  const categoryText = str(raw.category) || ctx.category || "";
  let category: Category | undefined;
  if (!categoryText) {
    problems.push(
      problem(
        "category.missing",
        {
          zh: "缺少信息类别",
          en: "The category is missing",
          fixZh: "填写信息类别代码或名称（如 PENALTY 或 行政处罚），或在导入时指定类别",
          fixEn:
            "Give a category code or name (e.g. PENALTY or 行政处罚), or choose the category when importing",
        },
        { row, field: "category" },
      ),
    );
  } else {
    category = categoryOf(catalog, ix, categoryText, ctx.cache);
    if (!category)
      problems.push(
        problem(
          "category.unknown",
          {
            zh: `信息类别“${categoryText}”不在公共信用信息目录中`,
            en: `Category "${categoryText}" is not in the public credit information catalog`,
            fixZh: `使用目录中的类别之一：${catalog.categories.map((c) => `${c.code} ${c.zh}`).join("、")}`,
            fixEn: `Use one of the catalog's categories: ${catalog.categories.map((c) => c.code).join(", ")}`,
          },
          { row, field: "category", value: categoryText },
        ),
      );
  }

  // Department: explicit column, else the submitter's.
  const deptText = str(raw.department) || ctx.department || "";
  const dept = departmentOf(catalog, ix, deptText);
  if (!deptText) {
    problems.push(
      problem(
        "department.missing",
        {
          zh: "缺少来源部门",
          en: "The source department is missing",
          fixZh: "填写来源部门代码（如 SCJG），或在导入时指定部门",
          fixEn: "Give the source department code (e.g. SCJG), or choose the department when importing",
        },
        { row, field: "department" },
      ),
    );
  } else if (!dept) {
    problems.push(
      problem(
        "department.unknown",
        {
          zh: `来源部门“${deptText}”不存在`,
          en: `Department "${deptText}" does not exist`,
          fixZh: `使用已登记的部门代码：${catalog.departments.map((d) => `${d.code} ${d.zh}`).join("、")}`,
          fixEn: `Use a registered department code: ${catalog.departments.map((d) => d.code).join(", ")}`,
        },
        { row, field: "department", value: deptText },
      ),
    );
  } else if (ctx.onlyDepartment && dept.code !== ctx.onlyDepartment) {
    problems.push(
      problem(
        "department.not_yours",
        {
          zh: `只能报送本部门（${ctx.onlyDepartment}）的信息，本行为 ${dept.code}`,
          en: `You may only submit records of your department (${ctx.onlyDepartment}); this row is ${dept.code}`,
          fixZh: "删除该行，或由该部门自行报送",
          fixEn: "Remove the row, or let that department submit it",
        },
        { row, field: "department", value: deptText },
      ),
    );
  } else if (category && !category.departments.includes(dept.code)) {
    problems.push(
      problem(
        "department.not_source",
        {
          zh: `${dept.zh}不是“${category.zh}”类信息的来源部门`,
          en: `${dept.en} is not a source department for "${category.en}" records`,
          fixZh: `该类信息由以下部门报送：${category.departments.join("、")}；请确认类别是否选对`,
          fixEn: `Records of this category come from: ${category.departments.join(", ")}; check the category`,
        },
        { row, field: "department", value: deptText },
      ),
    );
  }

  // Subject code: a USCC, or a natural person's identity number.
  let subjectCode = "";
  let legacy = false;
  const codeText = str(raw.subject_code);
  if (required(env.get("subject_code")!, codeText, row, problems)) {
    const cache = ctx.cache;
    let c = cache?.codes.get(codeText);
    if (!c) {
      c = checkCode(codeText, ctx.today, ctx.isAllowListed);
      cache?.remember(codeText, c);
    }
    if ("reason" in c) problems.push(row === undefined ? c.reason : { ...c.reason, row });
    else {
      subjectCode = c.code;
      legacy = c.legacy;
    }
  }

  const subjectName = text(env.get("subject_name")!, raw.subject_name, row, problems);
  const docNoDef = env.get("doc_no")!;
  const docNo = text(docNoDef, raw.doc_no, row, problems);
  required(docNoDef, docNo, row, problems);
  const dateDef = env.get("decision_date")!;
  let decisionDate = "";
  const dateText = str(raw.decision_date);
  if (required(dateDef, dateText, row, problems)) {
    decisionDate = checkDate(dateDef, dateText, ctx.today, row, problems) ?? "";
    if (decisionDate && category && !inForce(category, decisionDate)) {
      problems.push(
        problem(
          "category.not_in_force",
          {
            zh: `类别“${category.zh}”在 ${decisionDate} 不在目录有效期内（${category.effective_from} 起${category.effective_to ? `至 ${category.effective_to}` : ""}）`,
            en: `Category "${category.en}" is not in force on ${decisionDate} (from ${category.effective_from}${category.effective_to ? ` to ${category.effective_to}` : ""})`,
            fixZh: "核对决定日期，或选择当时有效的类别",
            fixEn: "Check the decision date, or choose the category in force at that time",
          },
          { row, field: "decision_date", value: dateText },
        ),
      );
    }
  }

  const severityText = str(raw.severity);
  let severity: Severity | undefined = category?.severity;
  if (severityText)
    severity = enumValue(env.get("severity")!, severityText, row, problems) as Severity | undefined;
  const statusText = str(raw.status);
  let status: RecordStatus = "active";
  if (statusText)
    status = (enumValue(env.get("status")!, statusText, row, problems) as RecordStatus) ?? "active";
  const statusReason = text(env.get("status_reason")!, raw.status_reason, row, problems);
  if (status !== "active" && !statusReason) {
    problems.push(
      problem(
        "status.reason_required",
        {
          zh: "撤销或更正记录必须说明原因",
          en: "A revoked or corrected record must give a reason",
          fixZh: "在“状态原因”中写明原因，如“经法院判决撤销”",
          fixEn: 'Give the reason in "Status reason", e.g. "annulled by court judgment"',
        },
        { row, field: "status_reason" },
      ),
    );
  }

  const subjectCorrection = text(env.get("subject_correction")!, raw.subject_correction, row, problems);

  const fields: Record<string, string | number> = {};
  const content = text(env.get("content")!, raw.content, row, problems);
  if (content) fields.content = content;
  if (category) {
    const list = fieldsOf(catalog, ix, category);
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      const v = str(raw[f.key]);
      if (!v) {
        if (f.required) problems.push(missing(f.def, row));
        continue;
      }
      const value = fieldValue(f.def, v, ctx.today, row, problems);
      if (value !== undefined) fields[f.key] = value;
    }
  }

  if (problems.length > 0 || !category || !dept || !severity) return { ok: false, problems };
  const record: RecordInput = {
    department: dept.code,
    category: category.code,
    doc_no: docNo,
    subject_code: subjectCode,
    subject_name: subjectName || null,
    decision_date: decisionDate,
    severity,
    status,
    status_reason: statusReason || null,
    fields,
  };
  if (legacy) record.legacy_code = true;
  if (subjectCorrection) record.subject_correction = subjectCorrection;
  return { ok: true, record };
}

function toHalfWidthSpaces(s: string): string {
  return s.indexOf("\u3000") === -1 ? s.trim() : s.replace(/\u3000/g, " ").trim();
}

function tooLong(def: FieldDef, v: string, row: number | undefined): Problem {
  return problem(
    "field.too_long",
    {
      zh: `“${def.zh}”长度为 ${v.length} 个字符，超过上限 ${def.max}`,
      en: `"${def.en}" is ${v.length} characters long, over the limit of ${def.max}`,
      fixZh: `将${def.zh}缩短到 ${def.max} 个字符以内`,
      fixEn: `Shorten ${def.en} to at most ${def.max} characters`,
    },
    { row, field: def.key, value: v },
  );
}

function checkDate(
  def: FieldDef,
  v: string,
  today: string,
  row: number | undefined,
  problems: Problem[],
): string | undefined {
  const parsed = parseDate(v);
  if (parsed.kind === "unreadable") {
    problems.push(
      problem(
        "date.format",
        {
          zh: `“${def.zh}”的值“${v}”不是可识别的日期`,
          en: `"${def.en}" value "${v}" is not a date`,
          fixZh: "使用 YYYY-MM-DD 格式，如 2024-03-05",
          fixEn: "Use the YYYY-MM-DD format, e.g. 2024-03-05",
        },
        { row, field: def.key, value: v },
      ),
    );
    return undefined;
  }
  if (parsed.kind === "impossible") {
    problems.push(
      problem(
        "date.impossible",
        {
          zh: `日期“${v}”不存在（${parsed.why.zh}）`,
          en: `Date "${v}" does not exist (${parsed.why.en})`,
          fixZh: "核对年月日",
          fixEn: "Check the year, month and day",
        },
        { row, field: def.key, value: v },
      ),
    );
    return undefined;
  }
  const date = parsed.date;
  if (!def.future && date > today) {
    problems.push(
      problem(
        "date.future",
        {
          zh: `“${def.zh}”${date} 晚于今天（${today}）`,
          en: `"${def.en}" ${date} is after today (${today})`,
          fixZh: "决定已作出才能报送；核对日期是否录错",
          fixEn: "Only decisions already made can be submitted; check the date for a typo",
        },
        { row, field: def.key, value: v },
      ),
    );
    return undefined;
  }
  if (date < EARLIEST_DATE) {
    problems.push(
      problem(
        "date.too_early",
        {
          zh: `“${def.zh}”${date} 早于 ${EARLIEST_DATE}`,
          en: `"${def.en}" ${date} is before ${EARLIEST_DATE}`,
          fixZh: "核对年份是否录错",
          fixEn: "Check the year for a typo",
        },
        { row, field: def.key, value: v },
      ),
    );
    return undefined;
  }
  return date;
}

/** An enum's accepted spellings: value (any case) and label, each to the value, first one winning. */
interface EnumIndex {
  byLowerValue: Map<string, string>;
  byLabel: Map<string, string>;
}
const enumIndexes = new WeakMap<FieldDef, EnumIndex>();

function enumIndexOf(def: FieldDef): EnumIndex {
  let e = enumIndexes.get(def);
  if (!e) {
    e = { byLowerValue: new Map(), byLabel: new Map() };
    for (const x of def.values ?? []) {
      const k = x.toLowerCase();
      if (!e.byLowerValue.has(k)) e.byLowerValue.set(k, x);
    }
    for (const [value, lbl] of Object.entries(def.labels ?? {}))
      if (!e.byLabel.has(lbl)) e.byLabel.set(lbl, value);
    enumIndexes.set(def, e);
  }
  return e;
}

function enumValue(
  def: FieldDef,
  v: string,
  row: number | undefined,
  problems: Problem[],
): string | undefined {
  const e = enumIndexOf(def);
  const trimmed = v.trim();
  const hit = e.byLowerValue.get(trimmed.toLowerCase()) ?? e.byLabel.get(trimmed);
  if (hit) return hit;
  const values = def.values ?? [];
  const options = values.map((x) => (def.labels?.[x] ? `${def.labels[x]}(${x})` : x));
  problems.push(
    problem(
      "field.enum",
      {
        zh: `“${def.zh}”的值“${v}”不是允许的取值`,
        en: `"${def.en}" value "${v}" is not one of the allowed values`,
        fixZh: `可选值：${options.join("、")}`,
        fixEn: `Allowed values: ${values.join(", ")}`,
      },
      { row, field: def.key, value: v },
    ),
  );
  return undefined;
}

function fieldValue(
  def: FieldDef,
  v: string,
  today: string,
  row: number | undefined,
  problems: Problem[],
): string | number | undefined {
  switch (def.type) {
    case "text":
    case "code": {
      const t = toHalfWidthSpaces(v);
      if (def.max !== undefined && t.length > def.max) {
        problems.push(tooLong(def, t, row));
        return undefined;
      }
      return t;
    }
    case "date":
      return checkDate(def, v, today, row, problems);
    case "enum":
      return enumValue(def, v, row, problems);
    case "number":
    case "integer": {
      const n = parseNumber(toHalfWidth(v));
      if (n === undefined)
        return badNumber(
          def,
          v,
          row,
          problems,
          "number.format",
          `“${def.zh}”的值“${v}”不是数字`,
          `"${def.en}" value "${v}" is not a number`,
          "只填数字，如 12.5（不要带单位）",
          "Give a plain number such as 12.5 (no units)",
        );
      if (def.type === "integer" && !Number.isInteger(n))
        return badNumber(
          def,
          v,
          row,
          problems,
          "number.integer",
          `“${def.zh}”应为整数，实为 ${v}`,
          `"${def.en}" must be a whole number, got ${v}`,
          "填写整数",
          "Give a whole number",
        );
      if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max))
        return badNumber(
          def,
          v,
          row,
          problems,
          "number.range",
          `“${def.zh}”的值 ${v} 超出范围 ${def.min ?? "-∞"}～${def.max ?? "∞"}`,
          `"${def.en}" value ${v} is outside ${def.min ?? "-∞"}..${def.max ?? "∞"}`,
          "核对数值和单位",
          "Check the value and its unit",
        );
      return n;
    }
  }
}

function badNumber(
  def: FieldDef,
  v: string,
  row: number | undefined,
  problems: Problem[],
  code: string,
  zh: string,
  en: string,
  fixZh: string,
  fixEn: string,
): undefined {
  problems.push(problem(code, { zh, en, fixZh, fixEn }, { row, field: def.key, value: v }));
  return undefined;
}
