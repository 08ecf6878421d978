import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { isPostgresUrl, openStore, type Store } from "./db.ts";
import { migrate } from "./migrations/index.ts";

export interface TestStore extends Store {
  /** Connection settings that reopen this same store (e.g. in a child process). */
  env: Record<string, string>;
  /** Closes and removes everything the store created: a run leaves no state behind. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated store for one test file: a temporary SQLite file, or, when DATABASE_URL is a
 * postgres URL, a schema of its own in that database (test files run in parallel).
 */
export async function openTestStore(): Promise<TestStore> {
  const url = process.env.DATABASE_URL;
  const tag = `t_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
  if (isPostgresUrl(url)) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${tag}`);
    await admin.end();
    const store = openStore({ url, schema: tag });
    await migrate(store);
    return {
      ...store,
      env: { DATABASE_URL: url as string, CREDIT_PG_SCHEMA: tag },
      async dispose() {
        await store.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop schema if exists ${tag} cascade`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-test-"));
  const file = path.join(dir, "credit.db");
  const store = openStore({ url: file });
  await migrate(store);
  return {
    ...store,
    env: { DATABASE_URL: file },
    async dispose() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The current evaluation of a subject by a model (every column), or undefined. */
export function currentEvaluation(store: Store, code: string, model = "public") {
  return store.db
    .selectFrom("evaluations")
    .selectAll()
    .where("subject_code", "=", code)
    .where("model_id", "=", model)
    .where("is_current", "=", 1)
    .executeTakeFirst();
}

/** The model versions the current evaluations of a model were made with (distinct). */
export function currentModelVersions(store: Store, model = "public") {
  return store.db
    .selectFrom("evaluations")
    .select("model_version")
    .distinct()
    .where("model_id", "=", model)
    .where("is_current", "=", 1)
    .execute();
}
