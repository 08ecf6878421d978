import SQLite from "better-sqlite3";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Store } from "../../store/db.ts";
import {
  type PreparedChunk,
  STAGE_COLUMNS,
  STAGE_WIDTH,
  type StagedValue,
  type StageLayout,
} from "./prepare.ts";

/**
 * The merge (PostgreSQL; SQLite applies the same rule row by row, see sqliteStage): within the batch and
 * against what is stored, a row whose digest equals the version before it (same department, category,
 * document number) is a duplicate; any other row becomes the next version. Rows are applied in file order.
 *
 * The plan is worked out on narrow rows (row number, stored version, numbering) and only then joined back to
 * the staged rows, so the wide rows are never sorted: at millions of rows the sorts of the wide rows cost
 * more than the insert itself. The insert then reads both in row order, a merge join over the two indexes
 * built here.
 */
const PLAN_SQL = [
  `CREATE INDEX ON stage (row_no)`,
  `ANALYZE stage`,
  // Survivors (rows that are not duplicates) with their version numbers; is_current marks a key's last one;
  // moved marks a version naming another subject than the version before it (earlier in the batch or stored).
  `CREATE TEMP TABLE stage_plan ON COMMIT DROP AS
   SELECT row_no, cur_id, (cur_version IS NOT NULL OR prev_digest IS NOT NULL) AS is_version,
          COALESCE(cur_version, 0) + ROW_NUMBER() OVER k AS version,
          CASE WHEN LEAD(row_no) OVER k IS NULL THEN 1 ELSE 0 END AS is_current,
          prev_subject, (prev_subject IS NOT NULL AND prev_subject <> subject_code) AS moved
   FROM (
     SELECT s.row_no, s.department, s.category, s.doc_no, s.digest, s.subject_code,
            c.id AS cur_id, c.version AS cur_version, c.digest AS cur_digest,
            LAG(s.digest) OVER b AS prev_digest,
            COALESCE(LAG(s.subject_code) OVER b, c.subject_code) AS prev_subject
     FROM stage s LEFT JOIN credit_records c
       ON c.department = s.department AND c.category = s.category AND c.doc_no = s.doc_no AND c.is_current = 1
     WINDOW b AS (PARTITION BY s.department, s.category, s.doc_no ORDER BY s.row_no)
   ) w
   WHERE digest IS DISTINCT FROM COALESCE(prev_digest, cur_digest)
   WINDOW k AS (PARTITION BY department, category, doc_no ORDER BY row_no)`,
];

/** Versions that name another subject than the version before them, stated (a reason) or not. */
const MOVES_SQL = `SELECT p.row_no, s.department, s.category, s.doc_no, p.prev_subject, s.subject_code,
  s.subject_correction FROM stage_plan p JOIN stage s ON s.row_no = p.row_no WHERE p.moved ORDER BY p.row_no`;

const MERGE_SQL = [
  `CREATE INDEX ON stage_plan (row_no)`,
  `ANALYZE stage_plan`,
  `UPDATE credit_records SET is_current = 0
   WHERE id IN (SELECT cur_id FROM stage_plan WHERE cur_id IS NOT NULL) AND is_current = 1`,
  `INSERT INTO credit_records (department, category, doc_no, version, is_current, subject_code, subject_name,
     decision_date, severity, status, status_reason, fields, digest, batch_id, submitted_by, submitted_at,
     subject_correction)
   SELECT s.department, s.category, s.doc_no, p.version, p.is_current,
     s.subject_code, s.subject_name, s.decision_date, s.severity, s.status, s.status_reason, s.fields, s.digest,
     $1::text, $2::text, $3::text, CASE WHEN p.moved THEN s.subject_correction END
   FROM stage s JOIN stage_plan p ON p.row_no = s.row_no ORDER BY s.row_no`,
];

/**
 * A version that names another subject than the version before it. With a stated reason it is a correction
 * of the subject and is written (reason kept); without one it is refused: a mistyped document number must
 * never silently move another subject's record.
 */
export interface SubjectMove {
  row: number;
  department: string;
  category: string;
  docNo: string;
  from: string;
  to: string;
  reason: string | null;
}

export interface MergeCounts {
  staged: number;
  /** Rows refused at the merge (an unstated change of subject): neither written nor duplicates. */
  refused: number;
  /** Rows that created a record or a version. */
  written: number;
  /** Of `written`, rows that were a new version of an existing record (stored before or earlier in the batch). */
  versions: number;
}

const COUNT_SQL = `SELECT COUNT(*) AS written, COALESCE(SUM(CASE WHEN is_version THEN 1 ELSE 0 END), 0) AS versions
  FROM stage_plan`;

/**
 * A write transaction that stages rows and merges them on commit. It runs on a connection of its own,
 * so other work of the process never slips into it, and a killed process leaves none of it behind.
 */
