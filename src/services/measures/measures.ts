/**
 * A subject's applicable measures, computed from its current evaluations (so they change when its grade
 * changes), and credit checks (信用核查): the same computation for one scenario, logged with the caller and the
 * purpose, and shown to the subject.
 */

import type { Actor } from "../../core/auth/roles.ts";
import type { Catalog } from "../../core/catalog/types.ts";
import type { GradeOrNR } from "../../core/grades.ts";
import { maskIfIdNumber } from "../../core/idcard/idcard.ts";
import {
  type AppliedMeasure,
  applicableMeasures,
  listsInForce,
  type SubjectGrade,
} from "../../core/measures/match.ts";
import type { MeasureList, Scenario } from "../../core/measures/schema.ts";
import { InputError, problem } from "../../core/problem.ts";
import { entryAt } from "../../core/scoring/dated.ts";
import { storedLimits } from "../../core/scoring/explain.ts";
import type { DepartmentScope } from "../../policies/scope.ts";
import { measuresPolicy } from "../../policy/measures.ts";
import type { Store } from "../../store/db.ts";
import { paged } from "../../store/paged.ts";
import type { CreditCheck } from "../../store/schema-supervision-checks.ts";
import { whereDepartment } from "../../store/where-department.ts";
import { chinaToday } from "../collect/ingest.ts";
import type { ModelSet } from "../evaluate/models.ts";
import { currentModelSet } from "../models/versions.ts";

/** The scenario named by `id`; an unknown one is refused with the scenarios there are. */
export function scenarioOf(id: string): Scenario {
  const { scenarios } = measuresPolicy();
  const s = scenarios.find((x) => x.id === id);
  if (s) return s;
  throw new InputError([
    problem(
      "measures.scenario",
      {
        zh: `没有这个应用场景：${id}`,
        en: `No such scenario: ${id}`,
        fixZh: `可选：${scenarios.map((x) => `${x.id}（${x.zh}）`).join("、")}`,
        fixEn: `Choose one of: ${scenarios.map((x) => `${x.id} (${x.en})`).join(", ")}`,
      },
      { field: "scenario", value: id },
    ),
  ]);
}

/**
 * The subject's current results (`evaluations`, is_current = 1), with model titles and trigger names, and what
 * each trigger and ceiling does to the grade (read back from the stored dimension points: a ceiling the score
 * is already under is not said to hold the grade down).
 */
export async function currentGrades(store: Store, models: ModelSet, code: string): Promise<SubjectGrade[]> {
  const rows = await store.db
    .selectFrom("evaluations")
    .select(["model_id", "model_version", "as_of", "score", "grade", "dimensions", "triggers", "ceiling"])
    .where("subject_code", "=", code)
    .where("is_current", "=", 1)
    .orderBy("model_id")
    .execute();
  return rows.map((r) => {
    const m = models.all.find((x) => x.id === r.model_id);
    const name = (id: string, list: readonly { id: string; zh: string; en: string }[] | undefined) => {
      const t = list?.find((x) => x.id === id);
      return { id, zh: t?.zh ?? id, en: t?.en ?? id };
    };
    const grade = r.grade as GradeOrNR;
    const score = Number(r.score);
    const triggers = JSON.parse(r.triggers) as string[];
    const { byScore, limits } = storedLimits(m, {
      grade,
      score,
      dimensions: JSON.parse(r.dimensions) as Record<string, number>,
      triggers,
      ceiling: r.ceiling,
      asOf: r.as_of,
    });
    return {
      modelId: r.model_id,
      kind: m?.kind ?? "industry",
      title: m?.title ?? { zh: r.model_id, en: r.model_id },
      version: r.model_version,
      grade,
      score,
      asOf: r.as_of,
      triggers: triggers.map((id) => name(id, m?.def.triggers)),
      ceiling: r.ceiling ? name(r.ceiling, m?.def.ceilings) : null,
      byScore,
      limits: limits.map((l) => {
        const n = name(l.id, l.kind === "trigger" ? m?.def.triggers : m?.def.ceilings);
        return { ...l, zh: n.zh, en: n.en };
      }),
    };
  });
}

export interface PolicyVersions {
  lists: { department: string; version: string; file: string; digest: string }[];
  models: { id: string; version: string }[];
}

export interface SubjectMeasures {
  subject: { code: string; name: string; type: string };
  date: string;
  scenario: Scenario | null;
  department: string | null;
  grades: SubjectGrade[];
  measures: AppliedMeasure[];
  policy: PolicyVersions;
  /** Every scenario there is (for a choice of scenario beside the answer). */
  scenarios: Scenario[];
}

function versionsOf(lists: readonly MeasureList[], grades: readonly SubjectGrade[]): PolicyVersions {
  return {
    lists: lists.map((l) => ({
      department: l.department,
      version: l.version,
      file: l.file,
      digest: l.digest,
    })),
    models: grades.map((g) => ({ id: g.modelId, version: g.version })),
  };
}

/**
 * The measures that apply to a subject now (or on `date`), in one scenario or all, for one department's checks
 * or every list; undefined when the subject is not registered. Codes of natural persons come back masked.
 */
