/**
 * Fast bulk insert of subjects, for the demo city and large imports: SQLite through the raw handle with one
 * prepared statement in one transaction per chunk; PostgreSQL through COPY into a temporary table, then one
 * INSERT … SELECT. A code that is already stored is skipped, never updated and never an error.
 */

import type { Selectable } from "kysely";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Store } from "../../store/db.ts";
import type { SubjectTable } from "../../store/schema.ts";

/** One subject as the bulk path takes it (the columns of `subjects` without id and timestamps). */
export type SubjectRow = Omit<Selectable<SubjectTable>, "id" | "created_at" | "updated_at">;

const COLUMNS = [
  "code",
  "code_status",
  "name",
  "type",
  "industry_section",
  "industry_division",
  "region",
  "registered_on",
  "status",
  "registered_capital",
  "created_at",
  "updated_at",
] as const;

export interface BulkResult {
  /** Rows written. */
  inserted: number;
  /** Rows skipped because their code was already stored (or repeated in the input). */
  skipped: number;
}

/**
 * Inserts the rows in one transaction (all or none): new codes are added, stored codes skipped. `now` is
 * the created/updated time (default: the current time).
 */
export async function insertSubjects(
  store: Store,
  rows: readonly SubjectRow[],
  now = new Date().toISOString(),
): Promise<BulkResult> {
  if (rows.length === 0) return { inserted: 0, skipped: 0 };
  const inserted =
    store.engine === "sqlite" ? insertSqlite(store, rows, now) : await insertPostgres(store, rows, now);
  return { inserted, skipped: rows.length - inserted };
}

const statements = new WeakMap<object, (rows: readonly SubjectRow[], now: string) => number>();

function insertSqlite(store: Store, rows: readonly SubjectRow[], now: string): number {
  const db = store.sqlite;
  if (!db) throw new Error("insertSubjects: the SQLite store has no raw handle");
  let run = statements.get(db);
  if (!run) {
    const stmt = db.prepare(
      `INSERT INTO subjects (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})
       ON CONFLICT (code) DO NOTHING`,
    );
    run = db.transaction((batch: readonly SubjectRow[], at: string) => {
      let n = 0;
      for (const r of batch)
        n += stmt.run(
          r.code,
          r.code_status,
          r.name,
          r.type,
          r.industry_section,
          r.industry_division,
          r.region,
          r.registered_on,
          r.status,
          r.registered_capital,
          at,
          at,
        ).changes;
      return n;
    });
    statements.set(db, run);
  }
  return run(rows, now);
}

/** COPY text format: backslash escapes for the characters that carry meaning; \N is NULL. */
function copyField(v: string | number | null): string {
  if (v === null) return "\\N";
  const s = String(v);
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : s;
}

async function insertPostgres(store: Store, rows: readonly SubjectRow[], now: string): Promise<number> {
  if (!store.pool) throw new Error("insertSubjects: the PostgreSQL store has no pool");
  const client: pg.PoolClient = await store.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `CREATE TEMP TABLE subjects_load (ord integer, code text, code_status text, name text, type text,
       industry_section text, industry_division text, region text, registered_on text, status text,
       registered_capital double precision) ON COMMIT DROP`,
    );
    const copy = client.query(
      copyFrom(
        `COPY subjects_load (ord, code, code_status, name, type, industry_section, industry_division, region,
         registered_on, status, registered_capital) FROM STDIN`,
      ),
    );
    const done = new Promise<void>((resolve, reject) => {
      copy.on("finish", resolve);
      copy.on("error", reject);
    });
    let buf = "";
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      buf += `${i}\t${copyField(r.code)}\t${copyField(r.code_status)}\t${copyField(r.name)}\t${copyField(r.type)}\t${copyField(
        r.industry_section,
      )}\t${copyField(r.industry_division)}\t${copyField(r.region)}\t${copyField(r.registered_on)}\t${copyField(
        r.status,
      )}\t${copyField(r.registered_capital)}\n`;
      if (buf.length > 1 << 16) {
        // A failed COPY never drains: wait for whichever comes first.
        if (!copy.write(buf))
          await Promise.race([new Promise<void>((resolve) => copy.once("drain", resolve)), done]);
        buf = "";
      }
    }
    if (buf) copy.write(buf);
    copy.end();
    await done;
    // Ordered so ids follow the input order; ON CONFLICT also skips codes repeated within the input.
    const res = await client.query(
      `INSERT INTO subjects (${COLUMNS.join(", ")})
       SELECT code, code_status, name, type, industry_section, industry_division, region, registered_on, status,
              registered_capital, $1, $1
       FROM subjects_load ORDER BY ord
       ON CONFLICT (code) DO NOTHING`,
      [now],
    );
    await client.query("COMMIT");
    client.release();
    return res.rowCount ?? 0;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    client.release(e as Error);
    throw e;
  }
}
