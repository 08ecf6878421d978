import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../core/problem.ts";
import { type OpenTableOptions, openTable } from "./table.ts";
import {
  chunkedStream,
  deflatedZeros,
  inlineCell,
  problemsOf,
  readAll,
  sharedStringsXml,
  sheetXml,
  tempDir,
  workbookParts,
  zipFiles,
} from "./testing.ts";
import { formatKind, numberText, serialToText } from "./xlsx.ts";

const tmp = tempDir();
afterAll(() => tmp.remove());

let seq = 0;
async function save(wb: ExcelJS.Workbook): Promise<string> {
  const path = tmp.file(`wb${++seq}.xlsx`);
  await wb.xlsx.writeFile(path);
  return path;
}

async function read(path: string) {
  const reader = await openTable({ path });
  return { reader, rows: await readAll(reader) };
}

describe("XLSX values", () => {
  it("reads shared strings, numbers, booleans, dates and formula results (never formulas)", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("数据");
    ws.addRow([
      "企业名称",
      "金额",
      "日期",
      "时间",
      "公式",
      "文字公式",
      "布尔公式",
      "布尔",
      "中文日期",
      "富文本",
    ]);
    const row = ws.addRow([
      "北京市某某科技有限公司",
      0.1 + 0.2,
      new Date(Date.UTC(2024, 0, 31)),
      new Date(Date.UTC(2024, 1, 29, 13, 45, 30)),
      { formula: "B2*2", result: 1234567.891 },
      { formula: 'A2&"分公司"', result: "北京市某某科技有限公司分公司" },
      { formula: "B2>0", result: true },
      false,
      new Date(Date.UTC(2023, 11, 1)),
      { richText: [{ text: "富", font: { bold: true } }, { text: "文本" }] },
    ]);
    row.getCell(3).numFmt = "yyyy-mm-dd";
    row.getCell(4).numFmt = "yyyy-mm-dd hh:mm:ss";
    row.getCell(9).numFmt = 'yyyy"年"m"月"d"日"';
    ws.addRow(["上海𠮷野家", 1000, new Date(Date.UTC(2024, 5, 1))]); // default date style (numFmtId 14)
    const { reader, rows } = await read(await save(wb));
    expect(reader.format).toBe("xlsx");
    expect(reader.header[0]).toBe("企业名称");
    expect(rows[0]).toEqual({
      row: 1,
      cells: [
        "北京市某某科技有限公司",
        "0.3",
        "2024-01-31",
        "2024-02-29 13:45:30",
        "1234567.891",
        "北京市某某科技有限公司分公司",
        "TRUE",
        "FALSE",
        "2023-12-01",
        "富文本",
      ],
    });
    expect(rows[1]!.cells.slice(0, 3)).toEqual(["上海𠮷野家", "1000", "2024-06-01"]);
  });

  it("turns error values and formulas without a cached result into per-row problems", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("S");
    ws.addRow(["名称", "结果"]);
    ws.addRow(["甲", { formula: "1/0", result: { error: "#DIV/0!" } }]);
    ws.addRow(["乙", { error: "#N/A" }]);
    ws.addRow(["丙", { formula: "A2" }]);
    ws.addRow(["丁", 4]);
    const { rows } = await read(await save(wb));
    expect(rows.map((r) => r.cells)).toEqual([
      ["甲", ""],
      ["乙", ""],
      ["丙", ""],
      ["丁", "4"],
    ]);
    expect(rows.map((r) => r.problems?.map((p) => p.code))).toEqual([
      ["xlsx.cell_error"],
      ["xlsx.cell_error"],
      ["xlsx.formula_no_result"],
      undefined,
    ]);
    expect(rows[0]!.problems![0]).toMatchObject({ row: 1, field: "结果", value: "#DIV/0!" });
    expect(rows[0]!.problems![0]!.zh).toContain("B2");
  });

  it("pads empty trailing cells, skips empty rows and keeps Excel row numbering", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("S");
    ws.getRow(3).values = ["编号", "名称", "备注", "金额"]; // header on Excel row 3
    ws.getRow(4).values = ["1", "甲"];
    ws.getRow(5).getCell(2).numFmt = "0.00"; // formatted but empty: still an empty row
    ws.getRow(7).values = ["3", "", "", "5"];
    ws.getRow(8).values = [" ", ""];
    ws.getRow(9).values = ["6", "己", "", "", "", ""];
    const { reader, rows } = await read(await save(wb));
    expect(reader.header).toEqual(["编号", "名称", "备注", "金额"]);
    expect(rows).toEqual([
      { row: 1, cells: ["1", "甲", "", ""] },
      { row: 4, cells: ["3", "", "", "5"] },
      { row: 6, cells: ["6", "己", "", ""] },
    ]);
  });

  it("reads the first visible worksheet in tab order", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("下拉选项", { state: "hidden" }).addRow(["选项"]);
    wb.addWorksheet("数据").addRows([["名称"], ["甲"]]);
    wb.addWorksheet("说明").addRows([["说明"], ["不要读"]]);
    const { reader, rows } = await read(await save(wb));
    expect(reader.header).toEqual(["名称"]);
    expect(rows.map((r) => r.cells)).toEqual([["甲"]]);
  });

  it("keeps Chinese text intact across zip chunk boundaries (exceljs 4.4 alone corrupts it)", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("S");
    ws.addRow(["名称", "地址"]);
    for (let i = 0; i < 20_000; i++)
      ws.addRow([`企业名称测试${i}号有限公司`, `北京市海淀区中关村大街${i}号`]);
    const path = await save(wb);
    const { rows } = await read(path);
    expect(rows).toHaveLength(20_000);
    expect(rows.filter((r) => r.cells.join("").includes("\uFFFD"))).toEqual([]);
    expect(rows[19_999]!.cells).toEqual(["企业名称测试19999号有限公司", "北京市海淀区中关村大街19999号"]);

    // Same file from a stream in odd-sized chunks.
    const reader = await openTable({ stream: chunkedStream(readFileSync(path), 4099), fileName: "a.xlsx" });
    const again = await readAll(reader);
    expect(again).toEqual(rows);
  });

  it("reads inline strings and string cells written by exceljs's streaming writer", async () => {
    const path = tmp.file("inline.xlsx");
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
    const ws = wb.addWorksheet("S");
    ws.addRow(["名称", "说明", "原文"]).commit();
    ws.addRow(["=1+1", { richText: [{ text: "行内" }, { text: "富文本" }] }]).commit();
    // Excel escapes characters XML cannot carry as _xHHHH_ (and a literal "_x" as _x005F_x).
    ws.addRow(["line1\nline2", "a_x000D_b", "_x005F_x000D_"]).commit();
    ws.commit();
    await wb.commit();
    const { rows } = await read(path);
    expect(rows.map((r) => r.cells)).toEqual([
      ["=1+1", "行内富文本", ""],
      ["line1\nline2", "a\rb", "_x000D_"],
    ]);
  });
});

