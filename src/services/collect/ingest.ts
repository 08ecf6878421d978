import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Catalog } from "../../core/catalog/types.ts";
import { maskIfIdNumber } from "../../core/idcard/idcard.ts";
import { type Problem, problem } from "../../core/problem.ts";
import { csvLine } from "../../io/export.ts";
import type { Store } from "../../store/db.ts";
import { emptyChunk, type PreparedChunk, Preparer, type PrepareSettings, type SourceRow } from "./prepare.ts";
import { beginStage, type SubjectMove, stageLayout } from "./stage.ts";
import { isPreparedSource, type PreparedSource } from "./threaded.ts";

export type { SourceRow } from "./prepare.ts";

export interface IngestOptions {
  submitter: string;
  /** The submitter's role, for the audit log (default: the channel, e.g. a CLI or demo load). */
  submitterRole?: string;
  channel: "rest" | "file" | "cli" | "demo";
  department?: string;
  /** Reject rows of any other department (set for department users and tokens). */
  onlyDepartment?: string;
  category?: string;
  fileName?: string;
  /** Use this batch id (so a caller can report progress before the import ends). */
  batchId?: string;
  fileDigest?: string;
  /** Commit the valid rows even when some are rejected (default: all-or-nothing). */
  acceptValid?: boolean;
  /** Where rejects reports go; default ./data/rejects. */
  rejectsDir?: string;
  /** ISO date used for the future-date check; default today (UTC+8, the platform's civil date). */
  today?: string;
  onProgress?: (rowsRead: number) => void;
  /** Most problems to keep in the result (all go to the rejects file). */
  keepProblems?: number;
}

export interface IngestResult {
  batchId: string;
  status: "committed" | "rejected";
  accepted: number;
  rejected: number;
  duplicates: number;
  versions: number;
  rejectsFile?: string;
  problems: Problem[];
  /** Versions accepted as corrections of their subject (the submitter gave a reason), shown to the submitter. */
  subjectCorrections?: SubjectCorrection[];
}

export interface SubjectCorrection {
  row: number;
  docNo: string;
  /** Subject codes before and after (identity numbers masked). */
  from: string;
  to: string;
  reason: string;
}

function correctionView(m: SubjectMove): SubjectCorrection {
  return {
    row: m.row,
    docNo: m.docNo,
    from: maskIfIdNumber(m.from),
    to: maskIfIdNumber(m.to),
    reason: m.reason ?? "",
  };
}

/** 文书号已用于另一主体: an unstated change of subject, refused. */
function subjectMoved(m: SubjectMove): Problem {
  const from = maskIfIdNumber(m.from);
  const to = maskIfIdNumber(m.to);
  return problem(
    "record.subject_moved",
    {
      zh: `文书号已用于另一主体：文书号“${m.docNo}”（${m.category}）的现有记录属于 ${from}，本行为 ${to}`,
      en: `Document number already used for another subject: the stored record "${m.docNo}" (${m.category}) is about ${from}, this row names ${to}`,
      fixZh: "核对文书号是否录入错误；如确为更正主体，请在“主体更正说明”中写明原因后重新提交",
      fixEn:
        'Check the document number for a typo; if the subject really is being corrected, give the reason in "Subject correction" and submit again',
    },
    { row: m.row, field: "doc_no", value: m.docNo },
  );
}

/** Today's civil date in China (UTC+8), which is what a decision date is written in. */
export function chinaToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function newBatchId(now = new Date()): string {
  const t = now
    .toISOString()
    .replace(/[-:TZ.]/g, "")
    .slice(0, 14);
  return `B${t}${crypto.randomBytes(4).toString("hex")}`;
}

/** The columns of a rejects report (CSV), the same for records, ratings and grades. */
export const REJECT_HEADER = [
  "行号 row",
  "字段 field",
  "代码 code",
  "问题",
  "problem",
  "修正方法",
  "how to fix",
  "值 value",
];

