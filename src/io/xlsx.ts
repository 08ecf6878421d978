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
 * Memory: bounded except for the shared-string table, which XLSX requires to keep whole; it is capped by
 * policy/uploads.yaml (a file beyond that is asked to be sent as CSV).
 *
 * Untrusted files: everything a workbook could use to make the reader work or allocate without bound is capped
 * by policy/uploads.yaml, and a file beyond a cap is refused as a whole (InputError 422 naming the cap):
 *   - the zip: number of entries, bytes decompressed in all, and decompressed bytes per byte of the file read
 *     so far (counted on the inflated data of every entry, so sizes the zip headers lie about do not matter);
 *   - the XML of every part read (ours and exceljs's): nesting depth, and the length of one tag or text;
 *   - shared strings: their number, their characters in all, and each one's length (Excel's cell limit);
 *   - worksheet: column references within Excel's XFD and rows within Excel's 1,048,576; a row's text. Cells
 *     beyond the header's width are not stored: the first one with a value is remembered for the ragged-row
 *     problem (a cell at XFD5 once made a row of 16,384 entries; at AAAAAAA1, of 321 million).
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Duplex, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { StringDecoder } from "node:string_decoder";
import { InputError, type Problem, problem } from "../core/problem.ts";
import type { XlsxLimits } from "../policy/uploads.ts";
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
  limitError,
  type ResolvedOptions,
  thousands,
} from "./common.ts";
import type { TableReader, TableRow } from "./table.ts";

type SaxEvent =
  | { eventType: "opentag"; value: { name: string; attributes: Record<string, string> } }
  | { eventType: "text"; value: string }
  | { eventType: "closetag"; value: { name: string } };

const require = createRequire(import.meta.url);
/**
 * exceljs's streaming reader, loaded on its own: the whole library (writers, every part's model) took 0.49 s
 * to load against 0.32 s for the reader alone, and each worker thread that reads an upload loads it.
 */
const WorkbookReader = require("exceljs/lib/stream/xlsx/workbook-reader.js") as new (
  input: Readable,
  options: Record<string, string>,
) => unknown;
/** exceljs's thin wrapper over saxes: yields the SAX events of each input chunk as one array. */
const parseSax = require("exceljs/lib/utils/parse-sax.js") as (
  input: AsyncIterable<string>,
) => AsyncIterable<SaxEvent[]>;

/**
 * exceljs's reading of a zip entry. Unlike the stream's own iterator it does not destroy the entry when the
 * reader stops early (exceljs then drains it; a destroyed entry would stall the zip walk).
 */
const iterateStream = require("exceljs/lib/utils/iterate-stream.js") as (
  stream: AsyncIterable<Buffer>,
) => AsyncIterable<Buffer>;

/** exceljs's parsers of the workbook part and its relationships, fed here through the guarded SAX stream. */
interface Xform<T> {
  parse(events: AsyncIterable<SaxEvent[]>): Promise<T>;
  map?: { workbookPr?: unknown };
  model?: T;
}
const WorkbookXform = require("exceljs/lib/xlsx/xform/book/workbook-xform.js") as new () => Xform<
  NonNullable<ReaderInternals["model"]>
>;
const RelationshipsXform = require("exceljs/lib/xlsx/xform/core/relationships-xform.js") as new () => Xform<
  NonNullable<ReaderInternals["workbookRels"]>
>;

/** What a number format shows: not a date, a date, a date and time, or a time of day. */
export type DateKind = "none" | "date" | "datetime" | "time";

interface SheetHandle {
  sheetNo: string;
  iterator: AsyncIterable<Buffer | string>;
}

/** The parts of exceljs's WorkbookReader used or replaced here (not in its type declarations). */
interface ReaderInternals {
  parse(): AsyncGenerator<{ eventType: string; value: unknown }>;
  _parseRels: (entry: AsyncIterable<Buffer>) => Promise<void>;
  _parseWorkbook: (entry: AsyncIterable<Buffer>) => Promise<void>;
  _parseSharedStrings: (entry: AsyncIterable<Buffer>) => AsyncIterable<never>;
  _parseStyles: (entry: AsyncIterable<Buffer>) => Promise<void>;
  _parseWorksheet: (
    iterator: SheetHandle["iterator"],
    sheetNo: string,
  ) => Iterable<{ eventType: string; value: SheetHandle }>;
  sharedStrings?: string[];
  workbookRels?: { Id: string; Target: string }[];
  properties?: unknown;
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
  limits: XlsxLimits;
  /** Longest row's text, and longest XML tag or text, in characters. */
  maxRowChars: number;
}

