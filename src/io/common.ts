/** Internals shared by the CSV and XLSX readers: the peekable byte source, options and common problems. */
import { Readable } from "node:stream";
import { InputError, type Problem, type ProblemText, problem } from "../core/problem.ts";
import type { XlsxLimits } from "../policy/uploads.ts";

export interface ResolvedOptions {
  maxFieldLength: number;
  /** Longest row in characters: a CSV record, or the text of an XLSX row (policy/uploads.yaml). */
  maxRowBytes: number;
  /** What the XLSX reader accepts (policy/uploads.yaml). */
  xlsx: XlsxLimits;
  fileName: string;
}

export const DEFAULT_MAX_FIELD_LENGTH = 4000;
/** How much of the start of the file is examined to decide format and encoding. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * A byte stream that can be peeked at before it is consumed. Wraps the stream's async iterator so peeked
 * chunks are replayed, and the stream is destroyed when closed.
 */
export class ByteSource {
  private readonly stream: Readable;
  private readonly it: AsyncIterator<Buffer | string>;
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private done = false;
  private taken = false;
  /** Bytes handed out by chunks() so far (the XLSX reader's compression-ratio check divides by it). */
  bytesRead = 0;

  /** True once the end of the stream has been reached (so a short peek is the whole file). */
  get exhausted(): boolean {
    return this.done;
  }

  constructor(stream: Readable) {
    this.stream = stream;
    this.it = stream[Symbol.asyncIterator]();
  }

  /** Returns at least `n` bytes from the start (fewer only at end of stream), without consuming them. */
  async peek(n: number): Promise<Buffer> {
    while (this.pendingBytes < n && !this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      const chunk = typeof r.value === "string" ? Buffer.from(r.value) : r.value;
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    return this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
  }

  /** All chunks, starting with the peeked ones. Can be taken once. */
  async *chunks(): AsyncGenerator<Buffer> {
    if (this.taken) throw new Error("ByteSource already consumed");
    this.taken = true;
    while (this.pending.length > 0) {
      const chunk = this.pending.shift()!;
      this.bytesRead += chunk.length;
      yield chunk;
    }
    this.pendingBytes = 0;
    while (!this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      const chunk = typeof r.value === "string" ? Buffer.from(r.value) : r.value;
      this.bytesRead += chunk.length;
      yield chunk;
    }
  }

  toReadable(): Readable {
    return Readable.from(this.chunks(), { objectMode: false });
  }

  close(): void {
    this.done = true;
    if (!this.stream.destroyed) this.stream.destroy();
  }
}

/** Excel column letters for a 0-based column index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** The header name of a column for messages; falls back to its position when the header has no name. */
export function fieldName(header: readonly string[], index: number): string {
  const name = header[index];
  return name ? name : `#${index + 1} (${columnLetter(index)})`;
}

/** Header cells: trimmed, trailing empty names dropped. */
export function cleanHeader(cells: readonly string[]): string[] {
  const out = cells.map((c) => c.replace(/^\uFEFF/, "").trim());
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}

/** True when every cell is empty or whitespace (a row that looks empty in Excel). */
export function isBlankRow(cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (c.length === 0) continue;
    // Fast exit for the usual case: a visible first character.
    const ch = c.charCodeAt(0);
    if (ch > 32 && ch !== 0xa0 && ch !== 0x3000 && ch !== 0xfeff) return false;
    if (c.trim().length > 0) return false;
  }
  return true;
}

/** Exact duplicate header names (ignoring case and surrounding spaces); one problem per repeated column. */
export function duplicateHeaderProblems(header: readonly string[], code: string): Problem[] {
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  header.forEach((name, i) => {
    if (!name) return;
    const k = name.toLowerCase();
    const first = seen.get(k);
    if (first === undefined) {
      seen.set(k, i);
      return;
    }
    problems.push(
      problem(
        code,
        {
          zh: `表头“${name}”重复出现（第 ${first + 1} 列和第 ${i + 1} 列）`,
          en: `Header "${name}" appears more than once (columns ${first + 1} and ${i + 1})`,
          fixZh: "每个列名只能出现一次，请删除或重命名重复的列",
          fixEn: "Each column name may appear only once; delete or rename the repeated column",
        },
        { row: 0, field: name, value: name },
      ),
    );
  });
  return problems;
}

export function fieldTooLongProblem(
  code: string,
  row: number,
  field: string,
  length: number,
  limit: number,
  value: string,
): Problem {
  return problem(
    code,
    {
      zh: `字段“${field}”的内容长度为 ${length} 个字符，超过上限 ${limit}`,
      en: `Field "${field}" is ${length} characters long, more than the limit of ${limit}`,
      fixZh: `请将该值缩短到 ${limit} 个字符以内；如果这一行把多列内容挤在一起，请检查引号是否配对`,
      fixEn: `Shorten the value to at most ${limit} characters; if several columns ran together, check the quotes`,
    },
    { row, field, value },
  );
}

export function emptyFileProblem(code: string): Problem {
  return problem(code, {
    zh: "文件是空的，没有找到表头行",
    en: "The file is empty: no header row was found",
    fixZh: "请下载模板，在第一行保留列名，从第二行开始填写数据后再上传",
    fixEn:
      "Download the template, keep the column names in the first row, fill data from row 2, and upload again",
  });
}

/**
 * A file beyond one of the limits of policy/uploads.yaml: refused as a whole (422), the message naming the
 * limit. Numbers are written with thousands separators (16,384).
 */
export function limitError(code: string, text: ProblemText, value?: string): InputError {
  return new InputError([problem(code, text, value === undefined ? {} : { value })], 422);
}

/** 16384 → "16,384" (in both languages, as limits are quoted in policy/uploads.yaml). */
export function thousands(n: number): string {
  return n.toLocaleString("en-US");
}

/** Appends to a list that is only allocated when needed (most rows have no problems). */
export function append<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
}