describe("hand-made XLSX (part order, XML details)", () => {
  const NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const parts: Record<string, string> = {
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL}"><workbookPr date1904="1"/><sheets><sheet name="说明" sheetId="2" state="hidden" r:id="rId2"/><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId2" Type="${REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    "xl/styles.xml": `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="14"/></cellXfs></styleSheet>`,
    "xl/sharedStrings.xml": `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}" count="4" uniqueCount="4"><si><t>名称</t></si><si><t>日期</t></si><si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve">文本 </t></r><rPh sb="0" eb="1"><t>フ</t></rPh></si><si><t>第一行_x000D_\n第二行</t></si></sst>`,
    "xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>不要读</t></is></c></row></sheetData></worksheet>`,
    "xl/worksheets/sheet2.xml": `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="${NS}"><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>布尔</x:t></x:is></x:c><x:c r="D1" t="inlineStr"><x:is><x:t>文本公式</x:t></x:is></x:c><x:c r="E1" t="inlineStr"><x:is><x:t>备注</x:t></x:is></x:c></x:row>
<x:row r="2"><x:c r="A2" t="s"><x:v>2</x:v></x:c><x:c r="B2" s="1"><x:v>0</x:v></x:c><x:c r="C2" t="b"><x:f>1=1</x:f><x:v>1</x:v></x:c><x:c r="D2" t="str"><x:f>A2&amp;"x"</x:f><x:v>富文本 x</x:v></x:c><x:c r="E2" t="s"><x:v>3</x:v></x:c></x:row>
<x:row><x:c t="inlineStr"><x:is><x:r><x:t>行内</x:t></x:r><x:r><x:t>&lt;富&gt;</x:t></x:r></x:is></x:c><x:c s="2"><x:f>TODAY()</x:f><x:v>1</x:v></x:c><x:c t="b"><x:v>0</x:v></x:c><x:c t="e"><x:f>NA()</x:f><x:v>#N/A</x:v></x:c><x:c t="d"><x:v>2024-05-06T00:00:00</x:v></x:c></x:row>
</x:sheetData></x:worksheet>`,
  };
  const orders: Record<string, string[]> = {
    "Excel's order (sheets before shared strings)": [
      "[Content_Types].xml",
      "_rels/.rels",
      "xl/workbook.xml",
      "xl/_rels/workbook.xml.rels",
      "xl/worksheets/sheet1.xml",
      "xl/worksheets/sheet2.xml",
      "xl/styles.xml",
      "xl/sharedStrings.xml",
    ],
    "shared strings first (streamed directly)": [
      "xl/workbook.xml",
      "xl/_rels/workbook.xml.rels",
      "xl/styles.xml",
      "xl/sharedStrings.xml",
      "xl/worksheets/sheet1.xml",
      "xl/worksheets/sheet2.xml",
    ],
    "workbook.xml last (exceljs's order)": [
      "xl/_rels/workbook.xml.rels",
      "xl/worksheets/sheet1.xml",
      "xl/worksheets/sheet2.xml",
      "xl/sharedStrings.xml",
      "xl/styles.xml",
      "xl/workbook.xml",
    ],
  };

  for (const [label, order] of Object.entries(orders)) {
    it(`reads the first visible sheet with every cell type: ${label}`, async () => {
      const path = tmp.file(`hand-${label.length}.xlsx`);
      writeFileSync(path, zipFiles(order.map((name) => [name, parts[name]!])));
      const { reader, rows } = await read(path);
      expect(reader.header).toEqual(["名称", "日期", "布尔", "文本公式", "备注"]);
      expect(rows.map((r) => [r.row, ...r.cells])).toEqual([
        [1, "富文本 ", "1904-01-01", "TRUE", "富文本 x", "第一行\r\n第二行"],
        [2, "行内<富>", "1904-01-02", "FALSE", "", "2024-05-06"],
      ]);
      expect(rows[1]!.problems).toEqual([
        expect.objectContaining({ code: "xlsx.cell_error", row: 2, field: "文本公式", value: "#N/A" }),
      ]);
    });
  }

  it("never loses small parts that follow the sheet (exceljs/unzipper end-of-zip race)", async () => {
    // Without the workaround in xlsx.ts, a few percent of these reads lost the shared strings.
    const order = orders["Excel's order (sheets before shared strings)"]!;
    const path = tmp.file("race.xlsx");
    writeFileSync(path, zipFiles(order.map((name) => [name, parts[name]!])));
    for (let i = 0; i < 100; i++) {
      const { rows } = await read(path);
      expect(rows[0]!.cells[0]).toBe("富文本 ");
    }
  });

  it("removes its temp files even when the caller stops early", async () => {
    const dir = tmp.file("own-tmp");
    mkdirSync(dir);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      const order = orders["Excel's order (sheets before shared strings)"]!;
      const path = tmp.file("early.xlsx");
      writeFileSync(path, zipFiles(order.map((name) => [name, parts[name]!])));
      const reader = await openTable({ path });
      expect(readdirSync(dir).length).toBe(1); // the buffered sheet
      for await (const batch of reader.rows) {
        expect(batch.length).toBeGreaterThan(0);
        break;
      }
      expect(readdirSync(dir)).toEqual([]);

      // Also when the header is refused.
      const dup = parts["xl/worksheets/sheet2.xml"]!.replace("<x:t>备注</x:t>", "<x:t>布尔</x:t>");
      const dupPath = tmp.file("dup.xlsx");
      writeFileSync(
        dupPath,
        zipFiles(order.map((name) => [name, name.endsWith("sheet2.xml") ? dup : parts[name]!])),
      );
      const problems = await problemsOf(() => openTable({ path: dupPath }));
      expect(problems[0]!.code).toBe("xlsx.duplicate_header");
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});

describe("XLSX problems", () => {
  it("reports duplicate headers, values beyond the header and oversized fields", async () => {
    const dup = new ExcelJS.Workbook();
    dup.addWorksheet("S").addRows([
      ["名称", "金额", "名称"],
      ["a", 1, "b"],
    ]);
    const problems = await problemsOf(async () => openTable({ path: await save(dup) }));
    expect(problems[0]).toMatchObject({ code: "xlsx.duplicate_header", field: "名称", row: 0 });

    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("S").addRows([
      ["名称", "金额"],
      ["a", 1, "", "多出来"],
      ["长".repeat(11), 2],
    ]);
    const reader = await openTable({ path: await save(wb) }, { maxFieldLength: 10 });
    const rows = await readAll(reader);
    expect(rows[0]!.problems![0]).toMatchObject({ code: "xlsx.ragged_row", row: 1, value: "多出来" });
    expect(rows[0]!.problems![0]!.en).toContain("column D");
    expect(rows[1]!.problems![0]).toMatchObject({ code: "xlsx.field_too_long", row: 2, field: "名称" });
  });

  it("reports an empty worksheet and a damaged or truncated file", async () => {
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet("S");
    expect((await problemsOf(async () => openTable({ path: await save(empty) })))[0]!.code).toBe(
      "xlsx.empty",
    );

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("S");
    ws.addRow(["名称"]);
    for (let i = 0; i < 5000; i++) ws.addRow([`名称${i}`]);
    const bytes = readFileSync(await save(wb));
    const cut = tmp.file("cut.xlsx");
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const problems = await problemsOf(async () => readAll(await openTable({ path: cut })));
    expect(["xlsx.corrupt", "xlsx.no_sheet", "xlsx.empty"]).toContain(problems[0]!.code);

    const garbage = tmp.file("garbage.xlsx");
    writeFileSync(garbage, Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(2000, 7)]));
    const p2 = await problemsOf(async () => readAll(await openTable({ path: garbage })));
    expect(["xlsx.corrupt", "xlsx.no_sheet"]).toContain(p2[0]!.code);
  });
});

