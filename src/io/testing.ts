/** Helpers for the io tests: temp dirs, chunked streams, reading a whole table. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { crc32, createDeflateRaw, deflateRawSync } from "node:zlib";
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

/** An entry's content already deflated (for contents too large to hold whole, see `deflatedZeros`). */
export interface Deflated {
  deflated: Buffer;
  size: number;
  crc: number;
}

/** `size` zero bytes, deflated a megabyte at a time (a zip bomb's usual payload: about 1,000 to 1). */
export function deflatedZeros(size: number): Promise<Deflated> {
  return deflatedParts(
    Buffer.alloc(0),
    Buffer.alloc(2 ** 20),
    Math.floor(size / 2 ** 20),
    Buffer.alloc(size % 2 ** 20),
  );
}

/** `head`, then `unit` `times` times, then `tail`, deflated as they are written (never held whole). */
export async function deflatedParts(
  head: Buffer,
  unit: Buffer,
  times: number,
  tail: Buffer,
): Promise<Deflated> {
  const out: Buffer[] = [];
  const z = createDeflateRaw({ level: 9 });
  z.on("data", (b: Buffer) => out.push(b));
  let crc = 0;
  let size = 0;
  // Units are written a megabyte or so at a time: one write per unit would be slow for small units.
  const per = Math.max(1, Math.floor(2 ** 20 / Math.max(1, unit.length)));
  const block = Buffer.concat(Array.from({ length: Math.min(per, Math.max(times, 1)) }, () => unit));
  const write = async (b: Buffer) => {
    if (b.length === 0) return;
    crc = crc32(b, crc);
    size += b.length;
    if (!z.write(b)) await new Promise((r) => z.once("drain", r));
  };
  await write(head);
  for (let left = times; left > 0; left -= per)
    await write(left >= per ? block : block.subarray(0, left * unit.length));
  await write(tail);
  const ended = new Promise<void>((resolve, reject) => z.once("end", resolve).once("error", reject));
  z.end();
  await ended;
  return { deflated: Buffer.concat(out), size, crc };
}

/**
 * A minimal zip writer (deflated entries, sizes in the local headers) for hand-made XLSX fixtures whose
 * part order and XML the test controls. `claimSize` writes that uncompressed size in the headers instead of
 * the true one (a zip can lie about it).
 */
export function zipFiles(
  files: [name: string, content: string | Buffer | Deflated][],
  opts: { claimSize?: number } = {},
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of files) {
    let packed: Buffer;
    let crc: number;
    let size: number;
    if (typeof content === "string" || Buffer.isBuffer(content)) {
      const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      packed = deflateRawSync(data);
      crc = crc32(data);
      size = data.length;
    } else {
      ({ deflated: packed, crc, size } = content);
    }
    size = opts.claimSize ?? size;
    const fileName = Buffer.from(name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
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

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";

/** A worksheet part whose rows are the given XML (`<row>…</row>` elements). */
export function sheetXml(rows: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN_NS}"><sheetData>${rows}</sheetData></worksheet>`;
}

/** A shared-string part with the given `<si>` elements. */
export function sharedStringsXml(items: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN_NS}">${items}</sst>`;
}

/** An inline-string cell. */
export function inlineCell(ref: string, text: string): string {
  return `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
}

/**
 * The parts of a one-sheet workbook as Excel orders them (sheet, then shared strings), for zipFiles: the
 * sheet's XML, optional shared strings, and any further entries (placed before the sheet).
 */
export function workbookParts(
  sheet: string,
  opts: { sharedStrings?: string | Deflated; before?: [string, string | Buffer | Deflated][] } = {},
): [string, string | Buffer | Deflated][] {
  return [
    [
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
    ],
    [
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ],
    ...(opts.before ?? []),
    ["xl/worksheets/sheet1.xml", sheet],
    ...(opts.sharedStrings !== undefined
      ? [["xl/sharedStrings.xml", opts.sharedStrings] as [string, string | Deflated]]
      : []),
  ];
}
