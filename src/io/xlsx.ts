/**
 * Streaming XLSX reader for the first worksheet, built on exceljs's streaming `WorkbookReader`.
 *
 * exceljs walks the zip and parses the workbook and relationship parts. Three of its steps are replaced
 * on the reader instance, because in exceljs 4.4 they decode each zip chunk separately — which turns a
 * Chinese character split across two chunks into U+FFFD (reproduced on a 20k-row sheet) — and because its
 * row objects drop the cell type of formula results (booleans and errors come out as numbers):
 *   - shared strings: parsed here with a streaming UTF-8 decoder, rich text runs joined, phonetic runs dropped;
 *   - styles: only the number format of each cell style is kept, to recognise dates;
 *   - worksheets: the XML is parsed here with exceljs's SAX helper (saxes) from correctly decoded text.
 *     When the sheet comes before the shared strings in the zip (Excel's own order), its XML is kept in a
 *     temp file until they have been read — disk, not memory — and the file is removed however reading ends.
 *
 * Cell values → strings: shared/inline strings as written; numbers in the shortest form Excel shows
 * (15 significant digits, so 0.1+0.2 reads "0.3"); numbers with a date format → `YYYY-MM-DD` (with
 * ` HH:mm:ss` when the format shows a time and it is not midnight); booleans → `TRUE`/`FALSE`; formula
 * cells → their cached result, never the formula; error values (#N/A...) and formulas without a cached
 * result → "" plus a per-row problem. Number formats other than dates (percent, thousands separators) are
 * not applied: the value is read, not its display.
 *
 * Which sheet: the first visible worksheet in the workbook's tab order. Rows that are entirely empty are
 * skipped; row numbers are Excel row numbers minus the header's Excel row number.
 *
 * Memory: bounded except for the shared-string table, which XLSX requires to keep whole; it is capped at
 * MAX_SHARED_STRING_CHARS (a file beyond that is asked to be sent as CSV).
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Duplex, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { StringDecoder } from "node:string_decoder";
import ExcelJS from "exceljs";
import { InputError, type Problem, problem } from "../core/problem.ts";
import {
  append,
  type ByteSource,
  cleanHeader,
  columnLetter,
  duplicateHeaderProblems,
  emptyFileProblem,
  fieldName,
  fieldTooLongProblem,
  isBlankRow,
  type ResolvedOptions,
} from "./common.ts";
import type { TableReader, TableRow } from "./table.ts";

type SaxEvent =
  | { eventType: "opentag"; value: { name: string; attributes: Record<string, string> } }
  | { eventType: "text"; value: string }
  | { eventType: "closetag"; value: { name: string } };

const require = createRequire(import.meta.url);
/** exceljs's thin wrapper over saxes: yields the SAX events of each input chunk as one array. */
const parseSax = require("exceljs/lib/utils/parse-sax.js") as (
  input: AsyncIterable<string>,
) => AsyncIterable<SaxEvent[]>;

/** Cap on the total characters of the shared-string table (which must be held in memory). */
export const MAX_SHARED_STRING_CHARS = 200_000_000;

/** What a number format shows: not a date, a date, a date and time, or a time of day. */
export type DateKind = "none" | "date" | "datetime" | "time";

interface SheetHandle {
  sheetNo: string;
  iterator: AsyncIterable<Buffer | string>;
}

/** The parts of exceljs's WorkbookReader used or replaced here (not in its type declarations). */
interface ReaderInternals {
  parse(): AsyncGenerator<{ eventType: string; value: unknown }>;
  _parseSharedStrings: (entry: AsyncIterable<Buffer>) => AsyncIterable<never>;
  _parseStyles: (entry: AsyncIterable<Buffer>) => Promise<void>;
  _parseWorksheet: (
    iterator: SheetHandle["iterator"],
    sheetNo: string,
  ) => Iterable<{ eventType: string; value: SheetHandle }>;
  sharedStrings?: string[];
  workbookRels?: { Id: string; Target: string }[];
  model?: {
    sheets?: { id: number; name: string; rId: string; state?: string }[];
    properties?: { date1904?: boolean };
  };
}