/** A worksheet row before the header is known: Excel row number, cells, and cell-level issues. */
interface RawRow {
  r: number;
  /** Cells within the header's width (all cells up to the format's limit before the header). */
  cells: string[];
  issues?: { col: number; kind: "error" | "no_result"; value: string }[];
  /** The leftmost non-blank cell beyond the header's width (not stored in `cells`). */
  extra?: { col: number; value: string };
}

export async function openXlsx(src: ByteSource, opts: ResolvedOptions): Promise<TableReader> {
  const input = src.toReadable();
  hookUnzip(input, new ZipGuard(opts.xlsx, src));
  const reader = new WorkbookReader(input, {
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
    limits: opts.xlsx,
    maxRowChars: opts.maxRowBytes,
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
  if (r.extra === undefined && isBlankRow(cells)) return null;
  const row = r.r - headerRow;
  let problems: Problem[] | undefined;
  // Cells beyond the header arrive as `extra` (sheetRows does not store them); the loop below only sees rows
  // read before the header was known.
  let extra = r.extra?.col ?? -1;
  let extraValue = r.extra?.value;
  if (extra === -1 && cells.length > header.length) {
    for (let i = header.length; i < cells.length; i++) {
      if (cells[i]!.trim() !== "") {
        extra = i;
        extraValue = cells[i];
        break;
      }
    }
  }
  if (cells.length > header.length) cells.length = header.length;
  if (extra !== -1) {
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
        { row, value: extraValue },
      ),
    );
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
      await readSharedStrings(entry, strings, ctx);
      ctx.sharedStringsLoaded = true;
    });
  reader._parseStyles = async (entry) => {
    ctx.styleKinds = await readStyleKinds(entry, ctx);
    ctx.stylesLoaded = true;
  };
  // exceljs's own parsers of these two parts, fed through the guarded SAX stream (depth, token length).
  reader._parseRels = async (entry) => {
    reader.workbookRels = await new RelationshipsXform().parse(
      guardDepth(
        xmlEvents(iterateStream(entry), ctx, "xl/_rels/workbook.xml.rels"),
        ctx,
        "xl/_rels/workbook.xml.rels",
      ),
    );
  };
  reader._parseWorkbook = async (entry) => {
    const workbook = new WorkbookXform();
    await workbook.parse(
      guardDepth(xmlEvents(iterateStream(entry), ctx, "xl/workbook.xml"), ctx, "xl/workbook.xml"),
    );
    reader.properties = workbook.map?.workbookPr;
    reader.model = workbook.model;
  };
  reader._parseWorksheet = (iterator, sheetNo) => [{ eventType: "worksheet", value: { sheetNo, iterator } }];
}

/**
 * Hooks into the unzipper `Parse` stream exceljs pipes `input` into (the only place every entry passes):
 *
 * 1. Works around a race in exceljs 4.4's zip walk: unzipper's `Parse` stream emits "end" by hand as soon as
 *    its input is consumed, while entries it already parsed may still wait in its (paused) readable buffer;
 *    exceljs then stops iterating and never sees them. With small trailing parts (styles, shared strings of
 *    a small workbook) that are read while a worksheet is being buffered, the shared strings were lost about
 *    1 time in 100. Here the early "end" is turned into a normal end of the readable side, which is emitted
 *    only after the buffered entries have been read.
 * 2. Hands each entry it pushes to `guard`, which counts the entries and their inflated bytes.
 */
function hookUnzip(input: Readable, guard: ZipGuard): void {
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
      const push = dest.push;
      dest.push = function (this: Duplex, chunk: unknown, encoding?: BufferEncoding): boolean {
        if (isZipEntry(chunk)) guard.watch(chunk, this);
        return push.call(this, chunk, encoding);
      };
    }
    return pipe.call(this, dest, opts) as T;
  } as Readable["pipe"];
}

/** An unzipper entry: a PassThrough its inflater writes into (unzipper uses node:stream). */
interface ZipEntry extends Duplex {
  path: string;
  _transform(
    chunk: Buffer,
    encoding: BufferEncoding,
    callback: (err?: Error | null, data?: Buffer) => void,
  ): void;
}

