/**
 * The shared path of rating and grade imports: rows from a file (CSV/XLSX through openTable and
 * resolveHeaders) or from a JSON request, each checked by the caller's `check`, written in one transaction
 * — all or nothing unless `acceptValid` — with a rejects report (UTF-8 CSV, Chinese and English) naming row,
 * field, problem and fix, and a row in `grade_imports` for the batch.
 */
import fs from "node:fs";
import path from "node:path";
import type { Transaction } from "kysely";
import { InputError, type Problem, problem } from "../../core/problem.ts";
import { parseDate } from "../../core/records/parse.ts";
import { checkUscc } from "../../core/uscc/uscc.ts";
import { csvLine } from "../../io/export.ts";
import { type HeaderDef, resolveHeaders } from "../../io/headers.ts";
import { openTable } from "../../io/table.ts";
import type { Store } from "../../store/db.ts";
import type { Database } from "../../store/schema.ts";
import { newBatchId, REJECT_HEADER } from "../collect/ingest.ts";
import { openTableInWorker } from "../collect/threaded.ts";

export interface ImportRow {
  row: number;
  values: Record<string, string>;
  problems?: Problem[];
}

export type RowSource = AsyncIterable<ImportRow[]> | Iterable<ImportRow[]>;

export interface ImportResult {
  batchId: string;
  /** committed | rejected (an all-or-nothing import with a bad row writes nothing) */
  status: "committed" | "rejected";
  accepted: number;
  rejected: number;
  /** The first problems (all of them are in the rejects report). */
  problems: Problem[];
  rejectsFile?: string;
  /** Codes of the subjects whose rows were written (for re-evaluation). */
  subjects: string[];
}

export interface ImportSpec<T> {
  kind: "ratings" | "grades";
  /** Agency code or other-grade source id. */
  source: string;
  department: string | null;
  submitter: string;
  channel: "rest" | "file" | "cli";
  fileName?: string;
  acceptValid: boolean;
  rejectsDir: string;
  /** A valid row, or its problems. Pure (no database: it runs inside the write transaction). */
  check(r: ImportRow): { value: T; subject: string } | Problem[];
  /** Writes a chunk of valid rows (at most 500). */
  write(tx: Transaction<Database>, rows: T[], batchId: string): Promise<void>;
}

class Rollback extends Error {}

const KEEP = 1000;

export async function runImport<T>(
  store: Store,
  rows: RowSource,
  spec: ImportSpec<T>,
): Promise<ImportResult> {
  const batchId = newBatchId();
  const startedAt = new Date().toISOString();
  const rejectsFile = path.join(spec.rejectsDir, `${batchId}.csv`);
  let report = "";
  let rejected = 0;
  let accepted = 0;
  const kept: Problem[] = [];
  const subjects = new Set<string>();
  const reject = (ps: Problem[]) => {
    rejected++;
    for (const p of ps) {
      if (kept.length < KEEP) kept.push(p);
      report += csvLine([p.row, p.field, p.code, p.zh, p.en, p.fixZh, p.fixEn, p.value]);
    }
  };
  let status: "committed" | "rejected" = "committed";
  try {
    await store.db.transaction().execute(async (tx) => {
      let pending: T[] = [];
      const flush = async () => {
        if (pending.length === 0) return;
        // Nothing is written once a row is bad in an all-or-nothing import: keep checking, stop writing.
        if (spec.acceptValid || rejected === 0) await spec.write(tx, pending, batchId);
        pending = [];
      };
      for await (const chunk of rows) {
        for (const r of chunk) {
          const checked = r.problems?.length ? r.problems : spec.check(r);
          if (Array.isArray(checked)) {
            reject(checked);
            continue;
          }
          pending.push(checked.value);
          subjects.add(checked.subject);
          accepted++;
          if (pending.length >= 500) await flush();
        }
      }
      await flush();
      if (rejected > 0 && !spec.acceptValid) throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    status = "rejected";
  }
  if (status === "rejected") {
    accepted = 0;
    subjects.clear();
  }
  let file: string | undefined;
  if (rejected > 0) {
    fs.mkdirSync(spec.rejectsDir, { recursive: true });
    fs.writeFileSync(rejectsFile, `\uFEFF${REJECT_HEADER.join(",")}\n${report}`);
    file = rejectsFile;
  }
  await store.db
    .insertInto("grade_imports")
    .values({
      id: batchId,
      kind: spec.kind,
      source: spec.source,
      department: spec.department,
      submitter: spec.submitter,
      channel: spec.channel,
      file_name: spec.fileName ?? null,
      status,
      accepted,
      rejected,
      rejects_file: file ?? null,
      started_at: startedAt,
      finished_at: new Date().toISOString(),
    })
    .execute();
  return {
    batchId,
    status,
    accepted,
    rejected,
    problems: kept,
    ...(file ? { rejectsFile: file } : {}),
    subjects: [...subjects],
  };
}

/** Rows of a file; `close` releases the file (and stops its worker) whether or not they were read. */
export type FileRowSource = AsyncIterable<ImportRow[]> & { close(): void };

/**
 * The rows of a CSV/XLSX file with their columns resolved to the dictionary's keys. A header problem (missing,
 * duplicate, unknown or unnamed column) rejects the file before any row is read. An uploaded file must be read
 * with `worker: true`: in a worker thread with a heap of its own (see collect/threaded.ts).
 */
export async function fileRows(
  file: string,
  dictionary: readonly HeaderDef[],
  fileName = path.basename(file),
  opts: { worker?: boolean } = {},
): Promise<FileRowSource> {
  const table = opts.worker
    ? await openTableInWorker(file, { fileName })
    : await openTable({ stream: fs.createReadStream(file), fileName });
  const close = () => table.close?.();
  const { columns, problems } = resolveHeaders(table.header, dictionary);
  if (problems.length) {
    close();
    throw new InputError(problems);
  }
  const rows = (async function* () {
    for await (const chunk of table.rows)
      yield chunk.map((r): ImportRow => {
        const values: Record<string, string> = {};
        columns.forEach((key, i) => {
          if (key) values[key] = (r.cells[i] ?? "").trim();
        });
        return { row: r.row, values, ...(r.problems?.length ? { problems: r.problems } : {}) };
      });
  })();
  return { [Symbol.asyncIterator]: () => rows, close };
}

/** Rows of a JSON request (objects keyed by field key), numbered from 1. */
export function jsonRows(items: readonly Record<string, unknown>[]): RowSource {
  return [
    items.map((o, i) => ({
      row: i + 1,
      values: Object.fromEntries(
        Object.entries(o).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v).trim()]),
      ),
    })),
  ];
}

