/** Helpers for the io tests: temp dirs, chunked streams, reading a whole table. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { InputError, type Problem } from "../core/problem.ts";
import { type OpenTableOptions, openTable, type TableReader, type TableRow } from "./table.ts";

export interface TempDir {
  path: string;
  file(name: string): string;
  remove(): void;
}

export function tempDir(prefix = "io-test-"): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** A stream that delivers `data` in chunks of `size` bytes (1 = byte by byte). */
export function chunkedStream(data: Buffer, size: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) {
        this.push(null);
        return;
      }
      this.push(data.subarray(offset, offset + size));
      offset += size;
    },
  });
}

export async function readAll(reader: TableReader): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for await (const batch of reader.rows) out.push(...batch);
  return out;
}

export async function readBytes(
  data: Buffer | string,
  opts: OpenTableOptions & { chunk?: number } = {},
): Promise<{ reader: TableReader; rows: TableRow[] }> {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const reader = await openTable({ stream: chunkedStream(buf, opts.chunk ?? 64 * 1024), fileName: "t.csv" }, opts);
  return { reader, rows: await readAll(reader) };
}

/** The problems of an InputError thrown by `fn` (fails when it does not throw one). */
export async function problemsOf(fn: () => Promise<unknown>): Promise<Problem[]> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof InputError) return err.problems;
    throw err;
  }
  throw new Error("expected an InputError");
}