function isZipEntry(x: unknown): x is ZipEntry {
  return (
    x instanceof Duplex &&
    typeof (x as Partial<ZipEntry>).path === "string" &&
    typeof (x as Partial<ZipEntry>)._transform === "function"
  );
}

/**
 * Counts the zip's entries and the bytes inflated from them — all of them, the ones exceljs only drains too,
 * and whatever sizes the zip's headers claim — against policy/uploads.yaml. Beyond a limit, the entry fails
 * (whoever reads it gets the error) and so does the zip stream (exceljs waiting for its next entry gets it).
 */
class ZipGuard {
  private entries = 0;
  private inflated = 0;
  private failure: InputError | undefined;

  constructor(
    private readonly limits: XlsxLimits,
    private readonly src: ByteSource,
  ) {}

  watch(entry: ZipEntry, zip: Duplex): void {
    // An entry exceljs drains has no reader to hear its error; the zip stream's error reaches exceljs.
    entry.on("error", ignore);
    if (++this.entries > this.limits.maxZipEntries) this.fail(zip, this.tooManyEntries());
    const pass = entry._transform;
    entry._transform = (chunk, encoding, callback) => {
      this.inflated += chunk.length;
      const failure = this.failure ?? this.check();
      if (failure) {
        callback(failure);
        this.fail(zip, failure);
        return;
      }
      pass.call(entry, chunk, encoding, callback);
    };
  }

  private fail(zip: Duplex, err: InputError): void {
    if (this.failure) return;
    this.failure = err;
    zip.emit("error", err);
  }

  private check(): InputError | undefined {
    const L = this.limits;
    if (this.inflated > L.maxDecompressedBytes) {
      const max = mebibytes(L.maxDecompressedBytes);
      return limitError("xlsx.decompressed_size", {
        zh: `Excel 文件解压后超过 ${max}，超出平台读取上限`,
        en: `The Excel file decompresses to more than ${max}, beyond what the platform reads`,
        fixZh: "请把数据拆分成几个较小的文件，或另存为 CSV UTF-8 格式后上传",
        fixEn: "Split the data into smaller files, or save it as CSV UTF-8, and upload again",
      });
    }
    if (this.inflated > L.ratioGraceBytes && this.inflated > L.maxCompressionRatio * this.src.bytesRead) {
      const ratio = thousands(L.maxCompressionRatio);
      return limitError(
        "xlsx.compression_ratio",
        {
          zh: `Excel 文件的压缩比超过 ${ratio} 倍（前 ${thousands(this.src.bytesRead)} 字节解压出 ${thousands(this.inflated)} 字节），不像正常的工作簿，可能是“压缩炸弹”`,
          en: `The Excel file is compressed more than ${ratio} times (its first ${thousands(this.src.bytesRead)} bytes decompress to ${thousands(this.inflated)}): not a normal workbook, possibly a zip bomb`,
          fixZh: "请用 Excel 打开并重新保存为 .xlsx 文件，或另存为 CSV UTF-8 格式后上传",
          fixEn: "Open it in Excel and save it again as .xlsx, or save it as CSV UTF-8, and upload again",
        },
        String(this.inflated),
      );
    }
    return undefined;
  }

  private tooManyEntries(): InputError {
    const max = thousands(this.limits.maxZipEntries);
    return limitError("xlsx.zip_entries", {
      zh: `Excel 文件（zip 压缩包）中的部件超过 ${max} 个，不像正常的工作簿`,
      en: `The Excel file (a zip archive) holds more than ${max} parts: not a normal workbook`,
      fixZh: "请用 Excel 打开并重新保存为 .xlsx 文件，或另存为 CSV UTF-8 格式后上传",
      fixEn: "Open it in Excel and save it again as .xlsx, or save it as CSV UTF-8, and upload again",
    });
  }
}

function ignore(): void {}

