import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.ts";

export async function up(db: Kysely<unknown>, { id }: MigrationContext): Promise<void> {
  await db.schema
    .createTable("departments")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name_zh", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await id(db.schema.createTable("subjects"))
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("code_status", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("industry_section", "text")
    .addColumn("industry_division", "text")
    .addColumn("region", "text")
    .addColumn("registered_on", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("registered_capital", "double precision")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("subjects_name").on("subjects").column("name").execute();
  await db.schema
    .createIndex("subjects_region")
    .on("subjects")
    .columns(["region", "industry_section"])
    .execute();

  await db.schema
    .createTable("uscc_allowlist")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("added_by", "text", (c) => c.notNull())
    .addColumn("added_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("import_batches")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("department", "text")
    .addColumn("submitter", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("file_name", "text")
    .addColumn("file_digest", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("accept_valid", "integer", (c) => c.notNull())
    .addColumn("accepted", "integer", (c) => c.notNull())
    .addColumn("rejected", "integer", (c) => c.notNull())
    .addColumn("duplicates", "integer", (c) => c.notNull())
    .addColumn("versions", "integer", (c) => c.notNull())
    .addColumn("rejects_file", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .addColumn("host", "text")
    .addColumn("pid", "integer")
    .execute();

  await id(db.schema.createTable("credit_records"))
    .addColumn("department", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("doc_no", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("is_current", "integer", (c) => c.notNull())
    .addColumn("subject_code", "text", (c) => c.notNull())
    .addColumn("subject_name", "text")
    .addColumn("decision_date", "text", (c) => c.notNull())
    .addColumn("severity", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("status_reason", "text")
    .addColumn("fields", "text", (c) => c.notNull())
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("batch_id", "text", (c) => c.notNull())
    .addColumn("submitted_by", "text", (c) => c.notNull())
    .addColumn("submitted_at", "text", (c) => c.notNull())
    .execute();
  // The idempotency key plus version: lookups of the current version use its prefix.
  await db.schema
    .createIndex("credit_records_key")
    .on("credit_records")
    .columns(["department", "category", "doc_no", "version"])
    .unique()
    .execute();
  await db.schema
    .createIndex("credit_records_subject")
    .on("credit_records")
    .columns(["subject_code", "decision_date"])
    .execute();
  await db.schema.createIndex("credit_records_batch").on("credit_records").column("batch_id").execute();
  await sql`select 1`.execute(db);
}
