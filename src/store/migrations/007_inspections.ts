import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.ts";

/**
 * Graded random inspections (双随机、一公开): the inspector directory and declared conflicts of interest,
 * inspection plans, their frozen pools, the draw's tasks and inspector assignments, and the results.
 * Table types: src/store/schema-inspections.ts. Nothing here is ever deleted: statuses change.
 */
export async function up(db: Kysely<unknown>, { id }: MigrationContext): Promise<void> {
  // 执法检查人员名录库. `id` is the department's own staff number: the draw hashes it (docs/draw-algorithm.md).
  await db.schema
    .createTable("inspectors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("department", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("certificate_no", "text", (c) => c.notNull())
    .addColumn("qualifications", "text", (c) => c.notNull())
    .addColumn("user_id", "bigint")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("inspectors_department").on("inspectors").columns(["department"]).execute();

  // 回避: an inspector declared not to inspect a subject.
  await id(db.schema.createTable("inspector_conflicts"))
    .addColumn("inspector_id", "text", (c) => c.notNull())
    .addColumn("subject_code", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("declared_by", "text", (c) => c.notNull())
    .addColumn("declared_at", "text", (c) => c.notNull())
    .addColumn("withdrawn_at", "text")
    .execute();
  await db.schema
    .createIndex("inspector_conflicts_inspector")
    .on("inspector_conflicts")
    .columns(["inspector_id"])
    .execute();

  await db.schema
    .createTable("inspection_plans")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("department", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("settings", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("frozen_by", "text")
    .addColumn("frozen_at", "text")
    .addColumn("pool_digest", "text")
    .addColumn("pool_size", "integer")
    .addColumn("seed", "text")
    .addColumn("drawn_by", "text")
    .addColumn("drawn_at", "text")
    .addColumn("algorithm", "text")
    .addColumn("closed_at", "text")
    .execute();

  // The frozen pool (part = pool), the must-inspect subjects (must) and the excluded ones (excluded).
  await db.schema
    .createTable("inspection_pool")
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("subject_code", "text", (c) => c.notNull())
    .addColumn("stratum", "text", (c) => c.notNull())
    .addColumn("part", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addPrimaryKeyConstraint("inspection_pool_pk", ["plan_id", "subject_code"])
    .execute();

  await id(db.schema.createTable("inspection_tasks"))
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("subject_code", "text", (c) => c.notNull())
    .addColumn("stratum", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("ticket", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .execute();
  await db.schema
    .createIndex("inspection_tasks_plan")
    .on("inspection_tasks")
    .columns(["plan_id", "seq"])
    .unique()
    .execute();

  await db.schema
    .createTable("inspection_assignments")
    .addColumn("task_id", "bigint", (c) => c.notNull())
    .addColumn("inspector_id", "text", (c) => c.notNull())
    .addColumn("rank", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("inspection_assignments_pk", ["task_id", "inspector_id"])
    .execute();
  await db.schema
    .createIndex("inspection_assignments_inspector")
    .on("inspection_assignments")
    .columns(["inspector_id"])
    .execute();

  // One current result per task; a correction is a new row and the old one stays (is_current = 0).
  await id(db.schema.createTable("inspection_results"))
    .addColumn("task_id", "bigint", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("subject_code", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("problems", "text")
    .addColumn("follow_up", "text")
    .addColumn("inspected_on", "text", (c) => c.notNull())
    .addColumn("record_doc_no", "text", (c) => c.notNull())
    .addColumn("is_current", "integer", (c) => c.notNull())
    .addColumn("entered_by", "text", (c) => c.notNull())
    .addColumn("entered_at", "text", (c) => c.notNull())
    .addColumn("publish_by", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("inspection_results_task")
    .on("inspection_results")
    .columns(["task_id", "is_current"])
    .execute();
  await db.schema
    .createIndex("inspection_results_plan")
    .on("inspection_results")
    .columns(["plan_id"])
    .execute();
}
