import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.ts";

/**
 * 登录尝试 Every sign-in attempt, written before the password is checked so parallel guesses are each counted.
 * Kept by user name as typed (an unknown name is counted like a real one: locking reveals nothing) and by
 * address. Outcomes: pending → ok | failed; refused (over a limit, not checked); reset (an administrator set a
 * new password, which starts the count again). Table type: src/store/schema.ts.
 */
export async function up(db: Kysely<unknown>, { id }: MigrationContext): Promise<void> {
  await id(db.schema.createTable("login_attempts"))
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("login_attempts_user")
    .on("login_attempts")
    .columns(["username", "at"])
    .execute();
  await db.schema.createIndex("login_attempts_ip").on("login_attempts").columns(["ip", "at"]).execute();
}
