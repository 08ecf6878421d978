import { closeSync, openSync, statSync, writeFileSync, writeSync } from "node:fs";
import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { CsvParser, detectEncoding, trimIncompleteUtf8 } from "./csv.ts";
import { openTable, type TableRow } from "./table.ts";
import { chunkedStream, problemsOf, readAll, readBytes, tempDir } from "./testing.ts";

const tmp = tempDir();
afterAll(() => tmp.remove());

const CN_HEADER = "统一社会信用代码,企业名称,处罚金额,备注";
const CN_ROWS = [
  "91110000100000001X,北京市某某科技有限公司,1000.50,逾期未报送年度报告",
  "91310000200000002Y,上海𠮷野家餐饮管理有限公司,20,“双引号”与《书名号》",
];
const CN_TEXT = `${CN_HEADER}\r\n${CN_ROWS.join("\r\n")}\r\n`;

function cells(rows: TableRow[]): string[][] {
  return rows.map((r) => r.cells);
}

describe("encodings", () => {
  it("reads UTF-8 without a BOM from a file path", async () => {
    const path = tmp.file("plain.csv");
    writeFileSync(path, CN_TEXT);
    const reader = await openTable({ path });
    expect(reader.format).toBe("csv");
    expect(reader.encoding).toBe("utf-8");
    expect(reader.header).toEqual(["统一社会信用代码", "企业名称", "处罚金额", "备注"]);
    const rows = await readAll(reader);
    expect(rows.map((r) => r.row)).toEqual([1, 2]);
    expect(cells(rows)).toEqual(CN_ROWS.map((l) => l.split(",")));
    expect(rows.every((r) => r.problems === undefined)).toBe(true);
  });

  it("reads UTF-8 with a BOM, which does not end up in the first header name", async () => {
    const { reader, rows } = await readBytes(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CN_TEXT)]),
    );
    expect(reader.encoding).toBe("utf-8");
    expect(reader.header[0]).toBe("统一社会信用代码");
    expect(cells(rows)[1]![1]).toBe("上海𠮷野家餐饮管理有限公司");
  });

  it("reads GB18030 (GBK) with Chinese headers and values, including a 4-byte character", async () => {
    const bytes = iconv.encode(CN_TEXT, "gb18030");
    expect(bytes.includes(Buffer.from(CN_HEADER))).toBe(false); // really not UTF-8
    const { reader, rows } = await readBytes(bytes);
    expect(reader.encoding).toBe("gb18030");
    expect(reader.header).toEqual(["统一社会信用代码", "企业名称", "处罚金额", "备注"]);
    expect(cells(rows)).toEqual(CN_ROWS.map((l) => l.split(",")));
    expect(rows.every((r) => r.problems === undefined)).toBe(true);
  });

  it("survives multi-byte characters split across 1-byte stream chunks (UTF-8 and GB18030)", async () => {
    for (const bytes of [Buffer.from(CN_TEXT), iconv.encode(CN_TEXT, "gb18030")]) {
      const { rows } = await readBytes(bytes, { chunk: 1 });
      expect(cells(rows)).toEqual(CN_ROWS.map((l) => l.split(",")));
      expect(rows.every((r) => r.problems === undefined)).toBe(true);
    }
    for (const chunk of [2, 3, 5, 7]) {
      const { rows } = await readBytes(`a,b\n"x,${"中".repeat(20)}\n""y""",z\n`, { chunk });
      expect(cells(rows)).toEqual([[`x,${"中".repeat(20)}\n"y"`, "z"]]);
    }
  });

  it("still detects UTF-8 when a character straddles the 64 KiB sample boundary", async () => {
    const pad = "x".repeat(65535 - "h,v\n".length - ",".length); // 3-byte 中 occupies bytes 65535..65537
    const text = `h,v\n${pad},中文\n`;
    const bytes = Buffer.from(text);
    expect(bytes[65535]).toBe(0xe4);
    const { reader, rows } = await readBytes(bytes, { chunk: 4096, maxFieldLength: 100_000 });
    expect(reader.encoding).toBe("utf-8");
    expect(rows[0]!.cells[1]).toBe("中文");
    expect(trimIncompleteUtf8(bytes.subarray(0, 65536), false).length).toBe(65535);
    expect(trimIncompleteUtf8(bytes.subarray(0, 65536), true).length).toBe(65536);
  });

  it("reports invalid UTF-8 after the sample on that row only", async () => {
    const good = Array.from({ length: 2000 }, (_, i) => `${i},名称${i} 北京市某某科技有限公司`);
    const bad = Buffer.concat([Buffer.from("2000,bad "), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from("\n")]);
    const bytes = Buffer.concat([
      Buffer.from(`id,name\n${good.join("\n")}\n`),
      bad,
      Buffer.from("2001,ok\n"),
    ]);
    expect(bytes.length).toBeGreaterThan(65536);
    const { reader, rows } = await readBytes(bytes);
    expect(reader.encoding).toBe("utf-8");
    const flagged = rows.filter((r) => r.problems);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.row).toBe(2001);
    expect(flagged[0]!.problems![0]).toMatchObject({ code: "encoding.invalid", row: 2001, field: "name" });
    expect(rows.at(-1)!.cells).toEqual(["2001", "ok"]);
  });

  it("reports bytes that GB18030 cannot decode (U+FFFD) on that row", async () => {
    const bytes = Buffer.concat([
      iconv.encode("编号,名称\n1,正常\n2,坏", "gb18030"),
      Buffer.from([0xff]),
      iconv.encode("\n3,正常\n", "gb18030"),
    ]);
    const { reader, rows } = await readBytes(bytes);
    expect(reader.encoding).toBe("gb18030");
    expect(rows.map((r) => r.problems?.[0]?.code)).toEqual([undefined, "encoding.invalid", undefined]);
    expect(rows[1]!.problems![0]).toMatchObject({ row: 2, field: "名称" });
  });

  it("refuses UTF-16 with a clear message", async () => {
    for (const bom of [
      [0xff, 0xfe],
      [0xfe, 0xff],
    ]) {
      const problems = await problemsOf(() =>
        readBytes(Buffer.concat([Buffer.from(bom), Buffer.from("a\0,\0")])),
      );
      expect(problems[0]!.code).toBe("encoding.utf16");
      expect(problems[0]!.fixZh).toContain("UTF-8");
      expect(problems[0]!.fixEn).toContain("UTF-8");
    }
  });

  it("detectEncoding: ASCII is UTF-8, the GB18030 BOM is honoured", () => {
    expect(detectEncoding(Buffer.from("a,b\n"), true)).toEqual({ encoding: "utf-8", bomLength: 0 });
    expect(detectEncoding(Buffer.from([0x84, 0x31, 0x95, 0x33, 0x61]), true)).toEqual({
      encoding: "gb18030",
      bomLength: 4,
    });
  });
});

