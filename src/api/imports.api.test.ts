import fs from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeXlsx } from "../io/export.ts";
import { multipartFile, openTestApp, type TestApp } from "./testing.ts";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t.close());

const multipart = multipartFile;

async function upload(user: string, fileName: string, content: Buffer, query = "wait=true") {
  const m = multipart(fileName, content);
  return t.app.inject({
    method: "POST",
    url: `/api/v1/imports?${query}`,
    payload: m.payload,
    headers: { ...m.headers, cookie: t.cookies[user]! },
  });
}

const header = "信息类别,统一社会信用代码,主体名称,决定文书号,处罚决定日期,处罚种类,处罚依据,罚款金额";
const good = (i: number) =>
  `行政处罚,91350100M000100Y43,泉州某某鞋业有限公司,晋市监处罚〔2025〕${i}号,2025-03-0${(i % 9) + 1},罚款,产品质量法第四十九条,${i}`;

describe("file import API", () => {
  it("imports a GB18030 CSV with Chinese headers", async () => {
    const csv = iconv.encode(`${header}\r\n${good(1)}\r\n${good(2)}\r\n`, "gb18030");
    const r = await upload("t-staff", "处罚.csv", csv);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: "committed", accepted: 2, rejected: 0 });
    const rows = await t.store.db
      .selectFrom("credit_records")
      .selectAll()
      .where("batch_id", "=", r.json().batchId)
      .execute();
    expect(rows.map((x) => x.subject_name)).toEqual(["泉州某某鞋业有限公司", "泉州某某鞋业有限公司"]);
  });

  it("imports an XLSX file, and the same file again is all duplicates", async () => {
    const file = path.join(t.dataDir, "penalties.xlsx");
    const rows = [3, 4, 5].map((i) => good(i).split(","));
    await writeXlsx(file, "处罚", header.split(","), rows);
    const first = await upload("t-staff", "penalties.xlsx", fs.readFileSync(file));
    expect(first.json()).toMatchObject({ accepted: 3 });
    const again = await upload("t-staff", "penalties.xlsx", fs.readFileSync(file));
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 3 });
  });

  it("refuses a file with bad rows as a whole and serves the per-row error report", async () => {
    const csv = Buffer.from(
      `\uFEFF${header}\n${good(6)}\n行政处罚,91110000600037341M,某公司,X-1,2025-02-30,罚款,依据,1\n行政处罚,91350100M000100Y43,某公司,X-2,2025-01-01,罚款\n`,
    );
    const r = await upload("t-staff", "bad.csv", csv);
    expect(r.statusCode).toBe(422);
    const body = r.json();
    expect(body).toMatchObject({ status: "rejected", accepted: 0, rejected: 2 });
    const codes = body.problems.map((p: { row: number; code: string }) => `${p.row}:${p.code}`);
    expect(codes).toEqual(expect.arrayContaining(["2:uscc.check", "2:date.impossible", "3:csv.ragged_row"]));
    const report = await t.app.inject({
      url: `/api/v1/imports/${body.batchId}/rejects`,
      headers: { cookie: t.cookies["t-staff"]! },
    });
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain("uscc.check");
    expect(report.body).toContain("how to fix");
    const none = await t.store.db
      .selectFrom("credit_records")
      .select("id")
      .where("doc_no", "=", "晋市监处罚〔2025〕6号")
      .execute();
    expect(none).toHaveLength(0);
  });

  it("with acceptValid commits the good rows and keeps the report", async () => {
    const csv = Buffer.from(
      `${header}\n${good(7)}\n行政处罚,91350100M000100Y43,某公司,X-3,2099-01-01,罚款,依据,1\n`,
    );
    const r = await upload("t-staff", "mixed.csv", csv, "wait=true&acceptValid=true");
    expect(r.json()).toMatchObject({ status: "committed", accepted: 1, rejected: 1 });
  });

  it("rejects a file whose columns are unknown, naming the closest known column", async () => {
    const r = await upload("t-staff", "x.csv", Buffer.from("信息类别,统一社会信用码,文书号\nPENALTY,1,2\n"));
    expect(r.statusCode).toBe(400);
    expect(r.json().problems[0]).toMatchObject({ code: "header.unknown" });
    expect(r.json().problems[0].fixZh).toContain("统一社会信用代码");
  });

  it("runs in the background and reports progress by batch", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => good(1000 + i));
    const r = await upload("t-staff", "big.csv", Buffer.from(`${header}\n${lines.join("\n")}\n`), "");
    expect(r.statusCode).toBe(202);
    const { batchId } = r.json();
    let batch: { status: string; accepted: number } | undefined;
    for (let i = 0; i < 200; i++) {
      batch = (
        await t.app.inject({ url: `/api/v1/imports/${batchId}`, headers: { cookie: t.cookies["t-staff"]! } })
      ).json();
      if (batch!.status !== "running") break;
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(batch).toMatchObject({ status: "committed", accepted: 2000 });
  });

  it("serves header templates per category in CSV and XLSX", async () => {
    const csv = await t.app.inject({ url: "/api/v1/catalog/PENALTY/template?format=csv&lang=zh" });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain("统一社会信用代码");
    const xlsx = await t.app.inject({ url: "/api/v1/catalog/行政处罚/template?format=xlsx&lang=en" });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
  });
});