interface Context {
  sharedStrings: string[];
  sharedStringsLoaded: boolean;
  styleKinds: DateKind[];
  stylesLoaded: boolean;
  date1904: boolean;
}

/** A worksheet row before the header is known: Excel row number, cells, and cell-level issues. */
interface RawRow {
  r: number;
  cells: string[];
  issues?: { col: number; kind: "error" | "no_result"; value: string }[];
}

export async function openXlsx(src: ByteSource, opts: ResolvedOptions): Promise<TableReader> {
  const input = src.toReadable();
  deferUnzipEnd(input);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  }) as unknown as ReaderInternals;
  const ctx: Context = {
    sharedStrings: [],
    sharedStringsLoaded: false,
    styleKinds: [],
    stylesLoaded: false,
    date1904: false,
  };
  installOverrides(reader, ctx);

  const raw = firstSheetRows(reader, ctx)[Symbol.asyncIterator]();
  let header: string[] | null = null;
  let headerRow = 0;
  let pending: TableRow[] = [];
  let ended = false;

  const convert = (batch: RawRow[], out: TableRow[]): void => {
    for (const r of batch) {
      if (header === null) {
        if (isBlankRow(r.cells)) continue;
        header = cleanHeader(r.cells);
        headerRow = r.r;
        const dups = duplicateHeaderProblems(header, "xlsx.duplicate_header");
        if (dups.length > 0) throw new InputError(dups);
        continue;
      }
      const row = toTableRow(r, header, headerRow, opts.maxFieldLength);
      if (row) out.push(row);
    }
  };

  try {
    while (header === null) {
      const r = await raw.next();
      if (r.done) {
        ended = true;
        throw new InputError([emptyFileProblem("xlsx.empty")]);
      }
      convert(r.value, pending);
    }
  } catch (err) {
    await raw.return?.(undefined); // removes any temp file
    throw err;
  }

  async function* rows(): AsyncGenerator<TableRow[]> {
    try {
      if (pending.length > 0) {
        const first = pending;
        pending = [];
        yield first;
      }
      while (!ended) {
        const r = await raw.next();
        if (r.done) break;
        const out: TableRow[] = [];
        convert(r.value, out);
        if (out.length > 0) yield out;
      }
      ended = true;
    } finally {
      await raw.return?.(undefined);
      src.close();
    }
  }

  return {
    header: header as string[],
    rows: rows(),
    format: "xlsx",
    close: () => {
      void raw.return?.(undefined);
      src.close();
    },
  };
}

function toTableRow(r: RawRow, header: string[], headerRow: number, maxField: number): TableRow | null {
  const cells = r.cells;
  if (isBlankRow(cells)) return null;
  const row = r.r - headerRow;
  let problems: Problem[] | undefined;
  if (cells.length > header.length) {
    let extra = -1;
    for (let i = header.length; i < cells.length; i++) {
      if (cells[i]!.trim() !== "") {
        extra = i;
        break;
      }
    }
    if (extra === -1) {
      cells.length = header.length;
    } else {
      const col = columnLetter(extra);
      problems = append(
        problems,
        problem(
          "xlsx.ragged_row",
          {
            zh: `该行在第 ${col} 列有内容，但表头只有 ${header.length} 列`,
            en: `The row has a value in column ${col}, but the header has only ${header.length} columns`,
            fixZh: "请检查该行内容是否错位，或是否缺少对应的表头列名",
            fixEn:
              "Check whether the row's values are shifted, or whether a column name is missing in the header",
          },
          { row, value: cells[extra] },
        ),
      );
    }
  }
  while (cells.length < header.length) cells.push("");
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (c.length > maxField) {
      problems = append(
        problems,
        fieldTooLongProblem("xlsx.field_too_long", row, fieldName(header, i), c.length, maxField, c),
      );
    }
  }
  if (r.issues) {
    for (const issue of r.issues) {
      const field = fieldName(header, issue.col);
      const cell = `${columnLetter(issue.col)}${r.r}`;
      problems = append(
        problems,
        issue.kind === "error"
          ? problem(
              "xlsx.cell_error",
              {
                zh: `单元格 ${cell} 是 Excel 错误值 ${issue.value}`,
                en: `Cell ${cell} holds the Excel error value ${issue.value}`,
                fixZh: "请修正该单元格的公式或直接填写数值后重新上传",
                fixEn: "Fix the cell's formula, or type the value in directly, and upload again",
              },
              { row, field, value: issue.value },
            )
          : problem(
              "xlsx.formula_no_result",
              {
                zh: `单元格 ${cell} 是公式，但文件中没有保存计算结果`,
                en: `Cell ${cell} is a formula but the file holds no calculated result for it`,
                fixZh: "请用 Excel 打开文件并保存一次（让公式重新计算），或把公式替换为数值后重新上传",
                fixEn:
                  "Open and save the file in Excel so formulas are calculated, or replace the formula with its value",
              },
              { row, field, value: issue.value },
            ),
      );
    }
  }
  const out: TableRow = { row, cells };
  if (problems) out.problems = problems;
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// exceljs plumbing

