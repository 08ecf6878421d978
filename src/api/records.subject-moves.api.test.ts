import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentEvaluation } from "../store/testing.ts";
import { insertTestSubject, multipartFile, openTestApp, type TestApp } from "./testing.ts";

/**
 * 文书号已用于另一主体, tried as a department user would on every path (one record, a JSON batch, a file):
 * a new version that names another subject is refused unless the row states the correction; a stated one is
 * shown in the answer and the batch, audited, and re-grades both subjects; the record's history shows it, and
 * each enterprise sees only the versions about itself.
 */
let t: TestApp;
const A = "91350100M000100Y43";
const C = "92310115MA1LAG5R9M";
let entC = "";
beforeAll(async () => {
  t = await openTestApp();
  for (const code of [A, C]) await insertTestSubject(t.store, code, `主体${code.slice(-4)}`);
  entC = await t.addUser({ username: "t-ent-c", role: "enterprise", subjectCode: C });
}, 60_000);
afterAll(async () => t.close());

const as = (user: string) => ({ cookie: t.cookies[user]! });
const penalty = (docNo: string, subject: string, extra: Record<string, string> = {}) => ({
  category: "行政处罚",
  subject_code: subject,
  subject_name: "某公司",
  doc_no: docNo,
  decision_date: "2026-03-05",
  severity: "严重",
  penalty_type: "罚款",
  legal_basis: "产品质量法第四十九条",
  amount: "30",
  ...extra,
});
const publicScore = async (code: string) => (await currentEvaluation(t.store, code))?.score;

/** A CSV file as a department exports it (UTF-8 with BOM). */
const csvFile = (fileName: string, content: string) =>
  multipartFile(fileName, Buffer.from(`\uFEFF${content}`));

describe("a document number already used for another subject", () => {
  it("is refused on the one-record path and the JSON batch path, and nothing moves", async () => {
    const first = await t.call("POST", "/records", "t-staff", penalty("晋市监处罚〔2026〕7号", A));
    expect(first.statusCode).toBe(200);
    const one = await t.app.inject({
      method: "POST",
      url: "/api/v1/records",
      headers: { ...as("t-staff"), "accept-language": "en" },
      payload: penalty("晋市监处罚〔2026〕7号", C),
    });
    expect(one.statusCode).toBe(422);
    expect(one.json().problems[0]).toMatchObject({ code: "record.subject_moved", field: "doc_no", row: 1 });
    expect(one.json().message).toMatch(/another subject/);
    const batch = await t.call("POST", "/records/batch", "t-staff", {
      records: [penalty("晋市监处罚〔2026〕8号", C), penalty("晋市监处罚〔2026〕7号", C)],
    });
    expect(batch.statusCode).toBe(422);
    expect(batch.json().problems.map((p: { row: number }) => p.row)).toEqual([2]);
    expect(batch.json().problems[0].zh).toContain("文书号已用于另一主体");
    const stored = await t.store.db
      .selectFrom("credit_records")
      .select(["subject_code"])
      .where("doc_no", "like", "晋市监处罚〔2026〕%")
      .execute();
    expect(stored.map((r) => r.subject_code)).toEqual([A]);
  });

  it("is refused in a file, with the rejects report saying why and how to fix it", async () => {
    const csv = `信息类别,统一社会信用代码,主体名称,决定文书号,决定日期,严重程度,处罚种类,处罚依据,罚款金额\n行政处罚,${C},某公司,晋市监处罚〔2026〕7号,2026-03-05,严重,罚款,产品质量法第四十九条,30\n`;
    const m = csvFile("moves.csv", csv);
    const res = await t.upload("/imports?wait=true", "t-staff", m);
    expect(res.statusCode).toBe(422);
    const report = await t.call("GET", `/imports/${res.json().batchId}/rejects`, "t-staff");
    expect(report.body).toContain("文书号已用于另一主体");
    expect(report.body).toContain("主体更正说明");
  });

  it("is written as a stated correction: shown, audited, history kept, both subjects re-graded", async () => {
    const beforeA = await publicScore(A);
    const beforeC = await publicScore(C);
    expect(beforeA).toBeDefined();
    const csv = `信息类别,统一社会信用代码,主体名称,决定文书号,决定日期,严重程度,处罚种类,处罚依据,罚款金额,主体更正说明\n行政处罚,${C},某公司,晋市监处罚〔2026〕7号,2026-03-05,严重,罚款,产品质量法第四十九条,30,决定书当事人录入错误\n`;
    const m = csvFile("correction.csv", csv);
    const res = await t.upload("/imports?wait=true", "t-staff", m);
    expect(res.statusCode).toBe(200);
    expect(res.json().subjectCorrections).toEqual([
      { row: 1, docNo: "晋市监处罚〔2026〕7号", from: A, to: C, reason: "决定书当事人录入错误" },
    ]);
    const batch = await t.call("GET", `/imports/${res.json().batchId}`, "t-staff");
    expect(batch.json().subjectCorrections).toMatchObject([
      { from: A, to: C, reason: "决定书当事人录入错误" },
    ]);
    // The penalty left A and reached C: A's score rises, C's falls.
    expect(await publicScore(A)).toBeGreaterThan(beforeA!);
    expect(await publicScore(C)).toBeLessThan(beforeC ?? 1001);
    const audit = await t.call("GET", "/audit?action=records.subject_corrected", "t-audit");
    expect(audit.json().items[0].object).toContain(`${A} → ${C}`);

    const id = (
      await t.store.db
        .selectFrom("credit_records")
        .select("id")
        .where("doc_no", "=", "晋市监处罚〔2026〕7号")
        .where("version", "=", 2)
        .executeTakeFirstOrThrow()
    ).id;
    const gov = await t.call("GET", `/records/${id}`, "t-staff");
    expect(gov.json().versions.map((v: { subjectCode: string }) => v.subjectCode)).toEqual([A, C]);
    expect(gov.json().versions[1].subjectCorrection).toBe("决定书当事人录入错误");
    // Each enterprise sees only the versions about itself.
    const ownA = await t.call("GET", `/records/${id}`, "t-ent");
    expect(ownA.json().versions.map((v: { subjectCode: string }) => v.subjectCode)).toEqual([A]);
    const ownC = await t.app.inject({ url: `/api/v1/records/${id}`, headers: { cookie: entC } });
    expect(ownC.json().versions.map((v: { subjectCode: string }) => v.subjectCode)).toEqual([C]);
  });
});
