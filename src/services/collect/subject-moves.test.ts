import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RawRecord } from "../../core/records/validate.ts";
import { loadCatalog } from "../../policy/load.ts";
import { openTestStore, type TestStore } from "../../store/testing.ts";
import { type IngestOptions, ingest } from "./ingest.ts";

/**
 * A record's key is (department, category, document number). A row with a stored key that names another
 * subject must not silently move the record: it is refused unless the row states a subject correction.
 */
const catalog = loadCatalog();
let store: TestStore;
const rejectsDir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-moves-"));
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.dispose();
  fs.rmSync(rejectsDir, { recursive: true, force: true });
});

const A = "91350100M000100Y43";
const B = "91110000600037341L";
const C = "92310115MA1LAG5R9M";
const penalty = (docNo: string, subject: string, extra: RawRecord = {}): RawRecord => ({
  category: "PENALTY",
  department: "SCJG",
  subject_code: subject,
  subject_name: "某公司",
  doc_no: docNo,
  decision_date: "2025-03-05",
  penalty_type: "fine",
  legal_basis: "食品安全法第一百二十四条",
  amount: 2,
  ...extra,
});
const opts: IngestOptions = { submitter: "tester", channel: "file", rejectsDir, today: "2026-11-29" };
const rows = (records: RawRecord[]) => [records.map((raw, i) => ({ row: i + 1, raw }))];
const current = async (docNo: string) =>
  store.db
    .selectFrom("credit_records")
    .select(["subject_code", "version", "subject_correction"])
    .where("doc_no", "=", docNo)
    .where("is_current", "=", 1)
    .executeTakeFirstOrThrow();

describe("a new version that names another subject", () => {
  it("is refused without a stated correction: nothing moves, the report names row, field and fix", async () => {
    await ingest(store, catalog, rows([penalty("M-1", A), penalty("M-2", A)]), opts);
    // Three new penalties whose document numbers happen to be in use: two collide with A's records.
    const r = await ingest(
      store,
      catalog,
      rows([penalty("M-new", B), penalty("M-1", B), penalty("M-2", C)]),
      opts,
    );
    expect(r.status).toBe("rejected");
    expect(r.rejected).toBe(2);
    expect(r.problems.map((p) => [p.row, p.field, p.code])).toEqual([
      [2, "doc_no", "record.subject_moved"],
      [3, "doc_no", "record.subject_moved"],
    ]);
    expect(r.problems[0]!.zh).toContain("文书号已用于另一主体");
    expect(r.problems[0]!.zh).toContain(A);
    expect(r.problems[0]!.en).toContain("another subject");
    const report = fs.readFileSync(r.rejectsFile!, "utf8");
    expect(report).toContain("文书号已用于另一主体");
    expect(report).toContain("Subject correction");
    expect(await current("M-1")).toMatchObject({ subject_code: A, version: 1 });
    expect(await current("M-2")).toMatchObject({ subject_code: A, version: 1 });
  });

  it("with --accept-valid, writes the other rows and still refuses the moves", async () => {
    const r = await ingest(
      store,
      catalog,
      rows([penalty("M-new2", B), penalty("M-1", B), penalty("M-1", B, { amount: 3 })]),
      { ...opts, acceptValid: true },
    );
    expect(r).toMatchObject({ status: "committed", accepted: 1, rejected: 2, duplicates: 0, versions: 0 });
    expect(r.problems.map((p) => p.row)).toEqual([2, 3]);
    expect(await current("M-1")).toMatchObject({ subject_code: A, version: 1 });
  });

  it("is written as a correction when the row states why, with the reason kept on the version", async () => {
    const r = await ingest(
      store,
      catalog,
      rows([penalty("M-2", C, { subject_correction: "决定书当事人录入错误，经核对更正" })]),
      opts,
    );
    expect(r).toMatchObject({ status: "committed", accepted: 1, versions: 1, rejected: 0 });
    expect(r.subjectCorrections).toEqual([
      { row: 1, docNo: "M-2", from: A, to: C, reason: "决定书当事人录入错误，经核对更正" },
    ]);
    expect(await current("M-2")).toMatchObject({
      subject_code: C,
      version: 2,
      subject_correction: "决定书当事人录入错误，经核对更正",
    });
    const audit = await store.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "records.subject_corrected")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.object).toContain(`${A} → ${C}`);
  });

  it("judges each row against what is stored before it in the same batch", async () => {
    // Row 1 moves A's M-1 to B without a reason (refused); row 2 names B too: still a move from A, refused.
    const r = await ingest(store, catalog, rows([penalty("M-1", B), penalty("M-1", B, { amount: 5 })]), {
      ...opts,
      acceptValid: true,
    });
    expect(r.problems.map((p) => [p.row, p.code])).toEqual([
      [1, "record.subject_moved"],
      [2, "record.subject_moved"],
    ]);
    expect(await current("M-1")).toMatchObject({ subject_code: A, version: 1 });
    // A correction followed by a change of content about the new subject: one correction, then a plain version.
    const ok = await ingest(
      store,
      catalog,
      rows([penalty("M-1", B, { subject_correction: "当事人更正" }), penalty("M-1", B, { amount: 7 })]),
      opts,
    );
    expect(ok).toMatchObject({ status: "committed", accepted: 2, versions: 2 });
    expect(ok.subjectCorrections?.map((c) => c.row)).toEqual([1]);
    expect(await current("M-1")).toMatchObject({ subject_code: B, version: 3, subject_correction: null });
  });

  it("ignores a stated correction on a row that does not change the subject", async () => {
    const r = await ingest(store, catalog, rows([penalty("M-new3", A, { subject_correction: "无" })]), opts);
    expect(r).toMatchObject({ status: "committed", accepted: 1 });
    expect(r.subjectCorrections).toBeUndefined();
    expect(await current("M-new3")).toMatchObject({ subject_correction: null });
  });
});