function installOverrides(reader: ReaderInternals, ctx: Context): void {
  // exceljs buffers every worksheet that precedes the shared strings to a temp file it only deletes when
  // its parse loop runs to the end (so a reader stopped early leaks it). Setting these up front makes it
  // hand over every worksheet as it streams; firstSheetRows buffers just the one it needs, and cleans up.
  reader.sharedStrings = [];
  reader.workbookRels = [];
  reader._parseSharedStrings = (entry) =>
    runOnce(async () => {
      const strings: string[] = [];
      reader.sharedStrings = strings;
      ctx.sharedStrings = strings;
      await readSharedStrings(entry, strings);
      ctx.sharedStringsLoaded = true;
    });
  reader._parseStyles = async (entry) => {
    ctx.styleKinds = await readStyleKinds(entry);
    ctx.stylesLoaded = true;
  };
  reader._parseWorksheet = (iterator, sheetNo) => [{ eventType: "worksheet", value: { sheetNo, iterator } }];
}

/**
 * Works around a race in exceljs 4.4's zip walk: unzipper's `Parse` stream emits "end" by hand as soon as
 * its input is consumed, while entries it already parsed may still wait in its (paused) readable buffer;
 * exceljs then stops iterating and never sees them. With small trailing parts (styles, shared strings of a
 * small workbook) that are read while a worksheet is being buffered, the shared strings were lost about 1
 * time in 100. Here the early "end" is turned into a normal end of the readable side, which is emitted
 * only after the buffered entries have been read. `input` is the stream exceljs pipes into the parser.
 */
function deferUnzipEnd(input: Readable): void {
  const pipe = input.pipe;
  input.pipe = function <T extends NodeJS.WritableStream>(
    this: Readable,
    dest: T,
    opts?: { end?: boolean },
  ): T {
    if (dest instanceof Duplex) {
      const emit = dest.emit;
      dest.emit = function (this: Duplex, event: string | symbol, ...args: unknown[]): boolean {
        if (event === "end" && !this.readableEnded && this.readableLength > 0) {
          this.push(null);
          return true;
        }
        return emit.call(this, event, ...args);
      } as Duplex["emit"];
    }
    return pipe.call(this, dest, opts) as T;
  } as Readable["pipe"];
}

/** An async iterable that yields nothing and runs `task` when first pulled (exceljs `yield*`s it). */
function runOnce(task: () => Promise<void>): AsyncIterable<never> {
  let done = false;
  return {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<never>> => {
        if (!done) {
          done = true;
          await task();
        }
        return { done: true, value: undefined };
      },
    }),
  };
}

