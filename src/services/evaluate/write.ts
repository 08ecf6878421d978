/**
 * Writing a chunk's changed results, one transaction per chunk. A changed result retires the current row it
 * was compared with and becomes the current one. If that row is no longer current, or a current row appeared
 * where there was none, another writer (an incremental evaluation after an ingest) has stored a result from
 * newer inputs since the chunk was read: the chunk's result is dropped, so there is never more than one
 * current result per subject and model.
 *
 * On SQLite the check for a row that appeared costs an index probe per new result, so it is made only once
 * another connection has committed anything since the writer started (PRAGMA data_version tells): until then
 * nobody else can have written a result.
 */
import type SQLite from "better-sqlite3";
import type { Store } from "../../store/db.ts";
import { type ChunkOut, ROW } from "./chunk.ts";

export interface WriteStamp {
  /** evaluated_at and first_evaluated_at of new rows. */
  now: string;
  runId: string;
}

const COLUMNS =
  "subject_code, model_id, model_version, model_digest, as_of, input_digest, score, grade, dimensions, indicators, triggers, ceiling, result_key, is_current, first_evaluated_at, evaluated_at, run_id";
const VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?";

/** The statements of the SQLite writer, prepared once per connection; `session` starts a run's writing. */
export class SqliteWriter {
  private readonly retire: SQLite.Statement;
  private readonly insert: SQLite.Statement;
  private readonly insertIfNone: SQLite.Statement;
  private readonly backfill: SQLite.Statement;
  private readonly dataVersion: SQLite.Statement;
  private readonly tx: (out: ChunkOut, session: Session) => number;

  constructor(db: SQLite.Database) {
    this.dataVersion = db.prepare("PRAGMA data_version").pluck();
    this.retire = db.prepare("UPDATE evaluations SET is_current = 0 WHERE id = ? AND is_current = 1");
    this.insert = db.prepare(`INSERT INTO evaluations (${COLUMNS}) VALUES (${VALUES})`);
    this.insertIfNone = db.prepare(
      `INSERT INTO evaluations (${COLUMNS}) SELECT ${VALUES} WHERE NOT EXISTS (SELECT 1 FROM evaluations WHERE subject_code = ? AND model_id = ? AND is_current = 1)`,
    );
    this.backfill = db.prepare("UPDATE evaluations SET result_key = ? WHERE id = ?");
    this.tx = db.transaction((out: ChunkOut, session: Session) => this.run(out, session)).immediate as (
      out: ChunkOut,
      session: Session,
    ) => number;
  }

  /** A run's writing: call it before the run reads anything (it notes the database's data version). */
  session(stamp: WriteStamp): { write(out: ChunkOut): number } {
    const session: Session = { stamp, startVersion: this.dataVersion.get(), guarded: false };
    return {
      /** Writes a chunk's changes in one transaction; returns the results stored. */
      write: (out) => (isEmpty(out) ? 0 : this.tx(out, session)),
    };
  }

  private run(out: ChunkOut, session: Session): number {
    if (!session.guarded && this.dataVersion.get() !== session.startVersion) session.guarded = true;
    const guarded = session.guarded;
    const { now, runId } = session.stamp;
    let inserted = 0;
    const v = out.rows;
    for (let i = 0; i < v.length; i += ROW) {
      const prev = v[i];
      const subject = v[i + 1];
      const model = v[i + 2];
      const values = [
        subject,
        model,
        v[i + 3],
        v[i + 4],
        v[i + 5],
        v[i + 6],
        v[i + 7],
        v[i + 8],
        v[i + 9],
        v[i + 10],
        v[i + 11],
        v[i + 12],
        v[i + 13],
        now,
        now,
        runId,
      ];
      if (prev !== null) {
        if (this.retire.run(prev).changes === 0) continue;
        this.insert.run(values);
        inserted++;
      } else if (guarded) {
        values.push(subject, model);
        inserted += this.insertIfNone.run(values).changes;
      } else {
        this.insert.run(values);
        inserted++;
      }
    }
    const b = out.backfill;
    for (let i = 0; i < b.length; i += 2) this.backfill.run(b[i + 1], b[i]);
    for (const id of out.retired) inserted += this.retire.run(id).changes;
    return inserted;
  }
}