class RejectsWriter {
  private fd: number | undefined;
  private buf = "";
  count = 0;
  kept: Problem[] = [];
  constructor(
    readonly file: string,
    private readonly keep: number,
  ) {}
  add(problems: Problem[]): void {
    if (this.fd === undefined) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = fs.openSync(this.file, "w");
      this.buf = `\uFEFF${REJECT_HEADER.join(",")}\n`;
    }
    this.count++;
    for (const p of problems) {
      if (this.kept.length < this.keep) this.kept.push(p);
      // csvLine neutralises formula-like values: a user's cell never becomes a formula in the report.
      this.buf += csvLine([p.row, p.field, p.code, p.zh, p.en, p.fixZh, p.fixEn, p.value]);
    }
    if (this.buf.length > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.fd !== undefined && this.buf) fs.writeSync(this.fd, this.buf);
    this.buf = "";
  }
  close(): string | undefined {
    this.flush();
    if (this.fd === undefined) return undefined;
    fs.closeSync(this.fd);
    return this.file;
  }
}

/** Checks the rows of a plain source in this thread, a source chunk at a time. */
async function* prepareHere(
  source: AsyncIterable<SourceRow[]> | Iterable<SourceRow[]>,
  catalog: Catalog,
  settings: PrepareSettings,
): AsyncIterable<PreparedChunk> {
  const preparer = new Preparer(catalog, settings);
  for await (const rows of source) {
    const out = emptyChunk();
    preparer.add(rows, out);
    yield out;
  }
}

/**
 * Collects records: validates every row against the catalog, stages the valid ones and merges them in
 * one transaction (idempotent on department + category + document number; changes become versions).
 * All-or-nothing unless `acceptValid`: one bad row and nothing is written, but the report is.
 *
 * `source` is rows to check here, or a PreparedSource whose rows a worker thread checks (files, see
 * importFile): the same checks either way (prepare.ts), this function only writes.
 */