describe("RFC 4180 parsing", () => {
  it("handles quoted fields, doubled quotes, delimiters and newlines in quotes, CRLF and LF", async () => {
    const text =
      'name,note,amount\r\n"Acme, Inc.","He said ""hi""\r\nand left",5\n' +
      'plain,"",6\r\n"x",y"z,7\n"q" tail,unquoted "inner" quotes,8';
    const { rows } = await readBytes(text);
    expect(cells(rows)).toEqual([
      ["Acme, Inc.", 'He said "hi"\r\nand left', "5"],
      ["plain", "", "6"],
      ["x", 'y"z', "7"],
      ["q tail", 'unquoted "inner" quotes', "8"],
    ]);
    // A record spanning two physical lines is still one row (as in Excel).
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
  });

  it("handles a quoted last field at end of file without a newline, and an empty last field", async () => {
    expect(cells((await readBytes('a,b\n1,"2"')).rows)).toEqual([["1", "2"]]);
    expect(cells((await readBytes("a,b\n1,")).rows)).toEqual([["1", ""]]);
    expect(cells((await readBytes('a,b\n"1",\r\n')).rows)).toEqual([["1", ""]]);
  });

  it("skips blank lines but counts them, so row numbers match Excel", async () => {
    const { rows } = await readBytes("\n\nid,name\n1,a\n\n   \n,,\n6,f\r\n\r\n8,h\n\n");
    expect(rows.map((r) => [r.row, r.cells[0]])).toEqual([
      [1, "1"],
      [5, "6"],
      [7, "8"],
    ]);
  });

  it("accepts a tab-delimited file when the header has tabs and no commas", async () => {
    const { rows, reader } = await readBytes('编号\t名称\t金额\n1\t甲,乙\t3\n2\t"a\tb"\t4\n');
    expect(reader.header).toEqual(["编号", "名称", "金额"]);
    expect(cells(rows)).toEqual([
      ["1", "甲,乙", "3"],
      ["2", "a\tb", "4"],
    ]);
  });

  it("trims header names and ignores trailing empty columns (Excel's ,,, padding)", async () => {
    const { reader, rows } = await readBytes(" id , name ,,\n1,a,,\n2,b, ,\n");
    expect(reader.header).toEqual(["id", "name"]);
    expect(cells(rows)).toEqual([
      ["1", "a"],
      ["2", "b"],
    ]);
  });

  it("delivers rows in chunks and gives the same result however the input is split", async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `${i},"名称 ${i}, 有限公司","备注""${i}"""`);
    const text = `id,name,note\n${lines.join("\n")}\n`;
    const whole = await readBytes(text);
    const chunks: number[] = [];
    const reader = await openTable({ stream: chunkedStream(Buffer.from(text), 997), fileName: "x.csv" });
    const rows: TableRow[] = [];
    for await (const batch of reader.rows) {
      chunks.push(batch.length);
      rows.push(...batch);
    }
    expect(chunks.length).toBeGreaterThan(1);
    expect(rows).toEqual(whole.rows);
    expect(rows[4999]).toEqual({ row: 5000, cells: ["4999", "名称 4999, 有限公司", '备注"4999"'] });
  });

  it("CsvParser can be driven directly", () => {
    const p = new CsvParser({ maxFieldLength: 100, maxRowBytes: 1000 });
    const out: TableRow[] = [];
    p.push('a,b\n1,"x', out);
    expect(out).toEqual([]);
    p.push('y"\n2,z', out);
    p.finish(out);
    expect(p.header).toEqual(["a", "b"]);
    expect(out).toEqual([
      { row: 1, cells: ["1", "xy"] },
      { row: 2, cells: ["2", "z"] },
    ]);
  });
});

