import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../core/problem.ts";
import { writeXlsx } from "../../io/export.ts";
import { openTable } from "../../io/table.ts";
import { readAll, sharedStringsXml, sheetXml, workbookParts, zipFiles } from "../../io/testing.ts";
import { openTableInWorker } from "./threaded.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-threaded-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("tables read in a worker thread", () => {
  it("give the same header, rows and problems as openTable, CSV and XLSX, with the user's file name", async () => {
    const csv = path.join(dir, "a.csv");
    fs.writeFileSync(csv, "名称,代码\n甲,1\n乙,2,多\n\n丙,3\n");
    const xlsx = path.join(dir, "a.xlsx");
    await writeXlsx(
      xlsx,
      "S",
      ["名称", "代码"],
      [
        ["甲", "1"],
        ["乙", "2", "多"],
        ["丙", "3"],
      ],
    );
    for (const file of [csv, xlsx]) {
      const here = await openTable({ path: file });
      const there = await openTableInWorker(file, { chunkRows: 1 });
      expect([there.header, there.format]).toEqual([here.header, here.format]);
      expect(await readAll(there)).toEqual(await readAll(here));
    }
    const random = path.join(dir, "B2026-upload.xlsx");
    fs.writeFileSync(random, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)));
    const refused = await openTableInWorker(random, { fileName: "处罚.xlsx" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).problems[0]!.zh).toContain("处罚.xlsx");
  });

  it("removes the worker's temp files when the reader stops early (the worker is stopped mid-read)", async () => {
    // Excel's order: the sheet before the shared strings, so the worker keeps the sheet in a temp file.
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="s"><v>1</v></c></row>`,
    );
    const file = path.join(dir, "excel-order.xlsx");
    fs.writeFileSync(
      file,
      zipFiles(
        workbookParts(sheetXml(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>${rows.join("")}`), {
          sharedStrings: sharedStringsXml("<si><t>名称</t></si><si><t>甲</t></si>"),
        }),
      ),
    );
    const saved = process.env.TMPDIR;
    const tmpRoot = fs.mkdtempSync(path.join(dir, "tmp-"));
    process.env.TMPDIR = tmpRoot; // a worker copies the environment it is started with
    try {
      const reader = await openTableInWorker(file, { chunkRows: 10, maxInFlight: 1 });
      for await (const chunk of reader.rows) {
        expect(chunk[0]!.cells).toEqual(["甲"]);
        break;
      }
      // (tsx keeps its cache of compiled modules there too.)
      expect(fs.readdirSync(tmpRoot).filter((name) => !name.startsWith("tsx-"))).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it("a file that needs more than the worker's heap fails its own read with a 422, and the next read works", async () => {
    // 600,000 distinct shared strings: about 75 MB of heap, within every limit of policy/uploads.yaml.
    const items: string[] = [];
    for (let i = 0; i < 1_000_000; i++)
      items.push(`<si><t>泉州某某有限公司${String(i).padStart(8, "0")}</t></si>`);
    const big = path.join(dir, "big.xlsx");
    fs.writeFileSync(
      big,
      zipFiles(
        workbookParts(sheetXml(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`), {
          sharedStrings: sharedStringsXml(items.join("")),
        }),
      ),
    );
    items.length = 0;
    const e = await openTableInWorker(big, { heapMb: 32 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).status).toBe(422);
    expect((e as InputError).problems[0]).toMatchObject({ code: "file.memory_limit" });
    expect((e as InputError).problems[0]!.en).toContain("32 MB");
    const small = path.join(dir, "small.csv");
    fs.writeFileSync(small, "名称\n甲\n");
    expect(await readAll(await openTableInWorker(small))).toEqual([{ row: 1, cells: ["甲"] }]);
  }, 120_000);
});
