import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertTestSubject, openTestApp, type TestApp } from "./testing.ts";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await insertTestSubject(t.store, "91350100M000100Y43", "泉州某某鞋业有限公司");
});
afterAll(async () => t.close());

const as = (user: string) => ({ cookie: t.cookies[user]! });
const penalty = {
  category: "行政处罚",
  subject_code: "91350100M000100Y43",
  subject_name: "泉州某某鞋业有限公司",
  doc_no: "晋市监处罚〔2025〕1号",
  decision_date: "2025-03-05",
  penalty_type: "罚款",
  legal_basis: "产品质量法第四十九条",
  amount: "3",
};

describe("records API", () => {
  it("submits one record for the caller's department and is idempotent", async () => {
    const a = await t.call("POST", "/records", "t-staff", penalty);
    expect(a.statusCode).toBe(200);
    expect(a.json()).toMatchObject({ status: "committed", accepted: 1 });
    const b = await t.call("POST", "/records", "t-staff", penalty);
    expect(b.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    const rec = await t.store.db
      .selectFrom("credit_records")
      .selectAll()
      .where("doc_no", "=", penalty.doc_no)
      .execute();
    expect(rec).toHaveLength(1);
    expect(rec[0]).toMatchObject({ department: "SCJG", submitted_by: "t-staff" });
  });

  it("refuses to submit for another department", async () => {
    const r = await t.call("POST", "/records", "t-staff", { ...penalty, department: "ZJ", doc_no: "X-1" });
    expect(r.statusCode).toBe(403);
    const batch = await t.call("POST", "/records/batch", "t-staff", {
      records: [{ ...penalty, department: "ZJ", doc_no: "X-2" }],
    });
    expect(batch.statusCode).toBe(422);
    expect(batch.json().problems[0]).toMatchObject({
      row: 1,
      field: "department",
      code: "department.not_yours",
    });
  });

  it("answers bad input with field-level problems in the caller's language, never a stack", async () => {
    const r = await t.app.inject({
      method: "POST",
      url: "/api/v1/records",
      headers: { ...as("t-staff"), "accept-language": "en" },
      payload: { ...penalty, doc_no: "X-3", decision_date: "2025-02-30" },
    });
    expect(r.statusCode).toBe(422);
    const body = r.json();
    expect(body.message).toMatch(/does not exist/);
    expect(body.problems[0]).toMatchObject({ field: "decision_date", code: "date.impossible" });
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/records",
      headers: { ...as("t-staff"), "content-type": "application/json" },
      payload: "{not json",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain("JSON");
    expect(bad.body).not.toMatch(/at \w+ \(|node_modules|SELECT|INSERT/);
  });

  it("limits a JSON batch to 10,000 records", async () => {
    const records = Array.from({ length: 10_001 }, (_, i) => ({ ...penalty, doc_no: `B-${i}` }));
    const r = await t.call("POST", "/records/batch", "t-staff", { records });
    expect(r.statusCode).toBe(400);
    expect(r.json().problems[0].field).toBe("records");
  });

  it("accepts a full batch of 10,000 records", async () => {
    const records = Array.from({ length: 10_000 }, (_, i) => ({ ...penalty, doc_no: `C-${i}` }));
    const r = await t.call("POST", "/records/batch", "t-staff", { records });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ accepted: 10_000, rejected: 0 });
  });

  it("shows a subject's profile to government roles and to the enterprise itself only", async () => {
    const gov = await t.call("GET", "/subjects/91350100M000100Y43", "t-zj");
    expect(gov.statusCode).toBe(200);
    expect(gov.json().records.length).toBeGreaterThan(0);
    const own = await t.call("GET", "/subjects/91350100M000100Y43", "t-ent");
    expect(own.statusCode).toBe(200);
    const other = await t.call("GET", "/subjects/92310115MA1LAG5R9M", "t-ent");
    expect(other.statusCode).toBe(404);
    const search = await t.call("GET", "/subjects?q=鞋业", "t-insp");
    expect(search.json()).toMatchObject({ total: 1 });
  });

  it("revokes a record: own department only, with a reason, as a new version", async () => {
    const rec = await t.store.db
      .selectFrom("credit_records")
      .select("id")
      .where("doc_no", "=", penalty.doc_no)
      .executeTakeFirstOrThrow();
    const zj = await t.call("POST", `/records/${rec.id}/revoke`, "t-city", { reason: "x" });
    expect(zj.statusCode).toBe(400);
    const ok = await t.call("POST", `/records/${rec.id}/revoke`, "t-dadmin", { reason: "经行政复议撤销" });
    expect(ok.statusCode).toBe(200);
    const history = await t.call("GET", `/records/${rec.id}`, "t-staff");
    expect(history.json().versions.map((v: { status: string }) => v.status)).toEqual(["active", "revoked"]);
  });

  it("scopes import batches to their department (404 for others)", async () => {
    const mine = await t.call("GET", "/imports", "t-staff");
    const items = mine.json().items as { id: string; department: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((b) => b.department === "SCJG")).toBe(true);
    const other = await t.call("GET", `/imports/${items[0]!.id}`, "t-zj");
    expect(other.statusCode).toBe(404);
    const zjList = await t.call("GET", "/imports", "t-zj");
    expect(zjList.json().total).toBe(0);
  });

  /** Decision 18: answers are camelCase, encoded through their schema (no database row leaves as it is). */
  it("answers in camelCase: records, subjects, batches, the catalog and the code checks", async () => {
    const snake = /"[a-z]+_[a-z_]+":/;
    const profile = await t.call("GET", "/subjects/91350100M000100Y43", "t-zj");
    expect(profile.json().subject).toMatchObject({
      codeStatus: "valid",
      industrySection: "C",
      registeredOn: "2010-05-01",
      registeredCapital: 500,
      masked: false,
    });
    const record = profile.json().records[0];
    expect(record).toMatchObject({
      subjectCode: "91350100M000100Y43",
      docNo: penalty.doc_no,
      decisionDate: "2025-03-05",
      isCurrent: true,
      // Revoked by the test before: the current version is the revocation.
      status: "revoked",
      statusReason: "经行政复议撤销",
      submittedBy: "t-dadmin",
    });
    // The record's own fields are catalog keys (column names), not API fields: only they may be snake_case.
    expect(JSON.stringify({ ...record, fields: {} })).not.toMatch(snake);
    const history = await t.call("GET", `/records/${record.id}`, "t-staff");
    expect(history.json().versions.at(-1)).toMatchObject({ docNo: penalty.doc_no, batchId: record.batchId });

    const search = await t.call("GET", "/subjects?q=鞋业", "t-insp");
    expect(search.body).not.toMatch(snake);
    const batches = await t.call("GET", "/imports", "t-staff");
    expect(batches.body).not.toMatch(snake);
    expect(batches.json().items[0]).toMatchObject({ acceptValid: false, hasRejects: expect.any(Boolean) });
    expect(batches.json().items[0]).toHaveProperty("startedAt");
    const batch = await t.call("GET", `/imports/${batches.json().items[0].id}`, "t-staff");
    expect(batch.body).not.toMatch(snake);

    const cat = (await t.app.inject({ url: "/api/v1/catalog" })).json();
    expect(cat.categories[0]).toHaveProperty("effectiveFrom");
    expect(cat.categories[0]).not.toHaveProperty("effective_from");
    expect(cat.regimes[0]).toHaveProperty("effectiveFrom");

    const id = await t.app.inject({ url: "/api/v1/idcheck/11010519491231002X" });
    expect(id.json()).toEqual({ status: "valid", birthDate: "1949-12-31" });
    const uscc = await t.app.inject({ url: "/api/v1/uscc/91350100M000100Y43" });
    expect(uscc.json()).toMatchObject({ status: "valid", normalized: "91350100M000100Y43" });
  });
});