export interface StageTx {
  /** Stages a chunk's valid rows, laid out as stageLayout() says, in row order. */
  addRows(chunk: PreparedChunk): void | Promise<void>;
  /**
   * After the last row: the versions that change their subject — refused ones (no reason; they will not be
   * written) and stated corrections (written with their reason).
   */
  subjectMoves(): Promise<SubjectMove[]>;
  /** Merges and runs `finish` in the same transaction, then commits. */
  commit(finish: (tx: SqlRunner, counts: MergeCounts) => Promise<void>): Promise<MergeCounts>;
  rollback(): Promise<void>;
}

export interface SqlRunner {
  run(sql: string, params: unknown[]): Promise<void>;
}

/** Provenance written on every version of a batch. */
export interface BatchInfo {
  batchId: string;
  submitter: string;
  now: string;
}

/** Rows over which the SQLite stage judges whether to try inserting or looking up first. */
const PATH_WINDOW = 1024;

/** How this store's stage takes rows (see PreparedChunk). */
export function stageLayout(store: Store): StageLayout {
  return store.engine === "sqlite" ? "values" : "copy";
}

export async function beginStage(store: Store, batch: BatchInfo): Promise<StageTx> {
  return store.engine === "sqlite" ? sqliteStage(store, batch) : postgresStage(store, batch);
}

/**
 * SQLite: the same rule as MERGE_SQL, applied row by row while reading — a point lookup and an insert in
 * one synchronous transaction — which is several times faster here than staging and merging, and keeps
 * file order by construction. Both engines run the same ingest tests, which hold the two to one rule.
 *
 * A record's versions start at 1 and are never deleted, so a key without a version 1 has no version at all:
 * for a new record, inserting version 1 (ON CONFLICT DO NOTHING on the unique key) is the lookup and the
 * insert in one statement. When it conflicts, the row takes the lookup path. Which path a row tries first
 * follows what the previous rows found: mostly new records (a first load) or mostly stored ones (a file sent
 * again, where trying the insert first would be wasted).
 */