/** Nothing to write: no changed result, no key to fill in, nothing to retire. */
function isEmpty(out: ChunkOut): boolean {
  return out.rows.length === 0 && out.backfill.length === 0 && out.retired.length === 0;
}

interface Session {
  stamp: WriteStamp;
  startVersion: unknown;
  /** Whether another connection has committed since the start: then new results are checked one by one. */
  guarded: boolean;
}

/** PostgreSQL: the same in one transaction through Kysely. */
export async function writePostgres(store: Store, out: ChunkOut, stamp: WriteStamp): Promise<number> {
  if (isEmpty(out)) return 0;
  const v = out.rows;
  return store.db.transaction().execute(async (tx) => {
    const prevIds: number[] = [];
    const fresh: string[] = [];
    for (let i = 0; i < v.length; i += ROW) {
      if (v[i] !== null) prevIds.push(Number(v[i]));
      else fresh.push(v[i + 1] as string);
    }
    const retired = new Set<number>();
    for (let i = 0; i < prevIds.length; i += 1000) {
      const done = await tx
        .updateTable("evaluations")
        .set({ is_current: 0 })
        .where("id", "in", prevIds.slice(i, i + 1000))
        .where("is_current", "=", 1)
        .returning("id")
        .execute();
      for (const r of done) retired.add(Number(r.id));
    }
    const taken = new Set<string>();
    for (let i = 0; i < fresh.length; i += 1000) {
      const cur = await tx
        .selectFrom("evaluations")
        .select(["subject_code", "model_id"])
        .where("is_current", "=", 1)
        .where("subject_code", "in", fresh.slice(i, i + 1000))
        .execute();
      for (const c of cur) taken.add(`${c.subject_code}\u0000${c.model_id}`);
    }
    const rows = [];
    for (let i = 0; i < v.length; i += ROW) {
      const prev = v[i];
      if (prev !== null ? !retired.has(Number(prev)) : taken.has(`${v[i + 1]}\u0000${v[i + 2]}`)) continue;
      rows.push({
        subject_code: v[i + 1] as string,
        model_id: v[i + 2] as string,
        model_version: v[i + 3] as string,
        model_digest: v[i + 4] as string,
        as_of: v[i + 5] as string,
        input_digest: v[i + 6] as string,
        score: v[i + 7] as number,
        grade: v[i + 8] as string,
        dimensions: v[i + 9] as string,
        indicators: v[i + 10] as string,
        triggers: v[i + 11] as string,
        ceiling: v[i + 12] as string | null,
        result_key: v[i + 13] as string,
        is_current: 1,
        first_evaluated_at: stamp.now,
        evaluated_at: stamp.now,
        run_id: stamp.runId,
      });
    }
    // 17 columns a row: 500 rows stay under PostgreSQL's parameter limit.
    for (let i = 0; i < rows.length; i += 500)
      await tx
        .insertInto("evaluations")
        .values(rows.slice(i, i + 500))
        .execute();
    const b = out.backfill;
    for (let i = 0; i < b.length; i += 2)
      await tx
        .updateTable("evaluations")
        .set({ result_key: b[i + 1] as string })
        .where("id", "=", Number(b[i]))
        .execute();
    let outOfScope = 0;
    for (let i = 0; i < out.retired.length; i += 1000) {
      const r = await tx
        .updateTable("evaluations")
        .set({ is_current: 0 })
        .where("id", "in", out.retired.slice(i, i + 1000))
        .where("is_current", "=", 1)
        .executeTakeFirst();
      outOfScope += Number(r.numUpdatedRows);
    }
    return rows.length + outOfScope;
  });
}