describe("problems", () => {
  it("reports ragged rows per row and goes on", async () => {
    const { rows } = await readBytes("a,b,c\n1,2,3\n1,2\n1,2,3,4\n1,2,3\n");
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.problems?.[0]?.code)).toEqual([
      undefined,
      "csv.ragged_row",
      "csv.ragged_row",
      undefined,
    ]);
    const [short, long] = [rows[1]!.problems![0]!, rows[2]!.problems![0]!];
    expect(short).toMatchObject({ row: 2 });
    expect(short.zh).toContain("2 列");
    expect(short.en).toContain("has 2 cells but the header has 3");
    expect(long.en).toContain("has 4 cells");
    expect(long.fixEn).toContain("unquoted comma");
    expect(long.fixZh).toContain("逗号");
  });

  it("throws csv.unclosed_quote naming the row where the quote opened", async () => {
    const text = 'id,name\n1,a\n2,"b\n3,c\n4,d\n';
    const reader = await openTable({ stream: chunkedStream(Buffer.from(text), 5), fileName: "q.csv" });
    const problems = await problemsOf(() => readAll(reader));
    expect(problems[0]).toMatchObject({ code: "csv.unclosed_quote", row: 2 });
    expect(problems[0]!.zh).toContain("第 2 行（文件第 3 行）");
    expect(problems[0]!.en).toContain("row 2 (line 3 of the file)");
  });

  it("does not buffer an unclosed quote beyond maxRowBytes", async () => {
    const text = `id,name\n1,"${"x".repeat(50_000)}`;
    const problems = await problemsOf(() => readBytes(text, { chunk: 1000, maxRowBytes: 10_000 }));
    expect(problems[0]).toMatchObject({ code: "csv.unclosed_quote", row: 1 });
    expect(problems[0]!.en).toContain("more than 10000 characters");
  });

  it("reports an over-long line per row and resumes at the next line", async () => {
    const text = `id,name\n1,${"y".repeat(30_000)}\n2,ok\n`;
    const { rows } = await readBytes(text, { chunk: 1000, maxRowBytes: 10_000 });
    expect(rows.map((r) => [r.row, r.problems?.[0]?.code ?? r.cells.join("|")])).toEqual([
      [1, "csv.row_too_long"],
      [2, "2|ok"],
    ]);
  });

  it("reports an oversized field with the field name, its length and the limit", async () => {
    const { rows } = await readBytes(`编号,企业名称\n1,${"长".repeat(4001)}\n2,短\n`);
    expect(rows[0]!.problems).toHaveLength(1);
    expect(rows[0]!.problems![0]).toMatchObject({ code: "csv.field_too_long", row: 1, field: "企业名称" });
    expect(rows[0]!.problems![0]!.en).toContain("4001 characters long, more than the limit of 4000");
    expect(rows[0]!.problems![0]!.value).toHaveLength(200);
    expect(rows[1]!.problems).toBeUndefined();
    const small = await readBytes('a,b\n1,"12345678901"\n', { maxFieldLength: 10 });
    expect(small.rows[0]!.problems![0]).toMatchObject({ code: "csv.field_too_long", field: "b" });
  });

  it("refuses binary files", async () => {
    const bytes = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x2c, 0x0a]);
    const problems = await problemsOf(() => readBytes(bytes));
    expect(problems[0]!.code).toBe("csv.binary");
    // The same bytes named like a workbook: a damaged workbook, not "not a CSV".
    const named = await problemsOf(() =>
      openTable({ stream: chunkedStream(bytes, 100), fileName: "报表.xlsx" }),
    );
    expect(named[0]!.code).toBe("xlsx.corrupt");
    expect(named[0]!.zh).toContain("报表.xlsx");
  });

  it("refuses legacy .xls and HTML tables disguised as spreadsheets", async () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect((await problemsOf(() => readBytes(xls)))[0]!.code).toBe("file.legacy_xls");
    const html = "\uFEFF<html><body><table><tr><td>a</td></tr></table></body></html>";
    expect((await problemsOf(() => readBytes(html)))[0]!.code).toBe("file.markup");
  });

  it("reports an empty file (also BOM-only or blank lines only) as csv.empty", async () => {
    for (const data of [Buffer.alloc(0), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("\r\n\n  \n")]) {
      const problems = await problemsOf(() => readBytes(data));
      expect(problems[0]!.code).toBe("csv.empty");
      expect(problems[0]!.fixZh.length).toBeGreaterThan(0);
    }
  });

  it("refuses duplicate header names", async () => {
    const problems = await problemsOf(() => readBytes("id,Name,amount,name\n1,a,2,b\n"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "csv.duplicate_header", row: 0, field: "name" });
    expect(problems[0]!.en).toContain("columns 2 and 4");
  });
});

