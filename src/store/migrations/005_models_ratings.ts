import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.ts";

/**
 * Market ratings (credit agencies and their ratings), grades from other systems, published model versions
 * and the import batches of ratings and grades. Table types: src/store/schema-models-ratings.ts.
 */
export async function up(db: Kysely<unknown>, { id }: MigrationContext): Promise<void> {
  // 信用服务机构: third-party rating organisations registered by the city credit office.
  await db.schema
    .createTable("credit_agencies")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("qualification", "text", (c) => c.notNull())
    .addColumn("scale", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  // An agency user acts for one agency.
  await db.schema
    .createTable("agency_members")
    .addColumn("user_id", "bigint", (c) => c.primaryKey())
    .addColumn("agency_code", "text", (c) => c.notNull())
    .addColumn("bound_by", "text", (c) => c.notNull())
    .addColumn("bound_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("grade_imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    /** ratings | grades */
    .addColumn("kind", "text", (c) => c.notNull())
    /** The agency code (ratings) or the other system's source id (grades). */
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("department", "text")
    .addColumn("submitter", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("file_name", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("accepted", "integer", (c) => c.notNull())
    .addColumn("rejected", "integer", (c) => c.notNull())
    .addColumn("rejects_file", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();

  // One row per (agency, subject, rating date): a resubmission of the same date corrects it.
  await id(db.schema.createTable("market_ratings"))
    .addColumn("agency_code", "text", (c) => c.notNull())
    .addColumn("subject_code", "text", (c) => c.notNull())
    .addColumn("rating", "text", (c) => c.notNull())
    .addColumn("scale", "text", (c) => c.notNull())
    .addColumn("score", "integer", (c) => c.notNull())
    .addColumn("rule", "text", (c) => c.notNull())
    .addColumn("rating_date", "text", (c) => c.notNull())
    .addColumn("valid_until", "text", (c) => c.notNull())
    .addColumn("batch_id", "text", (c) => c.notNull())
    .addColumn("submitted_by", "text", (c) => c.notNull())
    .addColumn("submitted_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("market_ratings_key")
    .on("market_ratings")
    .columns(["agency_code", "subject_code", "rating_date"])
    .unique()
    .execute();
  await db.schema
    .createIndex("market_ratings_subject")
    .on("market_ratings")
    .columns(["subject_code", "rating_date"])
    .execute();

  // One row per (subject, source, grade date); original grade beside the unified one.
  await id(db.schema.createTable("other_grades"))
    .addColumn("subject_code", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("original", "text", (c) => c.notNull())
    /** A | B | C | D | E | NR */
    .addColumn("grade", "text", (c) => c.notNull())
    .addColumn("rule", "text", (c) => c.notNull())
    .addColumn("department", "text", (c) => c.notNull())
    .addColumn("grade_date", "text", (c) => c.notNull())
    .addColumn("valid_until", "text")
    .addColumn("batch_id", "text", (c) => c.notNull())
    .addColumn("submitted_by", "text", (c) => c.notNull())
    .addColumn("submitted_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("other_grades_key")
    .on("other_grades")
    .columns(["subject_code", "source", "grade_date"])
    .unique()
    .execute();

  // Published model versions: the newest per model id replaces the shipped file of that id.
  await id(db.schema.createTable("model_versions"))
    .addColumn("model_id", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("yaml", "text", (c) => c.notNull())
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("previous_version", "text")
    .addColumn("previous_digest", "text")
    .addColumn("published_by", "text", (c) => c.notNull())
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .execute();
  await db.schema
    .createIndex("model_versions_key")
    .on("model_versions")
    .columns(["model_id", "version"])
    .unique()
    .execute();
}