async function* firstSheetRows(reader: ReaderInternals, ctx: Context): AsyncGenerator<RawRow[]> {
  let found = false;
  let tempDir: string | null = null;
  /** Sheets kept on disk until the rest of the zip is read: sheet number → XML file, in zip order. */
  const buffered = new Map<string, string>();
  try {
    for await (const ev of reader.parse()) {
      if (ev.eventType !== "worksheet") continue;
      const sheet = ev.value as SheetHandle;
      const target = targetSheetNo(reader);
      // Other sheets are skipped: exceljs drains their zip entries.
      if (target !== null && sheet.sheetNo !== target) continue;
      if (target !== null && ctx.sharedStringsLoaded && ctx.stylesLoaded) {
        found = true;
        ctx.date1904 = reader.model?.properties?.date1904 === true;
        yield* sheetRows(sheet.iterator, ctx);
        return; // stop reading the zip
      }
      // Not known yet whether this is the sheet to read (workbook.xml comes later), or it precedes the
      // shared strings or styles (Excel's own order): keep its XML on disk until the zip has been read.
      tempDir ??= await mkdtemp(join(tmpdir(), "xlsx-sheets-"));
      const path = join(tempDir, `sheet${sheet.sheetNo}.xml`);
      await pipeline(sheet.iterator, createWriteStream(path));
      buffered.set(sheet.sheetNo, path);
    }
    const target = targetSheetNo(reader);
    const path = (target !== null ? buffered.get(target) : undefined) ?? buffered.values().next().value;
    if (path) {
      found = true;
      ctx.date1904 = reader.model?.properties?.date1904 === true;
      yield* sheetRows(createReadStream(path, { highWaterMark: 64 * 1024 }), ctx);
    }
  } catch (err) {
    throw asInputError(err);
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
  if (!found) {
    throw new InputError([
      problem("xlsx.no_sheet", {
        zh: "文件中没有找到工作表",
        en: "No worksheet was found in the file",
        fixZh: "请确认上传的是 Excel 工作簿（.xlsx），并且第一个工作表中有数据",
        fixEn: "Check that the file is an Excel workbook (.xlsx) with data on its first worksheet",
      }),
    ]);
  }
}

/** The file number (sheetN.xml) of the first visible worksheet in tab order; null when not yet known. */
function targetSheetNo(reader: ReaderInternals): string | null {
  const sheets = reader.model?.sheets;
  const rels = reader.workbookRels;
  if (!sheets || sheets.length === 0 || !rels || rels.length === 0) return null;
  for (const s of sheets) {
    if (s.state === "hidden" || s.state === "veryHidden") continue;
    const rel = rels.find((r) => r.Id === s.rId);
    const m = rel ? /(?:^|\/)worksheets\/sheet(\d+)\.xml$/.exec(rel.Target) : null;
    if (m) return m[1]!;
  }
  return null;
}

function asInputError(err: unknown): unknown {
  if (err instanceof InputError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  // Operating-system errors (disk full, permissions...) are the server's problem, not the file's.
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return err;
  const e = new InputError([
    problem(
      "xlsx.corrupt",
      {
        zh: "Excel 文件已损坏或不完整，无法读取",
        en: "The Excel file is damaged or incomplete and cannot be read",
        fixZh: "请用 Excel 打开并重新保存为 .xlsx 文件后再上传；如果上传中断过，请重新上传",
        fixEn:
          "Open it in Excel and save it again as .xlsx, then upload; if the upload was interrupted, retry",
      },
      { value: err instanceof Error ? err.message : String(err) },
    ),
  ]);
  (e as Error & { cause?: unknown }).cause = err;
  return e;
}

/** Decodes UTF-8 chunks with a streaming decoder, so a character split across chunks survives. */
async function* utf8Text(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let first = true;
  for await (const chunk of source) {
    let s = typeof chunk === "string" ? chunk : decoder.write(chunk);
    if (s.length === 0) continue;
    if (first) {
      first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    yield s;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

/** Element name without a namespace prefix (`x:c` → `c`). */
function local(name: string): string {
  const i = name.indexOf(":");
  return i === -1 ? name : name.slice(i + 1);
}

/** OOXML escapes characters XML cannot carry as `_xHHHH_` (e.g. `_x000D_` for CR). */
function unescapeOoxml(s: string): string {
  if (s.indexOf("_x") === -1) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

async function readSharedStrings(entry: AsyncIterable<Buffer>, strings: string[]): Promise<void> {
  let inT = false;
  let phonetic = 0;
  let cur = "";
  let total = 0;
  for await (const events of parseSax(utf8Text(entry))) {
    for (const ev of events) {
      if (ev.eventType === "text") {
        if (inT) cur += ev.value;
        continue;
      }
      const name = local(ev.value.name);
      if (ev.eventType === "opentag") {
        if (name === "si") cur = "";
        else if (name === "t") inT = phonetic === 0;
        else if (name === "rPh") phonetic++;
      } else if (name === "t") {
        inT = false;
      } else if (name === "rPh") {
        phonetic--;
      } else if (name === "si") {
        strings.push(unescapeOoxml(cur));
        total += cur.length;
        cur = "";
        if (total > MAX_SHARED_STRING_CHARS) {
          throw new InputError([
            problem("xlsx.too_large", {
              zh: "Excel 文件中的文字内容过多，超出系统可读取的范围",
              en: "The Excel file holds more text than can be read",
              fixZh: "请将数据另存为 CSV UTF-8 格式后上传，或拆分成多个文件",
              fixEn: "Save the data as CSV UTF-8 and upload that, or split it into several files",
            }),
          ]);
        }
      }
    }
  }
}

/** For each cell style (`cellXfs` index), whether its number format shows a date and/or time. */
async function readStyleKinds(entry: AsyncIterable<Buffer>): Promise<DateKind[]> {
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  for await (const events of parseSax(utf8Text(entry))) {
    for (const ev of events) {
      if (ev.eventType === "text") continue;
      const name = local(ev.value.name);
      if (ev.eventType === "opentag") {
        const a = ev.value.attributes;
        if (name === "numFmt") custom.set(Number(a.numFmtId), a.formatCode ?? "");
        else if (name === "cellXfs") inCellXfs = true;
        else if (name === "xf" && inCellXfs) xfFormats.push(Number(a.numFmtId ?? 0));
      } else if (name === "cellXfs") {
        inCellXfs = false;
      }
    }
  }
  return xfFormats.map((id) => {
    const code = custom.get(id);
    return code !== undefined ? formatKind(code) : (BUILTIN_DATE_FORMATS.get(id) ?? "none");
  });
}

/**
 * Built-in number formats that show dates or times. Ids 27–36 and 50–58 are locale-specific (their
 * meaning in Chinese Excel is used: 31 = yyyy"年"m"月"d"日", 55/56 = 上午/下午 times).
 */
const BUILTIN_DATE_FORMATS = new Map<number, DateKind>([
  ...[14, 15, 16, 17, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58].map((id) => [id, "date"] as const),
  ...[18, 19, 20, 21, 32, 33, 34, 35, 45, 46, 47, 55, 56].map((id) => [id, "time"] as const),
  [22, "datetime"] as const,
]);

/** Classifies a custom number format code. */
export function formatKind(code: string): DateKind {
  const section = code.split(";")[0] ?? "";
  const f = section
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/[_*]./g, "")
    .replace(/\[([^\]]*)\]/g, (_, inner: string) => (/^(h+|m+|s+)$/i.test(inner) ? inner : ""))
    .toLowerCase();
  if (f === "general" || f.includes("@")) return "none";
  const hasTime = /[hs]/.test(f);
  const hasDate = /[yde]/.test(f) || (!hasTime && f.includes("m"));
  if (hasDate && hasTime) return "datetime";
  if (hasDate) return "date";
  if (hasTime) return "time";
  return "none";
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** An Excel serial date/time → `YYYY-MM-DD`, `YYYY-MM-DD HH:mm:ss` or `HH:mm:ss`. */
export function serialToText(value: number, kind: DateKind, date1904 = false): string {
  if (!Number.isFinite(value) || value < 0) return numberText(value);
  let serial = value + (date1904 ? 1462 : 0);
  if (!date1904 && serial >= 1 && serial < 60) serial += 1; // Excel counts a fictional 1900-02-29
  const seconds = Math.round(serial * 86400);
  const days = Math.floor(seconds / 86400);
  const rest = seconds - days * 86400;
  const time = `${pad2(Math.floor(rest / 3600))}:${pad2(Math.floor((rest % 3600) / 60))}:${pad2(rest % 60)}`;
  if (kind === "time" && days === 0) return time;
  const ymd = new Date(Date.UTC(1899, 11, 30) + days * 86_400_000).toISOString().slice(0, 10);
  if (kind === "date" || rest === 0) return ymd;
  return `${ymd} ${time}`;
}

/** A number as Excel's General format shows it (15 significant digits, no float noise). */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return "";
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  return String(Number(n.toPrecision(15)));
}

// ---------------------------------------------------------------------------------------------------------
// Worksheet XML

async function* sheetRows(source: SheetHandle["iterator"], ctx: Context): AsyncGenerator<RawRow[]> {
  const { sharedStrings, styleKinds, date1904 } = ctx;
  let inSheetData = false;
  let sawEnd = false;
  let rowNum = 0;
  let cells: string[] = [];
  let issues: RawRow["issues"];
  let col = -1;
  let type = "n";
  let style = 0;
  let hasFormula = false;
  let v: string | null = null;
  let inline: string | null = null;
  let capture = 0; // 1 = <v> text, 2 = inline string <t> text
  let phonetic = 0;

  for await (const events of parseSax(utf8Text(source))) {
    const out: RawRow[] = [];
    for (const ev of events) {
      if (ev.eventType === "text") {
        if (capture === 1) v += ev.value;
        else if (capture === 2) inline += ev.value;
        continue;
      }
      const name = local(ev.value.name);
      if (ev.eventType === "opentag") {
        const a = ev.value.attributes;
        switch (name) {
          case "sheetData":
            inSheetData = true;
            break;
          case "row":
            if (!inSheetData) break;
            rowNum = a.r ? Number.parseInt(a.r, 10) : rowNum + 1;
            cells = [];
            issues = undefined;
            col = -1;
            break;
          case "c":
            col = a.r ? refColumn(a.r) : col + 1;
            type = a.t ?? "n";
            style = a.s ? Number.parseInt(a.s, 10) : 0;
            hasFormula = false;
            v = null;
            inline = null;
            break;
          case "f":
            hasFormula = true;
            break;
          case "v":
            v = "";
            capture = 1;
            break;
          case "is":
            inline = "";
            break;
          case "rPh":
            phonetic++;
            break;
          case "t":
            if (inline !== null && phonetic === 0) capture = 2;
            break;
        }
        continue;
      }
      switch (name) {
        case "v":
        case "t":
          capture = 0;
          break;
        case "rPh":
          phonetic--;
          break;
        case "c": {
          let text = "";
          if (type === "inlineStr") {
            text = unescapeOoxml(inline ?? "");
          } else if (v === null) {
            if (hasFormula) issues = append(issues, { col, kind: "no_result", value: "" });
          } else if (type === "s") {
            const shared = sharedStrings[Number.parseInt(v, 10)];
            // A missing entry means the shared-string part was cut short: refuse rather than read blanks.
            if (shared === undefined) throw new Error(`shared string ${v} is missing (damaged file)`);
            text = shared;
          } else if (type === "str") {
            text = unescapeOoxml(v);
          } else if (type === "b") {
            text = v.trim() === "1" || v.trim().toLowerCase() === "true" ? "TRUE" : "FALSE";
          } else if (type === "e") {
            issues = append(issues, { col, kind: "error", value: v });
          } else if (type === "d") {
            text = isoDateText(v);
          } else {
            const n = Number(v);
            const kind = styleKinds[style] ?? "none";
            text = Number.isNaN(n) ? v : kind !== "none" ? serialToText(n, kind, date1904) : numberText(n);
          }
          if (text !== "" && col >= 0) cells[col] = text;
          break;
        }
        case "row":
          if (!inSheetData) break;
          for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = "";
          out.push(issues ? { r: rowNum, cells, issues } : { r: rowNum, cells });
          break;
        case "sheetData":
          inSheetData = false;
          sawEnd = true;
          break;
      }
    }
    if (out.length > 0) yield out;
  }
  if (!sawEnd) throw new Error("worksheet XML ends before </sheetData> (truncated file)");
}

/** Column index (0-based) of a cell reference like `AB12`. */
function refColumn(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower-case
    if (c < 97 || c > 122) break;
    n = n * 26 + (c - 96);
  }
  return n - 1;
}

/** `t="d"` cells hold ISO 8601 text. */
function isoDateText(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2}))?/.exec(v.trim());
  if (!m) return v.trim();
  return !m[2] || m[2] === "00:00:00" ? m[1]! : `${m[1]} ${m[2]}`;
}
