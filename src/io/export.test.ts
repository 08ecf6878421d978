import { createWriteStream, readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { csvCell, neutralizeFormula, safeSheetName, templateFor, writeCsv, writeXlsx } from "./export.ts";
import { resolveHeaders } from "./headers.ts";
import { openTable } from "./table.ts";
import { readAll, readBytes, tempDir } from "./testing.ts";

const tmp = tempDir();
afterAll(() => tmp.remove());

const HEADER = ["统一社会信用代码", "企业名称", "金额", "备注"];
const ROWS: string[][] = [
  ["91110000100000001X", "北京某某科技有限公司", "-12.5", "普通"],
  ["91310000200000002Y", 'Acme, "Inc."', "+3", "第一行\r\n第二行"],
  ["00123", '=HYPERLINK("http://x","点我")', "-1+2", "@SUM(A1)"],
  ["", "\tTAB开头", "1e5", "-"],
];

describe("csvCell", () => {
  it("neutralises formula injection but leaves plain numbers alone", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+1-1")).toBe("'+1-1");
    expect(csvCell("-1+2")).toBe("'-1+2");
    expect(csvCell("@SUM(A1:A9)")).toBe("'@SUM(A1:A9)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\r=cmd")).toBe('"\'\r=cmd"');
    expect(csvCell("-12.5")).toBe("-12.5");
    expect(csvCell("+3")).toBe("+3");
    expect(csvCell("-2.5e-3")).toBe("-2.5e-3");
    expect(csvCell(-7)).toBe("-7");
    expect(csvCell("-")).toBe("'-");
    expect(csvCell("a=b")).toBe("a=b");
    expect(neutralizeFormula("")).toBe("");
  });

  it("quotes values with delimiters, quotes or line breaks, and formats other types", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("l1\nl2")).toBe('"l1\nl2"');
    expect(csvCell("=a,b")).toBe(`"'=a,b"`);
    expect(csvCell("中文")).toBe("中文");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(12345678901234567890n)).toBe("12345678901234567890");
    expect(csvCell(new Date(Date.UTC(2024, 1, 29)))).toBe("2024-02-29");
    expect(csvCell(new Date(Date.UTC(2024, 1, 29, 8, 30)))).toBe("2024-02-29T08:30:00.000Z");
  });
});

describe("writeCsv", () => {
  it("writes UTF-8 with BOM and CRLF, and round-trips through the reader", async () => {
    const path = tmp.file("out.csv");
    await writeCsv(createWriteStream(path), HEADER, ROWS);
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString("utf8")).toContain("\r\n");

    const reader = await openTable({ path });
    expect(reader.encoding).toBe("utf-8");
    expect(reader.header).toEqual(HEADER);
    const rows = await readAll(reader);
    expect(rows.every((r) => r.problems === undefined)).toBe(true);
    // What comes back is the text with formula-like values neutralised; numbers untouched.
    expect(rows.map((r) => r.cells)).toEqual(ROWS.map((row) => row.map((v) => neutralizeFormula(v))));
    expect(rows[2]!.cells).toEqual(["00123", '\'=HYPERLINK("http://x","点我")', "'-1+2", "'@SUM(A1)"]);
    expect(rows[0]!.cells[2]).toBe("-12.5");
  });

  it("honours back-pressure with many rows from an async source, and can leave the stream open", async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    const chunks: Buffer[] = [];
    async function* rows() {
      for (let i = 0; i < 20_000; i++) yield [i, `名称${i}`, i % 2 === 0 ? "=x" : "y"];
    }
    const done = writeCsv(out, ["n", "名称", "v"], rows(), { bom: false, end: false });
    out.on("data", (c: Buffer) => chunks.push(c));
    await done;
    out.end();
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text.startsWith("n,名称,v\r\n0,名称0,'=x\r\n")).toBe(true);
    const { rows: back } = await readBytes(text);
    expect(back).toHaveLength(20_000);
    expect(back[19_999]!.cells).toEqual(["19999", "名称19999", "y"]);
  });
});