export async function ingest(
  store: Store,
  catalog: Catalog,
  source: AsyncIterable<SourceRow[]> | Iterable<SourceRow[]> | PreparedSource,
  opts: IngestOptions,
): Promise<IngestResult> {
  const startedAt = new Date().toISOString();
  const batchId = opts.batchId ?? newBatchId();
  const acceptValid = opts.acceptValid ?? false;
  const rejectsDir = opts.rejectsDir ?? path.resolve("data", "rejects");
  const rejects = new RejectsWriter(path.join(rejectsDir, `${batchId}.csv`), opts.keepProblems ?? 1000);
  const settings: PrepareSettings = {
    today: opts.today ?? chinaToday(),
    department: opts.department,
    category: opts.category,
    onlyDepartment: opts.onlyDepartment,
    allowList: await loadAllowList(store),
    layout: stageLayout(store),
  };
  // A worker starts checking rows now, while the batch row and the transaction are set up.
  const chunks = isPreparedSource(source) ? source.start(settings) : prepareHere(source, catalog, settings);

  await store.db
    .insertInto("import_batches")
    .values({
      id: batchId,
      department: opts.department ?? null,
      submitter: opts.submitter,
      channel: opts.channel,
      file_name: opts.fileName ?? null,
      file_digest: opts.fileDigest ?? null,
      status: "running",
      accept_valid: acceptValid ? 1 : 0,
      accepted: 0,
      rejected: 0,
      duplicates: 0,
      versions: 0,
      rejects_file: null,
      started_at: startedAt,
      finished_at: null,
      host: os.hostname(),
      pid: process.pid,
    })
    .execute();

  const tx = await beginStage(store, { batchId, submitter: opts.submitter, now: startedAt });
  let read = 0;
  try {
    for await (const chunk of chunks) {
      for (let i = 0; i < chunk.rejected.length; i++) rejects.add(chunk.rejected[i]!);
      // All-or-nothing and a row already rejected: the batch will be rolled back, so writing more is wasted;
      // the remaining rows are still checked, for the report.
      if (chunk.stagedRows > 0 && (acceptValid || rejects.count === 0)) {
        const added = tx.addRows(chunk);
        if (added) await added;
      }
      read += chunk.rows;
      opts.onProgress?.(read);
    }
  } catch (e) {
    await tx.rollback();
    rejects.close();
    await finishBatch(store, batchId, { status: "failed", rejected: rejects.count });
    throw e;
  }

  let moves: SubjectMove[];
  try {
    moves = await tx.subjectMoves();
  } catch (e) {
    await tx.rollback();
    rejects.close();
    await finishBatch(store, batchId, { status: "failed", rejected: rejects.count });
    throw e;
  }
  for (const m of moves) if (m.reason === null) rejects.add([subjectMoved(m)]);
  const corrections = moves.filter((m) => m.reason !== null).map(correctionView);

  const rejectsFile = rejects.close();
  const finishedAt = new Date().toISOString();
  if (rejects.count > 0 && !acceptValid) {
    await tx.rollback();
    await finishBatch(store, batchId, {
      status: "rejected",
      rejected: rejects.count,
      rejects_file: rejectsFile ?? null,
    });
    return {
      batchId,
      status: "rejected",
      accepted: 0,
      rejected: rejects.count,
      duplicates: 0,
      versions: 0,
      rejectsFile,
      problems: rejects.kept,
    };
  }
  const counts = await tx.commit(async (run, c) => {
    // The batch's outcome is written in the records' own transaction: both or neither.
    await run.run(
      `UPDATE import_batches SET status = 'committed', accepted = ?, rejected = ?, duplicates = ?, versions = ?,
       rejects_file = ?, finished_at = ? WHERE id = ?`,
      [
        c.written,
        rejects.count,
        c.staged - c.written - c.refused,
        c.versions,
        rejectsFile ?? null,
        finishedAt,
        batchId,
      ],
    );
    // Each correction of a subject is audited with the records it changes: both or neither.
    for (const m of moves)
      if (m.reason !== null)
        await run.run(
          `INSERT INTO audit_log (at, actor, role, department, action, object, result, ip)
           VALUES (?, ?, ?, ?, 'records.subject_corrected', ?, 'ok', NULL)`,
          [
            finishedAt,
            opts.submitter,
            opts.submitterRole ?? opts.channel,
            m.department,
            `${batchId} row ${m.row} ${m.department}/${m.category}/${m.docNo}: ${maskIfIdNumber(m.from)} → ${maskIfIdNumber(m.to)} (${m.reason})`.slice(
              0,
              500,
            ),
          ],
        );
  });
  const duplicates = counts.staged - counts.written - counts.refused;
  const result: IngestResult = {
    batchId,
    status: "committed",
    accepted: counts.written,
    rejected: rejects.count,
    duplicates,
    versions: counts.versions,
    problems: rejects.kept,
  };
  if (corrections.length) result.subjectCorrections = corrections;
  if (rejectsFile) result.rejectsFile = rejectsFile;
  return result;
}

async function finishBatch(
  store: Store,
  id: string,
  set: { status: string; rejected: number; rejects_file?: string | null },
): Promise<void> {
  await store.db
    .updateTable("import_batches")
    .set({ ...set, finished_at: new Date().toISOString() })
    .where("id", "=", id)
    .execute();
}

async function loadAllowList(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom("uscc_allowlist").select("code").execute();
  return rows.map((r) => r.code);
}

/**
 * Marks batches left `running` by a process that no longer exists (killed mid-import) as `interrupted`.
 * Their records were never committed: the transaction died with the process.
 */
export async function recoverInterruptedBatches(store: Store): Promise<number> {
  const running = await store.db
    .selectFrom("import_batches")
    .select(["id", "host", "pid"])
    .where("status", "=", "running")
    .execute();
  let n = 0;
  for (const b of running) {
    if (b.host === os.hostname() && b.pid !== null && processAlive(b.pid)) continue;
    await finishBatch(store, b.id, { status: "interrupted", rejected: 0 });
    n++;
  }
  return n;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function singleProblem(code: string, zh: string, en: string, fixZh: string, fixEn: string): Problem {
  return problem(code, { zh, en, fixZh, fixEn });
}
