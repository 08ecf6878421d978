/** Helpers for the io tests: temp dirs, chunked streams, reading a whole table. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { crc32, deflateRawSync } from "node:zlib";
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
  const reader = await openTable(
    { stream: chunkedStream(buf, opts.chunk ?? 64 * 1024), fileName: "t.csv" },
    opts,
  );
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

/**
 * A minimal zip writer (deflated entries, sizes in the local headers) for hand-made XLSX fixtures whose
 * part order and XML the test controls.
 */
export function zipFiles(files: [name: string, content: string | Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of files) {
    const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const fileName = Buffer.from(name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, packed);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
