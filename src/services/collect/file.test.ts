import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../core/problem.ts";
import { writeXlsx } from "../../io/export.ts";
import { loadCatalog } from "../../policy/load.ts";
import { openTestStore, type TestStore } from "../../store/testing.ts";
import { importFile } from "./file.ts";
import type { IngestResult } from "./ingest.ts";

/*
 * A file is checked in a worker thread when it is large, in the importing thread when it is small. Both must
 * give the same result to the row: counts, problems, the rejects report, what is written.
 */
const catalog = loadCatalog();
let store: TestStore;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-file-"));
const rejectsDir = path.join(dir, "rejects");
const opts = { submitter: "tester", department: "SCJG", rejectsDir, today: "2026-11-29" };

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const HEADER = "信息类别,统一社会信用代码,主体名称,文书号,决定日期,检查结果,内容摘要";

/** Inspection rows; every 97th is bad in one of several ways, and some keys come twice. */
function rowsOf(n: number, prefix: string, bad: boolean): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const doc = `${prefix}-${i % 3 === 0 ? i - (i % 6) : i}`; // every 6th key twice, changed
    let line = `INSPECTION,91350100M000100Y43,泉州某某公司,${doc},2025-01-${String((i % 28) + 1).padStart(2, "0")},pass,"第${i}行, ""引号""\t制表"`;
    if (bad && i % 97 === 5) {
      const k = (i / 97) | 0;
      if (k % 5 === 0) line = `INSPECTION,91350100M000100Y43,泉州某某公司,${doc},2025-02-30,pass,x`;
      if (k % 5 === 1) line = `乱填,91350100M000100Y43,泉州某某公司,${doc},2025-01-02,pass,x`;
      if (k % 5 === 2) line = `INSPECTION,91110000600037341M,泉州某某公司,${doc},2025-01-02,maybe,x`;
      if (k % 5 === 3) line = `INSPECTION,91350100M000100Y43,泉州某某公司`; // ragged
      if (k % 5 === 4) line = `INSPECTION,,泉州某某公司,,2099-01-02,pass,x`;
    }
    lines.push(line);
  }
  return lines;
}

function writeCsv(name: string, lines: string[], encoding = "utf-8"): string {
  const file = path.join(dir, name);
  const text = `${HEADER}\r\n${lines.join("\r\n")}\r\n\r\n`;
  fs.writeFileSync(file, encoding === "utf-8" ? text : iconv.encode(text, encoding));
  return file;
}

const comparable = (r: IngestResult) => {
  const { batchId: _b, rejectsFile, ...rest } = r;
  return { ...rest, report: rejectsFile ? fs.readFileSync(rejectsFile, "utf8") : undefined };
};

async function countOf(prefix: string): Promise<number> {
  const r = await store.db
    .selectFrom("credit_records")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("doc_no", "like", `${prefix}-%`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe("importFile in a worker thread", () => {
  it("rejects the same rows with the same problems and report as the importing thread", async () => {
    const file = writeCsv("bad.csv", rowsOf(6000, "B", true), "gb18030");
    const here = await importFile(store, catalog, file, { ...opts, worker: false });
    const worker = await importFile(store, catalog, file, { ...opts, worker: true });
    expect(here.status).toBe("rejected");
    expect(here.rejected).toBe(62);
    expect(comparable(worker)).toEqual(comparable(here));
    expect(await countOf("B")).toBe(0);
  });

  it("commits the valid rows alike with acceptValid, and sending the file again changes the same", async () => {
    const file = writeCsv("accept.csv", rowsOf(6000, "A", true));
    const first = await importFile(store, catalog, file, { ...opts, acceptValid: true, worker: true });
    expect(first).toMatchObject({ status: "committed", rejected: 62 });
    expect(first.accepted + first.duplicates).toBe(6000 - 62);
    expect(first.versions).toBeGreaterThan(0);
    expect(await countOf("A")).toBe(first.accepted);
    const again = await importFile(store, catalog, file, { ...opts, acceptValid: true, worker: false });
    // Keys the file changes (a row, then a different row) become two new versions again; the rest are
    // duplicates.
    expect(again).toMatchObject({ status: "committed", rejected: 62 });
    expect(again.accepted).toBe(again.versions);
    expect(again.accepted).toBeGreaterThan(0);
    expect(again.accepted + again.duplicates).toBe(6000 - 62);
    const third = await importFile(store, catalog, file, { ...opts, acceptValid: true, worker: true });
    expect(comparable(third)).toEqual(comparable(again));
  });

  it("stores values with tabs, quotes and backslashes as written", async () => {
    const file = writeCsv("text.csv", [
      `INSPECTION,91350100M000100Y43,"名称\\N",T-1,2025-01-02,pass,"a\tb\\c ""q"" \\N"`,
    ]);
    const r = await importFile(store, catalog, file, { ...opts, worker: true });
    expect(r).toMatchObject({ status: "committed", accepted: 1 });
    const row = await store.db
      .selectFrom("credit_records")
      .select(["subject_name", "fields"])
      .where("doc_no", "=", "T-1")
      .executeTakeFirstOrThrow();
    expect(row.subject_name).toBe("名称\\N");
    expect(JSON.parse(row.fields).content).toBe('a\tb\\c "q" \\N');
  });

  it("reads XLSX files too", async () => {
    const file = path.join(dir, "x.xlsx");
    await writeXlsx(
      file,
      "检查",
      HEADER.split(","),
      [1, 2, 3].map((i) => [
        "INSPECTION",
        "91350100M000100Y43",
        "某公司",
        `X-${i}`,
        "2025-01-02",
        "pass",
        "",
      ]),
    );
    const r = await importFile(store, catalog, file, { ...opts, worker: true });
    expect(r).toMatchObject({ status: "committed", accepted: 3, rejected: 0 });
  });

  it("refuses a file with unknown columns before reading rows, as the importing thread does", async () => {
    const file = path.join(dir, "columns.csv");
    fs.writeFileSync(file, "信息类别,不知道\nINSPECTION,x\n");
    const problems = async (worker: boolean) => {
      try {
        await importFile(store, catalog, file, { ...opts, worker });
      } catch (e) {
        if (e instanceof InputError) return e.problems;
        throw e;
      }
      throw new Error("accepted");
    };
    const here = await problems(false);
    expect(here.length).toBeGreaterThan(0);
    expect(await problems(true)).toEqual(here);
  });

  it("fails the batch when the file breaks off mid-way, as the importing thread does", async () => {
    // An opening quote never closed: the rest of the file (over the 1 MiB record limit) is one value.
    const lines = rowsOf(100, "F", false);
    lines.push(`INSPECTION,91350100M000100Y43,"${"x".repeat(1_200_000)}`);
    const file = writeCsv("broken.csv", lines);
    const outcome = async (worker: boolean) => {
      const e = await importFile(store, catalog, file, { ...opts, worker }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(InputError);
      const batch = await store.db
        .selectFrom("import_batches")
        .select("status")
        .orderBy("started_at", "desc")
        .executeTakeFirstOrThrow();
      return { problems: (e as InputError).problems, status: batch.status };
    };
    const here = await outcome(false);
    expect(here.status).toBe("failed");
    expect(await outcome(true)).toEqual(here);
    expect(await countOf("F")).toBe(0);
  });
});
