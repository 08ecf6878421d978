/**
 * Writers for files that leave the platform: CSV (UTF-8 with BOM so Excel shows Chinese correctly), XLSX,
 * and blank upload templates.
 *
 * Formula injection: a CSV value starting with `=`, `+`, `-`, `@`, tab or CR would be run as a formula by
 * a spreadsheet, so it gets a leading `'` (plain numbers such as `-12.5` or `+3` are left alone). In XLSX
 * every value is written as a text cell (never a formula, and in a text-formatted column so that editing
 * the cell in Excel does not turn it into one), so no prefix is needed there.
 *
 * Templates: the header marks required columns with a trailing `*` (which `resolveHeaders` ignores when the
 * filled-in file comes back). The example row goes on a second worksheet in XLSX — the reader only reads
 * the first one — and is left out of CSV, where any row under the header would be imported as data.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import ExcelJS from "exceljs";

export type CellValue = string | number | bigint | boolean | Date | null | undefined;
type Rows = Iterable<readonly CellValue[]> | AsyncIterable<readonly CellValue[]>;

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;
/** Excel's limit on the characters in one cell. */
const XLSX_CELL_LIMIT = 32767;

/** A value as plain text: dates as `YYYY-MM-DD` (or full ISO when they carry a time), null as "". */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return "";
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  return String(value);
}

/** Prefixes `'` to text a spreadsheet would treat as a formula. */
export function neutralizeFormula(text: string): string {
  if (text.length === 0) return text;
  const c = text.charCodeAt(0);
  // = + - @ TAB CR
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return text;
  if ((c === 45 || c === 43) && NUMBER.test(text)) return text;
  return `'${text}`;
}

/** One CSV cell: formula-neutralised, quoted when it contains a comma, quote or line break. */
export function csvCell(value: CellValue): string {
  const text = neutralizeFormula(cellText(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CellValue[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) line += i === 0 ? csvCell(values[i]) : `,${csvCell(values[i])}`;
  return `${line}\r\n`;
}

export interface WriteCsvOptions {
  /** Start with a UTF-8 BOM (default true: Excel needs it to show Chinese). */
  bom?: boolean;
  /** End the stream when done (default true). */
  end?: boolean;
}

/** Writes a CSV (CRLF line ends) to `stream`, honouring back-pressure. */
export async function writeCsv(
  stream: Writable,
  header: readonly string[],
  rows: Rows,
  opts: WriteCsvOptions = {},
): Promise<void> {
  let buf = (opts.bom ?? true) ? "\uFEFF" : "";
  buf += csvLine(header);
  for await (const row of rows) {
    buf += csvLine(row);
    if (buf.length >= 64 * 1024) {
      const text = buf;
      buf = "";
      if (!stream.write(text, "utf8")) await once(stream, "drain");
    }
  }
  if (buf.length > 0 && !stream.write(buf, "utf8")) await once(stream, "drain");
  if (opts.end ?? true) {
    stream.end();
    await finished(stream, { readable: false });
  }
}

export interface WriteXlsxOptions {
  /** Column widths in characters; by default estimated from the header. */
  widths?: number[];
}

/**
 * Writes a one-sheet workbook with exceljs's streaming writer: bold, frozen header row; every value a text
 * cell in text-formatted columns. Values longer than Excel's 32,767-character cell limit are cut to it.
 */
export async function writeXlsx(
  target: string | Writable,
  sheetName: string,
  header: readonly string[],
  rows: Rows,
  opts: WriteXlsxOptions = {},
): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    ...(typeof target === "string" ? { filename: target } : { stream: target }),
    useStyles: true,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet(safeSheetName(sheetName), { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = header.map((h, i) => ({
    width: opts.widths?.[i] ?? columnWidth(h),
    style: { numFmt: "@" },
  }));
  const head = ws.addRow(header.map((h) => h));
  head.font = { bold: true };
  head.commit();
  let n = 0;
  for await (const row of rows) {
    ws.addRow(row.map(xlsxText)).commit();
    // Let the zip stream drain now and then when rows come from a synchronous source.
    if (++n % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  ws.commit();
  await wb.commit();
}

/** Text for an XLSX cell; null (no cell written) for an empty value. */
function xlsxText(value: CellValue): string | null {
  const text = cellText(value);
  if (text.length === 0) return null;
  return text.length > XLSX_CELL_LIMIT ? text.slice(0, XLSX_CELL_LIMIT) : text;
}

/** Excel sheet names: at most 31 characters, none of `: \ / ? * [ ]`, not blank. */
export function safeSheetName(name: string): string {
  const s = name
    .replace(/[:\\/?*[\]]/g, "_")
    .replace(/^'+|'+$/g, "")
    .slice(0, 31)
    .trim();
  return s || "Sheet1";
}

/** Display width of a header: CJK characters count double. */
function columnWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0)! > 0x2e80 ? 2 : 1;
  return Math.min(Math.max(w + 2, 10), 60);
}

export interface TemplateColumn {
  zh: string;
  en: string;
  required: boolean;
  example?: string;
}

/** A blank upload template (header only; XLSX adds an example sheet). */
export async function templateFor(
  columns: readonly TemplateColumn[],
  lang: "zh" | "en",
  format: "csv" | "xlsx",
): Promise<Buffer> {
  const header = columns.map((c) => `${lang === "zh" ? c.zh : c.en}${c.required ? "*" : ""}`);
  if (format === "csv") return Buffer.from(`\uFEFF${csvLine(header)}`, "utf8");

  const wb = new ExcelJS.Workbook();
  const text = TEMPLATE_TEXT[lang];
  const data = wb.addWorksheet(text.dataSheet, { views: [{ state: "frozen", ySplit: 1 }] });
  data.columns = header.map((h) => ({ width: columnWidth(h), style: { numFmt: "@" } }));
  styleHeader(data.addRow(header), columns);

  const example = wb.addWorksheet(text.exampleSheet, { views: [{ state: "frozen", ySplit: 1 }] });
  example.columns = header.map((h, i) => ({
    width: Math.max(columnWidth(h), columnWidth(columns[i]?.example ?? "")),
    style: { numFmt: "@" },
  }));
  styleHeader(example.addRow(header), columns);
  example.addRow(columns.map((c) => c.example ?? null));
  example.addRow([]);
  example.addRow([text.note]).getCell(1).font = { italic: true, color: { argb: "FF808080" } };

  return Buffer.from(await wb.xlsx.writeBuffer());
}

function styleHeader(row: ExcelJS.Row, columns: readonly TemplateColumn[]): void {
  row.font = { bold: true };
  columns.forEach((c, i) => {
    if (c.required) row.getCell(i + 1).font = { bold: true, color: { argb: "FFC00000" } };
  });
}

const TEMPLATE_TEXT = {
  zh: {
    dataSheet: "填报数据",
    exampleSheet: "填写示例",
    note: "说明：本工作表仅为填写示例，不会被导入；请在第一个工作表“填报数据”中填写。列名带 * 的为必填项。",
  },
  en: {
    dataSheet: "Data",
    exampleSheet: "Example",
    note: 'Note: this sheet is only an example and is not imported; fill in the first sheet, "Data". Columns marked * are required.',
  },
} as const;
