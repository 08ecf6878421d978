/**
 * Streaming RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF line ends, newlines inside
 * quotes; comma-delimited, or tab-delimited when the header line has tabs and no commas.
 *
 * Encoding: a UTF-8 BOM means UTF-8; a UTF-16 BOM is refused with a clear message; otherwise the first
 * 64 KiB are checked as strict UTF-8 (a character cut at the 64 KiB boundary is not held against it) and, if
 * they are not valid UTF-8, the file is decoded as GB18030 (superset of GBK/GB2312) with iconv-lite's
 * streaming decoder. Bytes that turn out to be undecodable later in the file make only their row fail
 * (`encoding.invalid`).
 *
 * Row numbers follow the rule in table.ts: one row per record (what Excel shows), blank lines skipped but
 * counted, header = row 0.
 *
 * Memory is bounded by the chunk size plus the longest record (`maxRowBytes`); the file is never held whole.
 * Speed: lines without a quote character take a fast path (`indexOf` + `split`); only records that contain
 * a quote go through the character-level state machine.
 *
 * Leniency (matches what Excel does when it opens such a file): a quote inside an unquoted value is kept as
 * a literal character, and text between a closing quote and the next delimiter is appended to the value.
 * Values are returned exactly as written (not trimmed); header names are trimmed.
 */
import { isUtf8 } from "node:buffer";
import { StringDecoder } from "node:string_decoder";
import iconv from "iconv-lite";
import { InputError, type Problem, problem } from "../core/problem.ts";
import {
  append,
  type ByteSource,
  cleanHeader,
  duplicateHeaderProblems,
  emptyFileProblem,
  fieldName,
  fieldTooLongProblem,
  isBlankRow,
  type ResolvedOptions,
  SNIFF_BYTES,
} from "./common.ts";
import type { TableReader, TableRow } from "./table.ts";

export type CsvEncoding = "utf-8" | "gb18030";

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Where the unquoted text from `i` ends: the next delimiter `d` or LF, or `n`. */
function fieldEnd(buf: string, i: number, n: number, d: number): number {
  let k = i;
  while (k < n) {
    const c = buf.charCodeAt(k);
    if (c === d || c === LF) break;
    k++;
  }
  return k;
}
const COMMA = 44;
const TAB = 9;
/** Decoded text is handed to the parser in pieces of at least this many characters (fewer calls, fewer yields). */
const MIN_TEXT_CHUNK = 64 * 1024;

