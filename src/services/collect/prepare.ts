/**
 * The CPU side of an import: rows validated against the catalog (the pure `validateRecord`), digested and laid
 * out for staging. Runs in the importing thread for small sources and in a worker thread for files
 * (file-worker.ts), so the database writes of a large file and the checking of its rows use a core each.
 * No database access here: the worker must not open connections of its own.
 */
import type { Catalog } from "../../core/catalog/types.ts";
import { InputError, type Problem } from "../../core/problem.ts";
import { recordDigest } from "../../core/records/digest.ts";
import {
  type RawRecord,
  ValidationCache,
  type ValidationContext,
  validateRecord,
} from "../../core/records/validate.ts";
import { resolveHeaders } from "../../io/headers.ts";
import { type OpenTableOptions, openTable, type TableReader } from "../../io/table.ts";

export interface SourceRow {
  /** 1-based data row number as the user sees it. */
  row: number;
  raw: RawRecord;
  /** Problems already found while reading the row (ragged, encoding, oversized). */
  problems?: Problem[];
}

/**
 * The columns of a staged row, in the order of `PreparedChunk.staged`: `row_no` is a number,
 * `subject_name`, `status_reason` and `subject_correction` may be null, every other value is a string.
 */
export const STAGE_COLUMNS = [
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
  "subject_correction",
] as const;
export const STAGE_WIDTH = STAGE_COLUMNS.length;

export type StagedValue = string | number | null;

/**
 * How valid rows travel to the stage: as values (SQLite binds them) or as PostgreSQL COPY text (the stage
 * only forwards it, so the writing thread does nothing per row).
 */
export type StageLayout = "values" | "copy";

/** A run of consecutive source rows, checked. */
export interface PreparedChunk {
  /** Source rows covered (staged and rejected). */
  rows: number;
  /** Valid rows, in row order: */
  stagedRows: number;
  /** - layout "values": flat, STAGE_WIDTH values per row in STAGE_COLUMNS order; */
  staged: StagedValue[];
  /** - layout "copy": COPY text lines (text format) of the STAGE_COLUMNS. */
  copy: string;
  /** The problems of each rejected row, in row order. */
  rejected: Problem[][];
}

/** What validation needs besides the catalog; plain data, so it can be posted to a worker. */
export interface PrepareSettings {
  /** ISO date for the future-date check. */
  today: string;
  department?: string;
  category?: string;
  onlyDepartment?: string;
  /** Allow-listed legacy subject codes. */
  allowList: readonly string[];
  layout: StageLayout;
}

export function emptyChunk(): PreparedChunk {
  return { rows: 0, stagedRows: 0, staged: [], copy: "", rejected: [] };
}

/** A value in COPY text format: backslash escapes for the few characters that carry meaning. */
export function copyField(v: StagedValue): string {
  if (v === null) return "\\N";
  const s = typeof v === "string" ? v : String(v);
  return COPY_SPECIAL.test(s)
    ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : s;
}

const COPY_SPECIAL = /[\\\t\n\r]/;

/** Validates and digests rows, one batch's worth of settings and memo. */
export class Preparer {
  private readonly ctx: ValidationContext;
  private readonly copy: boolean;

  constructor(catalog: Catalog, settings: PrepareSettings) {
    this.copy = settings.layout === "copy";
    const allow = new Set(settings.allowList);
    this.ctx = {
      catalog,
      today: settings.today,
      department: settings.department,
      category: settings.category,
      onlyDepartment: settings.onlyDepartment,
      cache: new ValidationCache(),
      isAllowListed: (c) => allow.has(c),
    };
  }

  /** Checks `rows`, appending them to `out`. */
  add(rows: readonly SourceRow[], out: PreparedChunk): void {
    const ctx = this.ctx;
    const staged = out.staged;
    for (let i = 0; i < rows.length; i++) {
      const src = rows[i]!;
      if (src.problems && src.problems.length > 0) {
        out.rejected.push(src.problems);
        continue;
      }
      ctx.row = src.row;
      const v = validateRecord(src.raw, ctx);
      if (!v.ok) {
        out.rejected.push(v.problems);
        continue;
      }
      const r = v.record;
      out.stagedRows++;
      if (this.copy) {
        // The same columns as below; the digest is hex.
        out.copy += `${src.row}\t${copyField(r.department)}\t${copyField(r.category)}\t${copyField(r.doc_no)}\t${copyField(r.subject_code)}\t${copyField(r.subject_name)}\t${copyField(r.decision_date)}\t${copyField(r.severity)}\t${copyField(r.status)}\t${copyField(r.status_reason)}\t${copyField(JSON.stringify(r.fields))}\t${recordDigest(r)}\t${copyField(r.subject_correction ?? null)}\n`;
        continue;
      }
      staged.push(
        src.row,
        r.department,
        r.category,
        r.doc_no,
        r.subject_code,
        r.subject_name,
        r.decision_date,
        r.severity,
        r.status,
        r.status_reason,
        JSON.stringify(r.fields),
        recordDigest(r),
        r.subject_correction ?? null,
      );
    }
    out.rows += rows.length;
  }
}

/**
 * Opens a file of credit records and maps its header onto the catalog's fields. A problem with the file as
 * a whole (unreadable, unknown columns) throws InputError before any row is read.
 */
export async function openRecordTable(
  file: string,
  catalog: Catalog,
  opts: OpenTableOptions & { fileName?: string } = {},
): Promise<{ table: TableReader; columns: (string | null)[] }> {
  const table = await openTable({ path: file, ...(opts.fileName ? { fileName: opts.fileName } : {}) }, opts);
  const dictionary = [...catalog.envelope, ...catalog.fields];
  const { columns, problems } = resolveHeaders(table.header, dictionary);
  if (problems.length > 0) {
    table.close?.();
    throw new InputError(problems);
  }
  return { table, columns };
}

/** The table's rows as raw records keyed by field (empty cells left out). */
export async function* tableRows(
  table: TableReader,
  columns: readonly (string | null)[],
): AsyncIterable<SourceRow[]> {
  for await (const chunk of table.rows) {
    const out: SourceRow[] = new Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const r = chunk[i]!;
      const raw: Record<string, string> = {};
      for (let c = 0; c < columns.length; c++) {
        const key = columns[c];
        const v = r.cells[c];
        if (key && v !== undefined && v !== "") raw[key] = v;
      }
      out[i] = r.problems?.length ? { row: r.row, raw, problems: r.problems } : { row: r.row, raw };
    }
    yield out;
  }
}
