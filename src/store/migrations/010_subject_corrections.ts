import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.ts";

/**
 * 主体更正 A version of a record that names another subject than the version before it is accepted only when
 * the submitter says why; the reason is kept on that version (null on every other version).
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("credit_records").addColumn("subject_correction", "text").execute();
}
