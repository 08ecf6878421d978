import SQLite from "better-sqlite3";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Store } from "../../store/db.ts";

/** One validated row on its way into credit_records. */
export interface StagedRow {
  row_no: number;
  department: string;
  category: string;
  doc_no: string;
  subject_code: string;
  subject_name: string | null;
  decision_date: string;
  severity: string;
  status: string;
  status_reason: string | null;
  fields: string;
  digest: string;
}

const STAGE_COLUMNS = [
  "row_no",
  "department",
  "category",
  "doc_no",
  "subject_code",
  "subject_name",
  "decision_date",
  "severity",
  "status",
  "status_reason",
  "fields",
  "digest",
] as const;

/**
 * The merge (PostgreSQL; SQLite applies the same rule row by row, see sqliteStage): within the batch and against what is stored, a row whose
 * digest equals the version before it (same department, category, document number) is a duplicate;
 * any other row becomes the next version. Rows are applied in file order.
 */
const MERGE_SQL = (batchId: string, submitter: string, now: string) => [
  `CREATE TEMP TABLE stage_work AS
   SELECT s.*, c.version AS cur_version, c.digest AS cur_digest,
          LAG(s.digest) OVER (PARTITION BY s.department, s.category, s.doc_no ORDER BY s.row_no) AS prev_digest
   FROM stage s LEFT JOIN credit_records c
     ON c.department = s.department AND c.category = s.category AND c.doc_no = s.doc_no AND c.is_current = 1`,
  `DELETE FROM stage_work WHERE digest = COALESCE(prev_digest, cur_digest)`,
  `UPDATE credit_records SET is_current = 0
   WHERE is_current = 1 AND EXISTS (SELECT 1 FROM stage_work w
     WHERE w.department = credit_records.department AND w.category = credit_records.category
       AND w.doc_no = credit_records.doc_no AND w.cur_version IS NOT NULL)`,
  `INSERT INTO credit_records (department, category, doc_no, version, is_current, subject_code, subject_name,
     decision_date, severity, status, status_reason, fields, digest, batch_id, submitted_by, submitted_at)
   SELECT department, category, doc_no,
     COALESCE(cur_version, 0) + ROW_NUMBER() OVER (PARTITION BY department, category, doc_no ORDER BY row_no),
     CASE WHEN ROW_NUMBER() OVER (PARTITION BY department, category, doc_no ORDER BY row_no DESC) = 1 THEN 1 ELSE 0 END,
     subject_code, subject_name, decision_date, severity, status, status_reason, fields, digest,
     '${batchId}', '${submitter.replace(/'/g, "''")}', '${now}'
   FROM stage_work ORDER BY row_no`,
];

export interface MergeCounts {
  staged: number;
  /** Rows that created a record or a version. */
  written: number;
  /** Of `written`, rows that were a new version of an existing record (stored before or earlier in the batch). */
  versions: number;
}

const COUNT_SQL = `SELECT COUNT(*) AS written,
  COALESCE(SUM(CASE WHEN cur_version IS NOT NULL OR prev_digest IS NOT NULL THEN 1 ELSE 0 END), 0) AS versions
  FROM stage_work`;

/**
 * A write transaction that stages rows and merges them on commit. It runs on a connection of its own,
 * so other work of the process never slips into it, and a killed process leaves none of it behind.
 */
export interface StageTx {
  add(row: StagedRow): void | Promise<void>;
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

export async function beginStage(store: Store, batch: BatchInfo): Promise<StageTx> {
  return store.engine === "sqlite" ? sqliteStage(store, batch) : postgresStage(store, batch);
}

/**
 * SQLite: the same rule as MERGE_SQL, applied row by row while reading — a point lookup and an insert in
 * one synchronous transaction — which is several times faster here than staging and merging, and keeps
 * file order by construction. Both engines run the same ingest tests, which hold the two to one rule.
 */
function sqliteStage(store: Store, batch: BatchInfo): StageTx {
  const conn = new SQLite(store.location);
  conn.pragma("busy_timeout = 30000");
  conn.pragma("cache_size = -65536"); // 64 MiB: enough for the indexes' hot pages, bounded for 10-million-row files
  conn.exec("BEGIN IMMEDIATE");
  const current = conn.prepare(
    "SELECT id, version, digest FROM credit_records WHERE department = ? AND category = ? AND doc_no = ? AND is_current = 1",
  );
  const retire = conn.prepare("UPDATE credit_records SET is_current = 0 WHERE id = ?");
  const insert = conn.prepare(
    `INSERT INTO credit_records (department, category, doc_no, version, is_current, subject_code, subject_name,
     decision_date, severity, status, status_reason, fields, digest, batch_id, submitted_by, submitted_at)
     VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const counts: MergeCounts = { staged: 0, written: 0, versions: 0 };
  const close = () => {
    if (conn.open) conn.close();
  };
  return {
    add(r) {
      counts.staged++;
      const cur = current.get(r.department, r.category, r.doc_no) as
        | { id: number; version: number; digest: string }
        | undefined;
      if (cur?.digest === r.digest) return;
      if (cur) {
        retire.run(cur.id);
        counts.versions++;
      }
      insert.run(
        r.department,
        r.category,
        r.doc_no,
        (cur?.version ?? 0) + 1,
        r.subject_code,
        r.subject_name,
        r.decision_date,
        r.severity,
        r.status,
        r.status_reason,
        r.fields,
        r.digest,
        batch.batchId,
        batch.submitter,
        batch.now,
      );
      counts.written++;
    },
    async commit(finish) {
      try {
        await finish({ run: async (sql, params) => void conn.prepare(sql).run(...params) }, counts);
        conn.exec("COMMIT");
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

/** COPY text format: backslash escapes for the few characters that carry meaning. */
function copyField(v: string | number | null): string {
  if (v === null) return "\\N";
  const s = String(v);
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : s;
}

async function postgresStage(store: Store, batch: BatchInfo): Promise<StageTx> {
  const client: pg.PoolClient = await store.pool!.connect();
  await client.query("BEGIN");
  await client.query(
    `CREATE TEMP TABLE stage (row_no integer, department text, category text, doc_no text, subject_code text,
     subject_name text, decision_date text, severity text, status text, status_reason text, fields text,
     digest text) ON COMMIT DROP`,
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
  let released = false;
  const release = (err?: Error) => {
    if (!released) client.release(err);
    released = true;
  };
  return {
    async add(r) {
      buffer += `${STAGE_COLUMNS.map((c) => copyField(r[c])).join("\t")}\n`;
      staged++;
      if (buffer.length > 1 << 16) await flush();
    },
    async commit(finish) {
      try {
        await flush();
        copy.end();
        await copyDone;
        await client.query("ANALYZE stage");
        const sqls = MERGE_SQL(batch.batchId, batch.submitter, batch.now);
        // Temp tables created in a transaction vanish with it.
        sqls[0] = sqls[0]!.replace(
          "CREATE TEMP TABLE stage_work AS",
          "CREATE TEMP TABLE stage_work ON COMMIT DROP AS",
        );
        for (const sql of sqls) await client.query(sql);
        const { rows } = await client.query(COUNT_SQL);
        const counts = { staged, written: Number(rows[0].written), versions: Number(rows[0].versions) };
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
        copy.end();
        await copyDone.catch(() => {});
        await client.query("ROLLBACK");
        release();
      } catch (e) {
        release(e as Error);
      }
    },
  };
}

/** `?` placeholders to PostgreSQL's `$1, $2, …`. */
function toPgParams(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}
