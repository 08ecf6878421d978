import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.ts";

export async function up(db: Kysely<unknown>, { id }: MigrationContext): Promise<void> {
  // One row per (subject, model) grade change; the current row is refreshed in place while nothing changes.
  await id(db.schema.createTable("evaluations"))
    .addColumn("subject_code", "text", (c) => c.notNull())
    .addColumn("model_id", "text", (c) => c.notNull())
    .addColumn("model_version", "text", (c) => c.notNull())
    .addColumn("model_digest", "text", (c) => c.notNull())
    .addColumn("as_of", "text", (c) => c.notNull())
    .addColumn("input_digest", "text", (c) => c.notNull())
    .addColumn("score", "integer", (c) => c.notNull())
    .addColumn("grade", "text", (c) => c.notNull())
    .addColumn("dimensions", "text", (c) => c.notNull())
    .addColumn("indicators", "text", (c) => c.notNull())
    .addColumn("triggers", "text", (c) => c.notNull())
    .addColumn("ceiling", "text")
    .addColumn("is_current", "integer", (c) => c.notNull())
    .addColumn("first_evaluated_at", "text", (c) => c.notNull())
    .addColumn("evaluated_at", "text", (c) => c.notNull())
    .addColumn("run_id", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("evaluations_subject")
    .on("evaluations")
    .columns(["subject_code", "model_id", "is_current"])
    .execute();
  await db.schema
    .createIndex("evaluations_model_grade")
    .on("evaluations")
    .columns(["model_id", "is_current", "grade"])
    .execute();

  await db.schema
    .createTable("evaluation_runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("as_of", "text", (c) => c.notNull())
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .addColumn("subjects", "integer", (c) => c.notNull())
    .addColumn("changed", "integer", (c) => c.notNull())
    /** JSON: model id → grade → count, for the trend chart. */
    .addColumn("grade_counts", "text", (c) => c.notNull())
    .addColumn("seconds", "double precision")
    .execute();
}
