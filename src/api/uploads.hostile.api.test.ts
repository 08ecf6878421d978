/*
 * Crafted files against every upload endpoint (issue 9): each is answered with a bilingual problem, and the
 * server goes on answering — /api/v1/health after each file, and a genuine import at the end. Before the
 * fix, the first file (1.2 KB, a cell at AAAAAAA1) killed the process with a heap out-of-memory.
 *
 * Also: an import's answer and its batch rows name no server path or host, only a download URL.
 */
import crypto from "node:crypto";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Deflated,
  deflatedParts,
  deflatedZeros,
  inlineCell,
  sharedStringsXml,
  sheetXml,
  workbookParts,
  zipFiles,
} from "../io/testing.ts";
import { uploadsPolicy } from "../policy/uploads.ts";
import { multipartFile, openTestApp, type TestApp } from "./testing.ts";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  // An agency for the rating uploads, with the test agency user bound to it.
  const city = { cookie: t.cookies["t-city"]! };
  const agency = { code: "HOSTILE1", name: "某评级公司", qualification: "备案", scale: "AAA-C" };
  expect(
    (await t.app.inject({ method: "POST", url: "/api/v1/agencies", headers: city, payload: agency }))
      .statusCode,
  ).toBe(201);
  const bind = await t.app.inject({
    method: "POST",
    url: "/api/v1/agencies/HOSTILE1/members",
    headers: city,
    payload: { username: "t-agency" },
  });
  expect(bind.statusCode).toBe(201);
});
afterAll(async () => t.close());

const multipart = multipartFile;

/** The upload endpoints that read a file, and who may use them. */
const ENDPOINTS = {
  records: { url: "/api/v1/imports?wait=true", user: "t-staff" },
  recordsBackground: { url: "/api/v1/imports", user: "t-staff" },
  ratings: { url: "/api/v1/ratings/imports", user: "t-agency" },
  grades: { url: "/api/v1/other-grades/imports?source=samr-risk", user: "t-staff" },
} as const;
type Endpoint = keyof typeof ENDPOINTS;

async function upload(endpoint: Endpoint, fileName: string, content: Buffer) {
  const { url, user } = ENDPOINTS[endpoint];
  const m = multipart(fileName, content);
  return t.app.inject({
    method: "POST",
    url,
    payload: m.payload,
    headers: { ...m.headers, cookie: t.cookies[user]!, "accept-language": "en" },
  });
}

/** Uploads a crafted file; expects it refused with `status` and one of `codes`, then a healthy server. */
async function refused(
  endpoint: Endpoint,
  fileName: string,
  content: Buffer,
  status: number,
  codes: string[],
) {
  const r = await upload(endpoint, fileName, content);
  expect({ endpoint, status: r.statusCode }).toEqual({ endpoint, status });
  const body = r.json();
  expect(codes).toContain(body.problems[0].code);
  // Bilingual, and says how to fix it; no stack trace.
  expect(body.problems[0]).toMatchObject({
    zh: expect.any(String),
    en: expect.any(String),
    fixEn: expect.any(String),
  });
  expect(body.message).toBe(`${body.problems[0].en}. ${body.problems[0].fixEn}`);
  expect(r.body).not.toMatch(/\bat .*\.ts:\d+/);
  const health = await t.app.inject({ url: "/api/v1/health" });
  expect(health.statusCode).toBe(200);
  return body.problems[0] as { code: string; en: string };
}

const policy = uploadsPolicy();
const header = `<row r="1">${inlineCell("A1", "统一社会信用代码")}${inlineCell("B1", "名称")}</row>`;

