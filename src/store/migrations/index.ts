import type { CreateTableBuilder, Kysely, Migration, MigrationProvider } from "kysely";
import { Migrator } from "kysely";
import type { Engine, Store } from "../db.ts";
import * as m001 from "./001_foundation.ts";
import * as m002 from "./002_auth.ts";
import * as m003 from "./003_evaluation.ts";
import * as m004 from "./004_evaluation_speed.ts";
import * as m005 from "./005_models_ratings.ts";
import * as m006 from "./006_credit_checks.ts";
import * as m007 from "./007_inspections.ts";
import * as m008 from "./008_seed_commitments.ts";
import * as m009 from "./009_login_attempts.ts";
import * as m010 from "./010_subject_corrections.ts";

export interface MigrationContext {
  engine: Engine;
  /** Adds an auto-increment integer primary key `id`, spelled for the engine. */
  id<T extends string>(t: CreateTableBuilder<T, never>): CreateTableBuilder<T, "id">;
}

type EngineMigration = { up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> };

/** One ordered list of migrations for both engines. */
const migrations: Record<string, EngineMigration> = {
  "001_foundation": m001,
  "002_auth": m002,
  "003_evaluation": m003,
  "004_evaluation_speed": m004,
  "005_models_ratings": m005,
  "006_credit_checks": m006,
  "007_inspections": m007,
  "008_seed_commitments": m008,
  "009_login_attempts": m009,
  "010_subject_corrections": m010,
};

function context(engine: Engine): MigrationContext {
  return {
    engine,
    id: (t) =>
      engine === "postgres"
        ? t.addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
        : t.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement()),
  };
}

class Provider implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const ctx = context(this.engine);
    return Object.fromEntries(
      Object.entries(migrations).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, ctx) }]),
    );
  }
}

export async function migrate(store: Store): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema; pin it to ours so parallel test schemas stay apart.
  const migrator = new Migrator({
    db: store.db,
    provider: new Provider(store.engine),
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