describe("writeXlsx", () => {
  it("writes text cells (never formulas) with a bold, frozen header, and round-trips", async () => {
    const path = tmp.file("out.xlsx");
    await writeXlsx(path, "数据/导出:2024", HEADER, ROWS);

    const { reader, rows } = { reader: await openTable({ path }), rows: [] as string[][] };
    expect(reader.format).toBe("xlsx");
    expect(reader.header).toEqual(HEADER);
    for (const r of await readAll(reader)) rows.push(r.cells);
    // XLSX keeps the exact text: no ' prefix needed because nothing is a formula. (XML turns CR LF into LF.)
    expect(rows).toEqual(ROWS.map((row) => row.map((v) => v.replace(/\r\n/g, "\n"))));

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe("数据_导出_2024");
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const formulaLike = ws.getRow(4).getCell(2);
    expect(formulaLike.type).toBe(ExcelJS.ValueType.String);
    expect(formulaLike.value).toBe('=HYPERLINK("http://x","点我")');
    expect(formulaLike.numFmt).toBe("@");
    expect(ws.getRow(4).getCell(1).value).toBe("00123");
  });

  it("writes to a stream", async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => out.on("end", resolve));
    await writeXlsx(out, "Sheet", ["a"], [["1"], [null], [new Date(Date.UTC(2024, 0, 2))]]);
    await ended;
    const { rows } = await readBytes(Buffer.concat(chunks));
    expect(rows.map((r) => [r.row, ...r.cells])).toEqual([
      [1, "1"],
      [3, "2024-01-02"],
    ]);
  });

  it("makes sheet names Excel accepts", () => {
    expect(safeSheetName("a/b\\c?d*e[f]g:h")).toBe("a_b_c_d_e_f_g_h");
    expect(safeSheetName("x".repeat(40))).toHaveLength(31);
    expect(safeSheetName("  ")).toBe("Sheet1");
  });
});

describe("templateFor", () => {
  const columns = [
    {
      zh: "统一社会信用代码",
      en: "Unified social credit code",
      required: true,
      example: "91110000100000001X",
    },
    { zh: "企业名称", en: "Company name", required: true, example: "北京某某科技有限公司" },
    { zh: "备注", en: "Note", required: false },
  ];
  const dictionary = [
    { key: "uscc", zh: "统一社会信用代码", en: "Unified social credit code" },
    { key: "name", zh: "企业名称", en: "Company name" },
    { key: "note", zh: "备注", en: "Note" },
  ];

  it("CSV: header only (an example row would be imported as data), required columns marked *", async () => {
    const buf = await templateFor(columns, "zh", "csv");
    expect(buf.toString("utf8")).toBe("\uFEFF统一社会信用代码*,企业名称*,备注\r\n");
    const { reader, rows } = await readBytes(buf);
    expect(rows).toEqual([]);
    expect(resolveHeaders(reader.header, dictionary).columns).toEqual(["uscc", "name", "note"]);
    expect((await templateFor(columns, "en", "csv")).toString("utf8")).toContain(
      "Unified social credit code*,Company name*,Note",
    );
  });

  it("XLSX: header on the first sheet, the example on a second sheet the reader ignores", async () => {
    const buf = await templateFor(columns, "en", "xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Data", "Example"]);
    const data = wb.worksheets[0]!;
    expect(data.getRow(1).values).toEqual([
      undefined,
      "Unified social credit code*",
      "Company name*",
      "Note",
    ]);
    expect(data.getColumn(1).numFmt).toBe("@");
    expect(data.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(wb.worksheets[1]!.getRow(2).values).toEqual([
      undefined,
      "91110000100000001X",
      "北京某某科技有限公司",
    ]);

    const path = tmp.file("template.xlsx");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path, buf);
    const reader = await openTable({ path });
    expect(await readAll(reader)).toEqual([]);
    expect(resolveHeaders(reader.header, dictionary).columns).toEqual(["uscc", "name", "note"]);
  });
});
