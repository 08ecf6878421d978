import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.ts";

/**
 * 信用核查记录 The log of credit checks: who checked which subject, in which scenario and why, and what they were
 * told (grades, measures, reasons) under which policy versions. Append-only: both engines refuse an UPDATE or a
 * DELETE of a row. Table types: src/store/schema-supervision-checks.ts.
 */
export async function up(db: Kysely<unknown>, { id, engine }: MigrationContext): Promise<void> {
  await id(db.schema.createTable("credit_checks"))
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("caller", "text", (c) => c.notNull())
    .addColumn("caller_role", "text", (c) => c.notNull())
    .addColumn("department", "text", (c) => c.notNull())
    .addColumn("subject_code", "text", (c) => c.notNull())
    .addColumn("scenario", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("result", "text", (c) => c.notNull())
    .addColumn("policy_versions", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("credit_checks_subject")
    .on("credit_checks")
    .columns(["subject_code", "id"])
    .execute();
  await db.schema
    .createIndex("credit_checks_department")
    .on("credit_checks")
    .columns(["department", "id"])
    .execute();

  if (engine === "sqlite") {
    for (const op of ["UPDATE", "DELETE"])
      await sql
        .raw(
          `CREATE TRIGGER credit_checks_no_${op.toLowerCase()} BEFORE ${op} ON credit_checks ` +
            `BEGIN SELECT RAISE(ABORT, 'credit_checks is append-only'); END`,
        )
        .execute(db);
  } else {
    await sql
      .raw(
        `CREATE FUNCTION credit_checks_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
          `BEGIN RAISE EXCEPTION 'credit_checks is append-only'; END $$`,
      )
      .execute(db);
    await sql
      .raw(
        "CREATE TRIGGER credit_checks_append_only BEFORE UPDATE OR DELETE ON credit_checks " +
          "FOR EACH ROW EXECUTE FUNCTION credit_checks_append_only()",
      )
      .execute(db);
  }
}
