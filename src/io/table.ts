/**
 * The common shape of an uploaded table (CSV or XLSX) and `openTable`, which sniffs the format from the
 * file's first bytes (the name only shapes error messages) and returns a streaming reader.
 *
 * Row numbers: `row` is the 1-based *data* row and the header (the first non-blank row) is row 0, counted
 * the way a user sees the file in Excel: every record is one row, blank rows included (they are skipped but
 * still counted), and a record whose quoted value spans several physical lines is still one row. So when
 * the header is on the first line, data row N is Excel row N + 1 — and, without multi-line values, line
 * N + 1 of the text file (physical line minus 1, as the header takes line 1).
 *
 * Header names are trimmed and trailing unnamed columns dropped; values are returned exactly as written.
 * Rows whose cells are all empty are skipped. Structural problems that make the rest of the file
 * unreadable throw `InputError` (from `openTable`, or from iterating `rows`); problems confined to one row
 * arrive on that row's `problems`.
 */
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { InputError, type Problem, problem } from "../core/problem.ts";
import type { XlsxLimits } from "../policy/uploads.ts";
import { ByteSource, DEFAULT_MAX_FIELD_LENGTH, type ResolvedOptions, SNIFF_BYTES } from "./common.ts";
import { openCsv } from "./csv.ts";

export { DEFAULT_MAX_FIELD_LENGTH } from "./common.ts";

export interface TableRow {
  /** 1-based data row number; the header is row 0. */
  row: number;
  /**
   * The values, one per column. CSV values are slices of the decoded text chunk (V8 substrings), so
   * keeping millions of them alive (e.g. in a Set for duplicate checks) keeps their chunks alive too: copy
   * the ones you retain, or keep such state in the database.
   */
  cells: string[];
  /**
   * Problems that make just this row unusable (ragged row, oversized field, undecodable bytes...).
   * The caller should reject the row and go on with the next one.
   */
  problems?: Problem[];
}

export interface TableReader {
  header: string[];
  /** Rows in chunks (for speed). Iterate once; breaking out early releases the file. */
  rows: AsyncIterable<TableRow[]>;
  format: "csv" | "xlsx";
  /** CSV only: the encoding the file was decoded with ("utf-8" or "gb18030"). */
  encoding?: string;
  /** Releases the underlying file/stream without reading the rows (safe to call more than once). */
  close?: () => void;
}

/** A file by path (`fileName`, the name the user gave it, for messages) or a stream. */
export type TableSource = { path: string; fileName?: string } | { stream: Readable; fileName: string };

export interface OpenTableOptions {
  /** Longest accepted value, in characters (default 4000). Longer values are a per-row problem. */
  maxFieldLength?: number;
  /**
   * Longest accepted row, in decoded characters (≈ bytes for ASCII; default policy/uploads.yaml
   * `table.max_row_chars`). Bounds memory: a longer CSV record is a per-row problem, or fatal when it is an
   * unclosed quote swallowing the file; a longer XLSX row refuses the file.
   */
  maxRowBytes?: number;
  /** Overrides of policy/uploads.yaml's XLSX limits (tests use small ones). */
  xlsx?: Partial<XlsxLimits>;
}

/** Options with every limit given: what a worker thread is handed. */
export interface ResolvedTableOptions {
  maxFieldLength: number;
  maxRowBytes: number;
  xlsx: XlsxLimits;
}

const XLSX_LIMIT_KEYS: readonly (keyof XlsxLimits)[] = [
  "maxColumns",
  "maxRows",
  "maxCellChars",
  "maxSharedStrings",
  "maxSharedStringChars",
  "maxXmlDepth",
  "maxZipEntries",
  "maxDecompressedBytes",
  "maxCompressionRatio",
  "ratioGraceBytes",
];

function isResolved(opts: OpenTableOptions): opts is ResolvedTableOptions {
  const x = opts.xlsx;
  return (
    opts.maxRowBytes !== undefined && x !== undefined && XLSX_LIMIT_KEYS.every((k) => x[k] !== undefined)
  );
}

/**
 * The options with the defaults of policy/uploads.yaml filled in (plain data: a worker thread is given them).
 * The policy loader (YAML and schema libraries: a third of a second) is loaded only when a default is needed,
 * so a worker that is given every limit never loads it.
 */
export async function resolveTableOptions(opts: OpenTableOptions = {}): Promise<ResolvedTableOptions> {
  if (isResolved(opts))
    return {
      maxFieldLength: opts.maxFieldLength ?? DEFAULT_MAX_FIELD_LENGTH,
      maxRowBytes: opts.maxRowBytes,
      xlsx: opts.xlsx,
    };
  const { uploadsPolicy, xlsxLimits } = await import("../policy/uploads.ts");
  return {
    maxFieldLength: opts.maxFieldLength ?? DEFAULT_MAX_FIELD_LENGTH,
    maxRowBytes: opts.maxRowBytes ?? uploadsPolicy().table.max_row_chars,
    xlsx: { ...xlsxLimits(), ...opts.xlsx },
  };
}

export async function openTable(source: TableSource, opts: OpenTableOptions = {}): Promise<TableReader> {
  const isPath = "path" in source;
  const limits = await resolveTableOptions(opts);
  const stream = isPath ? createReadStream(source.path, { highWaterMark: 256 * 1024 }) : source.stream;
  const resolved: ResolvedOptions = {
    ...limits,
    fileName: isPath ? (source.fileName ?? basename(source.path)) : source.fileName,
  };
  const src = new ByteSource(stream);
  try {
    const head = await src.peek(SNIFF_BYTES);
    if (startsWith(head, ZIP_MAGIC)) {
      // Loaded lazily: exceljs is large and CSV uploads do not need it.
      const { openXlsx } = await import("./xlsx.ts");
      return await openXlsx(src, resolved);
    }
    if (startsWith(head, OLE2_MAGIC)) throw new InputError([legacyXlsProblem()]);
    return await openCsv(src, resolved);
  } catch (err) {
    src.close();
    throw err;
  }
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** Compound File Binary: legacy .xls, and also password-protected .xlsx. */
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(buf: Buffer, magic: number[]): boolean {
  if (buf.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (buf[i] !== magic[i]) return false;
  return true;
}

function legacyXlsProblem(): Problem {
  return problem("file.legacy_xls", {
    zh: "文件是旧版 Excel 97-2003（.xls）格式或带密码保护的 Excel 文件，无法读取",
    en: "The file is in the old Excel 97-2003 (.xls) format or is a password-protected workbook",
    fixZh: "请在 Excel 中打开，取消密码保护，并“另存为” Excel 工作簿（.xlsx）或 CSV UTF-8 格式后重新上传",
    fixEn:
      "Open it in Excel, remove any password, use Save As Excel Workbook (.xlsx) or CSV UTF-8, and upload again",
  });
}