/** Bytes as MiB or GiB for messages (limits are powers of two in policy/uploads.yaml). */
function mebibytes(bytes: number): string {
  return bytes >= 2 ** 30 && bytes % 2 ** 30 === 0
    ? `${bytes / 2 ** 30} GiB`
    : `${thousands(Math.round(bytes / 2 ** 20))} MiB`;
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
        yield* sheetRows(sheet.iterator, ctx, sheet.sheetNo);
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
    const sheetNo = (target !== null && buffered.has(target) ? target : null) ?? buffered.keys().next().value;
    const path = sheetNo !== undefined ? buffered.get(sheetNo) : undefined;
    if (sheetNo !== undefined && path) {
      found = true;
      ctx.date1904 = reader.model?.properties?.date1904 === true;
      yield* sheetRows(createReadStream(path, { highWaterMark: 64 * 1024 }), ctx, sheetNo);
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

/**
 * Decodes UTF-8 chunks with a streaming decoder, so a character split across chunks survives. Refuses a tag
 * or text longer than `maxToken` characters (the run since the last "<"): the SAX parser would hold it whole.
 */
async function* utf8Text(
  source: AsyncIterable<Buffer | string>,
  maxToken: number,
  part: string,
): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let first = true;
  let run = 0; // characters since the last "<"
  for await (const chunk of source) {
    let s = typeof chunk === "string" ? chunk : decoder.write(chunk);
    if (s.length === 0) continue;
    if (first) {
      first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    // Only runs that span chunks need counting: one inside a chunk is shorter than the chunk.
    const lt = s.indexOf("<");
    if (lt === -1) run += s.length;
    else {
      if (run + lt > maxToken) throw tokenTooLong(part, maxToken);
      run = s.length - s.lastIndexOf("<");
    }
    if (run > maxToken) throw tokenTooLong(part, maxToken);
    yield s;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

function tokenTooLong(part: string, max: number): InputError {
  return limitError(
    "xlsx.xml_too_long",
    {
      zh: `Excel 文件的部件 ${part} 中有一段内容（一个标签或一段文字）超过 ${thousands(max)} 个字符，不像正常的工作簿`,
      en: `Part ${part} of the Excel file has a piece (one tag or one text) longer than ${thousands(max)} characters: not a normal workbook`,
      fixZh: "请用 Excel 打开并重新保存为 .xlsx 文件，或另存为 CSV UTF-8 格式后上传",
      fixEn: "Open it in Excel and save it again as .xlsx, or save it as CSV UTF-8, and upload again",
    },
    part,
  );
}

function tooDeep(part: string, max: number): InputError {
  return limitError(
    "xlsx.xml_depth",
    {
      zh: `Excel 文件的部件 ${part} 的 XML 嵌套超过 ${thousands(max)} 层，不像正常的工作簿`,
      en: `Part ${part} of the Excel file nests its XML more than ${thousands(max)} levels deep: not a normal workbook`,
      fixZh: "请用 Excel 打开并重新保存为 .xlsx 文件，或另存为 CSV UTF-8 格式后上传",
      fixEn: "Open it in Excel and save it again as .xlsx, or save it as CSV UTF-8, and upload again",
    },
    part,
  );
}

/** The SAX events of a part, decoded and with the token-length guard. */
function xmlEvents(
  entry: AsyncIterable<Buffer | string>,
  ctx: Context,
  part: string,
): AsyncIterable<SaxEvent[]> {
  return parseSax(utf8Text(entry, ctx.maxRowChars, part));
}

/** Passes SAX events on, refusing XML nested deeper than the limit (for parsers that do not count). */
async function* guardDepth(
  events: AsyncIterable<SaxEvent[]>,
  ctx: Context,
  part: string,
): AsyncGenerator<SaxEvent[]> {
  const max = ctx.limits.maxXmlDepth;
  let depth = 0;
  for await (const batch of events) {
    for (const ev of batch) {
      if (ev.eventType === "opentag") {
        if (++depth > max) throw tooDeep(part, max);
      } else if (ev.eventType === "closetag") depth--;
    }
    yield batch;
  }
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

const SHARED_STRINGS = "xl/sharedStrings.xml";

async function readSharedStrings(
  entry: AsyncIterable<Buffer>,
  strings: string[],
  ctx: Context,
): Promise<void> {
  const { maxXmlDepth, maxCellChars, maxSharedStrings, maxSharedStringChars } = ctx.limits;
  let inT = false;
  let phonetic = 0;
  let cur = "";
  let total = 0;
  let depth = 0;
  for await (const events of xmlEvents(entry, ctx, SHARED_STRINGS)) {
    for (const ev of events) {
      if (ev.eventType === "text") {
        if (inT) {
          cur += ev.value;
          if (cur.length > maxCellChars) throw sharedStringTooLong(strings.length + 1, maxCellChars);
        }
        continue;
      }
      const name = local(ev.value.name);
      if (ev.eventType === "opentag") {
        if (++depth > maxXmlDepth) throw tooDeep(SHARED_STRINGS, maxXmlDepth);
        if (name === "si") cur = "";
        else if (name === "t") inT = phonetic === 0;
        else if (name === "rPh") phonetic++;
        continue;
      }
      depth--;
      if (name === "t") {
        inT = false;
      } else if (name === "rPh") {
        phonetic--;
      } else if (name === "si") {
        if (strings.length >= maxSharedStrings) throw tooManySharedStrings(maxSharedStrings);
        strings.push(unescapeOoxml(cur));
        total += cur.length;
        cur = "";
        if (total > maxSharedStringChars) throw sharedStringsTooLarge(maxSharedStringChars);
      }
    }
  }
}

function tooManySharedStrings(max: number): InputError {
  return limitError("xlsx.shared_strings", {
    zh: `Excel 文件的共享字符串（不同的文字）超过 ${thousands(max)} 个，超出平台读取上限`,
    en: `The Excel file holds more than ${thousands(max)} shared strings (distinct texts), beyond what the platform reads`,
    fixZh: "请将数据另存为 CSV UTF-8 格式后上传，或拆分成多个文件",
    fixEn: "Save the data as CSV UTF-8 and upload that, or split it into several files",
  });
}

function sharedStringsTooLarge(max: number): InputError {
  return limitError("xlsx.shared_string_chars", {
    zh: `Excel 文件的共享字符串合计超过 ${thousands(max)} 个字符，超出平台读取上限`,
    en: `The Excel file's shared strings hold more than ${thousands(max)} characters in all, beyond what the platform reads`,
    fixZh: "请将数据另存为 CSV UTF-8 格式后上传，或拆分成多个文件",
    fixEn: "Save the data as CSV UTF-8 and upload that, or split it into several files",
  });
}

function sharedStringTooLong(n: number, max: number): InputError {
  return limitError(
    "xlsx.cell_too_long",
    {
      zh: `Excel 文件的第 ${thousands(n)} 个共享字符串超过 ${thousands(max)} 个字符（Excel 单元格的上限），不像正常的工作簿`,
      en: `Shared string ${thousands(n)} of the Excel file is longer than ${thousands(max)} characters (Excel's limit for a cell): not a normal workbook`,
      fixZh: "请用 Excel 打开并重新保存为 .xlsx 文件，或另存为 CSV UTF-8 格式后上传",
      fixEn: "Open it in Excel and save it again as .xlsx, or save it as CSV UTF-8, and upload again",
    },
    String(n),
  );
}

/** For each cell style (`cellXfs` index), whether its number format shows a date and/or time. */
async function readStyleKinds(entry: AsyncIterable<Buffer>, ctx: Context): Promise<DateKind[]> {
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  const part = "xl/styles.xml";
  for await (const events of guardDepth(xmlEvents(entry, ctx, part), ctx, part)) {
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

async function* sheetRows(
  source: SheetHandle["iterator"],
  ctx: Context,
  sheetNo: string,
): AsyncGenerator<RawRow[]> {
  const { sharedStrings, styleKinds, date1904, maxRowChars } = ctx;
  const { maxColumns, maxRows, maxXmlDepth } = ctx.limits;
  const part = `xl/worksheets/sheet${sheetNo}.xml`;
  let inSheetData = false;
  let sawEnd = false;
  let depth = 0;
  let rows = 0;
  let rowNum = 0;
  let rowChars = 0;
  // Cells stored per row: up to the format's limit until the header row is read, then the header's width.
  let width = maxColumns;
  let headerSeen = false;
  let cells: string[] = [];
  let issues: RawRow["issues"];
  let extra: RawRow["extra"];
  let col = -1;
  let ref = "";
  let type = "n";
  let style = 0;
  let hasFormula = false;
  let v: string | null = null;
  let inline: string | null = null;
  let capture = 0; // 1 = <v> text, 2 = inline string <t> text
  let phonetic = 0;

  for await (const events of xmlEvents(source, ctx, part)) {
    const out: RawRow[] = [];
    for (const ev of events) {
      if (ev.eventType === "text") {
        if (capture === 1) {
          v += ev.value;
          if (v!.length > maxRowChars) throw rowTooLarge(rowNum, maxRowChars);
        } else if (capture === 2) {
          inline += ev.value;
          if (inline!.length > maxRowChars) throw rowTooLarge(rowNum, maxRowChars);
        }
        continue;
      }
      const name = local(ev.value.name);
      if (ev.eventType === "opentag") {
        if (++depth > maxXmlDepth) throw tooDeep(part, maxXmlDepth);
        const a = ev.value.attributes;
        switch (name) {
          case "sheetData":
            inSheetData = true;
            break;
          case "row":
            if (!inSheetData) break;
            rowNum = a.r ? Number.parseInt(a.r, 10) : rowNum + 1;
            if (rowNum > maxRows || ++rows > maxRows) throw tooManyRows(rowNum, maxRows);
            cells = [];
            issues = undefined;
            extra = undefined;
            rowChars = 0;
            col = -1;
            break;
          case "c":
            ref = a.r ?? "";
            col = ref ? refColumn(ref, maxColumns) : col + 1;
            if (col >= maxColumns) throw beyondLastColumn(ref || `${columnLetter(col)}${rowNum}`, maxColumns);
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
      depth--;
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
          if (text !== "" && col >= 0) {
            rowChars += text.length;
            if (rowChars > maxRowChars) throw rowTooLarge(rowNum, maxRowChars);
            if (col < width) cells[col] = text;
            // Beyond the header: only the leftmost value is kept, for the ragged-row problem.
            else if ((extra === undefined || col < extra.col) && text.trim() !== "")
              extra = { col, value: text };
          }
          break;
        }
        case "row":
          if (!inSheetData) break;
          for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = "";
          // The first non-blank row is the header (as openXlsx decides): later rows keep its width.
          if (!headerSeen && !isBlankRow(cells)) {
            headerSeen = true;
            width = cleanHeader(cells).length;
          }
          out.push(
            issues || extra
              ? { r: rowNum, cells, ...(issues ? { issues } : {}), ...(extra ? { extra } : {}) }
              : { r: rowNum, cells },
          );
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

const resaveFix = {
  fixZh: "请用 Excel 打开并重新保存为 .xlsx 文件，或另存为 CSV UTF-8 格式后上传",
  fixEn: "Open it in Excel and save it again as .xlsx, or save it as CSV UTF-8, and upload again",
};

function beyondLastColumn(ref: string, max: number): InputError {
  const shown = ref.length > 24 ? `${ref.slice(0, 24)}…` : ref;
  const last = columnLetter(max - 1);
  return limitError(
    "xlsx.column_limit",
    {
      zh: `单元格 ${shown} 超出 Excel 的列数上限（${thousands(max)} 列，最后一列是 ${last}），不像正常的工作簿`,
      en: `Cell ${shown} lies beyond Excel's column limit (${thousands(max)} columns, the last being ${last}): not a normal workbook`,
      ...resaveFix,
    },
    ref,
  );
}

function tooManyRows(rowNum: number, max: number): InputError {
  return limitError(
    "xlsx.row_limit",
    {
      zh: `工作表的行数超过 Excel 的上限 ${thousands(max)} 行（第 ${thousands(rowNum)} 行）`,
      en: `The worksheet has more rows than Excel's limit of ${thousands(max)} (row ${thousands(rowNum)})`,
      fixZh: "请把数据拆分成几个文件，或另存为 CSV UTF-8 格式后上传",
      fixEn: "Split the data into several files, or save it as CSV UTF-8, and upload again",
    },
    String(rowNum),
  );
}

function rowTooLarge(rowNum: number, max: number): InputError {
  return limitError(
    "xlsx.row_too_large",
    {
      zh: `工作表第 ${thousands(rowNum)} 行的内容超过 ${thousands(max)} 个字符，超出平台读取上限`,
      en: `Row ${thousands(rowNum)} of the worksheet holds more than ${thousands(max)} characters, beyond what the platform reads`,
      fixZh: "请检查该行是否误粘贴了大段内容，删除后重新上传",
      fixEn:
        "Check whether a large block of text was pasted into the row by mistake, remove it and upload again",
    },
    String(rowNum),
  );
}

/** Column index (0-based) of a cell reference like `AB12`; `max` once it is beyond `max` columns. */
function refColumn(ref: string, max: number): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower-case
    if (c < 97 || c > 122) break;
    n = n * 26 + (c - 96);
    if (n > max) return max;
  }
  return n - 1;
}

/** `t="d"` cells hold ISO 8601 text. */
function isoDateText(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2}))?/.exec(v.trim());
  if (!m) return v.trim();
  return !m[2] || m[2] === "00:00:00" ? m[1]! : `${m[1]} ${m[2]}`;
}