export async function measuresOfSubject(
  store: Store,
  catalog: Catalog,
  code: string,
  opts: { scenario?: string | undefined; department?: string | undefined; date?: string | undefined } = {},
): Promise<SubjectMeasures | undefined> {
  const scenario = opts.scenario === undefined ? null : scenarioOf(opts.scenario);
  const subject = await store.db
    .selectFrom("subjects")
    .select(["code", "name", "type"])
    .where("code", "=", code)
    .executeTakeFirst();
  if (!subject) return undefined;
  const date = opts.date ?? chinaToday();
  const models = await currentModelSet(store, catalog);
  const grades = await currentGrades(store, models, code);
  const r = applicableMeasures(measuresPolicy().lists, {
    date,
    grades,
    scenario: scenario?.id,
    department: opts.department,
    modelTitles: Object.fromEntries(models.all.map((m) => [m.id, m.title])),
  });
  return {
    subject: { ...subject, code: maskIfIdNumber(subject.code) },
    date,
    scenario,
    department: opts.department ?? null,
    grades: r.grades,
    measures: r.measures,
    policy: versionsOf(r.lists, r.grades),
    scenarios: measuresPolicy().scenarios,
  };
}

/** The lists in force on a date for a department (every list when absent), as the lists page shows them. */
export async function listsInForceView(
  store: Store,
  catalog: Catalog,
  opts: { date?: string | undefined; department?: string | undefined },
) {
  const date = opts.date ?? chinaToday();
  const { lists, scenarios } = measuresPolicy();
  const models = await currentModelSet(store, catalog);
  const model = (id: string) => models.all.find((m) => m.id === id);
  return {
    date,
    scenarios,
    lists: listsInForce(lists, date, opts.department).map((l) => ({
      department: l.department,
      version: l.version,
      title: { zh: l.title_zh, en: l.title_en },
      appliesTo: l.applies_to,
      effectiveFrom: l.effective_from,
      effectiveTo: l.effective_to ?? null,
      source: l.sources[l.source] ?? l.source,
      file: l.file,
      digest: l.digest,
      measures: l.measures,
      items: l.items.map((i) => {
        const v = entryAt(i.measures, date);
        return {
          id: i.id,
          zh: i.zh,
          en: i.en,
          legalBasis: i.legal_basis,
          scenario: i.scenario,
          model: i.model,
          modelTitle: model(i.model)?.title ?? { zh: i.model, en: i.model },
          /** An industry model's item falls back to the public grade (core/measures/match.ts gradeForItem). */
          modelKind: model(i.model)?.kind ?? "industry",
          perGrade: v?.value ?? null,
          valueFrom: v?.from ?? null,
          valueSource: v ? (l.sources[v.source] ?? v.source) : null,
        };
      }),
    })),
  };
}

const noDepartment = () =>
  new InputError(
    [
      problem("credit_check.department", {
        zh: "你的账号没有所属部门，无法确定适用哪个部门的监管措施清单",
        en: "Your account belongs to no department, so no department's measures list can apply",
        fixZh: "请管理员为账号设置所属部门",
        fixEn: "Ask an administrator to set your account's department",
      }),
    ],
    403,
  );

/** What a credit check stores in `result` (and answers). */
export interface CheckResult {
  subject: { name: string; type: string };
  date: string;
  grades: SubjectGrade[];
  measures: AppliedMeasure[];
}

/**
 * 信用核查: the grades that apply to the subject in the scenario, for the caller's department, the measures and
 * the reasons — logged (append-only) with the caller and the purpose. Undefined when the subject is unknown.
 */
export async function runCreditCheck(
  store: Store,
  catalog: Catalog,
  actor: Actor,
  req: { subject: string; scenario: string; purpose: string },
) {
  if (!actor.department) throw noDepartment();
  const m = await measuresOfSubject(store, catalog, req.subject, {
    scenario: req.scenario,
    department: actor.department,
  });
  if (!m) return undefined;
  const result: CheckResult = {
    subject: { name: m.subject.name, type: m.subject.type },
    date: m.date,
    grades: m.grades,
    measures: m.measures,
  };
  const row = await store.db
    .insertInto("credit_checks")
    .values({
      at: new Date().toISOString(),
      caller: actor.name,
      caller_role: actor.role,
      department: actor.department,
      subject_code: req.subject,
      scenario: req.scenario,
      purpose: req.purpose,
      result: JSON.stringify(result),
      policy_versions: JSON.stringify(m.policy),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return presentCheck(row);
}

/** A logged check as it leaves the server: the subject's code masked when it is a natural person's. */
export function presentCheck(row: CreditCheck) {
  const scenario = measuresPolicy().scenarios.find((s) => s.id === row.scenario);
  return {
    id: Number(row.id),
    at: row.at,
    caller: row.caller,
    callerRole: row.caller_role,
    department: row.department,
    subjectCode: maskIfIdNumber(row.subject_code),
    scenario: scenario ?? { id: row.scenario, zh: row.scenario, en: row.scenario },
    purpose: row.purpose,
    result: JSON.parse(row.result) as CheckResult,
    policy: JSON.parse(row.policy_versions) as PolicyVersions,
  };
}

/** The log, newest first: of one subject and/or one department (the city credit office: every department). */
export async function listCreditChecks(
  store: Store,
  opts: { subject?: string | undefined; departments: DepartmentScope; limit: number; offset: number },
) {
  let q = store.db.selectFrom("credit_checks").where(whereDepartment(opts.departments, "department"));
  if (opts.subject) q = q.where("subject_code", "=", opts.subject);
  const { items, total } = await paged(q, opts, (q) => q.selectAll().orderBy("id", "desc"));
  return { items: items.map(presentCheck), total };
}