function sqliteStage(store: Store, batch: BatchInfo): StageTx {
  const conn = new SQLite(store.location);
  conn.pragma("busy_timeout = 30000");
  // 32 MiB: enough for the pages a load keeps touching (larger measured no faster), and bounded: the import of
  // a 10-million-row file must stay under 512 MB.
  conn.pragma("cache_size = -32768");
  conn.exec("BEGIN IMMEDIATE");
  const current = conn
    .prepare(
      "SELECT id, version, digest, subject_code FROM credit_records WHERE department = ? AND category = ? AND doc_no = ? AND is_current = 1",
    )
    .raw();
  const retire = conn.prepare("UPDATE credit_records SET is_current = 0 WHERE id = ?");
  const columns = `department, category, doc_no, version, is_current, subject_code, subject_name, decision_date,
     severity, status, status_reason, fields, digest, batch_id, submitted_by, submitted_at`;
  const insert = conn.prepare(
    `INSERT INTO credit_records (${columns}, subject_correction)
     VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertFirstVersion = conn.prepare(
    `INSERT INTO credit_records (${columns}) VALUES (?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (department, category, doc_no, version) DO NOTHING`,
  );
  const counts: MergeCounts = { staged: 0, refused: 0, written: 0, versions: 0 };
  const moves: SubjectMove[] = [];
  let insertFirst = true;
  let windowRows = 0;
  let windowStored = 0;
  const close = () => {
    if (conn.open) conn.close();
  };
  return {
    addRows(chunk) {
      const v = chunk.staged;
      for (let i = 0; i < v.length; i += STAGE_WIDTH) {
        counts.staged++;
        if (++windowRows === PATH_WINDOW) {
          insertFirst = windowStored * 2 < PATH_WINDOW;
          windowRows = 0;
          windowStored = 0;
        }
        const department = v[i + 1];
        const category = v[i + 2];
        const docNo = v[i + 3];
        const digest = v[i + 11];
        if (insertFirst) {
          const info = insertFirstVersion.run(
            department,
            category,
            docNo,
            v[i + 4],
            v[i + 5],
            v[i + 6],
            v[i + 7],
            v[i + 8],
            v[i + 9],
            v[i + 10],
            digest,
            batch.batchId,
            batch.submitter,
            batch.now,
          );
          if (info.changes === 1) {
            counts.written++;
            continue;
          }
        }
        const cur = current.get(department, category, docNo) as [number, number, string, string] | undefined;
        if (insertFirst || cur !== undefined) windowStored++;
        if (cur !== undefined && cur[2] === digest) continue;
        let correction: StagedValue = null;
        if (cur !== undefined && cur[3] !== v[i + 4]) {
          correction = v[i + 12] ?? null;
          moves.push({
            row: v[i] as number,
            department: department as string,
            category: category as string,
            docNo: docNo as string,
            from: cur[3],
            to: v[i + 4] as string,
            reason: correction as string | null,
          });
          if (correction === null) {
            counts.refused++;
            continue;
          }
        }
        if (cur !== undefined) {
          retire.run(cur[0]);
          counts.versions++;
        }
        insert.run(
          department,
          category,
          docNo,
          cur === undefined ? 1 : cur[1] + 1,
          v[i + 4],
          v[i + 5],
          v[i + 6],
          v[i + 7],
          v[i + 8],
          v[i + 9],
          v[i + 10],
          digest,
          batch.batchId,
          batch.submitter,
          batch.now,
          correction,
        );
        counts.written++;
      }
    },
    async subjectMoves() {
      return moves;
    },
    async commit(finish) {
      try {
        await finish({ run: async (sql, params) => void conn.prepare(sql).run(...params) }, counts);
        conn.exec("COMMIT");
        shrinkWal(conn);
        return counts;
      } catch (e) {
        if (conn.inTransaction) conn.exec("ROLLBACK");
        throw e;
      } finally {
        close();
      }
    },
    async rollback() {
      if (conn.inTransaction) conn.exec("ROLLBACK");
      close();
    },
  };
}

/**
 * A large import leaves the WAL file as large as everything it wrote (gigabytes for millions of rows): the
 * commit's checkpoint copies the pages back but keeps the file. Truncate it when no reader is using it —
 * without waiting for one (the records are committed either way; the next checkpoint reuses the file).
 */
function shrinkWal(conn: SQLite.Database): void {
  try {
    conn.pragma("busy_timeout = 0");
    conn.pragma("wal_checkpoint(TRUNCATE)");
  } catch {
    // Busy: leave the file to a later checkpoint.
  }
}

async function postgresStage(store: Store, batch: BatchInfo): Promise<StageTx> {
  const client: pg.PoolClient = await store.pool!.connect();
  await client.query("BEGIN");
  await client.query(
    `CREATE TEMP TABLE stage (row_no integer, department text, category text, doc_no text, subject_code text,
     subject_name text, decision_date text, severity text, status text, status_reason text, fields text,
     digest text, subject_correction text) ON COMMIT DROP`,
  );
  const copy = client.query(copyFrom(`COPY stage (${STAGE_COLUMNS.join(", ")}) FROM STDIN`));
  const copyDone = new Promise<void>((resolve, reject) => {
    copy.on("finish", resolve);
    copy.on("error", reject);
  });
  copyDone.catch(() => {}); // observed in commit/rollback
  let staged = 0;
  let buffer = "";
  const flush = async () => {
    if (!buffer) return;
    const ok = copy.write(buffer);
    buffer = "";
    if (!ok) await new Promise<void>((resolve) => copy.once("drain", resolve));
  };
  let moves: SubjectMove[] | undefined;
  let refused = 0;
  /**
   * Plans the merge and finds the versions that change their subject. Refused rows leave the stage and the
   * plan is made again, until none is left: a later row of the same key is then judged against what will
   * really be stored before it (the same answer the SQLite stage gives row by row).
   */
  const plan = async (): Promise<SubjectMove[]> => {
    if (moves) return moves;
    await flush();
    copy.end();
    await copyDone;
    const found: SubjectMove[] = [];
    for (let i = 0; i < PLAN_SQL.length; i++) await client.query(PLAN_SQL[i]!);
    for (;;) {
      const { rows } = await client.query(MOVES_SQL);
      const stated = rows.filter((r) => r.subject_correction !== null);
      const unstated = rows.filter((r) => r.subject_correction === null);
      if (unstated.length === 0) {
        found.push(...stated.map(toMove));
        break;
      }
      found.push(...unstated.map(toMove));
      refused += unstated.length;
      await client.query("DELETE FROM stage WHERE row_no = ANY($1::int[])", [unstated.map((r) => r.row_no)]);
      await client.query("DROP TABLE stage_plan");
      await client.query(PLAN_SQL[2]!);
    }
    moves = found.sort((a, b) => a.row - b.row);
    return moves;
  };
  let released = false;
  const release = (err?: Error) => {
    if (!released) client.release(err);
    released = true;
  };
  return {
    async addRows(chunk) {
      buffer += chunk.copy;
      staged += chunk.stagedRows;
      if (buffer.length > 1 << 16) await flush();
    },
    subjectMoves: plan,
    async commit(finish) {
      try {
        await plan();
        for (const sql of MERGE_SQL)
          await client.query(sql, sql.includes("$1") ? [batch.batchId, batch.submitter, batch.now] : []);
        const { rows } = await client.query(COUNT_SQL);
        const counts = {
          staged,
          refused,
          written: Number(rows[0].written),
          versions: Number(rows[0].versions),
        };
        await finish(
          { run: async (sql, params) => void (await client.query(toPgParams(sql), params)) },
          counts,
        );
        await client.query("COMMIT");
        release();
        return counts;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        release(e as Error);
        throw e;
      }
    },
    async rollback() {
      try {
        if (!copy.writableEnded) copy.end();
        await copyDone.catch(() => {});
        await client.query("ROLLBACK");
        release();
      } catch (e) {
        release(e as Error);
      }
    },
  };
}

function toMove(r: Record<string, unknown>): SubjectMove {
  return {
    row: Number(r.row_no),
    department: String(r.department),
    category: String(r.category),
    docNo: String(r.doc_no),
    from: String(r.prev_subject),
    to: String(r.subject_code),
    reason: (r.subject_correction as string | null) ?? null,
  };
}

/** `?` placeholders to PostgreSQL's `$1, $2, …`. */
function toPgParams(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}
