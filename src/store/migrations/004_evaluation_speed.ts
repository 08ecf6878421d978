import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.ts";

/**
 * What a full re-evaluation reads, in the order it reads it (docs/decisions.md, decision 9).
 *
 * - `evaluations.result_key`: a compact text of a result (model digest prefix, score, grade, ceiling,
 *   triggers, indicator points): two results are equal when their keys are. Rows written before this
 *   migration have none; the next run compares them in full once and fills it in.
 * - `evaluations_subject` gains the key and the id, so a run compares a range of subjects' current results
 *   without touching the rows (the index still serves a subject's history and its current result).
 * - `subjects_evaluated`: the subject columns a model looks at, in code order.
 * - `credit_records_current` (SQLite only): the current records by subject with every column the evaluation
 *   reads, so a full run is one sequential pass over this index instead of a lookup into the table per
 *   record. PostgreSQL keeps its plain index: a B-tree entry there must stay under about 2.7 kB, which a
 *   long `fields` text could exceed.
 */
export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  await db.schema.alterTable("evaluations").addColumn("result_key", "text").execute();
  await db.schema.dropIndex("evaluations_subject").execute();
  await db.schema
    .createIndex("evaluations_subject")
    .on("evaluations")
    .columns(["subject_code", "model_id", "is_current", "result_key", "id"])
    .execute();
  await db.schema
    .createIndex("subjects_evaluated")
    .on("subjects")
    .columns(["code", "type", "status", "registered_on", "region", "industry_section", "industry_division"])
    .execute();
  if (engine === "sqlite")
    await db.schema
      .createIndex("credit_records_current")
      .on("credit_records")
      .columns([
        "subject_code",
        "id",
        "department",
        "category",
        "severity",
        "status",
        "decision_date",
        "fields",
      ])
      .where(sql.ref("is_current"), "=", 1)
      .execute();
}