// ——— Row checks shared by ratings and grades —————————————————————————————————————————————————

export const SUBJECT_COLUMN: HeaderDef = {
  key: "subject_code",
  zh: "统一社会信用代码",
  en: "Unified social credit code",
  aliases: [
    "主体代码",
    "信用代码",
    "社会信用代码",
    "纳税人识别号",
    "uscc",
    "code",
    "subject",
    "subject code",
  ],
  required: true,
};
export const SUBJECT_NAME_COLUMN: HeaderDef = {
  key: "subject_name",
  zh: "主体名称",
  en: "Subject name",
  aliases: ["企业名称", "单位名称", "纳税人名称", "name"],
};

/** The subject's USCC (normalised), or its problem; allow-listed legacy codes are accepted. */
export function checkSubject(
  r: ImportRow,
  allow: ReadonlySet<string>,
  problems: Problem[],
): string | undefined {
  const raw = r.values.subject_code ?? "";
  const u = checkUscc(raw, (c) => allow.has(c));
  if (u.status === "invalid") {
    problems.push(problem(u.reason!.code, u.reason!, { row: r.row, field: SUBJECT_COLUMN.zh, value: raw }));
    return undefined;
  }
  return u.normalized;
}

/** A required or optional date column as an ISO date, or a problem. */
export function checkDate(
  r: ImportRow,
  def: HeaderDef,
  problems: Problem[],
  opts: { required: boolean; notAfter?: string },
): string | undefined | null {
  const raw = r.values[def.key] ?? "";
  if (!raw) {
    if (!opts.required) return null;
    problems.push(
      problem(
        "value.required",
        {
          zh: `“${def.zh}”不能为空`,
          en: `"${def.en}" is required`,
          fixZh: `填写${def.zh}（如 2026-05-01）`,
          fixEn: `Fill in ${def.en} (e.g. 2026-05-01)`,
        },
        { row: r.row, field: def.zh },
      ),
    );
    return undefined;
  }
  const d = parseDate(raw);
  if (d.kind !== "ok") {
    problems.push(
      problem(
        "date.format",
        {
          zh: `“${def.zh}”的值“${raw}”不是日期${d.kind === "impossible" ? `（${d.why.zh}）` : ""}`,
          en: `"${def.en}" value "${raw}" is not a date${d.kind === "impossible" ? ` (${d.why.en})` : ""}`,
          fixZh: "按 YYYY-MM-DD 填写，如 2026-05-01",
          fixEn: "Write it as YYYY-MM-DD, e.g. 2026-05-01",
        },
        { row: r.row, field: def.zh, value: raw },
      ),
    );
    return undefined;
  }
  if (opts.notAfter && d.date > opts.notAfter) {
    problems.push(
      problem(
        "date.future",
        {
          zh: `“${def.zh}”${d.date} 晚于今天（${opts.notAfter}）`,
          en: `"${def.en}" ${d.date} is after today (${opts.notAfter})`,
          fixZh: "只能报送已作出的评价，请核对日期",
          fixEn: "Only ratings already given can be submitted; check the date for a typo",
        },
        { row: r.row, field: def.zh, value: raw },
      ),
    );
    return undefined;
  }
  return d.date;
}

export async function allowList(store: Store): Promise<Set<string>> {
  return new Set((await store.db.selectFrom("uscc_allowlist").select("code").execute()).map((r) => r.code));
}

/**
 * Writes a batch's accepted rows into a table of grades (market_ratings, other_grades): one row per key, the
 * last in file order winning (one statement may not touch a key twice in PostgreSQL), each row with the batch's
 * own columns; a key already stored is replaced by the new row (every column but the key).
 */
export async function upsertGrades(
  tx: Transaction<Database>,
  table: "market_ratings" | "other_grades",
  rows: readonly object[],
  spec: {
    /** The unique key, the batch's columns included. */
    key: readonly string[];
    /** Columns every row of the batch has (agency or source, department, batch, submitter, time). */
    batch: Record<string, unknown>;
  },
): Promise<void> {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const row: Record<string, unknown> = { ...r, ...spec.batch };
    byKey.set(spec.key.map((k) => String(row[k])).join("\u0000"), row);
  }
  const values = [...byKey.values()];
  if (values.length === 0) return;
  const updated = Object.keys(values[0]!).filter((c) => !spec.key.includes(c));
  // The table and its columns are given by name: a loosely typed view of the transaction.
  const db = tx as unknown as Transaction<Record<string, Record<string, unknown>>>;
  const name: string = table;
  await db
    .insertInto(name)
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(spec.key as string[])
        .doUpdateSet((eb) => Object.fromEntries(updated.map((c) => [c, eb.ref(`excluded.${c}`)]))),
    )
    .execute();
}