export async function openCsv(src: ByteSource, opts: ResolvedOptions): Promise<TableReader> {
  const head = await src.peek(SNIFF_BYTES);
  const { encoding, bomLength } = detectEncodingFor(head, src.exhausted, opts.fileName);
  rejectMarkup(head.subarray(bomLength, bomLength + 1024), encoding);

  const texts = decodeText(src, encoding, bomLength)[Symbol.asyncIterator]();
  const parser = new CsvParser(opts, encoding);
  let pending: TableRow[] = [];
  let ended = false;
  while (parser.header === null) {
    const r = await texts.next();
    if (r.done) {
      ended = true;
      parser.finish(pending); // throws csv.empty when there is no header
      break;
    }
    parser.push(r.value, pending);
  }

  async function* rows(): AsyncGenerator<TableRow[]> {
    try {
      if (pending.length > 0) {
        const first = pending;
        pending = [];
        yield first;
      }
      if (ended) return;
      for (;;) {
        const r = await texts.next();
        if (r.done) break;
        const out: TableRow[] = [];
        parser.push(r.value, out);
        if (out.length > 0) yield out;
      }
      ended = true;
      const out: TableRow[] = [];
      parser.finish(out);
      if (out.length > 0) yield out;
    } finally {
      src.close();
    }
  }

  return {
    header: parser.header!,
    rows: rows(),
    format: "csv",
    encoding,
    close: () => src.close(),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Encoding

/** detectEncoding, but binary content in a file named like a workbook is reported as a damaged workbook. */
function detectEncodingFor(head: Buffer, complete: boolean, fileName: string) {
  try {
    return detectEncoding(head, complete);
  } catch (err) {
    if (err instanceof InputError && err.problems[0]?.code === "csv.binary" && /\.xlsx?$/i.test(fileName)) {
      throw new InputError([
        problem("xlsx.corrupt", {
          zh: `文件“${fileName}”已损坏，或不是 Excel 工作簿`,
          en: `The file "${fileName}" is damaged or is not an Excel workbook`,
          fixZh: "请用 Excel 打开并重新保存为 .xlsx 文件后再上传；如果上传中断过，请重新上传",
          fixEn:
            "Open it in Excel and save it again as .xlsx, then upload; if the upload was interrupted, retry",
        }),
      ]);
    }
    throw err;
  }
}

/** Decides the encoding from the first bytes. `complete` = the sample is the whole file. */
export function detectEncoding(
  head: Buffer,
  complete: boolean,
): { encoding: CsvEncoding; bomLength: number } {
  if (head.length === 0) throw new InputError([emptyFileProblem("csv.empty")]);
  const b0 = head[0];
  const b1 = head[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    throw new InputError([
      problem("encoding.utf16", {
        zh: "文件是 UTF-16（Unicode）编码，系统不支持这种编码",
        en: "The file is encoded as UTF-16 (Unicode), which is not supported",
        fixZh:
          "请在 Excel 中“另存为” CSV UTF-8（逗号分隔），或用记事本另存为 UTF-8 或 GB18030 编码后重新上传",
        fixEn:
          "In Excel use Save As CSV UTF-8 (comma delimited), or re-save it as UTF-8 or GB18030, and upload again",
      }),
    ]);
  }
  let encoding: CsvEncoding | null = null;
  let bomLength = 0;
  if (b0 === 0xef && b1 === 0xbb && head[2] === 0xbf) {
    encoding = "utf-8";
    bomLength = 3;
  } else if (b0 === 0x84 && b1 === 0x31 && head[2] === 0x95 && head[3] === 0x33) {
    encoding = "gb18030";
    bomLength = 4;
  }
  const sample = head.subarray(bomLength, bomLength + SNIFF_BYTES);
  const cut = complete && head.length <= bomLength + SNIFF_BYTES;
  if (sample.indexOf(0) !== -1) {
    throw new InputError([
      problem("csv.binary", {
        zh: "文件含有二进制内容（零字节），不像是 CSV 文本文件",
        en: "The file contains binary data (NUL bytes); it does not look like a CSV text file",
        fixZh: "请上传 Excel 工作簿（.xlsx）或 CSV 文件；如果是文本文件，请另存为 UTF-8 编码后重新上传",
        fixEn:
          "Upload an Excel workbook (.xlsx) or a CSV file; if it is a text file, re-save it as UTF-8 and retry",
      }),
    ]);
  }
  if (encoding === null) encoding = isUtf8(trimIncompleteUtf8(sample, cut)) ? "utf-8" : "gb18030";
  return { encoding, bomLength };
}

/**
 * Drops a UTF-8 sequence cut off at the end of a sample (so a valid file is not misjudged because the
 * sample boundary fell inside a character). Nothing is dropped when the sample is the whole file.
 */
export function trimIncompleteUtf8(buf: Buffer, complete: boolean): Buffer {
  if (complete) return buf;
  const n = buf.length;
  for (let back = 1; back <= 4 && back <= n; back++) {
    const b = buf[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? buf.subarray(0, n - back) : buf;
  }
  return buf;
}

/** Refuses HTML tables and XML spreadsheets saved with a .csv/.xls name (common in government exports). */
function rejectMarkup(start: Buffer, encoding: CsvEncoding): void {
  const text = (encoding === "utf-8" ? start.toString("utf8") : start.toString("latin1")).trimStart();
  if (!/^<(!doctype\s+html|html|table|\?xml|meta|head)\b/i.test(text)) return;
  throw new InputError([
    problem("file.markup", {
      zh: "文件内容是网页（HTML）或 XML，而不是 CSV 或 Excel 工作簿，虽然文件名看起来像表格",
      en: "The file is a web page (HTML) or XML document, not a CSV file or an Excel workbook",
      fixZh: "请用 Excel 打开该文件，“另存为” Excel 工作簿（.xlsx）或 CSV UTF-8 格式后重新上传",
      fixEn: "Open it in Excel, use Save As Excel Workbook (.xlsx) or CSV UTF-8, and upload again",
    }),
  ]);
}

/** Decodes the byte chunks (after the BOM) into text pieces of at least MIN_TEXT_CHUNK characters. */
async function* decodeText(
  src: ByteSource,
  encoding: CsvEncoding,
  bomLength: number,
): AsyncGenerator<string> {
  const decoder = encoding === "utf-8" ? new StringDecoder("utf8") : new Gb18030Decoder();
  let skip = bomLength;
  let first = true;
  let acc = "";
  for await (let chunk of src.chunks()) {
    if (skip > 0) {
      const n = Math.min(skip, chunk.length);
      chunk = chunk.subarray(n);
      skip -= n;
      if (chunk.length === 0) continue;
    }
    let s = decoder.write(chunk);
    if (s.length === 0) continue;
    if (first) {
      first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    acc = acc.length === 0 ? s : acc + s;
    if (acc.length >= MIN_TEXT_CHUNK) {
      yield acc;
      acc = "";
    }
  }
  const tail = decoder.end();
  if (tail) acc += tail;
  if (acc.length > 0) yield acc;
}

/** Longest input held back by Gb18030Decoder while looking for a character boundary. */
const MAX_GB_CARRY = 1024 * 1024;

/**
 * iconv-lite's streaming GB18030 decoder, fed only at character boundaries.
 *
 * iconv-lite 0.7.3 sizes its output at 2 bytes per input byte, so a write that starts with the tail of a
 * 4-byte sequence for a character beyond U+FFFF (e.g. 𠮷, found in names) loses output — the low surrogate
 * or the chunk's last character. A byte below 0x30 (newline, comma, quote, space...) is never part of a
 * multi-byte GB18030 sequence, so each write is cut after the last such byte and the rest carried over:
 * every write then starts at a character boundary and the decoder never holds a partial sequence.
 */
export class Gb18030Decoder {
  private readonly inner = iconv.getDecoder("gb18030", { stripBOM: true });
  private carry: Buffer | null = null;

  write(chunk: Buffer): string {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let cut = buf.length;
    while (cut > 0 && buf[cut - 1]! >= 0x30) cut--;
    if (cut === 0) {
      if (buf.length < MAX_GB_CARRY) {
        this.carry = buf === chunk ? Buffer.from(buf) : buf;
        return "";
      }
      cut = buf.length; // no boundary in 1 MiB: not CSV-like text; decode as is
    }
    this.carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : null;
    return this.inner.write(buf.subarray(0, cut));
  }

  end(): string {
    const rest = this.carry ? this.inner.write(this.carry) : "";
    this.carry = null;
    return rest + (this.inner.end() ?? "");
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parser

interface QuotedRecord {
  cells: string[];
  next: number;
}

/**
 * Push-style parser: `push` decoded text, complete records come out as rows; the incomplete tail is kept
 * for the next push. The first non-blank record becomes the header.
 */
export class CsvParser {
  header: string[] | null = null;
  private readonly maxField: number;
  private readonly maxRow: number;
  private readonly encoding: CsvEncoding;
  private delim = COMMA;
  private delimChar = ",";
  private buf = "";
  private pos = 0;
  /** Records (blank ones included) since the header; the next record is `record + 1`. */
  private record = 0;
  /** Physical lines consumed so far (for messages about where a quote opened). */
  private line = 0;
  /** Discarding the rest of an over-long line. */
  private skipping = false;
  /** The current buffer contains U+FFFD or NUL, so rows must be checked for them. */
  private suspect = false;

  constructor(opts: { maxFieldLength: number; maxRowBytes: number }, encoding: CsvEncoding = "utf-8") {
    this.maxField = opts.maxFieldLength;
    this.maxRow = opts.maxRowBytes;
    this.encoding = encoding;
  }

  push(text: string, out: TableRow[]): void {
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
    this.suspect = this.buf.indexOf("\uFFFD") !== -1 || this.buf.indexOf("\0") !== -1;
    this.parse(false, out);
  }

  finish(out: TableRow[]): void {
    this.parse(true, out);
    this.buf = "";
    this.pos = 0;
    if (this.header === null) throw new InputError([emptyFileProblem("csv.empty")]);
  }

  private parse(final: boolean, out: TableRow[]): void {
    const buf = this.buf;
    const n = buf.length;
    let pos = this.pos;
    let q = -1; // index of the next quote at or after pos (n when there is none)
    let d = -1; // index of the next delimiter found by the fast path (n when there is none)
    while (pos < n) {
      if (this.skipping) {
        const nl = buf.indexOf("\n", pos);
        if (nl === -1) {
          pos = n;
          break;
        }
        this.line++;
        this.skipping = false;
        pos = nl + 1;
        continue;
      }
      const nl = buf.indexOf("\n", pos);
      const end = nl === -1 ? n : nl;
      if (q < pos) {
        q = buf.indexOf('"', pos);
        if (q === -1) q = n;
      }
      if (nl === -1 && !final) {
        // An incomplete record: wait for more text, unless it is already too long to keep.
        if (n - pos > this.maxRow) {
          if (q < n) this.throwUnclosedQuote(true);
          this.emitTooLong(n - pos, out);
          this.skipping = true;
          pos = n;
        }
        break;
      }
      if (this.header === null && this.detectDelimiter(buf, pos, end)) d = -1;
      if (q >= end) {
        // Fast path: a single line without any quote character.
        let lineEnd = end;
        if (lineEnd > pos && buf.charCodeAt(lineEnd - 1) === CR) lineEnd--;
        const start = pos;
        pos = nl === -1 ? n : nl + 1;
        this.line++;
        if (lineEnd === start) {
          if (this.header !== null) this.record++;
          continue;
        }
        if (lineEnd - start > this.maxRow) {
          this.emitTooLong(lineEnd - start, out);
          continue;
        }
        // Split with indexOf + slice (≈40% faster than slice().split() here); `d` is the next delimiter.
        const cells: string[] = [];
        let from = start;
        for (;;) {
          if (d < from) {
            d = buf.indexOf(this.delimChar, from);
            if (d === -1) d = n;
          }
          if (d >= lineEnd) {
            cells.push(buf.slice(from, lineEnd));
            break;
          }
          cells.push(buf.slice(from, d));
          from = d + 1;
        }
        this.emit(cells, lineEnd - start, out);
      } else {
        const rec = this.parseQuoted(pos, final);
        if (rec === null) {
          if (final) this.throwUnclosedQuote(false);
          if (n - pos > this.maxRow) this.throwUnclosedQuote(true);
          break;
        }
        for (let i = buf.indexOf("\n", pos); i !== -1 && i < rec.next; i = buf.indexOf("\n", i + 1))
          this.line++;
        if (rec.next === n && (n === 0 || buf.charCodeAt(n - 1) !== LF)) this.line++;
        const length = rec.next - pos;
        pos = rec.next;
        if (length > this.maxRow) {
          this.emitTooLong(length, out);
          continue;
        }
        this.emit(rec.cells, length, out);
      }
    }
    this.pos = pos;
  }

  /** Tab-delimited when the (header) line has tabs and no commas; true when the delimiter changed. */
  private detectDelimiter(buf: string, pos: number, end: number): boolean {
    const line = buf.slice(pos, end);
    if (this.delim === TAB || line.trim().length === 0) return false;
    if (line.indexOf("\t") === -1 || line.indexOf(",") !== -1) return false;
    this.delim = TAB;
    this.delimChar = "\t";
    return true;
  }

  /** Character-level parse of one record starting at `start`; null when the buffer ends before the record does. */
  private parseQuoted(start: number, final: boolean): QuotedRecord | null {
    const buf = this.buf;
    const n = buf.length;
    const d = this.delim;
    const cells: string[] = [];
    let i = start;
    for (;;) {
      let value: string;
      if (i < n && buf.charCodeAt(i) === QUOTE) {
        i++;
        value = "";
        for (;;) {
          const j = buf.indexOf('"', i);
          if (j === -1) return null;
          if (j + 1 < n && buf.charCodeAt(j + 1) === QUOTE) {
            value += buf.slice(i, j + 1);
            i = j + 2;
            continue;
          }
          if (j + 1 >= n && !final) return null; // cannot yet tell a closing quote from a doubled one
          value += buf.slice(i, j);
          i = j + 1;
          break;
        }
        // Text after the closing quote and before the delimiter is kept (lenient, like Excel).
        const k = fieldEnd(buf, i, n, d);
        if (k >= n && !final) return null;
        if (k > i) {
          let e = k;
          if (buf.charCodeAt(e - 1) === CR) e--;
          if (e > i) value += buf.slice(i, e);
        }
        i = k;
      } else {
        const k = fieldEnd(buf, i, n, d);
        if (k >= n && !final) return null;
        let e = k;
        if (e > i && buf.charCodeAt(e - 1) === CR) e--;
        value = buf.slice(i, e);
        i = k;
      }
      cells.push(value);
      if (i >= n) return { cells, next: n };
      if (buf.charCodeAt(i) === LF) return { cells, next: i + 1 };
      i++; // the delimiter
      if (i >= n) {
        if (!final) return null;
        cells.push("");
        return { cells, next: n };
      }
    }
  }

  private emit(cells: string[], length: number, out: TableRow[]): void {
    if (this.header === null) {
      this.setHeader(cells);
      return;
    }
    this.record++;
    if (isBlankRow(cells)) return;
    const row: TableRow = { row: this.record, cells };
    const header = this.header;
    let problems: Problem[] | undefined;
    if (cells.length !== header.length) {
      if (cells.length > header.length && isBlankRow(cells.slice(header.length))) {
        cells.length = header.length; // trailing empty cells (",,,") are harmless
      } else {
        problems = [this.raggedProblem(row.row, cells.length)];
      }
    }
    if (length > this.maxField) {
      for (let i = 0; i < cells.length; i++) {
        const c = cells[i]!;
        if (c.length > this.maxField) {
          problems = append(
            problems,
            fieldTooLongProblem(
              "csv.field_too_long",
              row.row,
              fieldName(header, i),
              c.length,
              this.maxField,
              c,
            ),
          );
        }
      }
    }
    if (this.suspect) {
      const p = this.encodingProblem(row.row, cells);
      if (p) problems = append(problems, p);
    }
    if (problems) row.problems = problems;
    out.push(row);
  }

  private setHeader(cells: string[]): void {
    if (isBlankRow(cells)) return;
    const header = cleanHeader(cells);
    const problems = duplicateHeaderProblems(header, "csv.duplicate_header");
    if (this.suspect) {
      const p = this.encodingProblem(0, header);
      if (p) problems.unshift(p);
    }
    if (problems.length > 0) throw new InputError(problems);
    this.header = header;
  }

  private emitTooLong(length: number, out: TableRow[]): void {
    if (this.header === null) {
      throw new InputError([
        problem(
          "csv.row_too_long",
          {
            zh: `表头行长度超过 ${this.maxRow} 个字符，无法读取`,
            en: `The header line is longer than ${this.maxRow} characters`,
            fixZh: "请确认上传的是 CSV 文件，第一行是列名，并且每行以换行结束",
            fixEn:
              "Check that this is a CSV file with the column names on the first line and line breaks between rows",
          },
          { row: 0 },
        ),
      ]);
    }
    this.record++;
    out.push({
      row: this.record,
      cells: [],
      problems: [
        problem(
          "csv.row_too_long",
          {
            zh: `该行长度至少 ${length} 个字符，超过上限 ${this.maxRow}，整行未读取`,
            en: `The row is at least ${length} characters long, more than the limit of ${this.maxRow}; it was not read`,
            fixZh: "请检查该行是否缺少换行，或是否有异常长的内容，拆分或缩短后重新上传",
            fixEn:
              "Check the row for a missing line break or an unusually long value; split or shorten it and retry",
          },
          { row: this.record },
        ),
      ],
    });
  }

  private throwUnclosedQuote(tooLong: boolean): never {
    const row = this.header === null ? 0 : this.record + 1;
    const line = this.line + 1;
    const limit = this.maxRow;
    throw new InputError([
      problem(
        "csv.unclosed_quote",
        {
          zh:
            `第 ${row} 行（文件第 ${line} 行）开头的引号没有闭合，其后的全部内容都被当作同一个值` +
            (tooLong ? `（已超过 ${limit} 个字符）` : ""),
          en:
            `A quote opened in row ${row} (line ${line} of the file) is never closed, so everything after it ` +
            `reads as one value${tooLong ? ` (more than ${limit} characters)` : ""}`,
          fixZh: '请检查该行的双引号：值中的引号要写成两个双引号（""），整个值用一对双引号括起来',
          fixEn:
            'Check the double quotes in that row: a quote inside a value must be doubled ("") and the value enclosed in one pair of quotes',
        },
        { row },
      ),
    ]);
  }

  private raggedProblem(row: number, got: number): Problem {
    const want = this.header!.length;
    const sep = this.delim === TAB ? "制表符" : "逗号";
    const sepEn = this.delim === TAB ? "tab" : "comma";
    return problem(
      "csv.ragged_row",
      {
        zh: `该行有 ${got} 列，表头有 ${want} 列`,
        en: `The row has ${got} cells but the header has ${want}`,
        fixZh:
          got > want
            ? `请检查值中是否含有未加引号的${sep}（含${sep}的值要用双引号括起来）`
            : "请检查是否缺少某一列，或某个值中的换行没有用双引号括起来",
        fixEn:
          got > want
            ? `Check for an unquoted ${sepEn} inside a value (values containing a ${sepEn} must be in double quotes)`
            : "Check for a missing column, or a line break inside a value that is not enclosed in double quotes",
      },
      { row },
    );
  }

  private encodingProblem(row: number, cells: readonly string[]): Problem | null {
    let bad = -1;
    let nul = false;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      if (c.indexOf("\uFFFD") !== -1) {
        bad = i;
        break;
      }
      if (c.indexOf("\0") !== -1) {
        bad = i;
        nul = true;
        break;
      }
    }
    if (bad === -1) return null;
    const field = row === 0 ? undefined : fieldName(this.header!, bad);
    const value = cells[bad];
    if (nul) {
      return problem(
        "csv.binary",
        {
          zh: "该行含有二进制内容（零字节）",
          en: "The row contains binary data (NUL bytes)",
          fixZh: "请检查该行是否混入了非文本内容，删除后重新上传",
          fixEn: "Check the row for non-text content, remove it, and upload again",
        },
        { row, field, value },
      );
    }
    const utf8 = this.encoding === "utf-8";
    return problem(
      "encoding.invalid",
      {
        zh: utf8
          ? "该行含有不是有效 UTF-8 编码的字节，部分文字无法识别（乱码）"
          : "该行含有无法按 GB18030/GBK 编码识别的字节，部分文字无法识别（乱码）",
        en: utf8
          ? "The row contains bytes that are not valid UTF-8, so some characters cannot be read"
          : "The row contains bytes that are not valid GB18030/GBK, so some characters cannot be read",
        fixZh:
          row === 0
            ? "请将文件“另存为” CSV UTF-8 格式后重新上传"
            : "请检查该行是否从其他系统粘贴了乱码；或将整个文件“另存为” CSV UTF-8 格式后重新上传",
        fixEn:
          row === 0
            ? "Re-save the file as CSV UTF-8 and upload again"
            : "Check the row for garbled text pasted from another system, or re-save the whole file as CSV UTF-8",
      },
      { row, field, value },
    );
  }
}
