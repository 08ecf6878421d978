import { sql } from "kysely";
import type { Store } from "../../store/db.ts";

export type Breakdown = "region" | "industry_section" | "type";

/** Grade distribution of one model's current results, overall and by a subject attribute, plus coverage. */
export async function gradeDashboard(store: Store, modelId: string, by: Breakdown) {
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
      sql<string>`subjects.${sql.ref(by)}`.as("key"),
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
    breakdown: breakdown.map((r) => ({ key: r.key, grade: r.grade, n: Number(r.n) })),
    coverage: { evaluated, subjects: Number(subjects.n) },
    trend: runs.reverse().map((r) => ({
      runId: r.id,
      asOf: r.as_of,
      finishedAt: r.finished_at,
      grades: (JSON.parse(r.grade_counts) as Record<string, Record<string, number>>)[modelId] ?? {},
    })),
  };
}