describe("XLSX value formatting", () => {
  it("classifies number formats", () => {
    expect(formatKind("yyyy-mm-dd")).toBe("date");
    expect(formatKind('yyyy"年"m"月"d"日"')).toBe("date");
    expect(formatKind("[$-804]yyyy/m/d")).toBe("date");
    expect(formatKind("yyyy/m/d h:mm")).toBe("datetime");
    expect(formatKind("h:mm:ss AM/PM")).toBe("time");
    expect(formatKind("[h]:mm:ss")).toBe("time");
    expect(formatKind("General")).toBe("none");
    expect(formatKind("#,##0.00_);[Red](#,##0.00)")).toBe("none");
    expect(formatKind('0.00"元"')).toBe("none");
    expect(formatKind("0%")).toBe("none");
    expect(formatKind("@")).toBe("none");
  });

  it("converts serial dates and numbers", () => {
    expect(serialToText(45322, "date")).toBe("2024-01-31");
    expect(serialToText(45322.5, "date")).toBe("2024-01-31");
    expect(serialToText(45322.5, "datetime")).toBe("2024-01-31 12:00:00");
    expect(serialToText(45322, "datetime")).toBe("2024-01-31");
    expect(serialToText(0.75, "time")).toBe("18:00:00");
    expect(serialToText(1, "date")).toBe("1900-01-01");
    expect(serialToText(61, "date")).toBe("1900-03-01");
    expect(serialToText(43860, "date", true)).toBe("2024-01-31");
    expect(numberText(0.1 + 0.2)).toBe("0.3");
    expect(numberText(-12.5)).toBe("-12.5");
    expect(numberText(123456789012)).toBe("123456789012");
    expect(numberText(1e-7)).toBe("1e-7");
  });
});