describe("crafted files are refused and the server keeps serving", () => {
  const columnBomb = zipFiles(
    workbookParts(sheetXml(`<row r="1">${inlineCell("A1", "x")}${inlineCell("AAAAAAA1", "y")}</row>`)),
  );

  it("the column bomb (a cell at AAAAAAA1), on every upload endpoint, waiting or not", async () => {
    expect(columnBomb.length).toBeLessThan(1500);
    for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
      const p = await refused(endpoint, "bomb.xlsx", columnBomb, 422, ["xlsx.column_limit"]);
      expect(p.en).toContain("the last being XFD");
    }
  });

  it("a zip bomb: 256 MiB of zeros in a part nobody reads, its headers claiming 1 byte", async () => {
    const zeros = await deflatedZeros(256 * 2 ** 20);
    const file = zipFiles(workbookParts(sheetXml(header), { before: [["xl/media/image1.png", zeros]] }), {
      claimSize: 1,
    });
    expect(file.length).toBeLessThan(2 ** 20);
    for (const endpoint of ["records", "ratings", "grades"] as const)
      await refused(endpoint, "bomb.xlsx", file, 422, ["xlsx.compression_ratio"]);
  });

  it("shared-string bombs: one that compresses like a bomb, one padded so only the table's own limit stops it", async () => {
    const sheet = sheetXml(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`);
    const [open, close] = sharedStringsXml("|").split("|") as [string, string];
    const si = Buffer.from("<si><t>x</t></si>");
    const sst = (times: number): Promise<Deflated> =>
      deflatedParts(Buffer.from(open), si, times, Buffer.from(close));

    const dense = zipFiles(workbookParts(sheet, { sharedStrings: await sst(2_000_000) }));
    await refused("records", "sst.xlsx", dense, 422, ["xlsx.compression_ratio"]);

    // One string more than the limit, behind enough random bytes that the ratio stays under its limit.
    const count = policy.xlsx.max_shared_strings + 1;
    const padding = crypto.randomBytes(
      Math.ceil((2 * count * si.length) / policy.xlsx.max_compression_ratio),
    );
    const padded = zipFiles(
      workbookParts(sheet, { sharedStrings: await sst(count), before: [["xl/media/image1.png", padding]] }),
    );
    const p = await refused("records", "sst.xlsx", padded, 422, ["xlsx.shared_strings"]);
    expect(p.en).toContain(policy.xlsx.max_shared_strings.toLocaleString("en-US"));
  }, 120_000);

  it("a sheet without its parts, a workbook without its sheet, a broken zip and a non-zip named .xlsx", async () => {
    const lone = zipFiles([
      ["xl/worksheets/sheet1.xml", sheetXml(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)],
    ]);
    const noSheet = zipFiles(
      workbookParts(sheetXml(header)).filter(([name]) => !name.includes("worksheets")),
    );
    const broken = Buffer.concat([Buffer.from("PK\x03\x04"), crypto.randomBytes(3000)]);
    const random = crypto.randomBytes(3000);
    const files = { lone, noSheet, broken, random };
    const cases: [Endpoint, keyof typeof files, number, string[]][] = [
      ["records", "lone", 400, ["xlsx.corrupt"]],
      ["records", "noSheet", 400, ["xlsx.no_sheet"]],
      ["records", "broken", 400, ["xlsx.corrupt"]],
      ["records", "random", 400, ["xlsx.corrupt"]],
      ["recordsBackground", "broken", 400, ["xlsx.corrupt"]],
      ["ratings", "lone", 400, ["xlsx.corrupt"]],
      ["ratings", "random", 400, ["xlsx.corrupt"]],
      ["grades", "noSheet", 400, ["xlsx.no_sheet"]],
      ["grades", "broken", 400, ["xlsx.corrupt"]],
    ];
    for (const [endpoint, name, status, codes] of cases)
      await refused(endpoint, `${name}.xlsx`, files[name], status, codes);
  });

  it("after all that, a genuine file is imported", async () => {
    const csv = Buffer.from(
      "信息类别,统一社会信用代码,主体名称,决定文书号,处罚决定日期,处罚种类,处罚依据,罚款金额\n" +
        "行政处罚,91350100M000100Y43,泉州某某鞋业有限公司,晋市监处罚〔2025〕9001号,2025-03-01,罚款,产品质量法第四十九条,100\n",
    );
    const r = await upload("records", "ok.csv", csv);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: "committed", accepted: 1 });
  });
});

describe("import answers name no server path or host", () => {
  const hostName = os.hostname();
  /** The answer as text holds neither the data directory nor (when long enough to be telling) the host name. */
  const revealsNothing = (text: string) => {
    expect(text).not.toContain(t.dataDir);
    expect(text).not.toContain(os.tmpdir());
    if (hostName.length >= 6) expect(text).not.toContain(hostName);
  };

  /**
   * A batch row says it has a report and where to download it, and holds no path, host or process id.
   */
  const expectBatchView = (b: Record<string, unknown>, url: string) => {
    expect(b.hasRejects).toBe(true);
    expect(b.rejectsUrl).toBe(url);
    for (const key of ["rejects_file", "rejectsFile", "host", "pid"]) expect(b).not.toHaveProperty(key);
  };

  it("a refused record file: the answer, the batch list and the batch give a download URL that works", async () => {
    const csv = Buffer.from(
      "信息类别,统一社会信用代码,主体名称,决定文书号,处罚决定日期,处罚种类,处罚依据,罚款金额\n" +
        "行政处罚,91350100M000100Y44,某公司,X-1,2025-02-30,罚款,依据,1\n",
    );
    const r = await upload("records", "bad.csv", csv);
    expect(r.statusCode).toBe(422);
    const body = r.json();
    revealsNothing(r.body);
    expect(body).not.toHaveProperty("rejectsFile");
    expect(body.rejectsUrl).toBe(`/api/v1/imports/${body.batchId}/rejects`);
    const cookie = t.cookies["t-staff"]!;
    const report = await t.app.inject({ url: body.rejectsUrl, headers: { cookie } });
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain("date.impossible");

    const list = await t.app.inject({ url: "/api/v1/imports", headers: { cookie } });
    revealsNothing(list.body);
    const listed = list.json().items.find((b: { id: string }) => b.id === body.batchId);
    expectBatchView(listed, body.rejectsUrl);
    const one = await t.app.inject({ url: `/api/v1/imports/${body.batchId}`, headers: { cookie } });
    revealsNothing(one.body);
    expectBatchView(one.json(), body.rejectsUrl);
  });

  it("a refused rating file and a refused grades file: a download URL that works", async () => {
    const ratings = Buffer.from(
      "统一社会信用代码,信用等级,评级日期,有效期至\n91350100M000100Y43,Z,2026-03-01,2027-02-28\n",
    );
    const grades = Buffer.from("统一社会信用代码,等级,评定日期\n91350100M000100Y43,Z,2026-03-01\n");
    for (const [endpoint, file, user] of [
      ["ratings", ratings, "t-agency"],
      ["grades", grades, "t-staff"],
    ] as const) {
      const r = await upload(endpoint, "bad.csv", file);
      expect({ endpoint, status: r.statusCode }).toEqual({ endpoint, status: 422 });
      const body = r.json();
      revealsNothing(r.body);
      expect(body).not.toHaveProperty("rejectsFile");
      expect(body.rejectsUrl).toBe(`/api/v1/grade-imports/${body.batchId}/rejects`);
      const report = await t.app.inject({ url: body.rejectsUrl, headers: { cookie: t.cookies[user]! } });
      expect(report.statusCode).toBe(200);
    }
  });
});
