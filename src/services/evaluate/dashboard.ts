import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { DashboardBy, GradeDashboard, GradeOrNR } from "../../contract/evaluation.ts";
import type { ModelDef } from "../../core/scoring/index.ts";
import type { Store } from "../../store/db.ts";
import type { Database } from "../../store/schema.ts";

export type Breakdown = DashboardBy;

/**
 * The model's scope as a condition on `subjects` — the SQL twin of the compiled `scope` (core/scoring/compile.ts,
 * inScopeFn): listed types and statuses, and when sections or divisions are listed, either of them matching.
 * dashboard.test.ts checks that both select the same subjects.
 */
export function scopeCondition(
  scope: ModelDef["scope"],
): (eb: ExpressionBuilder<Database, "subjects">) => Expression<SqlBool> {
  return (eb) => {
    const all: Expression<SqlBool>[] = [];
    if (scope.types) all.push(eb("subjects.type", "in", scope.types));
    if (scope.statuses) all.push(eb("subjects.status", "in", scope.statuses));
    const industry: Expression<SqlBool>[] = [];
    if (scope.sections) industry.push(eb("subjects.industry_section", "in", scope.sections));
    if (scope.divisions) industry.push(eb("subjects.industry_division", "in", scope.divisions));
    if (industry.length > 0) all.push(eb.or(industry));
    return eb.and(all);
  };
}

/**
 * Grade distribution of one model's current results, overall and by a subject attribute, plus coverage:
 * subjects with a current result against the registered subjects in the model's scope (the policy asks for all
 * of them to be evaluated).
 */
export async function gradeDashboard(
  store: Store,
  model: { id: string; def: ModelDef },
  by: Breakdown,
): Promise<GradeDashboard> {
  const modelId = model.id;
  const overall = await store.db
    .selectFrom("evaluations")
    .select(["grade", (eb) => eb.fn.countAll<number>().as("n")])
    .where("model_id", "=", modelId)
    .where("is_current", "=", 1)
    .groupBy("grade")
    .execute();
  const breakdown = await store.db
    .selectFrom("evaluations")
    .innerJoin("subjects", "subjects.code", "evaluations.subject_code")
    .select([
      sql<string | null>`subjects.${sql.ref(by)}`.as("key"),
      "evaluations.grade",
      (eb) => eb.fn.countAll<number>().as("n"),
    ])
    .where("evaluations.model_id", "=", modelId)
    .where("evaluations.is_current", "=", 1)
    .groupBy([sql`subjects.${sql.ref(by)}`, "evaluations.grade"])
    .execute();
  const subjects = await store.db
    .selectFrom("subjects")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const inScope = await store.db
    .selectFrom("subjects")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(scopeCondition(model.def.scope))
    .executeTakeFirstOrThrow();
  const runs = await store.db
    .selectFrom("evaluation_runs")
    .select(["id", "kind", "as_of", "finished_at", "subjects", "changed", "grade_counts", "seconds"])
    .where("kind", "=", "batch")
    .orderBy("started_at", "desc")
    .limit(24)
    .execute();
  const evaluated = overall.reduce((a, r) => a + Number(r.n), 0);
  return {
    modelId,
    by,
    grades: Object.fromEntries(overall.map((r) => [r.grade, Number(r.n)])),
    breakdown: breakdown.map((r) => ({ key: r.key, grade: r.grade as GradeOrNR, n: Number(r.n) })),
    coverage: { evaluated, inScope: Number(inScope.n), registered: Number(subjects.n) },
    trend: runs.reverse().map((r) => ({
      runId: r.id,
      asOf: r.as_of,
      finishedAt: r.finished_at,
      grades: (JSON.parse(r.grade_counts) as Record<string, Record<string, number>>)[modelId] ?? {},
    })),
  };
}