/*
 * Untrusted workbooks: every limit of policy/uploads.yaml refuses the file as a whole with a 422 that names the
 * limit. Small limits (openTable's `xlsx` option) keep the fixtures small; the column and row limits are the
 * policy's own (Excel's).
 */
describe("XLSX limits (policy/uploads.yaml)", () => {
  const header = `<row r="1">${inlineCell("A1", "名称")}${inlineCell("B1", "代码")}</row>`;
  const row = (r: number, name = "某公司") => `<row r="${r}">${inlineCell(`A${r}`, name)}</row>`;
  let n = 0;
  const file = (parts: Parameters<typeof zipFiles>[0], opts?: Parameters<typeof zipFiles>[1]) => {
    const path = tmp.file(`limits${++n}.xlsx`);
    writeFileSync(path, zipFiles(parts, opts));
    return path;
  };
  /** The single problem of the InputError reading `path` throws, and its status. */
  const refusal = async (path: string, opts: OpenTableOptions = {}) => {
    try {
      await readAll(await openTable({ path }, opts));
    } catch (e) {
      if (e instanceof InputError) return { status: e.status, ...e.problems[0]! };
      throw e;
    }
    throw new Error("expected the file to be refused");
  };

  it("refuses a cell beyond column XFD at once (the 1.5 KB file that once asked for 321 million cells)", async () => {
    const path = file(
      workbookParts(sheetXml(`<row r="1">${inlineCell("A1", "名称")}${inlineCell("AAAAAAA1", "x")}</row>`)),
    );
    const p = await refusal(path);
    expect(p).toMatchObject({ status: 422, code: "xlsx.column_limit", value: "AAAAAAA1" });
    expect(p.en).toContain("16,384 columns, the last being XFD");
    expect(p.zh).toContain("XFD");
    // XFD itself is within the format; beyond the header it is a ragged row, and nothing is stored for it.
    const { rows } = await read(
      file(
        workbookParts(
          sheetXml(`${header}<row r="2">${inlineCell("A2", "甲")}${inlineCell("XFD2", "多")}</row>`),
        ),
      ),
    );
    expect(rows[0]!.cells).toEqual(["甲", ""]);
    expect(rows[0]!.problems![0]).toMatchObject({ code: "xlsx.ragged_row", value: "多" });
    expect(rows[0]!.problems![0]!.en).toContain("column XFD");
  });

  it("keeps the leftmost value beyond the header for the ragged-row problem, whatever the cell order", async () => {
    const { rows } = await read(
      file(
        workbookParts(
          sheetXml(
            `${header}<row r="2">${inlineCell("Z2", "右")}${inlineCell("C2", "左")}${inlineCell("D2", " ")}</row><row r="3">${inlineCell("A3", "乙")}${inlineCell("E3", "  ")}</row>`,
          ),
        ),
      ),
    );
    expect(rows.map((r) => [r.cells, r.problems?.map((p) => p.value)])).toEqual([
      [["", ""], ["左"]],
      [["乙", ""], undefined], // blank cells beyond the header are not a problem
    ]);
  });

  it("refuses rows beyond Excel's 1,048,576, and more rows than the limit", async () => {
    const beyond = await refusal(file(workbookParts(sheetXml(`${header}${row(1048577)}`))));
    expect(beyond).toMatchObject({ status: 422, code: "xlsx.row_limit" });
    expect(beyond.en).toContain("1,048,576");
    const many = `${header}${[2, 3, 4].map((r) => row(r)).join("")}`;
    expect((await read(file(workbookParts(sheetXml(many))))).rows).toHaveLength(3);
    // Rows without numbers are counted too.
    const unnumbered = `${header}${'<row><c t="inlineStr"><is><t>x</t></is></c></row>'.repeat(3)}`;
    expect(await refusal(file(workbookParts(sheetXml(unnumbered))), { xlsx: { maxRows: 3 } })).toMatchObject({
      code: "xlsx.row_limit",
    });
  });

  it("refuses a shared-string table beyond its number, its characters, or a string beyond a cell's length", async () => {
    const cells = `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`;
    const sst = (items: string[]) => sharedStringsXml(items.map((t) => `<si><t>${t}</t></si>`).join(""));
    const ten = file(
      workbookParts(sheetXml(cells), {
        sharedStrings: sst(Array.from({ length: 10 }, (_, i) => `文字${i}`)),
      }),
    );
    expect((await read(ten)).reader.header).toEqual(["文字0"]);
    expect(await refusal(ten, { xlsx: { maxSharedStrings: 9 } })).toMatchObject({
      status: 422,
      code: "xlsx.shared_strings",
    });
    expect(await refusal(ten, { xlsx: { maxSharedStringChars: 25 } })).toMatchObject({
      code: "xlsx.shared_string_chars",
    });
    // A string split over rich-text runs counts whole.
    const long = file(
      workbookParts(sheetXml(cells), {
        sharedStrings: sharedStringsXml(
          `<si><r><t>${"长".repeat(6)}</t></r><r><t>${"长".repeat(6)}</t></r></si>`,
        ),
      }),
    );
    const p = await refusal(long, { xlsx: { maxCellChars: 10 } });
    expect(p).toMatchObject({ code: "xlsx.cell_too_long" });
    expect(p.en).toContain("longer than 10 characters");
  });

  it("refuses a row whose text exceeds the row limit, and XML nested too deep (in the sheet or the workbook part)", async () => {
    const wide = `${header}<row r="2">${inlineCell("A2", "x".repeat(60))}${inlineCell("B2", "y".repeat(60))}</row>`;
    expect(await refusal(file(workbookParts(sheetXml(wide))), { maxRowBytes: 100 })).toMatchObject({
      status: 422,
      code: "xlsx.row_too_large",
    });
    const deep = `${header}<row r="2"><c r="A2" t="inlineStr"><is><r><t>x</t></r></is></c></row>`;
    expect((await read(file(workbookParts(sheetXml(deep))))).rows).toHaveLength(1);
    expect(await refusal(file(workbookParts(sheetXml(deep))), { xlsx: { maxXmlDepth: 6 } })).toMatchObject({
      code: "xlsx.xml_depth",
      value: "xl/worksheets/sheet1.xml",
    });
    const parts = workbookParts(sheetXml(header));
    const wb = parts.find(([name]) => name === "xl/workbook.xml")!;
    wb[1] = (wb[1] as string).replace("<sheets>", `${"<x>".repeat(100)}${"</x>".repeat(100)}<sheets>`);
    expect(await refusal(file(parts))).toMatchObject({ code: "xlsx.xml_depth", value: "xl/workbook.xml" });
  });

  it("refuses one tag or text longer than the row limit before the XML parser holds it", async () => {
    const huge = `${header}<row r="2">${inlineCell("A2", "x".repeat(200_000))}</row>`;
    expect(await refusal(file(workbookParts(sheetXml(huge))), { maxRowBytes: 50_000 })).toMatchObject({
      status: 422,
      code: "xlsx.xml_too_long",
    });
  });

  it("refuses too many zip entries, too many bytes decompressed, and a high compression ratio", async () => {
    const extra = Array.from({ length: 10 }, (_, i): [string, string] => [`docProps/x${i}.xml`, "<x/>"]);
    const many = file(workbookParts(sheetXml(header), { before: extra }));
    expect(await refusal(many, { xlsx: { maxZipEntries: 12 } })).toMatchObject({
      status: 422,
      code: "xlsx.zip_entries",
    });
    expect((await read(many)).reader.header).toEqual(["名称", "代码"]);

    const padded = file(workbookParts(sheetXml(`${header}${row(2, " ".repeat(100))}`.repeat(1))));
    expect(await refusal(padded, { xlsx: { maxDecompressedBytes: 500 } })).toMatchObject({
      code: "xlsx.decompressed_size",
    });

    // 64 MiB of zeros in a part nobody reads (exceljs drains it), and headers that claim it is 1 byte long.
    const bomb = file(
      workbookParts(sheetXml(header), {
        before: [["xl/media/image1.png", await deflatedZeros(64 * 2 ** 20)]],
      }),
      {
        claimSize: 1,
      },
    );
    const p = await refusal(bomb);
    expect(p).toMatchObject({ status: 422, code: "xlsx.compression_ratio" });
    expect(p.en).toContain("more than 100 times");
  });

  it("answers a workbook without its parts, and a non-zip named .xlsx, with a problem", async () => {
    // A sheet that refers to shared strings, and nothing else.
    const lone = file([
      ["xl/worksheets/sheet1.xml", sheetXml(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)],
    ]);
    expect(await refusal(lone)).toMatchObject({ status: 400, code: "xlsx.corrupt" });
    // A workbook whose sheet part is missing.
    const noSheet = file(workbookParts(sheetXml(header)).filter(([name]) => !name.includes("worksheets")));
    expect(await refusal(noSheet)).toMatchObject({ code: "xlsx.no_sheet" });
    const random = tmp.file("random.xlsx");
    writeFileSync(random, Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)));
    expect(await refusal(random)).toMatchObject({ code: "xlsx.corrupt" });
  });
});