describe("resources", () => {
  it("releases the stream when the caller stops early or closes without reading", async () => {
    const text = `id\n${Array.from({ length: 100_000 }, (_, i) => i).join("\n")}\n`;
    const stream = chunkedStream(Buffer.from(text), 1024);
    const reader = await openTable({ stream, fileName: "x.csv" });
    for await (const batch of reader.rows) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(stream.destroyed).toBe(true);

    const stream2 = Readable.from([Buffer.from(text)]);
    const reader2 = await openTable({ stream: stream2, fileName: "x.csv" });
    reader2.close?.();
    expect(stream2.destroyed).toBe(true);
  });

  it("reads a 200k-row file without holding it in memory", async () => {
    const path = tmp.file("big.csv");
    const fd = openSync(path, "w");
    writeSync(fd, "code,name,area,date,amount,reason,source\n");
    let text = "";
    for (let i = 0; i < 200_000; i++) {
      text += `91110000${100000000 + i}X,Company Name Number ${i} Co Ltd,110105,2024-03-01,${i * 10.5},late annual report,Market Regulation Bureau\n`;
      if (text.length > 65536) {
        writeSync(fd, text);
        text = "";
      }
    }
    writeSync(fd, text);
    closeSync(fd);
    expect(statSync(path).size).toBeGreaterThan(20_000_000);

    // Live heap only: collect garbage before each reading, so the figures do not depend on when V8 chose to collect.
    const liveHeap = () => {
      collectGarbage();
      return process.memoryUsage().heapUsed;
    };
    const before = liveHeap();
    const reader = await openTable({ path });
    let count = 0;
    let peak = 0;
    let batches = 0;
    for await (const batch of reader.rows) {
      count += batch.length;
      if (++batches % 25 === 0) peak = Math.max(peak, liveHeap());
    }
    expect(count).toBe(200_000);
    // ~25 MB of text; holding the rows would keep well over 100 MB alive (about 500 bytes per row).
    expect(peak - before).toBeLessThan(40 * 1024 * 1024);
    expect(liveHeap() - before).toBeLessThan(10 * 1024 * 1024);
  }, 60_000);
});

/** The engine's own collector, reachable without starting Node with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}
